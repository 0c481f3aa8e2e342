/**
 * Keyboard and bump-bar control of the kitchen display, as plain logic. Bump bars are keyboards
 * with a handful of keys; the default mapping follows the usual layout:
 *
 *   1–9      select the ticket with that number badge (screen order)
 *   ← →      previous / next column     ↑ ↓   previous / next ticket in the column
 *   Home End first / last ticket
 *   Enter    bump the selected ticket to its next state
 *   R        recall the last bumped ticket      U / Backspace   undo the last action
 *   S        sound on / off
 */
import { KITCHEN_COLUMNS, type KitchenColumn } from "../data/kitchen-tickets.ts";

export type KitchenCommand =
  | { kind: "select"; index: number }
  | { kind: "move"; direction: "left" | "right" | "up" | "down" | "first" | "last" }
  | { kind: "bump" }
  | { kind: "recall" }
  | { kind: "undo" }
  | { kind: "sound" };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export function commandForKey(event: KeyInput): KitchenCommand | undefined {
  if (event.ctrlKey || event.altKey || event.metaKey) return undefined;
  const { key } = event;
  if (/^[1-9]$/.test(key)) return { kind: "select", index: Number(key) - 1 };
  switch (key) {
    case "ArrowLeft":
      return { kind: "move", direction: "left" };
    case "ArrowRight":
      return { kind: "move", direction: "right" };
    case "ArrowUp":
      return { kind: "move", direction: "up" };
    case "ArrowDown":
      return { kind: "move", direction: "down" };
    case "Home":
      return { kind: "move", direction: "first" };
    case "End":
      return { kind: "move", direction: "last" };
    case "Enter":
      return { kind: "bump" };
    case "r":
    case "R":
      return { kind: "recall" };
    case "u":
    case "U":
    case "Backspace":
      return { kind: "undo" };
    case "s":
    case "S":
      return { kind: "sound" };
    default:
      return undefined;
  }
}

/** Ticket ids per column, in screen order. */
export type ColumnLayout = Readonly<Record<KitchenColumn, readonly string[]>>;

/** The id selected after a move from `current` (undefined: nothing to select). */
export function moveSelection(
  layout: ColumnLayout,
  current: string | undefined,
  direction: Extract<KitchenCommand, { kind: "move" }>["direction"],
): string | undefined {
  const all = KITCHEN_COLUMNS.flatMap((c) => layout[c]);
  if (all.length === 0) return undefined;
  if (direction === "first") return all[0];
  if (direction === "last") return all[all.length - 1];
  const position = locate(layout, current);
  if (!position) return all[0];
  const { column, row } = position;
  const ids = layout[column];
  if (direction === "up") return ids[Math.max(0, row - 1)];
  if (direction === "down") return ids[Math.min(ids.length - 1, row + 1)];
  const step = direction === "left" ? -1 : 1;
  for (let c = KITCHEN_COLUMNS.indexOf(column) + step; c >= 0 && c < KITCHEN_COLUMNS.length; c += step) {
    const target = layout[KITCHEN_COLUMNS[c] ?? "new"];
    if (target.length > 0) return target[Math.min(row, target.length - 1)];
  }
  return current;
}

/** The id with number badge `index + 1` (screen order across columns). */
export function selectByIndex(layout: ColumnLayout, index: number): string | undefined {
  return KITCHEN_COLUMNS.flatMap((c) => layout[c])[index];
}

function locate(layout: ColumnLayout, id: string | undefined): { column: KitchenColumn; row: number } | undefined {
  if (id === undefined) return undefined;
  for (const column of KITCHEN_COLUMNS) {
    const row = layout[column].indexOf(id);
    if (row >= 0) return { column, row };
  }
  return undefined;
}
