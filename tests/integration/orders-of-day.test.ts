/**
 * `GET /api/orders`: the counter's "today's orders" — one business day, newest first, searched by
 * number, reference or pickup name in galleyd (a store with a year of history must not send it
 * all to a screen to find order 42).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../appliance/lib/clock.ts";
import type { OrderView, OrdersOfDayResponse } from "../../protocol/schemas/orders.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
/** Screens' tokens do not expire, so the clock can move a day (a staff token would). */
let kiosk: string;
let reader: string;
const clock = new ManualClock(Date.parse("2026-12-05T10:00:00Z"));

before(async () => {
  t = await startTestApp({ clock });
  kiosk = await t.tokenFor("kiosk");
  reader = await t.tokenFor("kitchen");
});
after(async () => {
  await t.stop();
});

async function place(name?: string): Promise<OrderView> {
  const placed = await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }], name ? { pickupName: name } : {});
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  return placed.body;
}

describe("a day's orders", () => {
  it("lists today's orders newest first, other days by date, and searches by number, reference or name", async () => {
    const yesterday = [await place("Ada"), await place()];
    clock.advance(24 * 3_600_000);
    const today = [await place("Grace Hopper"), await place("Ada"), await place()];

    const now = await t.api<OrdersOfDayResponse>("GET", "/api/orders", { token: reader });
    assert.equal(now.status, 200);
    assert.equal(now.body.date, "2026-12-06");
    assert.deepEqual(
      now.body.orders.map((o) => o.id),
      today.map((o) => o.id).reverse(),
    );

    const before = await t.api<OrdersOfDayResponse>("GET", "/api/orders?date=2026-12-05", { token: reader });
    assert.deepEqual(
      before.body.orders.map((o) => o.id),
      yesterday.map((o) => o.id).reverse(),
    );

    const byName = await t.api<OrdersOfDayResponse>("GET", "/api/orders?q=ada", { token: reader });
    assert.deepEqual(
      byName.body.orders.map((o) => o.id),
      [today[1]!.id],
      "a name matches on its day only",
    );
    const byPart = await t.api<OrdersOfDayResponse>("GET", "/api/orders?q=HOPP", { token: reader });
    assert.deepEqual(
      byPart.body.orders.map((o) => o.id),
      [today[0]!.id],
    );
    const byNumber = await t.api<OrdersOfDayResponse>("GET", `/api/orders?q=${today[2]!.number}`, { token: reader });
    assert.ok(byNumber.body.orders.some((o) => o.id === today[2]!.id));
    const byRef = await t.api<OrdersOfDayResponse>("GET", `/api/orders?q=${today[0]!.ref.slice(-6)}`, {
      token: reader,
    });
    assert.deepEqual(
      byRef.body.orders.map((o) => o.id),
      [today[0]!.id],
    );
    // LIKE's wildcards are searched for, not used.
    const wildcard = await t.api<OrdersOfDayResponse>("GET", "/api/orders?q=%25", { token: reader });
    assert.deepEqual(wildcard.body.orders, []);

    const limited = await t.api<OrdersOfDayResponse>("GET", "/api/orders?limit=1", { token: reader });
    assert.equal(limited.body.orders.length, 1);
  });

  it("refuses a bad date or limit, and a kiosk", async () => {
    clock.set(Date.parse("2026-12-05T10:00:00Z")); // staff tokens made now are not expired
    for (const query of ["date=yesterday", "limit=0", "limit=501", "q=%1B%5B2J"]) {
      const reply = await t.api<{ error: { code: string } }>("GET", `/api/orders?${query}`, { token: reader });
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.error.code, "validation_failed", query);
    }
    const asKiosk = await t.api("GET", "/api/orders", { token: kiosk });
    assert.equal(asKiosk.status, 403);
    const asCashier = await t.api("GET", "/api/orders", { token: await t.tokenFor("cashier") });
    assert.equal(asCashier.status, 200);
  });
});
