import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ManualClock } from "../../appliance/lib/clock.ts";
import { sweepSessions } from "../../appliance/commands/sessions.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { OrderView, SessionView } from "../../protocol/schemas/orders.ts";
import type { Availability } from "../../protocol/schemas/menu.ts";

let t: TestApp;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 11, 0));
let kioskA: string;
let kioskB: string;
let manager: string;

async function pairKiosk(name: string): Promise<string> {
  const code = await t.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
    token: t.adminToken,
    body: { role: "kiosk", name },
  });
  return (await t.api<{ token: string }>("POST", "/api/devices/pair", { body: { code: code.body.code } })).body.token;
}

async function freshSession(token: string): Promise<SessionView> {
  const current = await t.api<SessionView>("GET", "/api/sessions/current", { token });
  if (current.status === 200) await t.api("POST", `/api/sessions/${current.body.id}/abandon`, { token });
  const created = await t.api<SessionView>("POST", "/api/sessions", { token, body: {} });
  assert.equal(created.status, 201);
  return created.body;
}

async function setStock(units: number): Promise<void> {
  const res = await t.api("PUT", "/api/stock/special", { token: manager, body: { onHand: units } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function sellable(token: string): Promise<number | undefined> {
  return (await t.api<{ availability: Availability }>("GET", "/api/menu", { token })).body.availability.stock.special;
}

before(async () => {
  t = await startTestApp({ clock, config: { stock: { holdTtlSeconds: 900 } } });
  kioskA = await pairKiosk("kiosk A");
  kioskB = await pairKiosk("kiosk B");
  manager = await t.tokenFor("manager");
});
after(() => t.stop());

describe("cart sessions", () => {
  it("keeps one open session per kiosk and returns it instead of a second", async () => {
    const first = await freshSession(kioskA);
    const again = await t.api<SessionView>("POST", "/api/sessions", { token: kioskA, body: {} });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.id);
    const other = await t.api<SessionView>("GET", `/api/sessions/${first.id}`, { token: kioskB });
    assert.equal(other.status, 404, "another kiosk cannot see this cart");
  });

  it("adds, changes and removes lines with totals priced on the appliance", async () => {
    const session = await freshSession(kioskA);
    const added = await t.api<SessionView>("POST", `/api/sessions/${session.id}/lines`, {
      token: kioskA,
      body: { menuItemId: "burger", quantity: 1 },
    });
    assert.equal(added.status, 201);
    const lineId = added.body.lines[0]!.id;
    assert.equal(added.body.totals.total, 900);
    const changed = await t.api<SessionView>("PATCH", `/api/sessions/${session.id}/lines/${lineId}`, {
      token: kioskA,
      body: {
        quantity: 2,
        options: [
          { group: "doneness", option: "well" },
          { group: "extras", option: "bacon" },
        ],
      },
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.totals.total, 2 * 1_050);
    const withFries = await t.api<SessionView>("POST", `/api/sessions/${session.id}/lines`, {
      token: kioskA,
      body: { menuItemId: "fries", quantity: 1, note: "extra crispy" },
    });
    assert.equal(withFries.body.lines.length, 2);
    const removed = await t.api<SessionView>("DELETE", `/api/sessions/${session.id}/lines/${lineId}`, {
      token: kioskA,
    });
    assert.deepEqual(
      removed.body.lines.map((l) => l.menuItemId),
      ["fries"],
    );
    assert.equal(removed.body.totals.total, 350);
  });

  it("commits the cart into an immutable order, once", async () => {
    const session = await freshSession(kioskA);
    await t.api("POST", `/api/sessions/${session.id}/lines`, {
      token: kioskA,
      body: { menuItemId: "meal", quantity: 1, slots: [{ slot: "drink", item: "cola" }] },
    });
    const id = randomUUID();
    const commit = await t.api<OrderView>("POST", `/api/sessions/${session.id}/commit`, {
      token: kioskA,
      body: { id, pickupName: "Ada" },
      headers: { "idempotency-key": `commit-${id}` },
    });
    assert.equal(commit.status, 201, JSON.stringify(commit.body));
    assert.equal(commit.body.totals.total, 1_250);
    assert.equal(commit.body.pickupName, "Ada");
    const retry = await t.api<OrderView>("POST", `/api/sessions/${session.id}/commit`, {
      token: kioskA,
      body: { id, pickupName: "Ada" },
      headers: { "idempotency-key": `commit-${id}` },
    });
    assert.deepEqual(retry.body, commit.body);
    const closed = await t.api<SessionView>("GET", `/api/sessions/${session.id}`, { token: kioskA });
    assert.equal(closed.body.state, "committed");
    assert.equal(closed.body.orderId, id);
    const addAfter = await t.api<{ error: { code: string } }>("POST", `/api/sessions/${session.id}/lines`, {
      token: kioskA,
      body: { menuItemId: "fries", quantity: 1 },
    });
    assert.equal(addAfter.status, 409);
    assert.equal(addAfter.body.error.code, "session_closed");
  });

  it("refuses to commit an empty cart", async () => {
    const session = await freshSession(kioskA);
    const res = await t.api<{ error: { code: string } }>("POST", `/api/sessions/${session.id}/commit`, {
      token: kioskA,
      body: { id: randomUUID() },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "session_empty");
  });

  it("flags a line whose item went sold out, and refuses to commit it", async () => {
    const session = await freshSession(kioskA);
    await t.api("POST", `/api/sessions/${session.id}/lines`, {
      token: kioskA,
      body: { menuItemId: "cola", quantity: 1 },
    });
    await t.api("PUT", "/api/menu/availability", {
      token: manager,
      body: { kind: "item", id: "cola", available: false },
    });
    try {
      const view = await t.api<SessionView>("GET", `/api/sessions/${session.id}`, { token: kioskA });
      assert.equal(view.body.lines[0]?.available, false);
      const commit = await t.api<{ error: { code: string } }>("POST", `/api/sessions/${session.id}/commit`, {
        token: kioskA,
        body: { id: randomUUID() },
      });
      assert.equal(commit.status, 409);
      assert.equal(commit.body.error.code, "item_sold_out");
    } finally {
      await t.api("PUT", "/api/menu/availability", {
        token: manager,
        body: { kind: "item", id: "cola", available: true },
      });
    }
  });
});

describe("stock holds", () => {
  it("reserves counted items while they sit in a cart and releases them on abandon", async () => {
    await setStock(3);
    const a = await freshSession(kioskA);
    const held = await t.api<SessionView>("POST", `/api/sessions/${a.id}/lines`, {
      token: kioskA,
      body: { menuItemId: "special", quantity: 2 },
    });
    assert.equal(held.status, 201);
    assert.equal(held.body.lines[0]?.holdExpiresAt, new Date(clock.now() + 900_000).toISOString());
    assert.equal(await sellable(kioskB), 1);

    const b = await freshSession(kioskB);
    const tooMany = await t.api<{ error: { code: string; details: { available: number } } }>(
      "POST",
      `/api/sessions/${b.id}/lines`,
      { token: kioskB, body: { menuItemId: "special", quantity: 2 } },
    );
    assert.equal(tooMany.status, 409);
    assert.equal(tooMany.body.error.code, "out_of_stock");
    assert.equal(tooMany.body.error.details.available, 1);

    await t.api("POST", `/api/sessions/${a.id}/abandon`, { token: kioskA });
    assert.equal(await sellable(kioskB), 3);
  });

  it("converts holds at commit and counts the stock down", async () => {
    await setStock(5);
    const a = await freshSession(kioskA);
    await t.api("POST", `/api/sessions/${a.id}/lines`, { token: kioskA, body: { menuItemId: "special", quantity: 2 } });
    const commit = await t.api("POST", `/api/sessions/${a.id}/commit`, { token: kioskA, body: { id: randomUUID() } });
    assert.equal(commit.status, 201);
    assert.equal(await sellable(kioskA), 3);
  });

  it("re-checks stock when a hold expired: commits if it is still there", async () => {
    await setStock(2);
    const a = await freshSession(kioskA);
    await t.api("POST", `/api/sessions/${a.id}/lines`, { token: kioskA, body: { menuItemId: "special", quantity: 2 } });
    clock.advance(16 * 60_000);
    assert.equal(await sellable(kioskB), 2, "an expired hold no longer reserves");
    const commit = await t.api("POST", `/api/sessions/${a.id}/commit`, { token: kioskA, body: { id: randomUUID() } });
    assert.equal(commit.status, 201);
    assert.equal(await sellable(kioskB), 0);
  });

  it("fails with hold_expired when the hold ran out and someone else took the stock", async () => {
    await setStock(2);
    const a = await freshSession(kioskA);
    await t.api("POST", `/api/sessions/${a.id}/lines`, { token: kioskA, body: { menuItemId: "special", quantity: 2 } });
    clock.advance(16 * 60_000);
    const b = await freshSession(kioskB);
    assert.equal(
      (
        await t.api("POST", `/api/sessions/${b.id}/lines`, {
          token: kioskB,
          body: { menuItemId: "special", quantity: 1 },
        })
      ).status,
      201,
    );
    const commit = await t.api<{ error: { code: string } }>("POST", `/api/sessions/${a.id}/commit`, {
      token: kioskA,
      body: { id: randomUUID() },
    });
    assert.equal(commit.status, 409);
    assert.equal(commit.body.error.code, "hold_expired");
    const stillOpen = await t.api<SessionView>("GET", `/api/sessions/${a.id}`, { token: kioskA });
    assert.equal(stillOpen.body.state, "open", "a refused commit writes nothing");
    await t.api("POST", `/api/sessions/${b.id}/abandon`, { token: kioskB });
  });

  it("expires idle carts and their holds in the sweep", async () => {
    await setStock(4);
    const a = await freshSession(kioskA);
    await t.api("POST", `/api/sessions/${a.id}/lines`, { token: kioskA, body: { menuItemId: "special", quantity: 4 } });
    assert.equal(await sellable(kioskB), 0);
    clock.advance(31 * 60_000);
    const swept = sweepSessions(t.app.ctx);
    assert.ok(swept.abandoned >= 1);
    const view = await t.api<SessionView>("GET", `/api/sessions/${a.id}`, { token: kioskA });
    assert.equal(view.body.state, "expired");
    assert.equal(await sellable(kioskB), 4);
  });

  it("checks stock for direct orders too", async () => {
    await setStock(1);
    const res = await t.placeOrder(kioskA, [{ menuItemId: "special", quantity: 2 }]);
    assert.equal(res.status, 409);
    assert.equal((res.body as { error: { code: string } }).error.code, "out_of_stock");
    assert.equal((await t.placeOrder(kioskA, [{ menuItemId: "special", quantity: 1 }])).status, 201);
    assert.equal(await sellable(kioskA), 0);
  });
});
