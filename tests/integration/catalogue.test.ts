import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { smallMenu } from "../fixtures/small-menu.ts";
import type { Menu, MenuResponse } from "../../protocol/schemas/menu.ts";

let t: TestApp;
let manager: string;
let kiosk: string;

before(async () => {
  t = await startTestApp();
  manager = await t.tokenFor("manager");
  kiosk = await t.tokenFor("kiosk");
});
after(() => t.stop());

type Err = { error: { code: string; details: { errors: string[] } } };

describe("menu", () => {
  it("serves the menu with live availability and the seq to subscribe from", async () => {
    const res = await t.api<MenuResponse>("GET", "/api/menu", { token: kiosk });
    assert.equal(res.status, 200);
    assert.equal(res.body.menu.items.length, smallMenu().items.length);
    assert.deepEqual(res.body.availability.soldOutItems, []);
    assert.ok(res.body.seq > 0);
  });

  it("exports a document that imports back unchanged", async () => {
    const exported = await t.api<Menu>("GET", "/api/menu/export", { token: manager });
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get("content-disposition") ?? "", /attachment; filename="menu-v\d+\.json"/);
    const again = await t.api<{ unchanged: boolean }>("PUT", "/api/menu", { token: manager, body: exported.body });
    assert.equal(again.status, 200);
    assert.equal(again.body.unchanged, true);
  });

  it("imports a changed menu and prices new orders from it", async () => {
    const menu = smallMenu();
    menu.items.find((i) => i.id === "fries")!.price = 400;
    const res = await t.api<{ version: number; unchanged: boolean }>("PUT", "/api/menu", {
      token: manager,
      body: menu,
    });
    assert.equal(res.body.unchanged, false);
    const order = await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }]);
    assert.equal((order.body as { totals: { total: number } }).totals.total, 400);
  });

  it("lists every error of a bad menu and changes nothing", async () => {
    const before = (await t.api<MenuResponse>("GET", "/api/menu", { token: kiosk })).body;
    const menu = smallMenu() as unknown as Record<string, unknown> & Menu;
    menu.items[0]!.price = -5;
    menu.items[1]!.category = "nowhere";
    (menu.items[2] as unknown as Record<string, unknown>).colour = "gold";
    menu.modifierGroups[0]!.min = 5;
    const res = await t.api<Err>("PUT", "/api/menu", { token: manager, body: menu });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "menu_invalid");
    assert.ok(
      res.body.error.details.errors.includes("items[0].price: must be >= 0"),
      res.body.error.details.errors.join("\n"),
    );
    assert.ok(
      res.body.error.details.errors.includes("items[2].colour: unknown key"),
      res.body.error.details.errors.join("\n"),
    );
    // Semantic errors are reported once the schema passes.
    menu.items[0]!.price = 5;
    delete (menu.items[2] as unknown as Record<string, unknown>).colour;
    const semantic = await t.api<Err>("PUT", "/api/menu", { token: manager, body: menu });
    assert.deepEqual(
      semantic.body.error.details.errors.sort(),
      [
        'items[1].category: unknown category "nowhere"',
        "modifierGroups[0].min: exceeds the number of options (2)",
        "modifierGroups[0].min: must not exceed max (1)",
      ].sort(),
    );
    const after = (await t.api<MenuResponse>("GET", "/api/menu", { token: kiosk })).body;
    assert.deepEqual(after.menu, before.menu);
  });

  it("marks items and options sold out and back, refusing orders meanwhile", async () => {
    const off = await t.api<{ soldOutItems: string[] }>("PUT", "/api/menu/availability", {
      token: await t.tokenFor("kitchen"),
      body: { kind: "item", id: "shake", available: false },
    });
    assert.deepEqual(off.body.soldOutItems, ["shake"]);
    const refused = await t.placeOrder(kiosk, [{ menuItemId: "shake", quantity: 1 }]);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, "item_sold_out");
    await t.api("PUT", "/api/menu/availability", {
      token: manager,
      body: { kind: "item", id: "shake", available: true },
    });
    assert.equal((await t.placeOrder(kiosk, [{ menuItemId: "shake", quantity: 1 }])).status, 201);

    await t.api("PUT", "/api/menu/availability", {
      token: manager,
      body: { kind: "option", id: "bacon", available: false },
    });
    const noBacon = await t.placeOrder(kiosk, [
      {
        menuItemId: "burger",
        quantity: 1,
        options: [
          { group: "doneness", option: "medium" },
          { group: "extras", option: "bacon" },
        ],
      },
    ]);
    assert.equal(noBacon.body.error.code, "option_sold_out");
    const unknown = await t.api<Err>("PUT", "/api/menu/availability", {
      token: manager,
      body: { kind: "item", id: "lobster", available: false },
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, "unknown_item");
  });

  it("serves the shipped pictures and accepts uploads for imported menus", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#c33"/></svg>';
    const up = await fetch(`${t.url}/api/menu/pictures/test-dish.svg`, {
      method: "PUT",
      headers: { authorization: `Bearer ${manager}`, "content-type": "image/svg+xml" },
      body: svg,
    });
    assert.equal(up.status, 200);
    assert.deepEqual(await up.json(), {
      name: "test-dish.svg",
      type: "image/svg+xml",
      bytes: svg.length + 1,
      removed: [],
    });
    const down = await fetch(`${t.url}/media/pictures/test-dish.svg`);
    assert.equal(down.status, 200);
    assert.equal(down.headers.get("content-type"), "image/svg+xml");
    assert.equal(await down.text(), `${svg}\n`);
    const wrongType = await fetch(`${t.url}/api/menu/pictures/test-dish.png`, {
      method: "PUT",
      headers: { authorization: `Bearer ${manager}`, "content-type": "image/svg+xml" },
      body: svg,
    });
    assert.equal(wrongType.status, 415);
    const traversal = await fetch(`${t.url}/media/pictures/..%2f..%2fetc%2fpasswd`);
    assert.equal(traversal.status, 400);
  });
});
