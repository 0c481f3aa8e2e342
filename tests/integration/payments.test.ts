import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { OrderDetail, PaymentView, PaymentsSummary } from "../../protocol/schemas/orders.ts";

let t: TestApp;
let kiosk: string;
let cashier: string;

before(async () => {
  // Counter orders wait as pending until paid in this store.
  t = await startTestApp({ config: { orders: { channels: { counter: { autoQueue: false } } } } });
  kiosk = await t.tokenFor("kiosk");
  cashier = await t.tokenFor("cashier");
});
after(() => t.stop());

type Err = { error: { code: string; details: { due?: number } } };

describe("payments", () => {
  it("takes cash with change, splits a bill, never overpays, and is idempotent", async () => {
    const order = (
      await t.placeOrder(kiosk, [
        { menuItemId: "burger", quantity: 1 },
        { menuItemId: "cola", quantity: 1 },
      ])
    ).body;
    assert.equal(order.totals.total, 1_200);
    const cash = { id: randomUUID(), method: "cash", amount: 700, tendered: 1_000 };
    const first = await t.api<PaymentView>("POST", `/api/orders/${order.id}/payments`, { token: cashier, body: cash });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.change, 300);
    const retry = await t.api<PaymentView>("POST", `/api/orders/${order.id}/payments`, { token: cashier, body: cash });
    assert.deepEqual(retry.body, first.body);
    assert.equal(retry.headers.get("idempotent-replayed"), "true");
    const tooMuch = await t.api<Err>("POST", `/api/orders/${order.id}/payments`, {
      token: cashier,
      body: { id: randomUUID(), method: "card", amount: 600, reference: "TID-1" },
    });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.error.code, "payment_exceeds_due");
    assert.equal(tooMuch.body.error.details.due, 500);
    const card = await t.api<PaymentView>("POST", `/api/orders/${order.id}/payments`, {
      token: cashier,
      body: { id: randomUUID(), method: "card", amount: 500, reference: "TID-2" },
    });
    assert.equal(card.status, 201);
    const summary = await t.api<PaymentsSummary>("GET", `/api/orders/${order.id}/payments`, { token: cashier });
    assert.deepEqual([summary.body.paid, summary.body.due, summary.body.payments.length], [1_200, 0, 2]);
    const notEnoughCash = await t.api<Err>(
      "POST",
      `/api/orders/${(await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body.id}/payments`,
      {
        token: cashier,
        body: { id: randomUUID(), method: "cash", amount: 350, tendered: 200 },
      },
    );
    assert.equal(notEnoughCash.body.error.code, "payment_exceeds_due");
  });

  it("sends a pay-first order to the kitchen once it is paid in full", async () => {
    const id = randomUUID();
    const placed = await t.api<{ status: string; totals: { total: number } }>("POST", "/api/orders", {
      token: cashier,
      body: { id, items: [{ menuItemId: "fries", quantity: 2 }] },
    });
    assert.equal(placed.body.status, "pending");
    await t.api("POST", `/api/orders/${id}/payments`, {
      token: cashier,
      body: { id: randomUUID(), method: "external", amount: placed.body.totals.total, reference: "voucher 77" },
    });
    const detail = await t.api<OrderDetail>("GET", `/api/orders/${id}`, { token: cashier });
    assert.equal(detail.body.status, "in_queue");
    assert.equal(detail.body.history.at(-1)?.reason, "paid");
  });

  it("refuses payment of a cancelled order and from a kiosk", async () => {
    const order = (await t.placeOrder(kiosk, [{ menuItemId: "cola", quantity: 1 }])).body;
    const fromKiosk = await t.api<Err>("POST", `/api/orders/${order.id}/payments`, {
      token: kiosk,
      body: { id: randomUUID(), method: "cash", amount: 300 },
    });
    assert.equal(fromKiosk.status, 403);
    await t.api("PATCH", `/api/orders/${order.id}/status`, { token: cashier, body: { status: "cancelled" } });
    const late = await t.api<Err>("POST", `/api/orders/${order.id}/payments`, {
      token: cashier,
      body: { id: randomUUID(), method: "cash", amount: 300 },
    });
    assert.equal(late.status, 409);
  });
});
