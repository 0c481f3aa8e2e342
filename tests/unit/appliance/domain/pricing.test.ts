import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildCatalogue, menuSemanticErrors } from "../../../../appliance/domain/catalogue.ts";
import { computeTotals, priceLine, roundHalfUp, type PricingContext } from "../../../../appliance/domain/pricing.ts";
import { AppError } from "../../../../appliance/lib/errors.ts";
import { smallMenu } from "../../../fixtures/small-menu.ts";

function context(overrides: Partial<PricingContext> = {}): PricingContext {
  return {
    catalogue: buildCatalogue(smallMenu()),
    soldOutItems: new Set(),
    soldOutOptions: new Set(),
    maxQuantityPerLine: 20,
    ...overrides,
  };
}

function rejects(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => error instanceof AppError && error.code === code);
}

describe("priceLine", () => {
  it("prices an item with options from the catalogue", () => {
    const line = priceLine(
      context(),
      {
        menuItemId: "burger",
        quantity: 2,
        options: [
          { group: "doneness", option: "well" },
          { group: "extras", option: "cheese" },
          { group: "extras", option: "bacon" },
        ],
      },
      "l1",
    );
    assert.equal(line.unitPrice, 900 + 100 + 150);
    assert.equal(line.total, 2 * 1_150);
    assert.equal(line.station, "grill");
    assert.deepEqual(
      line.options.map((o) => o.option),
      ["well", "cheese", "bacon"],
    );
  });

  it("applies default options when none are given, and none when given an empty list", () => {
    const line = priceLine(context(), { menuItemId: "burger", quantity: 1 }, "l1");
    assert.deepEqual(
      line.options.map((o) => o.option),
      ["medium"],
    );
    rejects(
      () => priceLine(context(), { menuItemId: "burger", quantity: 1, options: [] }, "l1"),
      "option_rules_violated",
    );
  });

  it("enforces min/max, membership and duplicates", () => {
    const base = { menuItemId: "burger", quantity: 1 };
    rejects(
      () =>
        priceLine(
          context(),
          {
            ...base,
            options: [
              { group: "doneness", option: "medium" },
              { group: "doneness", option: "well" },
            ],
          },
          "l",
        ),
      "option_rules_violated",
    );
    rejects(
      () =>
        priceLine(
          context(),
          {
            ...base,
            options: [
              { group: "doneness", option: "medium" },
              { group: "extras", option: "cheese" },
              { group: "extras", option: "bacon" },
              { group: "extras", option: "egg" },
            ],
          },
          "l",
        ),
      "option_rules_violated",
    );
    rejects(
      () =>
        priceLine(
          context(),
          {
            ...base,
            options: [
              { group: "doneness", option: "medium" },
              { group: "extras", option: "cheese" },
              { group: "extras", option: "cheese" },
            ],
          },
          "l",
        ),
      "option_rules_violated",
    );
    rejects(
      () => priceLine(context(), { ...base, options: [{ group: "doneness", option: "raw" }] }, "l"),
      "unknown_option",
    );
    rejects(
      () =>
        priceLine(
          context(),
          { menuItemId: "fries", quantity: 1, options: [{ group: "extras", option: "cheese" }] },
          "l",
        ),
      "unknown_option",
    );
  });

  it("refuses unknown, combo-only and sold-out items, sold-out options and silly quantities", () => {
    rejects(() => priceLine(context(), { menuItemId: "pizza", quantity: 1 }, "l"), "unknown_item");
    rejects(() => priceLine(context(), { menuItemId: "kids-toy", quantity: 1 }, "l"), "unknown_item");
    rejects(
      () => priceLine(context({ soldOutItems: new Set(["fries"]) }), { menuItemId: "fries", quantity: 1 }, "l"),
      "item_sold_out",
    );
    rejects(
      () =>
        priceLine(
          context({ soldOutOptions: new Set(["bacon"]) }),
          {
            menuItemId: "burger",
            quantity: 1,
            options: [
              { group: "doneness", option: "medium" },
              { group: "extras", option: "bacon" },
            ],
          },
          "l",
        ),
      "option_sold_out",
    );
    rejects(() => priceLine(context(), { menuItemId: "fries", quantity: 0 }, "l"), "quantity_invalid");
    rejects(() => priceLine(context(), { menuItemId: "fries", quantity: 21 }, "l"), "quantity_invalid");
  });

  it("prices combos from slot choices, upcharges and the components' options", () => {
    const line = priceLine(
      context(),
      {
        menuItemId: "meal",
        quantity: 3,
        slots: [
          { slot: "main", item: "special" },
          { slot: "drink", item: "shake" },
          { slot: "side", item: "fries" },
        ],
      },
      "l",
    );
    assert.equal(line.kind, "combo");
    assert.equal(line.unitPrice, 1_250 + 200 + 100);
    assert.equal(line.total, 3 * 1_550);
    assert.deepEqual(
      line.components.map((c) => [c.slot, c.item, c.station]),
      [
        ["main", "special", "grill"],
        ["side", "fries", "fryer"],
        ["drink", "shake", "bar"],
      ],
    );
  });

  it("uses slot defaults and refuses missing, unknown or sold-out slot choices", () => {
    const line = priceLine(
      context(),
      { menuItemId: "meal", quantity: 1, slots: [{ slot: "drink", item: "cola" }] },
      "l",
    );
    assert.deepEqual(
      line.components.map((c) => c.item),
      ["burger", "fries", "cola"],
    );
    rejects(() => priceLine(context(), { menuItemId: "meal", quantity: 1 }, "l"), "combo_slots_invalid");
    rejects(
      () => priceLine(context(), { menuItemId: "meal", quantity: 1, slots: [{ slot: "drink", item: "fries" }] }, "l"),
      "combo_slots_invalid",
    );
    rejects(
      () => priceLine(context(), { menuItemId: "meal", quantity: 1, slots: [{ slot: "dessert", item: "cola" }] }, "l"),
      "combo_slots_invalid",
    );
    rejects(
      () =>
        priceLine(
          context({ soldOutItems: new Set(["cola"]) }),
          { menuItemId: "meal", quantity: 1, slots: [{ slot: "drink", item: "cola" }] },
          "l",
        ),
      "item_sold_out",
    );
  });
});

