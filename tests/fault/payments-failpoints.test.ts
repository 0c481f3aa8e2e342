/**
 * Card payments killed at every point (docs/architecture.md#fault-tests): a child galleyd is
 * SIGKILLed before the terminal is asked, after it approved but before the order is written, and
 * after the commit. After a restart, what a manager checks: the terminal charged at most once,
 * an approved charge has exactly its one order and payment, nothing approved is lost, and no
 * order is paid without a charge.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { startZvtSimulator, type ZvtSimulator } from "../../drivers/index.ts";
import { runChild, type ChildRun } from "./run-child.ts";

const CHILD = join(import.meta.dirname, "payments-child.ts");

/** The checkout the child started (its id and the order id it will have). */
function checkoutOf(run: ChildRun): { id: string; orderId: string } | undefined {
  const [id, orderId] = (run.said.get("CHECKOUT")?.[0] ?? "").split(" ");
  return id && orderId ? { id, orderId } : undefined;
}

function rows<T>(dataDir: string, sql: string, ...params: string[]): T[] {
  const db = new DatabaseSync(join(dataDir, "journal.sqlite"), { readOnly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const sims: ZvtSimulator[] = [];
after(async () => {
  for (const sim of sims) await sim.close();
});

const CASES = [
  { point: "payment-before-request", charged: false },
  { point: "payment-after-approval", charged: true },
  { point: "payment-after-commit", charged: true },
] as const;

describe("card payment failpoints: SIGKILL, restart, settled by asking the terminal", { concurrency: 3 }, () => {
  for (const { point, charged } of CASES) {
    it(`killed ${point}`, { timeout: 180_000 }, async () => {
      const sim = await startZvtSimulator({ password: "000000", stepMs: 2 });
      sims.push(sim);
      sim.script({ kind: "approve" });
      const dataDir = mkdtempSync(join(tmpdir(), `galley-fp-pay-${point}-`));
      const killed = await runChild(CHILD, dataDir, { TERMINAL_URI: sim.uri, MODE: "pay", GALLEY_FAILPOINT: point });
      assert.equal(killed.signal, "SIGKILL", `killed at ${point}: ${killed.stderr}`);
      const checkout = checkoutOf(killed);
      assert.ok(checkout, "the checkout was written before the kill");
      const sales = () => sim.transactions().filter((x) => x.kind === "sale" && x.result === "approved" && !x.reversed);
      assert.equal(sales().length, charged ? 1 : 0, "what the terminal booked before the kill");

      const recovered = await runChild(CHILD, dataDir, { TERMINAL_URI: sim.uri, MODE: "recover" });
      assert.equal(recovered.code, 0, recovered.stderr);
      assert.equal(recovered.done?.settled, true, "every attempt settled after the restart");
      assert.equal(sales().length, charged ? 1 : 0, "never charged again");
      const { id, orderId } = checkout;
      const [attempt] = rows<{ state: string; recovered: number }>(
        dataDir,
        "SELECT state, recovered FROM payment_attempts WHERE id = ?",
        id,
      );
      const orders = rows<{ status: string }>(dataDir, "SELECT status FROM orders WHERE id = ?", orderId);
      const payments = rows<{ amount: number; terminal: string }>(
        dataDir,
        "SELECT amount, terminal FROM payments WHERE order_id = ?",
        orderId,
      );
      assert.ok(attempt, "the attempt is in the journal");
      if (charged) {
        assert.equal(attempt.state, "approved");
        assert.equal(orders.length, 1, "the approved charge has its order");
        assert.equal(orders[0]?.status, "in_queue");
        assert.equal(payments.length, 1, "and exactly one payment");
        assert.equal(payments[0]?.amount, sales()[0]?.amount);
      } else {
        assert.equal(attempt.state, "failed");
        assert.equal(orders.length, 0, "no order without a charge");
        assert.equal(payments.length, 0);
      }
      if (point !== "payment-after-commit") {
        assert.equal(attempt.recovered, 1, "settled by the recovery");
        const notes = rows<{ kind: string }>(
          dataDir,
          "SELECT kind FROM sync_notifications WHERE order_id = ?",
          orderId,
        );
        assert.ok(
          notes.some((n) => n.kind === "payment_settled"),
          "an operator is told",
        );
      }
    });
  }
});
