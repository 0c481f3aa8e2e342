import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it, type TestContext } from "node:test";
import {
  createZvtTerminal,
  isDriverError,
  startZvtSimulator,
  type PaymentTerminal,
  type TerminalOutcome,
  type TerminalProgress,
  type ZvtSimulator,
  type ZvtSimulatorOptions,
  type ZvtTerminalOptions,
} from "../../../drivers/index.ts";

const FULL_PAN = "4761739001010119";
const EUR = "EUR";

async function setup(
  t: TestContext,
  simOptions: ZvtSimulatorOptions = {},
  terminalOptions: Partial<ZvtTerminalOptions> = {},
): Promise<{ sim: ZvtSimulator; terminal: PaymentTerminal }> {
  const sim = await startZvtSimulator({ stepMs: 5, ...simOptions });
  const terminal = createZvtTerminal(sim.uri, {
    password: "123456",
    ackTimeoutMs: 3_000,
    commandTimeoutMs: 5_000,
    paymentTimeoutMs: 8_000,
    reconnect: false,
    ...terminalOptions,
  });
  t.after(async () => {
    await terminal.stop();
    await sim.close();
  });
  return { sim, terminal };
}

/** Waits until `check` holds, polling; bounded by `timeoutMs`. */
async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function approved(outcome: TerminalOutcome): Extract<TerminalOutcome, { result: "approved" }> {
  assert.equal(outcome.result, "approved", JSON.stringify(outcome));
  return outcome;
}

const sale = (reference: string, amount: number) => ({ reference, amount, currency: EUR });

