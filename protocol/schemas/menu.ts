/** The catalogue as it is imported, exported and served (`GET /api/menu`). */
import { Type, type Static } from "typebox";
import { Currency, LocalizedMultilineText, LocalizedText, MinorUnits, Slug } from "./common.ts";

/** The EU's 14 allergens that must be declared (Regulation (EU) No 1169/2011, Annex II). */
export const ALLERGENS = [
  "celery",
  "gluten",
  "crustaceans",
  "eggs",
  "fish",
  "lupin",
  "milk",
  "molluscs",
  "mustard",
  "nuts",
  "peanuts",
  "sesame",
  "soya",
  "sulphites",
] as const;
export type Allergen = (typeof ALLERGENS)[number];

export const DIETARY_TAGS = [
  "vegetarian",
  "vegan",
  "gluten_free",
  "lactose_free",
  "halal",
  "kosher",
  "spicy",
  "contains_alcohol",
] as const;
export type DietaryTag = (typeof DIETARY_TAGS)[number];

/** A picture shipped with the menu: a file name under the menu's `pictures/` folder. */
export const PictureRef = Type.String({ pattern: "^[a-z0-9][a-z0-9_-]*\\.(svg|webp|png|jpg)$", maxLength: 80 });

/** `PUT /api/menu/pictures/:name`: what was stored. */
export const PictureSaved = Type.Object({
  name: PictureRef,
  type: Type.String(),
  bytes: Type.Integer(),
  /** What sanitising took out of an SVG ("element script", "attribute onload on svg", …). */
  removed: Type.Array(Type.String()),
});
export type PictureSaved = Static<typeof PictureSaved>;

export const TaxClass = Type.Object(
  {
    id: Slug,
    name: LocalizedText,
    /** Rate in basis points: 700 = 7 %. */
    rateBasisPoints: Type.Integer({ minimum: 0, maximum: 10_000 }),
  },
  { additionalProperties: false },
);

export const Station = Type.Object({ id: Slug, name: LocalizedText }, { additionalProperties: false });

export const Category = Type.Object(
  {
    id: Slug,
    name: LocalizedText,
    description: Type.Optional(LocalizedMultilineText),
    picture: Type.Optional(PictureRef),
  },
  { additionalProperties: false },
);

export const ModifierOption = Type.Object(
  {
    id: Slug,
    name: LocalizedText,
    /** Added to the item's price for each unit ordered. */
    price: MinorUnits,
    /** Pre-selected on the kiosk. */
    default: Type.Optional(Type.Boolean()),
    /** Allergens this option adds (extra cheese → milk), shown beside it on the kiosk. */
    allergens: Type.Optional(Type.Array(Type.Enum(ALLERGENS), { uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const ModifierGroup = Type.Object(
  {
    id: Slug,
    name: LocalizedText,
    /** Fewest options a customer must choose (0 = optional group). */
    min: Type.Integer({ minimum: 0, maximum: 20 }),
    /** Most options a customer may choose. */
    max: Type.Integer({ minimum: 1, maximum: 20 }),
    options: Type.Array(ModifierOption, { minItems: 1, maxItems: 40 }),
  },
  { additionalProperties: false },
);

export const MenuItem = Type.Object(
  {
    id: Slug,
    category: Slug,
    name: LocalizedText,
    description: Type.Optional(LocalizedMultilineText),
    picture: Type.Optional(PictureRef),
    price: MinorUnits,
    taxClass: Slug,
    allergens: Type.Array(Type.Enum(ALLERGENS), { uniqueItems: true }),
    dietary: Type.Array(Type.Enum(DIETARY_TAGS), { uniqueItems: true }),
    station: Slug,
    modifierGroups: Type.Optional(Type.Array(Slug, { uniqueItems: true, maxItems: 10 })),
    /** Stock is counted for this item; holds are taken while it sits in a cart. */
    tracksStock: Type.Optional(Type.Boolean()),
    /** Shown on the kiosk's attract loop. */
    highlight: Type.Optional(Type.Boolean()),
    /** Only sold as part of a combo (sides, drinks of a meal deal). */
    comboOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ComboChoice = Type.Object(
  { item: Slug, upcharge: Type.Optional(MinorUnits) },
  { additionalProperties: false },
);

export const ComboSlot = Type.Object(
  {
    id: Slug,
    name: LocalizedText,
    choices: Type.Array(ComboChoice, { minItems: 1, maxItems: 40 }),
    default: Type.Optional(Slug),
  },
  { additionalProperties: false },
);

export const Combo = Type.Object(
  {
    id: Slug,
    category: Slug,
    name: LocalizedText,
    description: Type.Optional(LocalizedMultilineText),
    picture: Type.Optional(PictureRef),
    price: MinorUnits,
    taxClass: Slug,
    slots: Type.Array(ComboSlot, { minItems: 1, maxItems: 8 }),
    highlight: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** "Customers who take X are offered Y" before checkout. */
export const Suggestion = Type.Object(
  { for: Slug, suggest: Type.Array(Slug, { minItems: 1, maxItems: 5 }) },
  { additionalProperties: false },
);

export const Menu = Type.Object(
  {
    version: Type.Literal(1),
    currency: Currency,
    /** Languages every text should have; the first is the default and must always be present. */
    languages: Type.Array(Type.String({ pattern: "^[a-z]{2}(-[A-Z]{2})?$" }), {
      minItems: 1,
      maxItems: 8,
      uniqueItems: true,
    }),
    taxClasses: Type.Array(TaxClass, { minItems: 1, maxItems: 20 }),
    stations: Type.Array(Station, { minItems: 1, maxItems: 20 }),
    categories: Type.Array(Category, { minItems: 1, maxItems: 100 }),
    modifierGroups: Type.Array(ModifierGroup, { maxItems: 500 }),
    items: Type.Array(MenuItem, { minItems: 1, maxItems: 2_000 }),
    combos: Type.Array(Combo, { maxItems: 500 }),
    suggestions: Type.Optional(Type.Array(Suggestion, { maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type Menu = Static<typeof Menu>;
export type MenuItem = Static<typeof MenuItem>;
export type Combo = Static<typeof Combo>;
export type ModifierGroup = Static<typeof ModifierGroup>;
export type ModifierOption = Static<typeof ModifierOption>;
export type TaxClass = Static<typeof TaxClass>;

/** Live availability: what is sold out ("86") now, and stock left for counted items. */
export const Availability = Type.Object(
  {
    soldOutItems: Type.Array(Slug),
    soldOutOptions: Type.Array(Slug),
    /** Units still sellable for items that track stock (on hand minus active holds). */
    stock: Type.Record(Slug, Type.Integer()),
  },
  { additionalProperties: false },
);
export type Availability = Static<typeof Availability>;

/** `GET /api/menu`. */
export const MenuResponse = Type.Object({
  /** The journal seq this view reflects; subscribe to `menu` with `since` = this. */
  seq: Type.Integer({ minimum: 0 }),
  menu: Menu,
  availability: Availability,
});
export type MenuResponse = Static<typeof MenuResponse>;

/** `PUT /api/menu/availability`: mark an item or option sold out or back. */
export const AvailabilityChange = Type.Object(
  {
    kind: Type.Enum(["item", "option"]),
    id: Slug,
    available: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AvailabilityChange = Static<typeof AvailabilityChange>;

/** `PUT /api/stock/:itemId`: set the units on hand of an item that tracks stock. */
export const StockLevel = Type.Object(
  { onHand: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
