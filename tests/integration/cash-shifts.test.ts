/**
 * Cash shifts on the real galleyd: one open shift per drawer, cash refused without one (and
 * nothing written), the over/short of a worked shift, movements that are idempotent and refuse
 * bad input without writing, the blind close, the Z report kept, and a shift that survives a
 * restart. Money is taken through the same routes the counter uses.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { headSeq } from "../../appliance/journal/events.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type {
  CashCloseResponse,
  CashMovementView,
  CashReportView,
  CashSessionsResponse,
  CashShiftView,
} from "../../protocol/schemas/cash.ts";
import type { OrderDetail, PaymentView, PaymentsSummary, RefundView } from "../../protocol/schemas/orders.ts";

type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** Places an order as the kiosk and returns its id and total. */
async function order(
  t: TestApp,
  items: { menuItemId: string; quantity: number }[],
): Promise<{ id: string; total: number }> {
  const placed = await t.placeOrder(await t.tokenFor("kiosk"), items);
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  return { id: placed.body.id, total: placed.body.totals.total };
}

function pay(t: TestApp, token: string, orderId: string, body: Record<string, unknown>) {
  return t.api<PaymentView & Err>("POST", `/api/orders/${orderId}/payments`, {
    token,
    body: { id: randomUUID(), ...body },
  });
}

function refund(t: TestApp, token: string, paymentId: string, amount: number) {
  return t.api<RefundView & Err>("POST", `/api/payments/${paymentId}/refund`, {
    token,
    body: { amount, reason: "customer changed their mind" },
    headers: { "idempotency-key": `refund-${randomUUID()}` },
  });
}

function count(t: TestApp, table: string): number {
  return t.app.ctx.journal.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)?.n ?? 0;
}

