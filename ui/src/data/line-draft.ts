/**
 * What a customer is putting together on the item page: a product, its options (min/max per
 * modifier group), a combo's slot choices with their own options, and a quantity; its price
 * as the appliance will compute it (item + options + upcharges, × quantity, integer minor
 * units — README "Prices"). Once in the cart, the appliance prices the line itself and the kiosk
 * shows that; this price is the item page's preview.
 */
import type {
  LineInput,
  LocalizedText,
  MenuItem,
  ModifierGroup,
  PricedLine,
  SelectedOption,
  SlotChoice,
} from "../../../protocol/index.ts";
import type { MenuCatalog, Product } from "./menu-catalog.ts";

export interface LineDraft {
  productId: string;
  kind: "item" | "combo";
  /** Name when the line was made, shown even if the menu changes under it. */
  name: LocalizedText;
  quantity: number;
  /** Options of an item line. */
  options: SelectedOption[];
  /** Slot choices of a combo line, each with its item's options. */
  slots: Required<SlotChoice>[];
}

/** Largest quantity the kiosk offers for one line (the appliance has its own limit). */
export const MAX_KIOSK_QUANTITY = 20;

/** The default options of an item (those marked default and not sold out). */
export function defaultOptions(catalog: MenuCatalog, item: MenuItem): SelectedOption[] {
  return catalog.groupsOf(item).flatMap((group) =>
    group.options
      .filter((o) => o.default && catalog.isOptionAvailable(o.id))
      .slice(0, group.max)
      .map((o) => ({ group: group.id, option: o.id })),
  );
}

/** A fresh draft of a product with its defaults. */
export function createDraft(catalog: MenuCatalog, product: Product): LineDraft {
  if (product.kind === "item") {
    return {
      productId: product.id,
      kind: "item",
      name: product.item.name,
      quantity: 1,
      options: defaultOptions(catalog, product.item),
      slots: [],
    };
  }
  const slots = product.combo.slots.map((slot) => {
    const preferred =
      slot.default && catalog.isItemAvailable(slot.default)
        ? slot.default
        : (slot.choices.find((c) => catalog.isItemAvailable(c.item))?.item ??
          slot.default ??
          slot.choices[0]?.item ??
          "");
    const item = catalog.item(preferred);
    return { slot: slot.id, item: preferred, options: item ? defaultOptions(catalog, item) : [] };
  });
  return { productId: product.id, kind: "combo", name: product.combo.name, quantity: 1, options: [], slots };
}

export type ToggleResult =
  { ok: true; options: SelectedOption[] } | { ok: false; reason: "max" | "sold_out" | "unknown" };

/**
 * Tap on an option. A group of at most one behaves like radio buttons (tapping the chosen one
 * clears it only when the group is optional); a larger group toggles, refusing past its max.
 */
export function toggleOption(
  catalog: MenuCatalog,
  item: MenuItem,
  selected: readonly SelectedOption[],
  groupId: string,
  optionId: string,
): ToggleResult {
  const group = catalog.groupsOf(item).find((g) => g.id === groupId);
  if (!group?.options.some((o) => o.id === optionId)) return { ok: false, reason: "unknown" };
  const chosen = selected.some((s) => s.group === groupId && s.option === optionId);
  if (!chosen && !catalog.isOptionAvailable(optionId)) return { ok: false, reason: "sold_out" };
  const others = selected.filter((s) => s.group !== groupId);
  const inGroup = selected.filter((s) => s.group === groupId);
  if (group.max === 1) {
    if (chosen) return { ok: true, options: group.min === 0 ? others : [...selected] };
    return { ok: true, options: [...others, { group: groupId, option: optionId }] };
  }
  if (chosen) return { ok: true, options: [...others, ...inGroup.filter((s) => s.option !== optionId)] };
  if (inGroup.length >= group.max) return { ok: false, reason: "max" };
  return { ok: true, options: [...others, ...inGroup, { group: groupId, option: optionId }] };
}

/** Groups of `item` whose choices are fewer than their minimum. */
export function unmetGroups(
  catalog: MenuCatalog,
  item: MenuItem,
  selected: readonly SelectedOption[],
): ModifierGroup[] {
  return catalog.groupsOf(item).filter((g) => selected.filter((s) => s.group === g.id).length < g.min);
}

