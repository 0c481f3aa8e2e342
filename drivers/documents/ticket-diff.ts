import type { TicketItem } from "./types.ts";

/** One line of a change ticket: `+` to cook more, `-` to cook less or not at all. */
export interface TicketChange {
  sign: "+" | "-";
  quantity: number;
  item: TicketItem;
}

const sameRecipe = (a: TicketItem, b: TicketItem): boolean =>
  a.name === b.name &&
  (a.options ?? []).join("\n") === (b.options ?? []).join("\n") &&
  (a.note ?? "") === (b.note ?? "");

/**
 * What the kitchen must do differently: items matched by `key`; a changed quantity prints the
 * difference, a changed recipe (options, note) prints the old one with `-` and the new one with `+`.
 */
export function diffTicketItems(previous: readonly TicketItem[], current: readonly TicketItem[]): TicketChange[] {
  const changes: TicketChange[] = [];
  const before = new Map(previous.map((item) => [item.key, item]));
  const seen = new Set<string>();
  for (const item of current) {
    seen.add(item.key);
    const old = before.get(item.key);
    if (old === undefined) {
      if (item.quantity > 0) changes.push({ sign: "+", quantity: item.quantity, item });
    } else if (!sameRecipe(old, item)) {
      if (old.quantity > 0) changes.push({ sign: "-", quantity: old.quantity, item: old });
      if (item.quantity > 0) changes.push({ sign: "+", quantity: item.quantity, item });
    } else if (item.quantity !== old.quantity) {
      changes.push({
        sign: item.quantity > old.quantity ? "+" : "-",
        quantity: Math.abs(item.quantity - old.quantity),
        item,
      });
    }
  }
  for (const old of previous) {
    if (!seen.has(old.key) && old.quantity > 0) changes.push({ sign: "-", quantity: old.quantity, item: old });
  }
  return changes;
}
