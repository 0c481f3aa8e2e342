/**
 * The kiosk's item choices and cart: min/max rules, combos, live availability problems, and
 * the item page's price preview matching what galleyd charges for the same lines in the cart
 * (the appliance is the judge).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { MenuResponse } from "../../../protocol/schemas/index.ts";
import { ApiClient } from "../../../ui/src/data/api.ts";
import { CartSession } from "../../../ui/src/data/cart-session.ts";
import {
  chooseSlotItem,
  createDraft,
  draftFromLine,
  lineTotal,
  missingChoices,
  sameChoices,
  setSlotOptions,
  toggleOption,
  unitPrice,
  type LineDraft,
} from "../../../ui/src/data/line-draft.ts";
import { MenuCatalog, type Product } from "../../../ui/src/data/menu-catalog.ts";
import { problemText } from "../../../ui/src/i18n/cart-text.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";
import "../../../ui/src/i18n/screens/kiosk.ts";

describe("kiosk choices and cart (demo menu)", () => {
  let app: TestApp;
  let response: MenuResponse;
  let catalog: MenuCatalog;
  let kiosk: string;

  before(async () => {
    app = await startTestApp({ menu: "demo" });
    kiosk = await app.tokenFor("kiosk");
    response = (await app.api<MenuResponse>("GET", "/api/menu", { token: kiosk })).body;
    catalog = new MenuCatalog(response);
  });
  after(() => app.stop());

  /** A kiosk's cart over a fresh kiosk token (one open cart per kiosk). */
  const kioskCart = async (): Promise<CartSession> => {
    const code = await app.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
      token: app.adminToken,
      body: { role: "kiosk", name: "cart test" },
    });
    const token = (await app.api<{ token: string }>("POST", "/api/devices/pair", { body: { code: code.body.code } }))
      .body.token;
    const cart = new CartSession(
      new ApiClient({ baseUrl: app.url, fetch: (url, init) => fetch(url, init), token: () => token }),
    );
    await cart.start();
    return cart;
  };

  const product = (id: string): Product => {
    const p = catalog.product(id);
    assert.ok(p, `no product ${id}`);
    return p;
  };
  const burger = () => {
    const p = product("classic-burger");
    assert.equal(p.kind, "item");
    return p.item;
  };

  it("starts from the menu's defaults and treats a group of one as radio buttons", () => {
    const draft = createDraft(catalog, product("classic-burger"));
    assert.deepEqual(draft.options, [{ group: "doneness", option: "medium" }]);
    const switched = toggleOption(catalog, burger(), draft.options, "doneness", "well-done");
    assert.deepEqual(switched, { ok: true, options: [{ group: "doneness", option: "well-done" }] });
    // tapping the chosen option of a required group keeps it chosen
    assert.deepEqual(
      toggleOption(catalog, burger(), [{ group: "doneness", option: "well-done" }], "doneness", "well-done"),
      { ok: true, options: [{ group: "doneness", option: "well-done" }] },
    );
  });

  it("refuses a choice past the group's max and reports missing required choices", () => {
    const nuggets = catalog.item("chicken-nuggets")!;
    // dips: min 1, max 2, ketchup by default
    const second = toggleOption(
      catalog,
      nuggets,
      createDraft(catalog, product("chicken-nuggets")).options,
      "dips",
      "dip-mayo",
    );
    assert.ok(second.ok);
    const options = second.options;
    const third = toggleOption(catalog, nuggets, options, "dips", "dip-bbq");
    assert.deepEqual(third, { ok: false, reason: "max" });
    const none = options.filter((o) => o.group !== "dips");
    const draft: LineDraft = { ...createDraft(catalog, product("chicken-nuggets")), options: none };
    assert.deepEqual(
      missingChoices(catalog, draft).map((m) => m.group.id),
      ["dips"],
    );
    assert.deepEqual(toggleOption(catalog, burger(), [], "doneness", "no-such"), { ok: false, reason: "unknown" });
  });

  it("previews prices exactly as galleyd charges them: items with options, combos with upcharges and slot options", async () => {
    const drafts: LineDraft[] = [];
    const b = createDraft(catalog, product("classic-burger"));
    let opts = b.options;
    for (const [g, o] of [
      ["burger-extras", "extra-cheese"],
      ["burger-extras", "extra-bacon"],
      ["doneness", "well-done"],
    ] as const) {
      const r = toggleOption(catalog, burger(), opts, g, o);
      assert.ok(r.ok);
      opts = r.options;
    }
    drafts.push({ ...b, options: opts, quantity: 3 });
    let meal = createDraft(catalog, product("burger-meal"));
    meal = chooseSlotItem(catalog, meal, "main", "bbq-bacon-burger");
    meal = chooseSlotItem(catalog, meal, "side", "sweet-potato-fries");
    meal = setSlotOptions(meal, "side", [
      { group: "fries-size", option: "fries-large" },
      { group: "dips", option: "dip-truffle-mayo" },
    ]);
    meal = chooseSlotItem(catalog, meal, "drink", "lemonade");
    drafts.push({ ...meal, quantity: 2 });
    drafts.push(createDraft(catalog, product("kids-meal")));
    drafts.push({
      ...createDraft(catalog, product("vanilla-shake")),
      options: [
        { group: "shake-milk", option: "milk-oat" },
        { group: "sweet-toppings", option: "topping-cookie-crumble" },
      ],
    });

    const cart = await kioskCart();
    for (const d of drafts) await cart.add(d);
    assert.equal(unitPrice(catalog, drafts[1]!), 1390 + 300 + 80 + 120 + 80 + 80);
    assert.deepEqual(
      cart.lines.map((l) => l.line?.total),
      drafts.map((d) => lineTotal(catalog, d)),
      "the item page's preview is what the appliance charges",
    );
    assert.equal(
      cart.totals?.subtotal,
      drafts.reduce((sum, d) => sum + lineTotal(catalog, d), 0),
    );
    // A line of the appliance's cart turns back into the same draft (for "Change" on the item page).
    for (const [i, d] of drafts.entries())
      assert.ok(sameChoices(draftFromLine(cart.lines[i]!.line!), d), `line ${i} round-trips`);
    await cart.abandon();
  });

  it("flags lines that sold out or lost an option, by the live menu and by the appliance", async () => {
    const cart = await kioskCart();
    await cart.add(createDraft(catalog, product("classic-burger")));
    await cart.add(createDraft(catalog, product("burger-meal")));
    await cart.add({
      ...createDraft(catalog, product("vanilla-shake")),
      options: [{ group: "shake-milk", option: "milk-oat" }],
    });
    await cart.add({ ...createDraft(catalog, product("truffle-burger")), quantity: 5 });
    const [burgerKey, mealKey, shakeKey, truffleKey] = cart.lines.map((l) => l.key);
    assert.equal(cart.problems(catalog).size, 0);
    // What this cart holds is already counted out of the stock left: no problem for its own hold.
    const changed = catalog.withAvailability({
      soldOutItems: ["classic-burger"],
      soldOutOptions: ["milk-oat"],
      stock: { ...response.availability.stock, "truffle-burger": 0 },
    });
    const problems = cart.problems(changed);
    assert.deepEqual(problems.get(burgerKey!), { kind: "sold_out", itemId: "classic-burger" });
    assert.deepEqual(
      problems.get(mealKey!),
      { kind: "sold_out", itemId: "classic-burger" },
      "the meal's default burger is gone too",
    );
    assert.deepEqual(problems.get(shakeKey!), { kind: "option_sold_out", group: "shake-milk", option: "milk-oat" });
    assert.equal(problems.has(truffleKey!), false);
    assert.equal(changed.isProductAvailable(product("classic-burger")), false);
    assert.equal(changed.isProductAvailable(product("burger-meal")), true, "a meal with other burgers still sells");

    // The appliance's own word: a line it can no longer sell is `available: false`.
    const manager = await app.tokenFor("manager");
    await app.api("PUT", "/api/menu/availability", {
      token: manager,
      body: { kind: "item", id: "classic-burger", available: false },
    });
    try {
      const refreshing = cart.refresh();
      assert.equal(cart.problems(catalog).size, 0, "while the cart is read again, its old availability is not trusted");
      await refreshing;
      assert.equal(cart.lines[0]?.line?.available, false);
      const unavailable = cart.problems(catalog).get(burgerKey!);
      assert.deepEqual(unavailable, { kind: "unavailable" });
      assert.equal(
        problemText(catalog, cart.lines[0].draft, unavailable, "en"),
        "Classic Burger can't be ordered right now. Please remove it.",
      );
    } finally {
      await app.api("PUT", "/api/menu/availability", {
        token: manager,
        body: { kind: "item", id: "classic-burger", available: true },
      });
      await cart.abandon();
    }
  });

  it("filters by allergen and diet, suggests what goes with the cart", () => {
    const vegan = catalog.productsIn("burgers", { exclude: [], require: ["vegan"] }).map((p) => p.id);
    assert.deepEqual(vegan, ["garden-burger"]);
    const noGluten = catalog.productsIn("sides", { exclude: ["gluten"], require: [] }).map((p) => p.id);
    assert.ok(!noGluten.includes("onion-rings") && noGluten.includes("fries"));
    const suggestions = catalog.suggestionsFor(["classic-burger"]).map((p) => p.id);
    assert.deepEqual(suggestions, ["burger-meal", "fries", "vanilla-shake"]);
    assert.ok(
      !catalog.suggestionsFor(["classic-burger", "fries"]).some((p) => p.id === "fries"),
      "nothing already in the cart",
    );
  });
});
