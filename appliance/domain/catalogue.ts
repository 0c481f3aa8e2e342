/**
 * The catalogue: a menu document indexed for pricing, plus the rules a JSON schema cannot say
 * (references between parts, min ≤ max, languages present). Pure.
 */
import type { Combo, Menu, MenuItem, ModifierGroup, ModifierOption, TaxClass } from "../../protocol/schemas/menu.ts";
import type { LocalizedText } from "../../protocol/schemas/common.ts";

export interface Catalogue {
  readonly menu: Menu;
  readonly items: ReadonlyMap<string, MenuItem>;
  readonly combos: ReadonlyMap<string, Combo>;
  readonly groups: ReadonlyMap<string, ModifierGroup>;
  /** group id → option id → option. */
  readonly options: ReadonlyMap<string, ReadonlyMap<string, ModifierOption>>;
  readonly taxClasses: ReadonlyMap<string, TaxClass>;
  /** Tax class id → rate in basis points, as computeTotals takes it. */
  readonly taxRates: ReadonlyMap<string, number>;
  /** Every option id that exists in any group (availability is per option id). */
  readonly optionIds: ReadonlySet<string>;
}

export function buildCatalogue(menu: Menu): Catalogue {
  const groups = new Map(menu.modifierGroups.map((g) => [g.id, g]));
  const options = new Map(menu.modifierGroups.map((g) => [g.id, new Map(g.options.map((o) => [o.id, o]))]));
  return {
    menu,
    items: new Map(menu.items.map((i) => [i.id, i])),
    combos: new Map(menu.combos.map((c) => [c.id, c])),
    groups,
    options,
    taxClasses: new Map(menu.taxClasses.map((t) => [t.id, t])),
    taxRates: new Map(menu.taxClasses.map((t) => [t.id, t.rateBasisPoints])),
    optionIds: new Set(menu.modifierGroups.flatMap((g) => g.options.map((o) => o.id))),
  };
}

/**
 * Every rule the schema cannot express, each as `path: message`. An empty list means the menu
 * can be imported. The schema itself must have passed first.
 */
export function menuSemanticErrors(menu: Menu): string[] {
  const errors: string[] = [];
  const [defaultLanguage] = menu.languages;
  const ids = (list: readonly { id: string }[], path: string): Set<string> => {
    const seen = new Set<string>();
    list.forEach((entry, index) => {
      if (seen.has(entry.id)) errors.push(`${path}[${index}].id: duplicate id "${entry.id}"`);
      seen.add(entry.id);
    });
    return seen;
  };
  const text = (value: LocalizedText | undefined, path: string): void => {
    if (!value) return;
    for (const language of Object.keys(value)) {
      if (!menu.languages.includes(language)) errors.push(`${path}.${language}: language not listed in languages`);
    }
    if (defaultLanguage && !(defaultLanguage in value))
      errors.push(`${path}: missing the default language "${defaultLanguage}"`);
  };

  const taxClasses = ids(menu.taxClasses, "taxClasses");
  const stations = ids(menu.stations, "stations");
  const categories = ids(menu.categories, "categories");
  const groups = ids(menu.modifierGroups, "modifierGroups");
  const items = ids(menu.items, "items");
  const combos = ids(menu.combos, "combos");
  for (const id of items) if (combos.has(id)) errors.push(`combos: id "${id}" is also an item id`);

  menu.taxClasses.forEach((t, i) => {
    text(t.name, `taxClasses[${i}].name`);
  });
  menu.stations.forEach((s, i) => {
    text(s.name, `stations[${i}].name`);
  });
  menu.categories.forEach((c, i) => {
    text(c.name, `categories[${i}].name`);
    text(c.description, `categories[${i}].description`);
  });
  menu.modifierGroups.forEach((g, i) => {
    const path = `modifierGroups[${i}]`;
    text(g.name, `${path}.name`);
    if (g.min > g.max) errors.push(`${path}.min: must not exceed max (${g.max})`);
    if (g.max > g.options.length) errors.push(`${path}.max: exceeds the number of options (${g.options.length})`);
    if (g.min > g.options.length) errors.push(`${path}.min: exceeds the number of options (${g.options.length})`);
    ids(g.options, `${path}.options`);
    const defaults = g.options.filter((o) => o.default).length;
    if (defaults > g.max) errors.push(`${path}.options: ${defaults} defaults exceed max (${g.max})`);
    g.options.forEach((o, j) => {
      text(o.name, `${path}.options[${j}].name`);
    });
  });
  menu.items.forEach((item, i) => {
    const path = `items[${i}]`;
    text(item.name, `${path}.name`);
    text(item.description, `${path}.description`);
    if (!categories.has(item.category)) errors.push(`${path}.category: unknown category "${item.category}"`);
    if (!taxClasses.has(item.taxClass)) errors.push(`${path}.taxClass: unknown tax class "${item.taxClass}"`);
    if (!stations.has(item.station)) errors.push(`${path}.station: unknown station "${item.station}"`);
    (item.modifierGroups ?? []).forEach((g, j) => {
      if (!groups.has(g)) errors.push(`${path}.modifierGroups[${j}]: unknown modifier group "${g}"`);
    });
    if (
      item.dietary.includes("vegan") &&
      item.allergens.some(
        (a) => a === "milk" || a === "eggs" || a === "fish" || a === "crustaceans" || a === "molluscs",
      )
    ) {
      errors.push(`${path}.dietary: marked vegan but declares an animal allergen`);
    }
  });
  menu.combos.forEach((combo, i) => {
    const path = `combos[${i}]`;
    text(combo.name, `${path}.name`);
    text(combo.description, `${path}.description`);
    if (!categories.has(combo.category)) errors.push(`${path}.category: unknown category "${combo.category}"`);
    if (!taxClasses.has(combo.taxClass)) errors.push(`${path}.taxClass: unknown tax class "${combo.taxClass}"`);
    ids(combo.slots, `${path}.slots`);
    combo.slots.forEach((slot, j) => {
      const slotPath = `${path}.slots[${j}]`;
      text(slot.name, `${slotPath}.name`);
      const choices = new Set<string>();
      slot.choices.forEach((choice, k) => {
        if (!items.has(choice.item)) errors.push(`${slotPath}.choices[${k}].item: unknown item "${choice.item}"`);
        if (choices.has(choice.item)) errors.push(`${slotPath}.choices[${k}].item: listed twice`);
        choices.add(choice.item);
      });
      if (slot.default !== undefined && !choices.has(slot.default)) {
        errors.push(`${slotPath}.default: "${slot.default}" is not one of the slot's choices`);
      }
    });
  });
  (menu.suggestions ?? []).forEach((s, i) => {
    const known = (id: string) => items.has(id) || combos.has(id) || categories.has(id);
    if (!known(s.for)) errors.push(`suggestions[${i}].for: unknown item, combo or category "${s.for}"`);
    s.suggest.forEach((id, j) => {
      if (!items.has(id) && !combos.has(id))
        errors.push(`suggestions[${i}].suggest[${j}]: unknown item or combo "${id}"`);
    });
  });
  return errors;
}
