/**
 * The counter's cash at a store's volume: a journal that already holds a year of closed shifts,
 * and an open shift with a busy day's cash sales. Measured: a cash payment (the shift hook finds
 * the open shift and counts the payment in the payment's own transaction), the shift's summary
 * the counter reads after every sale, the X report and the close with its Z report, and the list
 * of past shifts. Every figure is galleyd's answer over HTTP, as the counter sees it.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { placeOrder } from "../../appliance/commands/orders.ts";
import { recordPayment } from "../../appliance/commands/payments.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { percentile, round, type BenchRow } from "./stats.ts";
import type { CashShiftView } from "../../protocol/schemas/cash.ts";

const SHIFTS = Number(process.env.GALLEY_BENCH_CASH_SHIFTS ?? 365);
const PER_SHIFT = Number(process.env.GALLEY_BENCH_CASH_PER_SHIFT ?? 40);
const OPEN_SALES = Number(process.env.GALLEY_BENCH_CASH_OPEN_SALES ?? 1_500);
const SAMPLES = Number(process.env.GALLEY_BENCH_CASH_SAMPLES ?? 200);

/** Sells one fries for cash through the commands (history is built without HTTP). */
function sellForCash(t: TestApp, cashier: Principal): void {
  const ctx = t.app.ctx;
  const order = placeOrder(
    ctx,
    cashier,
    { id: randomUUID(), items: [{ menuItemId: "fries", quantity: 1 }], channel: "counter" },
    undefined,
  );
  recordPayment(
    ctx,
    cashier,
    order.body.id,
    { id: randomUUID(), method: "cash", amount: order.body.totals.total, tendered: order.body.totals.total + 50 },
    undefined,
  );
  ctx.journal.run("UPDATE orders SET status = 'completed' WHERE id = ?", [order.body.id]);
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

export async function runCashBench(): Promise<BenchRow[]> {
  const t = await startTestApp({
    config: { cash: { shifts: "required" }, devices: { printers: [], requireKitchenRoute: false, terminals: [] } },
  });
  try {
    const token = await t.tokenFor("cashier");
    const me = (await t.api<Principal>("GET", "/api/auth/me", { token })).body;
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const reply = await t.api<T>(method, path, { token, body });
      if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    };

    // A year of history: a closed shift a day, each with its cash sales and a movement.
    for (let s = 0; s < SHIFTS; s++) {
      await call("POST", "/api/cash/open", { openingFloat: 10_000 });
      for (let i = 0; i < PER_SHIFT; i++) sellForCash(t, me);
      await call("POST", "/api/cash/move", { type: "cash_out", amount: 2_000, reason: "to the safe" });
      const open = await call<CashShiftView>("GET", "/api/cash/session");
      await call("POST", "/api/cash/close", { counted: open.summary.expected ?? 0 });
    }
    // Today: an open shift with a busy day's cash sales.
    await call("POST", "/api/cash/open", { openingFloat: 10_000 });
    for (let i = 0; i < OPEN_SALES; i++) sellForCash(t, me);

    // A cash sale at the counter: place, then pay (the payment is what the shift hook adds to).
    const payments: number[] = [];
    const summaries: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const order = await call<{ id: string; totals: { total: number } }>("POST", "/api/orders", {
        id: randomUUID(),
        channel: "counter",
        items: [{ menuItemId: "fries", quantity: 1 }],
      });
      const [, paid] = await timed(() =>
        call("POST", `/api/orders/${order.id}/payments`, {
          id: randomUUID(),
          method: "cash",
          amount: order.totals.total,
          tendered: order.totals.total + 50,
        }),
      );
      payments.push(paid);
      const [, read] = await timed(() => call<CashShiftView>("GET", "/api/cash/session"));
      summaries.push(read);
    }
    const reports: number[] = [];
    for (let i = 0; i < 10; i++) reports.push((await timed(() => call("POST", "/api/cash/report", {})))[1]);
    const lists: number[] = [];
    for (let i = 0; i < 20; i++) lists.push((await timed(() => call("GET", "/api/cash/sessions?limit=30")))[1]);
    const open = await call<CashShiftView>("GET", "/api/cash/session");
    const [, closed] = await timed(() =>
      call("POST", "/api/cash/close", { counted: (open.summary.expected ?? 0) - 150 }),
    );

    const inShift = OPEN_SALES + SAMPLES;
    const summaryP50 = percentile(summaries, 50);
    return [
      {
        group: "cash",
        metric: `cash payment at the counter p50 (${SHIFTS} closed shifts, ${inShift} sales in the open one)`,
        value: round(percentile(payments, 50)),
        unit: "ms",
      },
      {
        group: "cash",
        metric: "cash payment at the counter p99",
        value: round(percentile(payments, 99)),
        unit: "ms",
        target: "≤ 50 ms",
        ok: percentile(payments, 99) <= 50,
      },
      {
        group: "cash",
        metric: `open shift's summary (GET /api/cash/session, ~${inShift} sales) p50`,
        value: round(summaryP50),
        unit: "ms",
        target: "≤ 50 ms",
        ok: summaryP50 <= 50,
      },
      { group: "cash", metric: "X report (kept and printed) p50", value: round(percentile(reports, 50)), unit: "ms" },
      {
        group: "cash",
        metric: `past shifts list (limit 30 of ${SHIFTS + 1}) p50`,
        value: round(percentile(lists, 50)),
        unit: "ms",
      },
      {
        group: "cash",
        metric: `close with the count and the Z report (${inShift} sales)`,
        value: round(closed),
        unit: "ms",
        target: "≤ 500 ms",
        ok: closed <= 500,
      },
    ];
  } finally {
    await t.stop();
  }
}

// Runs alone with `node --import tsx tests/bench/cash.ts`.
if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const { formatTable } = await import("./stats.ts");
  console.log(formatTable(await runCashBench()));
}
