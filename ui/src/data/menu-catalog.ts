/**
 * The menu as the kiosk browses it: lookups, what is on sale right now (sold out, stock), the
 * allergen and diet filters, the attract loop's highlights and the upsell suggestions.
 * Availability changes arrive as pushes and replace `availability` wholesale.
 */
import type {
  Allergen,
  Availability,
  Combo,
  DietaryTag,
  Menu,
  MenuItem,
  MenuResponse,
  ModifierGroup,
  ModifierOption,
} from "../../../protocol/index.ts";

type Category = Menu["categories"][number];

/**
 * The EU 14 allergens in the order the filter shows them. The protocol's list is a value of the
 * server's schema module, which the screens may only import types from; the record type makes
 * a missing one a compile error.
 */
const ALLERGEN_ORDER: Readonly<Record<Allergen, true>> = {
  gluten: true,
  crustaceans: true,
  eggs: true,
  fish: true,
  peanuts: true,
  soya: true,
  milk: true,
  nuts: true,
  celery: true,
  mustard: true,
  sesame: true,
  sulphites: true,
  lupin: true,
  molluscs: true,
};
export const ALLERGEN_LIST = Object.keys(ALLERGEN_ORDER) as readonly Allergen[];

/** Something the kiosk sells on its own: an item, or a combo (meal deal). */
export type Product = { kind: "item"; id: string; item: MenuItem } | { kind: "combo"; id: string; combo: Combo };

export interface MenuFilter {
  /** Hide products containing any of these. */
  exclude: readonly Allergen[];
  /** Show only products carrying every one of these. */
  require: readonly DietaryTag[];
}

export const NO_FILTER: MenuFilter = { exclude: [], require: [] };

export function filterCount(filter: MenuFilter): number {
  return filter.exclude.length + filter.require.length;
}

export class MenuCatalog {
  readonly menu: Menu;
  #availability: Availability;
  readonly #items = new Map<string, MenuItem>();
  readonly #combos = new Map<string, Combo>();
  readonly #groups = new Map<string, ModifierGroup>();
  readonly #soldOutItems: Set<string>;
  readonly #soldOutOptions: Set<string>;

  constructor(response: Pick<MenuResponse, "menu" | "availability">) {
    this.menu = response.menu;
    for (const item of response.menu.items) this.#items.set(item.id, item);
    for (const combo of response.menu.combos) this.#combos.set(combo.id, combo);
    for (const group of response.menu.modifierGroups) this.#groups.set(group.id, group);
    this.#availability = response.availability;
    this.#soldOutItems = new Set(response.availability.soldOutItems);
    this.#soldOutOptions = new Set(response.availability.soldOutOptions);
  }

  get currency(): string {
    return this.menu.currency;
  }

  get languages(): readonly string[] {
    return this.menu.languages;
  }

  get availability(): Availability {
    return this.#availability;
  }

  /** A new catalogue with this availability (the old one stays as it was: components compare by identity). */
  withAvailability(availability: Availability): MenuCatalog {
    return new MenuCatalog({ menu: this.menu, availability });
  }

  item(id: string): MenuItem | undefined {
    return this.#items.get(id);
  }

  combo(id: string): Combo | undefined {
    return this.#combos.get(id);
  }

  group(id: string): ModifierGroup | undefined {
    return this.#groups.get(id);
  }

  product(id: string): Product | undefined {
    const item = this.#items.get(id);
    if (item && !item.comboOnly) return { kind: "item", id, item };
    const combo = this.#combos.get(id);
    return combo ? { kind: "combo", id, combo } : undefined;
  }