/** Choices still missing in a draft, with the slot they belong to for combos. */
export function missingChoices(catalog: MenuCatalog, draft: LineDraft): { slot?: string; group: ModifierGroup }[] {
  if (draft.kind === "item") {
    const item = catalog.item(draft.productId);
    return item ? unmetGroups(catalog, item, draft.options).map((group) => ({ group })) : [];
  }
  return draft.slots.flatMap((choice) => {
    const item = catalog.item(choice.item);
    return item ? unmetGroups(catalog, item, choice.options).map((group) => ({ slot: choice.slot, group })) : [];
  });
}

/** Picks another item for a combo slot; its options start at that item's defaults. */
export function chooseSlotItem(catalog: MenuCatalog, draft: LineDraft, slotId: string, itemId: string): LineDraft {
  const item = catalog.item(itemId);
  if (!item) return draft;
  return {
    ...draft,
    slots: draft.slots.map((s) =>
      s.slot === slotId ? { slot: slotId, item: itemId, options: defaultOptions(catalog, item) } : s,
    ),
  };
}

export function setSlotOptions(draft: LineDraft, slotId: string, options: SelectedOption[]): LineDraft {
  return { ...draft, slots: draft.slots.map((s) => (s.slot === slotId ? { ...s, options } : s)) };
}

function optionsPrice(catalog: MenuCatalog, options: readonly SelectedOption[]): number {
  let total = 0;
  for (const o of options) total += catalog.option(o.group, o.option)?.price ?? 0;
  return total;
}

/** Upcharge of choosing `itemId` in a combo slot. */
export function upchargeOf(catalog: MenuCatalog, comboId: string, slotId: string, itemId: string): number {
  return (
    catalog
      .combo(comboId)
      ?.slots.find((s) => s.id === slotId)
      ?.choices.find((c) => c.item === itemId)?.upcharge ?? 0
  );
}

/** Price of one unit: item + options, or combo + each slot's upcharge and options. */
export function unitPrice(catalog: MenuCatalog, draft: LineDraft): number {
  if (draft.kind === "item") return (catalog.item(draft.productId)?.price ?? 0) + optionsPrice(catalog, draft.options);
  let total = catalog.combo(draft.productId)?.price ?? 0;
  for (const s of draft.slots)
    total += upchargeOf(catalog, draft.productId, s.slot, s.item) + optionsPrice(catalog, s.options);
  return total;
}

export function lineTotal(catalog: MenuCatalog, draft: LineDraft): number {
  return unitPrice(catalog, draft) * draft.quantity;
}

/** Two drafts that would make the same order line (so adding one increases the other). */
export function sameChoices(a: LineDraft, b: LineDraft): boolean {
  const key = (d: LineDraft) =>
    JSON.stringify([
      d.productId,
      d.options.map((o) => `${o.group}/${o.option}`).sort(),
      d.slots.map((s) => [s.slot, s.item, s.options.map((o) => `${o.group}/${o.option}`).sort()]),
    ]);
  return key(a) === key(b);
}

/** What a line of the appliance's cart is, as a draft (to show its choices, or change them on the item page). */
export function draftFromLine(line: PricedLine): LineDraft {
  const choices = (options: readonly SelectedOption[]) => options.map((o) => ({ group: o.group, option: o.option }));
  return {
    productId: line.menuItemId,
    kind: line.kind,
    name: line.name,
    quantity: line.quantity,
    options: line.kind === "item" ? choices(line.options) : [],
    slots: line.components.map((c) => ({ slot: c.slot, item: c.item, options: choices(c.options) })),
  };
}

/** The line as the cart (`POST /api/sessions/:id/lines`) takes it: options always explicit, so no default is guessed twice. */
export function toLineInput(draft: LineDraft): LineInput {
  if (draft.kind === "item")
    return { menuItemId: draft.productId, quantity: draft.quantity, options: draft.options.map((o) => ({ ...o })) };
  return {
    menuItemId: draft.productId,
    quantity: draft.quantity,
    slots: draft.slots.map((s) => ({ slot: s.slot, item: s.item, options: s.options.map((o) => ({ ...o })) })),
  };
}
