/** Stock checks shared by carts and orders. Run inside the command's transaction. */
import type { Catalogue } from "../domain/catalogue.ts";
import { AppError } from "../lib/errors.ts";
import { heldUnits, onHand } from "../journal/catalogue-store.ts";
import type { Journal } from "../journal/database.ts";
import type { PricedLine } from "../../protocol/schemas/orders.ts";

/** Units of each stock-tracked item a line consumes (combo components included). */
export function unitsNeeded(
  catalogue: Catalogue,
  line: Pick<PricedLine, "kind" | "menuItemId" | "quantity" | "components">,
): Map<string, number> {
  const needs = new Map<string, number>();
  const add = (itemId: string, units: number) => {
    if (catalogue.items.get(itemId)?.tracksStock) needs.set(itemId, (needs.get(itemId) ?? 0) + units);
  };
  if (line.kind === "item") add(line.menuItemId, line.quantity);
  for (const component of line.components) add(component.item, line.quantity);
  return needs;
}

export function mergeNeeds(all: readonly Map<string, number>[]): Map<string, number> {
  const merged = new Map<string, number>();
  for (const needs of all) for (const [item, units] of needs) merged.set(item, (merged.get(item) ?? 0) + units);
  return merged;
}

/**
 * Throws `out_of_stock` unless every item can supply its units: on hand minus what other carts
 * hold (and minus `alsoHeld`, units this cart already holds for its other lines).
 */
export function assertSellable(
  journal: Journal,
  needs: ReadonlyMap<string, number>,
  nowMs: number,
  options: {
    exceptSession?: string;
    alsoHeld?: ReadonlyMap<string, number>;
    code?: "out_of_stock" | "hold_expired";
  } = {},
): void {
  for (const [itemId, units] of needs) {
    const stock = onHand(journal, itemId) ?? 0;
    const held = heldUnits(journal, itemId, nowMs, options.exceptSession);
    const available = stock - held - (options.alsoHeld?.get(itemId) ?? 0);
    if (available < units) {
      const code = options.code ?? "out_of_stock";
      throw new AppError(
        code,
        code === "hold_expired"
          ? `the hold on "${itemId}" ran out and only ${Math.max(0, available)} are left`
          : `only ${Math.max(0, available)} of "${itemId}" left`,
        {
          details: { menuItemId: itemId, requested: units, available: Math.max(0, available) },
        },
      );
    }
  }
}