  groupsOf(item: MenuItem): ModifierGroup[] {
    return (item.modifierGroups ?? []).flatMap((id) => this.#groups.get(id) ?? []);
  }

  option(groupId: string, optionId: string): ModifierOption | undefined {
    return this.#groups.get(groupId)?.options.find((o) => o.id === optionId);
  }

  /** Units left of an item that counts stock; undefined when it does not count. */
  stockLeft(itemId: string): number | undefined {
    return this.#items.get(itemId)?.tracksStock ? (this.#availability.stock[itemId] ?? 0) : undefined;
  }

  isItemAvailable(itemId: string): boolean {
    if (this.#soldOutItems.has(itemId) || !this.#items.has(itemId)) return false;
    const left = this.stockLeft(itemId);
    return left === undefined || left > 0;
  }

  isOptionAvailable(optionId: string): boolean {
    return !this.#soldOutOptions.has(optionId);
  }

  /** A combo sells when it is not sold out itself and every slot has a choice left. */
  isComboAvailable(combo: Combo): boolean {
    if (this.#soldOutItems.has(combo.id)) return false;
    return combo.slots.every((slot) => slot.choices.some((c) => this.isItemAvailable(c.item)));
  }

  isProductAvailable(product: Product): boolean {
    return product.kind === "item" ? this.isItemAvailable(product.id) : this.isComboAvailable(product.combo);
  }

  /** Categories that have at least one product, in menu order. */
  categories(): Category[] {
    return this.menu.categories.filter((c) => this.productsIn(c.id).length > 0);
  }

  /** Products of a category, combos first as the menu's author listed them. */
  productsIn(categoryId: string, filter: MenuFilter = NO_FILTER): Product[] {
    const combos: Product[] = this.menu.combos
      .filter((c) => c.category === categoryId)
      .map((combo) => ({ kind: "combo", id: combo.id, combo }));
    const items: Product[] = this.menu.items
      .filter((i) => i.category === categoryId && !i.comboOnly)
      .map((item) => ({ kind: "item", id: item.id, item }));
    return [...combos, ...items].filter((p) => this.matches(p, filter));
  }

  /** Does a product pass the filter? A combo passes when every slot has a choice that does. */
  matches(product: Product, filter: MenuFilter): boolean {
    if (filterCount(filter) === 0) return true;
    if (product.kind === "item") return itemMatches(product.item, filter);
    return product.combo.slots.every((slot) =>
      slot.choices.some((c) => {
        const item = this.#items.get(c.item);
        return item !== undefined && itemMatches(item, filter);
      }),
    );
  }

  /** What the attract loop shows: products flagged `highlight`, with a picture. */
  highlights(): Product[] {
    const combos: Product[] = this.menu.combos
      .filter((c) => c.highlight)
      .map((combo) => ({ kind: "combo", id: combo.id, combo }));
    const items: Product[] = this.menu.items
      .filter((i) => i.highlight && !i.comboOnly)
      .map((item) => ({ kind: "item", id: item.id, item }));
    return [...combos, ...items];
  }

  /**
   * Upsell before checkout: the menu's suggestions for what is in the cart (by product, then by
   * category), without what is already in it or sold out, best first, at most `limit`.
   */
  suggestionsFor(productIds: readonly string[], limit = 3): Product[] {
    const inCart = new Set(productIds);
    const rules = this.menu.suggestions ?? [];
    const out: Product[] = [];
    const seen = new Set<string>();
    const keys = [
      ...productIds,
      ...productIds
        .map((id) => this.product(id))
        .flatMap((p) => (p ? [p.kind === "item" ? p.item.category : p.combo.category] : [])),
    ];
    for (const key of keys) {
      for (const rule of rules.filter((r) => r.for === key)) {
        for (const id of rule.suggest) {
          if (inCart.has(id) || seen.has(id)) continue;
          seen.add(id);
          const product = this.product(id);
          if (product && this.isProductAvailable(product)) out.push(product);
        }
      }
    }
    return out.slice(0, limit);
  }

  /** Lowest price a product can be had for (combos: base price; upcharges are extra). */
  basePrice(product: Product): number {
    return product.kind === "item" ? product.item.price : product.combo.price;
  }

  /** Allergens a product may contain (combo: of its default choices). */
  allergensOf(product: Product): Allergen[] {
    if (product.kind === "item") return [...product.item.allergens];
    const all = new Set<Allergen>();
    for (const slot of product.combo.slots) {
      const id = slot.default ?? slot.choices[0]?.item;
      for (const a of (id ? this.#items.get(id)?.allergens : undefined) ?? []) all.add(a);
    }
    return [...all];
  }

  dietaryOf(product: Product): DietaryTag[] {
    if (product.kind === "item") return [...product.item.dietary];
    const defaults = product.combo.slots.map((slot) => this.#items.get(slot.default ?? slot.choices[0]?.item ?? ""));
    const tags = defaults[0]?.dietary ?? [];
    return tags.filter((tag) => defaults.every((item) => item?.dietary.includes(tag)));
  }
}

function itemMatches(item: MenuItem, filter: MenuFilter): boolean {
  return (
    !item.allergens.some((a) => filter.exclude.includes(a)) && filter.require.every((tag) => item.dietary.includes(tag))
  );
}
