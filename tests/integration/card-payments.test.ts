/**
 * Card payments end to end: a real galleyd and a ZVT terminal simulator over real TCP. What a
 * cashier or a manager would check: the order exists (with its number) only once the terminal
 * approved, the kitchen never sees an unpaid card order, a lost answer is settled by asking the
 * terminal (never by charging again), refunds move money back and the order shows what is left,
 * the end of day compares the terminal's totals with the journal's.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startZvtSimulator, type ZvtSimulator } from "../../drivers/index.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { waitFor } from "../helpers/wait.ts";
import type { OrderView, PaymentsSummary, RefundView } from "../../protocol/schemas/orders.ts";
import type {
  CheckoutView,
  PaymentOptionsView,
  RecentPaymentsView,
  TerminalClosingView,
  TerminalTestView,
  TerminalsView,
} from "../../protocol/schemas/payments.ts";

let t: TestApp;
let sim: ZvtSimulator;
let kiosk: string;
let kitchen: string;
let manager: string;
let cashier: string;

type Err = { error: { code: string; message: string } };

before(async () => {
  sim = await startZvtSimulator({ password: "000000", stepMs: 2 });
  t = await startTestApp({
    config: {
      devices: {
        savePrints: false,
        terminals: [
          {
            id: "t1",
            name: "Terminal 1",
            protocol: "zvt",
            uri: sim.uri,
            kiosks: ["*"],
            counter: true,
            paymentTimeoutSeconds: 10,
          },
        ],
      },
      payments: { recheckSeconds: 1 },
    },
  });
  kiosk = await t.tokenFor("kiosk");
  kitchen = await t.tokenFor("kitchen");
  manager = await t.tokenFor("manager");
  cashier = await t.tokenFor("cashier");
});
after(async () => {
  await t.stop();
  await sim.close();
});

async function checkout(body: Record<string, unknown>, token = kiosk): Promise<CheckoutView> {
  const started = await t.api<CheckoutView>("POST", "/api/checkouts", {
    token,
    body: { id: randomUUID(), orderId: randomUUID(), ...body },
  });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  return started.body;
}

/** Follows the checkout with the kiosk's long-poll until it is done. */
async function finished(view: CheckoutView, token = kiosk): Promise<CheckoutView> {
  let current = view;
  for (let i = 0; i < 200 && !current.done; i++) {
    const next = await t.api<CheckoutView>("GET", `/api/checkouts/${view.id}?after=${current.version}&waitMs=5000`, {
      token,
    });
    assert.equal(next.status, 200, JSON.stringify(next.body));
    current = next.body;
  }
  assert.ok(current.done, `checkout still ${current.state}`);
  return current;
}

async function queueIds(): Promise<string[]> {
  const queue = await t.api<{ orders: OrderView[] }>("GET", "/api/orders/queue", { token: kitchen });
  return queue.body.orders.map((o) => o.id);
}

const BURGER = [{ menuItemId: "burger", quantity: 1 }];

