/**
 * Refunds on the Square target against the fake Square: a refund of a payment sync recorded goes
 * as RefundPayment against that payment's Square id, after it, exactly once even when the answer
 * is lost or the key has expired (looked up with ListPaymentRefunds); a payment charged through
 * Square's own API (the card provider) is neither recorded again nor refunded again by sync, while
 * central still gets every event; a payment Square never got has no refund there either.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { actorOf, iso } from "../../../appliance/commands/context.ts";
import { recordPayment, writePayment, writeRefund } from "../../../appliance/commands/payments.ts";
import { getOrder } from "../../../appliance/journal/order-store.ts";
import { findPayment } from "../../../appliance/journal/payment-store.ts";
import { newId } from "../../../appliance/lib/ids.ts";
import type { Principal } from "../../../protocol/schemas/auth.ts";
import type { RefundRoute } from "../../../protocol/schemas/orders.ts";
import { FakeCentral } from "../../fakes/fake-central.ts";
import { FakeSquare } from "../../fakes/fake-square.ts";
import { connectCentral, openCount, startSyncApp, waitFor, type SyncApp } from "./helpers.ts";

let fake: FakeSquare;
let central: FakeCentral | undefined;
let t: SyncApp | undefined;

async function setup(
  options: { keyTtlMs?: number; keyTtlSeconds?: number; now?: () => number; central?: boolean; connect?: boolean } = {},
): Promise<SyncApp> {
  fake = new FakeSquare({
    ...(options.keyTtlMs ? { keyTtlMs: options.keyTtlMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  await fake.start();
  if (options.central) {
    central = new FakeCentral();
    await central.start();
  }
  t = await startSyncApp({
    sync: {
      square: { url: fake.url, ...(options.keyTtlSeconds ? { keyTtlSeconds: options.keyTtlSeconds } : {}) },
      ...(central ? { central: { url: central.url } } : {}),
    },
  });
  if (central) await connectCentral(t);
  if (options.connect !== false) await connectSquare(t);
  return t;
}

async function connectSquare(app: SyncApp): Promise<void> {
  const res = await app.api("POST", "/api/integrations/square/connect", {
    accessToken: "sq-access-1",
    refreshToken: "sq-refresh-1",
    locationId: fake.locationId,
    merchantId: "M-FAKE",
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

afterEach(async () => {
  await t?.stop();
  t = undefined;
  await fake.stop();
  await central?.stop();
  central = undefined;
});

const cashier = (app: SyncApp): Principal => ({ ...app.kiosk, role: "cashier" });

/** A cash payment, as `POST /api/orders/:id/payments` records it; returns its id. */
function payCash(app: SyncApp, orderId: string, amount: number): string {
  const id = randomUUID();
  recordPayment(app.app.ctx, cashier(app), orderId, { id, method: "cash", amount }, undefined);
  return id;
}

/** A card_online payment charged through a provider, written as the payment service does once it approved. */
function payThroughProvider(app: SyncApp, orderId: string, provider: "square" | "stripe"): string {
  const ctx = app.app.ctx;
  const id = newId();
  ctx.journal.transaction(() => {
    const order = getOrder(ctx.journal, orderId);
    assert.ok(order);
    writePayment(ctx, order, {
      id,
      method: "card_online",
      amount: order.snapshot.totals.total,
      tip: 0,
      tendered: null,
      change: null,
      reference: `${provider}-payment-${id.slice(0, 8)}`,
      terminal: null,
      provider,
      cardSlip: [],
      key: `payment:${id}`,
      requestHash: `hash-${id}`,
      actor: actorOf(cashier(app)),
      at: iso(ctx.clock.now()),
    });
  });
  return id;
}

/** A refund as the payment service writes it (`writeRefund` in a transaction); returns its id. */
function refund(app: SyncApp, paymentId: string, amount: number, route: RefundRoute, reason = "cold fries"): string {
  const ctx = app.app.ctx;
  const id = newId();
  ctx.journal.transaction(() => {
    const payment = findPayment(ctx.journal, { id: paymentId });
    assert.ok(payment, `payment ${paymentId}`);
    writeRefund(ctx, {
      id,
      payment: payment.view,
      amount,
      route,
      reason,
      reference: route === "provider" ? `provider-refund-${id.slice(0, 8)}` : null,
      cardSlip: [],
      terminal: null,
      key: `refund:${id}`,
      requestHash: `hash-${id}`,
      actor: actorOf(cashier(app)),
      at: iso(ctx.clock.now()),
    });
  });
  return id;
}

interface Row {
  id: number;
  operation: string;
  state: string;
  depends_on: number | null;
  idempotency_key: string;
  remote_id: string | null;
}