describe("computeTotals", () => {
  const rates = new Map([
    ["food", 700],
    ["drinks", 1_900],
  ]);

  it("extracts inclusive tax per class, rounded half up", () => {
    // 10.00 food at 7 % inclusive: 1000 × 700 / 10700 = 65.42… → 65; 3.00 drink at 19 %: 300 × 1900 / 11900 = 47.89… → 48
    const totals = computeTotals(
      [
        { total: 1_000, taxClass: "food" },
        { total: 300, taxClass: "drinks" },
      ],
      rates,
      "inclusive",
      "EUR",
    );
    assert.equal(totals.subtotal, 1_300);
    assert.deepEqual(
      totals.taxes.map((t) => [t.taxClass, t.amount, t.net]),
      [
        ["drinks", 48, 252],
        ["food", 65, 935],
      ],
    );
    assert.equal(totals.tax, 113);
    assert.equal(totals.total, 1_300);
    assert.equal(totals.taxIncluded, true);
  });

  it("adds exclusive tax on top", () => {
    const totals = computeTotals(
      [
        { total: 1_000, taxClass: "food" },
        { total: 250, taxClass: "food" },
      ],
      rates,
      "exclusive",
      "USD",
    );
    // 1250 × 7 % = 87.5 → 88 (half up)
    assert.equal(totals.tax, 88);
    assert.equal(totals.total, 1_338);
  });

  it("rounds exactly in integers", () => {
    assert.equal(roundHalfUp(5, 10), 1);
    assert.equal(roundHalfUp(4, 10), 0);
    assert.equal(roundHalfUp(15, 10), 2);
    assert.equal(roundHalfUp(0, 7), 0);
    assert.throws(() => roundHalfUp(1.5, 2), RangeError);
  });
});

describe("menuSemanticErrors", () => {
  it("accepts the fixture", () => {
    assert.deepEqual(menuSemanticErrors(smallMenu()), []);
  });

  it("lists every broken reference and rule with its path", () => {
    const menu = smallMenu();
    menu.items[0]!.category = "pizzas";
    menu.items[0]!.modifierGroups = ["doneness", "nope"];
    menu.items[1]!.taxClass = "luxury";
    menu.modifierGroups[1]!.min = 3;
    menu.combos[0]!.slots[0]!.default = "cola";
    menu.items[2]!.allergens = ["milk"];
    menu.categories[0]!.name = { de: "Burger" };
    const errors = menuSemanticErrors(menu);
    for (const expected of [
      'items[0].category: unknown category "pizzas"',
      'items[0].modifierGroups[1]: unknown modifier group "nope"',
      'items[1].taxClass: unknown tax class "luxury"',
      "modifierGroups[1].min: must not exceed max (2)",
      'combos[0].slots[0].default: "cola" is not one of the slot\'s choices',
      "items[2].dietary: marked vegan but declares an animal allergen",
      'categories[0].name: missing the default language "en"',
    ]) {
      assert.ok(errors.includes(expected), `expected "${expected}" in ${JSON.stringify(errors)}`);
    }
  });
});