describe("card payments on a ZVT terminal", () => {
  it("offers the card to a kiosk the terminal serves", async () => {
    const options = await t.api<PaymentOptionsView>("GET", "/api/payments/options", { token: kiosk });
    assert.equal(options.status, 200);
    assert.equal(options.body.card?.terminal, "t1");
    await waitFor(
      async () =>
        (await t.api<PaymentOptionsView>("GET", "/api/payments/options", { token: kiosk })).body.card?.online === true,
      {
        what: "terminal online",
      },
    );
  });

  it("commits the order only once the terminal approves, with the card slip and no unpaid ticket", async () => {
    sim.script({ kind: "slow_customer", durationMs: 300 });
    const started = await checkout({ items: BURGER });
    assert.equal(started.order, null);
    // While the customer is at the terminal there is no order: the kitchen sees nothing.
    assert.ok(!(await queueIds()).includes(started.orderId));
    const done = await finished(started);
    assert.equal(done.state, "approved", done.reason ?? "");
    assert.ok(done.order, "the approved checkout carries its order");
    assert.equal(done.order.status, "in_queue");
    assert.ok(done.order.number > 0);
    assert.ok((await queueIds()).includes(started.orderId));
    const summary = await t.api<PaymentsSummary>("GET", `/api/orders/${started.orderId}/payments`, { token: cashier });
    assert.equal(summary.body.due, 0);
    const [payment] = summary.body.payments;
    assert.ok(payment);
    assert.equal(payment.method, "card");
    assert.equal(payment.terminal, "t1");
    assert.equal(payment.amount, done.amount);
    const slip = payment.cardSlip.join("\n");
    assert.match(slip, /1234|0119/, "the slip shows the card's last digits");
    assert.doesNotMatch(slip, /4761739001010119/, "never the full card number");
    // The customer's receipt carries the terminal's slip under the card payment.
    const receipt = t.app.ctx.journal.get<{ document: string }>(
      "SELECT document FROM print_jobs WHERE kind = 'receipt' AND order_id = ?",
      [started.orderId],
    );
    assert.ok(receipt, "a receipt is queued for the paid order");
    const printed = JSON.parse(receipt.document) as { payments: { method: string; slipLines?: string[] }[] };
    assert.deepEqual(printed.payments[0]?.slipLines, payment.cardSlip);
    assert.doesNotMatch(receipt.document, /4761739001010119/);
    assert.equal(sim.transactions().filter((x) => x.kind === "sale" && x.result === "approved").length, 1);
  });

  it("a declined card leaves no order; the next card goes through", async () => {
    const before = sim.transactions().length;
    sim.script({ kind: "decline" });
    const declined = await finished(await checkout({ items: BURGER }));
    assert.equal(declined.state, "declined");
    assert.equal(declined.order, null);
    const order = await t.api<Err>("GET", `/api/orders/${declined.orderId}`, { token: manager });
    assert.equal(order.status, 404);
    sim.script({ kind: "approve" });
    const approved = await finished(await checkout({ items: BURGER }));
    assert.equal(approved.state, "approved");
    assert.equal(sim.transactions().length, before + 2);
  });

  it("a customer who cancels at the terminal can still pay at the counter", async () => {
    sim.script({ kind: "customer_cancels" });
    const cancelled = await finished(await checkout({ items: BURGER }));
    assert.equal(cancelled.state, "cancelled");
    const counter = await t.placeOrder(kiosk, BURGER);
    assert.equal(counter.status, 201);
    assert.equal(counter.body.status, "in_queue");
  });

  it("the kiosk's cancel aborts a slow payment on the terminal", async () => {
    sim.script({ kind: "slow_customer", durationMs: 4_000 });
    const started = await checkout({ items: BURGER });
    await waitFor(
      async () =>
        (await t.api<CheckoutView>("GET", `/api/checkouts/${started.id}`, { token: kiosk })).body.state ===
        "presenting",
      { what: "presenting" },
    );
    const cancelled = await t.api<CheckoutView>("POST", `/api/checkouts/${started.id}/cancel`, { token: kiosk });
    assert.equal(cancelled.status, 200);
    const done = await finished(started);
    assert.equal(done.state, "cancelled");
    assert.equal(done.order, null);
  });

  it("an approval whose answer was lost is settled by asking the terminal, charged once", async () => {
    const sales = sim.transactions().filter((x) => x.kind === "sale" && x.result === "approved").length;
    sim.script({ kind: "approve_then_drop" });
    const done = await finished(await checkout({ items: BURGER }));
    assert.equal(done.state, "approved", done.reason ?? "");
    assert.ok(done.order);
    assert.equal(sim.transactions().filter((x) => x.kind === "sale" && x.result === "approved").length, sales + 1);
    const notes = await t.api<{ notifications: { kind: string; orderId: string | null }[] }>(
      "GET",
      "/api/sync/notifications",
      { token: manager },
    );
    assert.ok(
      notes.body.notifications.some((n) => n.kind === "payment_settled" && n.orderId === done.orderId),
      "an operator sees the settled case",
    );
  });

  it("the counter pays an existing order; approved after the order was cancelled, it is reversed", async () => {
    const order = (await t.placeOrder(cashier, BURGER)).body;
    sim.script({ kind: "approve" });
    const paid = await finished(await checkout({ orderId: order.id }, cashier), cashier);
    assert.equal(paid.state, "approved");
    assert.equal(paid.order?.id, order.id);

    const second = (await t.placeOrder(cashier, BURGER)).body;
    sim.script({ kind: "slow_customer", durationMs: 1_500 });
    const started = await checkout({ orderId: second.id }, cashier);
    await waitFor(
      async () =>
        (await t.api<CheckoutView>("GET", `/api/checkouts/${started.id}`, { token: cashier })).body.state ===
        "presenting",
      { what: "presenting" },
    );
    const cancelled = await t.api<OrderView>("PATCH", `/api/orders/${second.id}/status`, {
      token: cashier,
      body: { status: "cancelled", reason: "customer left" },
    });
    assert.equal(cancelled.status, 200);
    const done = await finished(started, cashier);
    assert.equal(done.state, "reversed", done.reason ?? "");
    assert.ok(sim.transactions().some((x) => x.kind === "sale" && x.reversed && x.amount === second.totals.total));
    const summary = await t.api<PaymentsSummary>("GET", `/api/orders/${second.id}/payments`, { token: cashier });
    assert.equal(summary.body.payments.length, 0, "a cancelled order keeps no card payment");
  });

  it("a checkout retried with the same id is the same checkout", async () => {
    sim.script({ kind: "approve" });
    const body = { id: randomUUID(), orderId: randomUUID(), items: BURGER };
    const first = await t.api<CheckoutView>("POST", "/api/checkouts", { token: kiosk, body });
    const again = await t.api<CheckoutView>("POST", "/api/checkouts", { token: kiosk, body });
    assert.equal(first.status, 202);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    const done = await finished(first.body);
    assert.equal(done.state, "approved");
    const other = await t.api<Err>("POST", "/api/checkouts", {
      token: kiosk,
      body: { ...body, items: [{ menuItemId: "cola", quantity: 1 }] },
    });
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, "idempotency_conflict");
  });

  it("refunds part of a card payment on the terminal, then the rest; the order becomes refunded", async () => {
    sim.script({ kind: "approve" });
    const paid = await finished(await checkout({ items: [{ menuItemId: "burger", quantity: 2 }] }));
    assert.equal(paid.state, "approved");
    const summary = await t.api<PaymentsSummary>("GET", `/api/orders/${paid.orderId}/payments`, { token: manager });
    const payment = summary.body.payments[0];
    assert.ok(payment);
    // PATCH to refunded would move no money: refused while money is captured.
    const flag = await t.api<Err>("PATCH", `/api/orders/${paid.orderId}/status`, {
      token: manager,
      body: { status: "refunded" },
    });
    assert.equal(flag.status, 409);
    // A cashier may not refund.
    const denied = await t.api<Err>("POST", `/api/payments/${payment.id}/refund`, {
      token: cashier,
      body: { amount: 100, reason: "cold" },
      headers: { "idempotency-key": randomUUID() },
    });
    assert.equal(denied.status, 403);
    sim.script({ kind: "approve" });
    const key = randomUUID();
    const part = await t.api<RefundView>("POST", `/api/payments/${payment.id}/refund`, {
      token: manager,
      body: { amount: 400, reason: "one burger was cold" },
      headers: { "idempotency-key": key },
    });
    assert.equal(part.status, 201, JSON.stringify(part.body));
    assert.equal(part.body.route, "terminal_refund");
    const replay = await t.api<RefundView>("POST", `/api/payments/${payment.id}/refund`, {
      token: manager,
      body: { amount: 400, reason: "one burger was cold" },
      headers: { "idempotency-key": key },
    });
    assert.equal(replay.body.id, part.body.id);
    const tooMuch = await t.api<Err>("POST", `/api/payments/${payment.id}/refund`, {
      token: manager,
      body: { amount: payment.amount, reason: "all" },
      headers: { "idempotency-key": randomUUID() },
    });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.error.code, "refund_exceeds_captured");
    const recent = await t.api<RecentPaymentsView>("GET", `/api/payments/recent?number=${paid.order?.number ?? 0}`, {
      token: manager,
    });
    const listed = recent.body.payments.find((p) => p.id === payment.id);
    assert.equal(listed?.refundable, payment.amount - 400);
    sim.script({ kind: "approve" });
    const rest = await t.api<RefundView>("POST", `/api/payments/${payment.id}/refund`, {
      token: manager,
      body: { reason: "the rest" },
      headers: { "idempotency-key": randomUUID() },
    });
    assert.equal(rest.status, 201, JSON.stringify(rest.body));
    assert.equal(rest.body.amount, payment.amount - 400);
    const order = await t.api<OrderView>("GET", `/api/orders/${paid.orderId}`, { token: manager });
    assert.equal(order.body.status, "refunded");
    assert.equal(sim.transactions().filter((x) => x.kind === "refund").length >= 2, true);
  });

  it("a manager refunds a kiosk order after it was handed over; a refund receipt prints", async () => {
    sim.script({ kind: "approve" });
    const paid = await finished(await checkout({ items: BURGER }));
    for (const status of ["in_progress", "ready", "completed"]) {
      const moved = await t.api<OrderView>("PATCH", `/api/orders/${paid.orderId}/status`, {
        token: manager,
        body: { status },
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
    }
    const payment = (await t.api<PaymentsSummary>("GET", `/api/orders/${paid.orderId}/payments`, { token: manager }))
      .body.payments[0];
    assert.ok(payment);
    sim.script({ kind: "approve" });
    const refund = await t.api<RefundView>("POST", `/api/payments/${payment.id}/refund`, {
      token: manager,
      body: { reason: "customer found a hair" },
      headers: { "idempotency-key": randomUUID() },
    });
    assert.equal(refund.status, 201, JSON.stringify(refund.body));
    const order = await t.api<OrderView>("GET", `/api/orders/${paid.orderId}`, { token: manager });
    assert.equal(order.body.status, "refunded", "a completed kiosk order can still be refunded by a manager");
    const receipt = t.app.ctx.journal.get<{ document: string }>(
      "SELECT document FROM print_jobs WHERE kind = 'receipt' AND idempotency_key LIKE ?",
      [`receipt:refund:${refund.body.id}:%`],
    );
    assert.ok(receipt, "a refund receipt is queued");
    assert.match(receipt.document, /REFUND/);
    assert.match(receipt.document, /customer found a hair/);
  });

  it("a full refund the same day is a reversal", async () => {
    sim.script({ kind: "approve" });
    const paid = await finished(await checkout({ items: BURGER }));
    const payment = (await t.api<PaymentsSummary>("GET", `/api/orders/${paid.orderId}/payments`, { token: manager }))
      .body.payments[0];
    assert.ok(payment);
    const reversal = await t.api<RefundView>("POST", `/api/payments/${payment.id}/refund`, {
      token: manager,
      body: { reason: "wrong order" },
      headers: { "idempotency-key": randomUUID() },
    });
    assert.equal(reversal.status, 201, JSON.stringify(reversal.body));
    assert.equal(reversal.body.route, "terminal_reversal");
    assert.ok(sim.transactions().some((x) => x.kind === "sale" && x.reversed));
  });

  it("a cash refund is recorded at once and counts against the payment", async () => {
    const order = (await t.placeOrder(kiosk, BURGER)).body;
    const cash = await t.api<{ id: string }>("POST", `/api/orders/${order.id}/payments`, {
      token: cashier,
      body: { id: randomUUID(), method: "cash", amount: order.totals.total },
    });
    assert.equal(cash.status, 201);
    const refund = await t.api<RefundView>("POST", `/api/payments/${cash.body.id}/refund`, {
      token: manager,
      body: { amount: 200, reason: "no cheese" },
      headers: { "idempotency-key": randomUUID() },
    });
    assert.equal(refund.status, 201);
    assert.equal(refund.body.route, "cash");
    const summary = await t.api<PaymentsSummary>("GET", `/api/orders/${order.id}/payments`, { token: manager });
    assert.equal(summary.body.refunded, 200);
  });

  it("the technician's test payment is reversed, and the end of day matches the journal", async () => {
    sim.script({ kind: "approve" });
    const test = await t.api<TerminalTestView>("POST", "/api/payments/terminals/t1/test", { token: manager });
    assert.equal(test.status, 200, JSON.stringify(test.body));
    assert.equal(test.body.result, "approved");
    assert.equal(test.body.reversed, true);
    const terminals = await t.api<TerminalsView>("GET", "/api/payments/terminals", { token: manager });
    assert.equal(terminals.body.terminals[0]?.online, true);
    const close = await t.api<TerminalClosingView>("POST", "/api/payments/terminals/t1/end-of-day", { token: manager });
    assert.equal(close.status, 200, JSON.stringify(close.body));
    assert.equal(close.body.error, null);
    assert.equal(close.body.terminalTotal, close.body.journalTotal, JSON.stringify(close.body));
    assert.equal(close.body.matched, true);
  });
});