function squareRows(app: SyncApp, orderId: string): Row[] {
  return app.app.ctx.journal.all<Row>(
    "SELECT id, operation, state, depends_on, idempotency_key, remote_id FROM outbox WHERE target = 'square' AND order_id = ? ORDER BY id",
    [orderId],
  );
}

const refundPosts = () => fake.requests.filter((r) => r.path === "/v2/refunds" && r.method === "POST");
const paymentPosts = () => fake.requests.filter((r) => r.path === "/v2/payments" && r.method === "POST");

describe("sync: square refunds", () => {
  it("a cash payment refunded in part: RefundPayment against Square's payment, once, though the first answer is lost", async () => {
    const app = await setup();
    const [order] = app.place(1, [{ menuItemId: "burger", quantity: 2 }]);
    assert.ok(order);
    const total = order.totals.total;
    const paymentId = payCash(app, order.id, total);
    await waitFor(() => fake.paymentsWithReference(paymentId).length === 1, "the cash payment on Square");
    // RefundPayment lands, but its answer never comes back.
    fake.script({ kind: "commit-then-drop" }, (r) => r.path === "/v2/refunds" && r.method === "POST");
    const part = Math.floor(total / 3);
    const refundId = refund(app, paymentId, part, "cash");

    await waitFor(() => openCount(app, "square") === 0 && fake.refunds.size === 1, "the refund on Square");
    const squarePayment = fake.paymentsWithReference(paymentId)[0];
    assert.ok(squarePayment);
    const [onSquare] = [...fake.refunds.values()];
    assert.ok(onSquare);
    assert.equal(fake.refunds.size, 1, "exactly one refund on Square");
    assert.equal(onSquare.payment_id, squarePayment.id, "it refunds Square's copy of the payment");
    assert.deepEqual(onSquare.amount_money, { amount: part, currency: "EUR" });
    assert.equal(onSquare.status, "COMPLETED");
    assert.deepEqual(squarePayment.refunded_money, { amount: part, currency: "EUR" });

    const posts = refundPosts();
    assert.ok(posts.length >= 2, "the lost answer was followed by a resend");
    const [first] = posts;
    assert.ok(first);
    assert.equal(first.fault, "commit-then-drop");
    const bodies = posts.map((p) => JSON.stringify(p.body));
    assert.ok(
      bodies.every((b) => b === bodies[0]),
      "every resend is the same request under the same key",
    );
    const body = first.body as { idempotency_key: string; payment_id: string; reason: string };
    assert.equal(body.idempotency_key, `ref-${refundId}`);
    assert.ok(body.idempotency_key.length <= 45);
    assert.equal(body.payment_id, squarePayment.id);
    assert.ok(body.reason.startsWith("cold fries") && body.reason.includes(refundId));

    const rows = squareRows(app, order.id);
    assert.deepEqual(
      rows.map((r) => r.operation),
      ["create_order", "record_payment", "refund_payment"],
    );
    const [, paymentRow, refundRow] = rows;
    assert.equal(refundRow?.depends_on, paymentRow?.id, "the refund waits for its payment");
    assert.equal(refundRow?.state, "acked");
    assert.equal(refundRow.remote_id, onSquare.id, "Square's refund id is stored");
  });

  it("a refund written before its payment reached Square waits for it; a long reason is cut to Square's 192", async () => {
    const app = await setup();
    const unavailable = {
      kind: "status" as const,
      status: 503,
      body: { errors: [{ category: "API_ERROR", code: "SERVICE_UNAVAILABLE" }] },
    };
    fake.script([unavailable, unavailable, unavailable], (r) => r.path === "/v2/payments" && r.method === "POST");
    const [order] = app.place(1);
    assert.ok(order);
    const paymentId = payCash(app, order.id, order.totals.total);
    refund(app, paymentId, order.totals.total, "cash", "x".repeat(300));
    await waitFor(() => openCount(app, "square") === 0 && fake.refunds.size === 1, "payment then refund");
    const firstRefund = fake.requests.findIndex((r) => r.path === "/v2/refunds");
    const paymentAccepted = fake.requests.findIndex((r) => r.path === "/v2/payments" && !r.fault);
    assert.ok(firstRefund > paymentAccepted, "no refund before its payment was on Square");
    const [onSquare] = [...fake.refunds.values()];
    assert.ok(onSquare?.reason && Array.from(onSquare.reason).length <= 192);
    assert.deepEqual(onSquare.amount_money, { amount: order.totals.total, currency: "EUR" });
  });

  it("key expired during an unknown outcome: ListPaymentRefunds finds the refund, no second one", async () => {
    let skewMs = 0;
    const app = await setup({ keyTtlMs: 400, keyTtlSeconds: 1, now: () => Date.now() + skewMs });
    const [order] = app.place(1);
    assert.ok(order);
    const paymentId = payCash(app, order.id, order.totals.total);
    await waitFor(() => fake.paymentsWithReference(paymentId).length === 1, "the cash payment on Square");
    const unavailable = {
      kind: "status" as const,
      status: 503,
      body: { errors: [{ category: "API_ERROR", code: "SERVICE_UNAVAILABLE" }] },
    };
    fake.script(
      [{ kind: "commit-then-drop" }, ...Array.from({ length: 60 }, () => unavailable)],
      (r) => r.path === "/v2/refunds" && r.method === "POST",
    );
    refund(app, paymentId, 100, "cash");
    await waitFor(() => openCount(app, "square") === 0, "the refund item to settle", 10_000);
    fake.clearScript();
    assert.equal(fake.refunds.size, 1, "exactly one refund on Square");
    assert.ok(
      fake.requests.some((r) => r.path === "/v2/refunds" && r.method === "GET"),
      "it listed refunds instead of refunding again",
    );
    const refundRow = squareRows(app, order.id).find((r) => r.operation === "refund_payment");
    assert.equal(refundRow?.state, "acked");
    assert.equal(refundRow.remote_id, [...fake.refunds.keys()][0]);
    // The control: after the TTL the fake really would have refunded a second time under the same key.
    skewMs += 450;
    const replay = await fetch(`${fake.url}/v2/refunds`, {
      method: "POST",
      headers: { authorization: "Bearer sq-access-1", "content-type": "application/json" },
      body: JSON.stringify(refundPosts()[0]?.body),
    });
    assert.equal(replay.status, 200);
    assert.equal(fake.refunds.size, 2, "without the lookup there would have been a second refund");
  });

  it("a payment charged through Square's provider is not recorded again, nor its refund sent again; central gets both", async () => {
    const app = await setup({ central: true });
    const [order] = app.place(1);
    assert.ok(order);
    const paymentId = payThroughProvider(app, order.id, "square");
    const refundId = refund(app, paymentId, order.totals.total, "provider");
    // The rows are written in the events' own transactions: what is not here now is never sent.
    assert.deepEqual(
      squareRows(app, order.id).map((r) => r.operation),
      ["create_order"],
      "Square gets the order only: it already has the payment and the refund",
    );
    await waitFor(
      () => openCount(app, "square") === 0 && openCount(app, "central") === 0,
      "the order on Square, every event on central",
    );
    assert.equal(paymentPosts().length, 0, "no CreatePayment from sync");
    assert.equal(refundPosts().length, 0, "no RefundPayment from sync");
    const journal = app.app.ctx.journal;
    const centralTypes = journal
      .all<{ type: string; state: string }>(
        "SELECT e.type, o.state FROM outbox o JOIN events e ON e.seq = o.event_seq WHERE o.target = 'central' AND o.order_id = ? ORDER BY o.event_seq",
        [order.id],
      )
      .map((r) => `${r.type}:${r.state}`);
    for (const type of ["order.placed", "payment.recorded", "payment.refunded"])
      assert.ok(centralTypes.includes(`${type}:acked`), `central got ${type}: ${centralTypes.join(", ")}`);
    assert.ok(refundId);
  });

  it("a payment charged through Stripe is on Square only as EXTERNAL, so its refund goes to Square", async () => {
    const app = await setup();
    const [order] = app.place(1);
    assert.ok(order);
    const paymentId = payThroughProvider(app, order.id, "stripe");
    refund(app, paymentId, 50, "provider");
    await waitFor(() => openCount(app, "square") === 0 && fake.refunds.size === 1, "payment and refund on Square");
    assert.deepEqual(
      squareRows(app, order.id).map((r) => r.operation),
      ["create_order", "record_payment", "refund_payment"],
    );
    assert.equal(fake.paymentsWithReference(paymentId)[0]?.source_type, "EXTERNAL");
  });

  it("a payment Square never got (taken before it was connected): its refund is not sent either", async () => {
    const app = await setup({ connect: false });
    const [order] = app.place(1);
    assert.ok(order);
    const paymentId = payCash(app, order.id, order.totals.total);
    await connectSquare(app);
    refund(app, paymentId, 100, "cash");
    assert.deepEqual(squareRows(app, order.id), [], "no row: there is no Square payment to refund");
    // A second order after the connect goes through, so the worker is running and would have sent one.
    const [later] = app.place(1);
    assert.ok(later);
    const laterPayment = payCash(app, later.id, later.totals.total);
    refund(app, laterPayment, 100, "cash");
    await waitFor(() => openCount(app, "square") === 0 && fake.refunds.size === 1, "the later order's refund");
    assert.equal(fake.paymentsWithReference(paymentId).length, 0);
    assert.equal([...fake.refunds.values()][0]?.payment_id, fake.paymentsWithReference(laterPayment)[0]?.id);
  });
});