describe("ZVT terminal over TCP against the simulator", () => {
  it("approves a sale with progress, the customer slip and a masked PAN only", async (t) => {
    const { sim, terminal } = await setup(t);
    const progress: TerminalProgress[] = [];
    const outcome = approved(await terminal.pay(sale("pay-1", 1234), { onProgress: (p) => progress.push(p) }));
    assert.equal(outcome.amount, 1234);
    assert.equal(outcome.transactionId, sim.transactions()[0]?.receiptNumber);
    assert.equal(outcome.terminalId, "52001233");
    assert.match(outcome.authCode ?? "", /^\d{6}$/);
    assert.deepEqual(outcome.card, { maskedPan: "************0119", brand: "VISA" });
    assert.ok(outcome.receiptLines.some((l) => l.includes("Kundenbeleg")));
    assert.ok(!outcome.receiptLines.some((l) => l.includes("Haendlerbeleg")), "only the customer's slip");
    assert.ok(outcome.receiptLines.includes("Karte: ************0119"));
    assert.ok(!JSON.stringify(outcome).includes(FULL_PAN.slice(0, 6)), "no PAN digits beyond the last four");
    assert.deepEqual(
      progress.map((p) => p.stage),
      ["present_card", "enter_pin", "processing"],
    );
    assert.equal(progress[0]?.text, "Bitte Karte einstecken");
    // Real bytes: registration with password, config 9E and EUR; authorisation with BMP 04 and 49.
    const hexes = sim.received().map((r) => r.hex);
    assert.equal(hexes[0], "06 00 0e 12 34 56 9e 09 78 06 06 26 04 0a 02 06 d3");
    assert.ok(hexes.includes("06 01 0a 04 00 00 00 00 12 34 49 09 78"));
    assert.deepEqual(terminal.state(), { online: true, busy: false, terminalId: "52001233", lastError: null });
    // A known outcome needs no terminal to answer transactionStatus.
    const status = await terminal.transactionStatus(sale("pay-1", 1234));
    assert.equal(status.state, "approved");
  });

  it("reports a decline with the issuer's code and the declined slip", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ kind: "decline" });
    const outcome = await terminal.pay(sale("pay-d", 500));
    assert.equal(outcome.result, "declined");
    assert.equal(outcome.reason, "declined by the card issuer (code 05)");
    assert.ok(outcome.receiptLines.includes("Zahlung nicht erfolgt"));
    assert.deepEqual(await terminal.transactionStatus(sale("pay-d", 500)), {
      state: "failed",
      reference: "pay-d",
      reason: outcome.reason,
    });
  });

  it("reports a customer's cancel as cancelled", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ kind: "customer_cancels" });
    const outcome = await terminal.pay(sale("pay-c", 500));
    assert.equal(outcome.result, "cancelled");
    assert.equal(sim.transactions().length, 0);
  });

  it("follows a slow customer and approves", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ kind: "slow_customer", durationMs: 150 });
    const progress: TerminalProgress[] = [];
    const outcome = await terminal.pay(sale("pay-s", 700), { onProgress: (p) => progress.push(p) });
    approved(outcome);
    assert.ok(progress.filter((p) => p.stage === "present_card").length >= 2, `progress: ${progress.length}`);
  });

  it("aborts a slow customer's sale on request (06 B0) and says in_progress meanwhile", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ kind: "slow_customer", durationMs: 20_000 });
    let seen = 0;
    const pending = terminal.pay(sale("pay-a", 900), { onProgress: () => seen++ });
    await waitFor(() => seen > 0);
    assert.deepEqual(await terminal.transactionStatus(sale("pay-a", 900)), {
      state: "in_progress",
      reference: "pay-a",
    });
    assert.equal(terminal.state().busy, true);
    await terminal.abort();
    const outcome = await pending;
    assert.equal(outcome.result, "cancelled");
    assert.ok(sim.received().some((r) => r.hex === "06 b0 00"));
  });

  it("ends unknown when the terminal never answers, then works again", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ kind: "no_answer" });
    const started = Date.now();
    const outcome = await terminal.pay(sale("pay-n", 100), { timeoutMs: 300 });
    assert.equal(outcome.result, "unknown");
    assert.match(outcome.reason, /no answer/);
    assert.ok(Date.now() - started < 5_000);
    approved(await terminal.pay(sale("pay-n2", 100)));
    assert.ok(sim.connections() >= 2, "reconnected");
  });

  it("ends unknown when the connection drops mid-transaction, then reconnects", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ kind: "drop_connection" });
    const outcome = await terminal.pay(sale("pay-x", 100));
    assert.equal(outcome.result, "unknown");
    assert.equal(terminal.state().online, false);
    // Nothing was booked: the terminal's last transaction is not ours.
    assert.deepEqual(await terminal.transactionStatus(sale("pay-x", 100)), { state: "not_found", reference: "pay-x" });
    approved(await terminal.pay(sale("pay-x2", 100)));
    assert.equal(terminal.state().online, true);
  });

  it("finds an approval whose answer was lost through the repeated receipt", async (t) => {
    const { sim, terminal } = await setup(t);
    approved(await terminal.pay(sale("earlier", 4200)));
    sim.script({ kind: "approve_then_drop" });
    const outcome = await terminal.pay(sale("lost", 4200));
    assert.equal(outcome.result, "unknown");
    const booked = sim.transactions().at(-1);
    assert.equal(booked?.result, "approved");
    const status = await terminal.transactionStatus(sale("lost", 4200));
    assert.equal(status.state, "approved", JSON.stringify(status));
    assert.equal(status.amount, 4200);
    assert.equal(status.transactionId, booked.receiptNumber);
    assert.equal(status.card?.maskedPan, "************0119");
    assert.ok(sim.received().some((r) => r.hex === "06 20 03 12 34 56"));
    // The same last transaction does not answer for another amount.
    assert.equal((await terminal.transactionStatus(sale("other", 999))).state, "not_found");
  });

  it("reverses an approved sale by its receipt number", async (t) => {
    const { sim, terminal } = await setup(t);
    const paid = approved(await terminal.pay(sale("pay-r", 1500)));
    const reversal = await terminal.reverse(
      { reference: "pay-r", transactionId: paid.transactionId, amount: 1500, currency: EUR },
      "rev-1",
    );
    approved(reversal);
    assert.ok(sim.received().some((r) => r.hex === `06 30 06 12 34 56 87 00 0${paid.transactionId.slice(-1)}`));
    assert.equal(sim.transactions().find((x) => x.receiptNumber === paid.transactionId)?.reversed, true);
    assert.equal((await terminal.transactionStatus(sale("pay-r", 1500))).state, "failed");
    const again = await terminal.reverse(
      { reference: "pay-r", transactionId: paid.transactionId, amount: 1500, currency: EUR },
      "rev-2",
    );
    assert.ok(again.result === "declined" && again.reason.includes("already reversed"));
  });

  it("refunds and closes the day with totals per brand", async (t) => {
    const { sim, terminal } = await setup(t);
    approved(await terminal.pay(sale("s1", 1000)));
    sim.script({ kind: "approve", card: { pan: "6726000011112222", brand: "girocard", cardType: 5 } });
    approved(await terminal.pay(sale("s2", 250)));
    approved(await terminal.refund({ reference: "rf1", amount: 100, currency: EUR }, null));
    assert.ok(sim.received().some((r) => r.hex === "06 31 0a 12 34 56 04 00 00 00 00 01 00"));
    const totals = await terminal.endOfDay();
    assert.equal(totals.total, 1150);
    assert.equal(totals.count, 3);
    assert.equal(totals.currency, EUR);
    assert.deepEqual(totals.byBrand, [
      { brand: "girocard", count: 1, total: 250 },
      { brand: "VISA", count: 2, total: 900 },
    ]);
    assert.ok(totals.receiptLines.some((l) => l.includes("Kassenschnitt")));
    const next = await terminal.endOfDay();
    assert.equal(next.total, 0);
    assert.equal(next.count, 0);
  });

  it("is refused with a wrong password: not_sent, and the state says why", async (t) => {
    const { terminal } = await setup(t, {}, { password: "000000" });
    const outcome = await terminal.pay(sale("pay-w", 100));
    assert.equal(outcome.result, "not_sent");
    assert.match(outcome.reason, /refused/);
    assert.equal(terminal.state().online, false);
    assert.match(terminal.state().lastError ?? "", /refused/);
    await assert.rejects(terminal.endOfDay(), (e: unknown) => isDriverError(e, "refused"));
  });

  it("says not_sent / unreachable when the terminal is offline", async () => {
    const sim = await startZvtSimulator();
    const uri = sim.uri;
    await sim.close();
    const terminal = createZvtTerminal(uri, { password: "123456", connectTimeoutMs: 1_000, reconnect: false });
    try {
      await terminal.start();
      assert.equal(terminal.state().online, false);
      const outcome = await terminal.pay(sale("pay-o", 100));
      assert.equal(outcome.result, "not_sent");
      assert.equal((await terminal.transactionStatus(sale("never", 100))).state, "unreachable");
      await assert.rejects(terminal.endOfDay(), (e: unknown) => isDriverError(e));
    } finally {
      await terminal.stop();
    }
  });

  it("answers a status enquiry (05 01) and refuses a currency it is not registered for", async (t) => {
    const { sim, terminal } = await setup(t);
    await terminal.start();
    assert.deepEqual(await terminal.refreshState(), {
      online: true,
      busy: false,
      terminalId: "52001233",
      lastError: null,
    });
    assert.ok(sim.received().some((r) => r.hex === "05 01 03 12 34 56"));
    const outcome = await terminal.pay({ reference: "chf", amount: 100, currency: "CHF" });
    assert.equal(outcome.result, "not_sent");
    assert.equal(sim.transactions().length, 0);
  });

  it("takes print text blocks (06 D3) and strips control characters from terminal text", async (t) => {
    const { terminal } = await setup(t, { useTextBlocks: true });
    const outcome = approved(await terminal.pay(sale("pay-tb", 100)));
    assert.ok(outcome.receiptLines[0]?.includes("Kundenbeleg"));
    assert.ok(!outcome.receiptLines.some((l) => l.includes("Haendlerbeleg")));
  });

  it("keeps the password out of its byte traces", async (t) => {
    const traces: string[] = [];
    const record = (_fields: object, message?: string): void => {
      traces.push(message ?? "");
    };
    const logger = { debug: record, info: record, warn: record, error: record };
    const { terminal } = await setup(t, {}, { logger });
    approved(await terminal.pay(sale("pay-log", 100)));
    assert.ok(
      traces.some((m) => m.startsWith("--> 06 00 0e xx xx xx 9e")),
      traces.join("\n"),
    );
    assert.ok(!traces.some((m) => m.includes("12 34 56")));
  });

  it("cleans hostile receipt text", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ kind: "approve", receiptText: "Danke\u001b[2J\u0007 f\u00fcr\u001b@ Ihren Einkauf" });
    const outcome = approved(await terminal.pay(sale("pay-h", 100)));
    assert.ok(outcome.receiptLines.includes("Danke[2J für@ Ihren Einkauf"), JSON.stringify(outcome.receiptLines));
    for (const line of outcome.receiptLines) {
      for (const char of line) assert.ok(char >= " " && (char < "\u007f" || char > "\u009f"), JSON.stringify(line));
    }
  });
});

const hasSocat = spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;

describe("ZVT terminal over a serial line (socat PTY)", { skip: hasSocat ? false : "socat is not installed" }, () => {
  it("registers, pays and answers a status enquiry with DLE/STX framing", { timeout: 20_000 }, async (t) => {
    const { sim, terminal } = await setup(t, { transport: "serial", baudRate: 115200 });
    assert.match(sim.uri, /^serial:\/dev\/pts\/\d+\?baud=115200$/);
    const progress: TerminalProgress[] = [];
    const outcome = approved(await terminal.pay(sale("serial-1", 2599), { onProgress: (p) => progress.push(p) }));
    assert.equal(outcome.amount, 2599);
    assert.equal(outcome.card?.maskedPan, "************0119");
    assert.ok(progress.length >= 3);
    assert.equal((await terminal.refreshState()).online, true);
  });
});