describe("cash shifts (cash.shifts required)", () => {
  let t: TestApp;
  let cashier: string;
  let manager: string;

  before(async () => {
    t = await startTestApp({ config: { cash: { shifts: "required" } } });
    cashier = await t.tokenFor("cashier");
    manager = await t.tokenFor("manager");
  });
  after(() => t.stop());

  it("refuses cash while no shift is open and writes nothing; other methods are taken, counted nowhere", async () => {
    const { id, total } = await order(t, [{ menuItemId: "fries", quantity: 1 }]);
    const seq = headSeq(t.app.ctx.journal);
    const refused = await pay(t, cashier, id, { method: "cash", amount: total, tendered: 500 });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "cash_shift_required");
    assert.match(refused.body.error.message, /open a cash shift/);
    assert.equal(headSeq(t.app.ctx.journal), seq, "no event written");
    const summary = await t.api<PaymentsSummary>("GET", `/api/orders/${id}/payments`, { token: cashier });
    assert.deepEqual([summary.body.paid, summary.body.due, summary.body.payments.length], [0, total, 0]);
    assert.equal(count(t, "payments"), 0);
    const events = t.app.ctx.journal.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM events WHERE type = 'payment.recorded'",
    );
    assert.equal(events?.n, 0);

    const card = await pay(t, cashier, id, { method: "card", amount: total, reference: "TID-0" });
    assert.equal(card.status, 201, JSON.stringify(card.body));
    assert.equal(count(t, "cash_shift_payments"), 0, "a card payment outside a shift counts in none");
  });

  it("opens one shift per drawer and works out over/short on a worked example", async () => {
    const opened = await t.api<CashShiftView>("POST", "/api/cash/open", {
      token: cashier,
      body: { openingFloat: 10_000 },
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    assert.equal(opened.body.drawer, "main");
    assert.equal(opened.body.status, "open");
    assert.equal(opened.body.summary.expected, 10_000);
    assert.equal(opened.body.summary.currency, "EUR");
    const again = await t.api<Err>("POST", "/api/cash/open", { token: manager, body: { openingFloat: 5_000 } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "cash_shift_open");
    // A second drawer opened by the manager: the cashier's payments still count in the cashier's drawer.
    const bar = await t.api<CashShiftView>("POST", "/api/cash/open", { token: manager, body: { drawer: "bar" } });
    assert.equal(bar.status, 201, JSON.stringify(bar.body));

    const first = await order(t, [
      { menuItemId: "burger", quantity: 1 },
      { menuItemId: "cola", quantity: 1 },
    ]);
    const withChange = await pay(t, cashier, first.id, { method: "cash", amount: first.total, tendered: 2_000 });
    assert.equal(withChange.status, 201, JSON.stringify(withChange.body));
    assert.equal(withChange.body.change, 2_000 - first.total);
    const second = await order(t, [{ menuItemId: "fries", quantity: 1 }]);
    assert.equal((await pay(t, cashier, second.id, { method: "cash", amount: second.total, tip: 50 })).status, 201);
    const third = await order(t, [{ menuItemId: "burger", quantity: 1 }]);
    const card = await pay(t, cashier, third.id, { method: "card", amount: third.total, tip: 100, reference: "TID-9" });
    assert.equal(card.status, 201);
    const fourth = await order(t, [{ menuItemId: "cola", quantity: 1 }]);
    assert.equal(
      (await pay(t, cashier, fourth.id, { method: "external", amount: fourth.total, reference: "voucher" })).status,
      201,
    );
    const barClosed = await t.api<CashCloseResponse>("POST", "/api/cash/close", {
      token: manager,
      body: { drawer: "bar", counted: 0 },
    });
    assert.equal(barClosed.status, 200, JSON.stringify(barClosed.body));
    assert.deepEqual([barClosed.body.shift.summary.totalTaken, barClosed.body.shift.summary.overShort], [0, 0]);

    assert.equal((await refund(t, manager, withChange.body.id, 300)).status, 201, "a part cash refund");
    assert.equal((await refund(t, manager, card.body.id, 100)).status, 201, "a card refund (no terminal)");
    const moveIn = await t.api<CashMovementView>("POST", "/api/cash/move", {
      token: cashier,
      body: { type: "cash_in", amount: 5_000, reason: "change from the bank" },
    });
    assert.equal(moveIn.status, 201, JSON.stringify(moveIn.body));
    const moveOut = await t.api<CashMovementView>("POST", "/api/cash/move", {
      token: cashier,
      body: { type: "cash_out", amount: 2_000, reason: "paid the window cleaner" },
    });
    assert.equal(moveOut.status, 201);

    const cashSales = first.total + second.total + 50;
    const expected = 10_000 + cashSales - 300 + 5_000 - 2_000;
    const session = await t.api<CashShiftView>("GET", "/api/cash/session", { token: cashier });
    assert.equal(session.status, 200);
    assert.deepEqual(
      { ...session.body.summary, otherMethods: undefined },
      {
        currency: "EUR",
        openingFloat: 10_000,
        cashSales,
        cashSalesCount: 2,
        cashRefunds: 300,
        cashRefundsCount: 1,
        cashIn: 5_000,
        cashOut: 2_000,
        expected,
        counted: null,
        overShort: null,
        otherMethods: undefined,
        totalTaken: cashSales + third.total + 100 + fourth.total,
        orders: 4,
      },
    );
    assert.deepEqual(session.body.summary.otherMethods, [
      { method: "card", count: 1, amount: third.total, tips: 100, refunds: 100 },
      { method: "external", count: 1, amount: fourth.total, tips: 0, refunds: 0 },
    ]);
    assert.deepEqual(
      session.body.movements.map((m) => [m.type, m.amount, m.reason]),
      [
        ["cash_in", 5_000, "change from the bank"],
        ["cash_out", 2_000, "paid the window cleaner"],
      ],
    );

    const closed = await t.api<CashCloseResponse>("POST", "/api/cash/close", {
      token: cashier,
      body: { counted: expected - 150, note: "one coin short" },
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal(closed.body.shift.status, "closed");
    assert.equal(closed.body.shift.summary.overShort, -150);
    assert.equal(closed.body.shift.summary.counted, expected - 150);
    assert.equal(closed.body.report.kind, "z");
    assert.deepEqual(closed.body.shift.reports, [{ id: closed.body.report.id, kind: "z", at: closed.body.report.at }]);

    // The drawer is closed: a cash refund now has no shift to come out of.
    const late = await refund(t, manager, withChange.body.id, 100);
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, "cash_shift_required");
    const list = await t.api<CashSessionsResponse>("GET", "/api/cash/sessions?drawer=main", { token: cashier });
    assert.deepEqual(
      list.body.shifts.map((s) => [s.status, s.expected, s.counted, s.overShort]),
      [["closed", expected, expected - 150, -150]],
    );
  });

  it("refuses a bad movement and writes nothing", async () => {
    assert.equal(
      (await t.api("POST", "/api/cash/open", { token: cashier, body: { openingFloat: 1_000 } })).status,
      201,
    );
    const bad: [string, unknown, number, string][] = [
      ["amount 0", { type: "cash_in", amount: 0, reason: "x" }, 400, "validation_failed"],
      ["negative", { type: "cash_in", amount: -100, reason: "x" }, 400, "validation_failed"],
      ["fraction", { type: "cash_in", amount: 1.5, reason: "x" }, 400, "validation_failed"],
      ["string", { type: "cash_in", amount: "100", reason: "x" }, 400, "validation_failed"],
      ["too much", { type: "cash_in", amount: 10_000_001, reason: "x" }, 400, "validation_failed"],
      ["no reason", { type: "cash_in", amount: 100 }, 400, "validation_failed"],
      ["empty reason", { type: "cash_in", amount: 100, reason: "" }, 400, "validation_failed"],
      ["control characters", { type: "cash_out", amount: 100, reason: "safe\u001b@drop" }, 400, "validation_failed"],
      ["unknown type", { type: "cash_gift", amount: 100, reason: "x" }, 400, "validation_failed"],
      ["below zero", { type: "cash_out", amount: 1_001, reason: "to the bank" }, 400, "validation_failed"],
    ];
    for (const [what, body, status, code] of bad) {
      const seq = headSeq(t.app.ctx.journal);
      const response = await t.api<Err>("POST", "/api/cash/move", { token: cashier, body });
      assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.code, code, what);
      assert.equal(headSeq(t.app.ctx.journal), seq, `${what}: nothing written`);
    }
    assert.equal(count(t, "cash_movements"), 2, "only the worked example's movements");
  });

  it("records a retried movement once, and refuses its key for another request", async () => {
    const id = randomUUID();
    const body = { id, type: "cash_in", amount: 250, reason: "float top-up" };
    const first = await t.api<CashMovementView>("POST", "/api/cash/move", { token: cashier, body });
    assert.equal(first.status, 201);
    const seq = headSeq(t.app.ctx.journal);
    const retry = await t.api<CashMovementView>("POST", "/api/cash/move", { token: cashier, body });
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(retry.body, first.body);
    assert.equal(headSeq(t.app.ctx.journal), seq);
    const other = await t.api<Err>("POST", "/api/cash/move", { token: cashier, body: { ...body, amount: 300 } });
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, "idempotency_conflict");
    // The header key works the same way without an id.
    const headers = { "idempotency-key": `move-${randomUUID()}` };
    const keyed = { type: "cash_out", amount: 100, reason: "stamps" };
    const a = await t.api<CashMovementView>("POST", "/api/cash/move", { token: cashier, body: keyed, headers });
    const b = await t.api<CashMovementView>("POST", "/api/cash/move", { token: cashier, body: keyed, headers });
    assert.deepEqual([a.status, b.status, b.body.id], [201, 201, a.body.id]);
    const session = await t.api<CashShiftView>("GET", "/api/cash/session", { token: cashier });
    assert.deepEqual([session.body.summary.cashIn, session.body.summary.cashOut], [250, 100]);
  });

  it("refuses a count whose denominations do not add up, keeps the Z report of the one that does", async () => {
    const seq = headSeq(t.app.ctx.journal);
    const wrong = await t.api<Err>("POST", "/api/cash/close", {
      token: cashier,
      body: {
        counted: 1_150,
        denominations: [
          { value: 500, count: 2 },
          { value: 100, count: 1 },
        ],
      },
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, "validation_failed");
    assert.equal(headSeq(t.app.ctx.journal), seq, "nothing written");
    const denominations = [
      { value: 500, count: 2 },
      { value: 100, count: 1 },
      { value: 50, count: 1 },
    ];
    const closed = await t.api<CashCloseResponse>("POST", "/api/cash/close", {
      token: manager,
      body: { counted: 1_150, denominations },
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.deepEqual(closed.body.shift.denominations, denominations);
    assert.equal(closed.body.shift.summary.overShort, 0);
    const report = await t.api<CashReportView>("GET", `/api/cash/reports/${closed.body.report.id}`, { token: cashier });
    assert.equal(report.status, 200);
    assert.equal(report.body.kind, "z");
    assert.deepEqual(report.body.summary, closed.body.shift.summary);
    assert.deepEqual(
      report.body.movements.map((m) => m.amount),
      [250, 100],
    );
    assert.equal(report.body.printJobId, closed.body.report.printJobId);
    const missing = await t.api<Err>("GET", `/api/cash/reports/${randomUUID()}`, { token: cashier });
    assert.deepEqual([missing.status, missing.body.error.code], [404, "cash_report_not_found"]);
    const none = await t.api<Err>("GET", "/api/cash/session", { token: cashier });
    assert.deepEqual([none.status, none.body.error.code], [404, "cash_shift_not_found"]);
    const byId = await t.api<CashShiftView>("GET", `/api/cash/session?id=${closed.body.shift.id}`, { token: cashier });
    assert.equal(byId.body.status, "closed");
  });

  it("keeps the open shift across a restart", async () => {
    const opened = await t.api<CashShiftView>("POST", "/api/cash/open", {
      token: cashier,
      body: { openingFloat: 700 },
    });
    assert.equal(opened.status, 201);
    const { id, total } = await order(t, [{ menuItemId: "fries", quantity: 1 }]);
    assert.equal((await pay(t, cashier, id, { method: "cash", amount: total })).status, 201);
    const dataDir = t.dataDir;
    await t.stop();
    t = await startTestApp({ dataDir, config: { cash: { shifts: "required" } } });
    const token = await t.tokenFor("manager");
    const session = await t.api<CashShiftView>("GET", "/api/cash/session", { token });
    assert.equal(session.status, 200);
    assert.equal(session.body.id, opened.body.id);
    assert.equal(session.body.summary.expected, 700 + total);
    // Cash is still taken in it after the restart.
    const next = await order(t, [{ menuItemId: "cola", quantity: 1 }]);
    assert.equal((await pay(t, token, next.id, { method: "cash", amount: next.total })).status, 201);
    const detail = await t.api<OrderDetail>("GET", `/api/orders/${next.id}`, { token });
    assert.equal(detail.status, 200);
    const later = await t.api<CashShiftView>("GET", "/api/cash/session", { token });
    assert.equal(later.body.summary.cashSalesCount, 2);
  });
});

describe("cash shifts off", () => {
  it("takes cash without a shift", async () => {
    const t = await startTestApp();
    try {
      const cashier = await t.tokenFor("cashier");
      const { id, total } = await order(t, [{ menuItemId: "fries", quantity: 1 }]);
      const paid = await pay(t, cashier, id, { method: "cash", amount: total });
      assert.equal(paid.status, 201, JSON.stringify(paid.body));
      assert.equal(count(t, "cash_shift_payments"), 0);
    } finally {
      await t.stop();
    }
  });
});

describe("blind close", () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { cash: { shifts: "required", blindClose: true } } });
  });
  after(() => t.stop());

  it("hides the expected figure from the cashier until the count, not from a manager", async () => {
    const cashier = await t.tokenFor("cashier");
    const manager = await t.tokenFor("manager");
    const opened = await t.api<CashShiftView>("POST", "/api/cash/open", {
      token: cashier,
      body: { openingFloat: 2_000 },
    });
    assert.equal(opened.status, 201);
    assert.deepEqual([opened.body.blind, opened.body.summary.expected], [true, null]);
    const { id, total } = await order(t, [{ menuItemId: "burger", quantity: 1 }]);
    assert.equal((await pay(t, cashier, id, { method: "cash", amount: total, tendered: 1_000 })).status, 201);

    const blind = await t.api<CashShiftView>("GET", "/api/cash/session", { token: cashier });
    assert.deepEqual([blind.body.blind, blind.body.summary.expected, blind.body.summary.overShort], [true, null, null]);
    assert.equal(blind.body.summary.cashSales, total, "what was taken is not hidden");
    const seen = await t.api<CashShiftView>("GET", "/api/cash/session", { token: manager });
    assert.deepEqual([seen.body.blind, seen.body.summary.expected], [false, 2_000 + total]);
    const list = await t.api<CashSessionsResponse>("GET", "/api/cash/sessions", { token: cashier });
    assert.equal(list.body.shifts[0]?.expected, null);
    const tooMuch = await t.api<Err>("POST", "/api/cash/move", {
      token: cashier,
      body: { type: "cash_out", amount: 100_000, reason: "bank" },
    });
    assert.equal(tooMuch.body.error.code, "validation_failed");
    assert.equal(tooMuch.body.error.details?.available, undefined, "the refusal does not tell the figure either");

    const seq = headSeq(t.app.ctx.journal);
    const x = await t.api<Err>("POST", "/api/cash/report", { token: cashier, body: {} });
    assert.equal(x.status, 403);
    assert.equal(x.body.error.code, "forbidden");
    assert.match(x.body.error.message, /manager/);
    assert.equal(headSeq(t.app.ctx.journal), seq);
    const managerX = await t.api<CashReportView>("POST", "/api/cash/report", { token: manager, body: {} });
    assert.equal(managerX.status, 201, JSON.stringify(managerX.body));
    assert.deepEqual([managerX.body.kind, managerX.body.summary.expected], ["x", 2_000 + total]);
    const xForCashier = await t.api<CashReportView>("GET", `/api/cash/reports/${managerX.body.id}`, { token: cashier });
    assert.equal(xForCashier.body.summary.expected, null);

    const closed = await t.api<CashCloseResponse>("POST", "/api/cash/close", {
      token: cashier,
      body: { counted: 2_000 + total + 20 },
    });
    assert.equal(closed.status, 200);
    assert.deepEqual(
      [closed.body.shift.blind, closed.body.shift.summary.expected, closed.body.shift.summary.overShort],
      [false, 2_000 + total, 20],
    );
    assert.deepEqual(
      closed.body.shift.reports.map((r) => r.kind),
      ["x", "z"],
    );
  });
});
