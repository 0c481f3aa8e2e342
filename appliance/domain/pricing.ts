/**
 * Prices come from the catalogue on the appliance, never from the client. All arithmetic is in
 * integer minor units.
 *
 * Rounding (README "Prices and taxes"): a line costs (item price + option prices + combo
 * upcharges) × quantity, exactly. Tax is computed once per tax class over the sum of that class's
 * line totals and rounded half up to a whole minor unit:
 *   exclusive: tax = round(net × rate / 10 000), total = subtotal + tax
 *   inclusive: tax = round(gross × rate / (10 000 + rate)), total = subtotal
 */
import { AppError } from "../lib/errors.ts";
import type { LineInput, PricedLine, SelectedOption, Totals, TaxLine } from "../../protocol/schemas/orders.ts";
import type { Combo, MenuItem } from "../../protocol/schemas/menu.ts";
import type { Catalogue } from "./catalogue.ts";

export interface PricingContext {
  readonly catalogue: Catalogue;
  readonly soldOutItems: ReadonlySet<string>;
  readonly soldOutOptions: ReadonlySet<string>;
  readonly maxQuantityPerLine: number;
}

type PricedOption = PricedLine["options"][number];

/** Validates one requested line against the catalogue and prices it. Throws AppError on any rule broken. */
export function priceLine(ctx: PricingContext, input: LineInput, lineId: string): PricedLine {
  if (input.quantity < 1 || input.quantity > ctx.maxQuantityPerLine) {
    throw new AppError("quantity_invalid", `quantity must be between 1 and ${ctx.maxQuantityPerLine}`, {
      details: { menuItemId: input.menuItemId, quantity: input.quantity, max: ctx.maxQuantityPerLine },
    });
  }
  const item = ctx.catalogue.items.get(input.menuItemId);
  const combo = ctx.catalogue.combos.get(input.menuItemId);
  if (item && !item.comboOnly) return priceItemLine(ctx, item, input, lineId);
  if (combo) return priceComboLine(ctx, combo, input, lineId);
  throw new AppError(
    "unknown_item",
    item ? `"${input.menuItemId}" is only sold as part of a combo` : `no menu item "${input.menuItemId}"`,
    {
      details: { menuItemId: input.menuItemId },
    },
  );
}

function priceItemLine(ctx: PricingContext, item: MenuItem, input: LineInput, lineId: string): PricedLine {
  if (input.slots && input.slots.length > 0) {
    throw new AppError("combo_slots_invalid", `"${item.id}" is not a combo and has no slots`, {
      details: { menuItemId: item.id },
    });
  }
  assertItemAvailable(ctx, item.id);
  const options = priceOptions(ctx, item, input.options);
  const unitPrice = item.price + sum(options.map((o) => o.price));
  return {
    id: lineId,
    menuItemId: item.id,
    kind: "item",
    name: item.name,
    quantity: input.quantity,
    unitPrice,
    total: unitPrice * input.quantity,
    taxClass: item.taxClass,
    station: item.station,
    options,
    components: [],
    ...(input.note ? { note: input.note } : {}),
  };
}

function priceComboLine(ctx: PricingContext, combo: Combo, input: LineInput, lineId: string): PricedLine {
  if (input.options && input.options.length > 0) {
    throw new AppError("unknown_option", `combo "${combo.id}" takes its options per slot`, {
      details: { menuItemId: combo.id },
    });
  }
  assertItemAvailable(ctx, combo.id);
  const chosen = new Map<string, NonNullable<LineInput["slots"]>[number]>();
  for (const choice of input.slots ?? []) {
    if (chosen.has(choice.slot)) {
      throw new AppError("combo_slots_invalid", `slot "${choice.slot}" chosen twice`, {
        details: { menuItemId: combo.id, slot: choice.slot },
      });
    }
    if (!combo.slots.some((s) => s.id === choice.slot)) {
      throw new AppError("combo_slots_invalid", `combo "${combo.id}" has no slot "${choice.slot}"`, {
        details: { menuItemId: combo.id, slot: choice.slot },
      });
    }
    chosen.set(choice.slot, choice);
  }
  const components = combo.slots.map((slot) => {
    const choice = chosen.get(slot.id) ?? (slot.default ? { slot: slot.id, item: slot.default } : undefined);
    if (!choice) {
      throw new AppError("combo_slots_invalid", `choose an item for "${slot.id}"`, {
        details: { menuItemId: combo.id, slot: slot.id },
      });
    }
    const offer = slot.choices.find((c) => c.item === choice.item);
    const item = ctx.catalogue.items.get(choice.item);
    if (!offer || !item) {
      throw new AppError("combo_slots_invalid", `"${choice.item}" is not a choice of slot "${slot.id}"`, {
        details: { menuItemId: combo.id, slot: slot.id, item: choice.item },
      });
    }
    assertItemAvailable(ctx, item.id);
    const options = priceOptions(ctx, item, choice.options);
    return {
      slot: slot.id,
      item: item.id,
      name: item.name,
      station: item.station,
      upcharge: offer.upcharge ?? 0,
      options,
    };
  });
  const unitPrice = combo.price + sum(components.map((c) => c.upcharge + sum(c.options.map((o) => o.price))));
  return {
    id: lineId,
    menuItemId: combo.id,
    kind: "combo",
    name: combo.name,
    quantity: input.quantity,
    unitPrice,
    total: unitPrice * input.quantity,
    taxClass: combo.taxClass,
    options: [],
    components,
    ...(input.note ? { note: input.note } : {}),
  };
}

