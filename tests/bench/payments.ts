/**
 * Card payments: galleyd's own time from "the terminal approved" to the order number on the
 * kiosk — the approval is settled (order, payment and checkout written and fsynced in one
 * transaction), the kiosk's long-poll wakes and the answer crosses HTTP. The terminal is an
 * in-process `PaymentTerminal` that approves when the bench says so, so its own protocol time is
 * not counted. Measured on a journal that already holds a store's volume: thousands of orders,
 * hundreds of them open.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { PaymentTerminal, TerminalOutcome, TerminalState } from "../../drivers/index.ts";
import { devPair } from "../../appliance/commands/auth.ts";
import { placeOrder } from "../../appliance/commands/orders.ts";
import { startTestApp } from "../helpers/test-app.ts";
import { percentile, round, type BenchRow } from "./stats.ts";
import type { CheckoutView } from "../../protocol/schemas/payments.ts";

const HISTORY = Number(process.env.GALLEY_BENCH_PAY_HISTORY ?? 3_000);
const OPEN = Number(process.env.GALLEY_BENCH_PAY_OPEN ?? 500);
const SAMPLES = Number(process.env.GALLEY_BENCH_PAY_SAMPLES ?? 200);

/** A terminal that approves a payment when `approve()` is called, and records when it did. */
class HeldTerminal implements PaymentTerminal {
  readonly protocol = "zvt" as const;
  #pending: ((outcome: TerminalOutcome) => void) | undefined;
  #presented: (() => void) | undefined;
  #count = 0;
  reference = "";
  amount = 0;
  approvedAt = 0;

  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  state(): TerminalState {
    return { online: true, busy: this.#pending !== undefined, terminalId: "BENCH001", lastError: null };
  }
  refreshState(): Promise<TerminalState> {
    return Promise.resolve(this.state());
  }
  /** Resolves once galleyd has handed the terminal a payment. */
  presented(): Promise<void> {
    if (this.#pending) return Promise.resolve();
    return new Promise((resolve) => (this.#presented = resolve));
  }
  pay(request: { reference: string; amount: number }): Promise<TerminalOutcome> {
    return new Promise((resolve) => {
      this.#pending = (outcome) => {
        this.#pending = undefined;
        resolve(outcome);
      };
      this.#presented?.();
      this.#presented = undefined;
      this.#count += 1;
      this.reference = request.reference;
      this.amount = request.amount;
    });
  }
  approve(): void {
    this.approvedAt = performance.now();
    this.#pending?.({
      result: "approved",
      reference: this.reference,
      amount: this.amount,
      transactionId: String(this.#count).padStart(4, "0"),
      authCode: "123456",
      terminalId: "BENCH001",
      receiptLines: ["VISA", "************0119", "Auth 123456", "Terminal BENCH001"],
    });
  }
  abort(): Promise<void> {
    return Promise.resolve();
  }
  transactionStatus(query: { reference: string }): Promise<{ state: "not_found"; reference: string }> {
    return Promise.resolve({ state: "not_found", reference: query.reference });
  }
  reverse(): Promise<TerminalOutcome> {
    return Promise.resolve({ result: "not_sent", reference: "", reason: "bench" });
  }
  refund(): Promise<TerminalOutcome> {
    return Promise.resolve({ result: "not_sent", reference: "", reason: "bench" });
  }
  endOfDay(): Promise<never> {
    return Promise.reject(new Error("bench"));
  }
}

export async function runPaymentsBench(): Promise<BenchRow[]> {
  const terminal = new HeldTerminal();
  const t = await startTestApp({
    config: {
      devices: {
        printers: [],
        requireKitchenRoute: false,
        terminals: [{ id: "bench", protocol: "zvt", uri: "tcp://127.0.0.1:9", kiosks: ["*"] }],
      },
    },
    payments: { driverFor: () => terminal },
  });
  try {
    // A store's volume: a history of orders, some still open.
    const ctx = t.app.ctx;
    const filler = devPair(ctx, "kiosk", "bench history").response.principal;
    for (let i = 0; i < HISTORY; i++) {
      const placed = placeOrder(
        ctx,
        filler,
        { id: randomUUID(), items: [{ menuItemId: "fries", quantity: 1 }] },
        undefined,
      );
      if (i >= OPEN) ctx.journal.run("UPDATE orders SET status = 'completed' WHERE id = ?", [placed.body.id]);
    }
    const kiosk = await t.tokenFor("kiosk");
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = await t.api<CheckoutView>("POST", "/api/checkouts", {
        token: kiosk,
        body: { id: randomUUID(), orderId: randomUUID(), items: [{ menuItemId: "burger", quantity: 1 }] },
      });
      if (started.status !== 202) throw new Error(`checkout refused: ${JSON.stringify(started.body)}`);
      await terminal.presented();
      // The kiosk is waiting on its long-poll, as it does while the customer is at the terminal.
      let view = (await t.api<CheckoutView>("GET", `/api/checkouts/${started.body.id}`, { token: kiosk })).body;
      const answer = t.api<CheckoutView>("GET", `/api/checkouts/${view.id}?after=${view.version}&waitMs=20000`, {
        token: kiosk,
      });
      // Let the long-poll reach galleyd before the approval (it is parked once the request is read).
      await new Promise((resolve) => setTimeout(resolve, 5));
      terminal.approve();
      view = (await answer).body;
      const shown = performance.now();
      if (view.state !== "approved" || !view.order) {
        // The long-poll answered with an intermediate version: follow until the order is there.
        for (let k = 0; k < 20 && !view.order; k++)
          view = (
            await t.api<CheckoutView>("GET", `/api/checkouts/${view.id}?after=${view.version}&waitMs=20000`, {
              token: kiosk,
            })
          ).body;
        latencies.push(performance.now() - terminal.approvedAt);
      } else {
        latencies.push(shown - terminal.approvedAt);
      }
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return [
      {
        group: "payments",
        metric: `approved → order number on the kiosk p50 (${HISTORY} orders, ${OPEN} open, ${SAMPLES} payments)`,
        value: round(p50),
        unit: "ms",
      },
      {
        group: "payments",
        metric: "approved → order number on the kiosk p99",
        value: round(p99),
        unit: "ms",
        target: "≤ 50 ms",
        ok: p99 <= 50,
      },
    ];
  } finally {
    await t.stop();
  }
}

// Runs alone with `node --import tsx tests/bench/payments.ts`.
if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const { formatTable } = await import("./stats.ts");
  console.log(formatTable(await runPaymentsBench()));
}