function assertItemAvailable(ctx: PricingContext, id: string): void {
  if (ctx.soldOutItems.has(id)) {
    throw new AppError("item_sold_out", `"${id}" is sold out`, { details: { menuItemId: id } });
  }
}

/**
 * Checks the chosen options of `item` against its modifier groups (membership, duplicates,
 * min/max, availability). Omitted options mean "the defaults"; an empty list means "none".
 */
function priceOptions(
  ctx: PricingContext,
  item: MenuItem,
  requested: readonly SelectedOption[] | undefined,
): PricedOption[] {
  const groupIds = item.modifierGroups ?? [];
  const selected: SelectedOption[] = requested
    ? [...requested]
    : groupIds.flatMap((g) =>
        (ctx.catalogue.groups.get(g)?.options ?? []).filter((o) => o.default).map((o) => ({ group: g, option: o.id })),
      );
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  const priced: PricedOption[] = [];
  for (const choice of selected) {
    const option = groupIds.includes(choice.group)
      ? ctx.catalogue.options.get(choice.group)?.get(choice.option)
      : undefined;
    if (!option) {
      throw new AppError("unknown_option", `"${item.id}" has no option "${choice.option}" in group "${choice.group}"`, {
        details: { menuItemId: item.id, group: choice.group, option: choice.option },
      });
    }
    const key = `${choice.group}/${choice.option}`;
    if (seen.has(key)) {
      throw new AppError("option_rules_violated", `option "${choice.option}" chosen twice`, {
        details: { menuItemId: item.id, group: choice.group, option: choice.option },
      });
    }
    seen.add(key);
    if (ctx.soldOutOptions.has(option.id)) {
      throw new AppError("option_sold_out", `option "${option.id}" is sold out`, {
        details: { menuItemId: item.id, option: option.id },
      });
    }
    counts.set(choice.group, (counts.get(choice.group) ?? 0) + 1);
    priced.push({ group: choice.group, option: option.id, name: option.name, price: option.price });
  }
  for (const groupId of groupIds) {
    const group = ctx.catalogue.groups.get(groupId);
    if (!group) continue;
    const count = counts.get(groupId) ?? 0;
    if (count < group.min || count > group.max) {
      throw new AppError(
        "option_rules_violated",
        `"${groupId}" needs between ${group.min} and ${group.max} choices, got ${count}`,
        {
          details: { menuItemId: item.id, group: groupId, min: group.min, max: group.max, chosen: count },
        },
      );
    }
  }
  return priced;
}

/** Order or cart totals from priced lines. */
export function computeTotals(
  lines: readonly Pick<PricedLine, "total" | "taxClass">[],
  catalogueTaxRates: ReadonlyMap<string, number>,
  taxMode: "inclusive" | "exclusive",
  currency: string,
): Totals {
  const byClass = new Map<string, number>();
  for (const line of lines) byClass.set(line.taxClass, (byClass.get(line.taxClass) ?? 0) + line.total);
  const taxes: TaxLine[] = [...byClass.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([taxClass, amount]) => {
      const rate = catalogueTaxRates.get(taxClass) ?? 0;
      const tax =
        taxMode === "inclusive" ? roundHalfUp(amount * rate, 10_000 + rate) : roundHalfUp(amount * rate, 10_000);
      return { taxClass, rateBasisPoints: rate, net: taxMode === "inclusive" ? amount - tax : amount, amount: tax };
    });
  const subtotal = sum(lines.map((l) => l.total));
  const tax = sum(taxes.map((t) => t.amount));
  return {
    currency,
    taxIncluded: taxMode === "inclusive",
    subtotal,
    tax,
    total: taxMode === "inclusive" ? subtotal : subtotal + tax,
    taxes,
  };
}

/** numerator / denominator rounded half up, for non-negative integers, exactly. */
export function roundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0 || numerator < 0) {
    throw new RangeError("roundHalfUp needs non-negative safe integers");
  }
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
