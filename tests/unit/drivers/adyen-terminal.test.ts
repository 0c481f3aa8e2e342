import assert from "node:assert/strict";
import net from "node:net";
import { describe, it, type TestContext } from "node:test";
import {
  isDriverError,
  loadAdyenTerminal,
  startAdyenSimulator,
  type AdyenSimulator,
  type AdyenTerminalOptions,
  type PaymentTerminal,
  type TerminalOutcome,
  type TerminalProgress,
} from "../../../drivers/index.ts";

const { createAdyenTerminal } = await loadAdyenTerminal();

const KEYS = { keyIdentifier: "galleykey", keyVersion: 1, passphrase: "correct horse battery staple" };
const POI_ID = "V400m-123456789";

/** Polls `condition` every 10 ms until it holds; fails after `ms` (a bounded loop). */
async function waitFor(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function driverFor(sim: AdyenSimulator, overrides: Partial<AdyenTerminalOptions> = {}): PaymentTerminal {
  return createAdyenTerminal({
    url: sim.url,
    poiId: POI_ID,
    saleId: "galley-kiosk-1",
    keys: KEYS,
    certificate: sim.certificatePem,
    currency: "EUR",
    connectTimeoutMs: 5_000,
    paymentTimeoutMs: 15_000,
    requestTimeoutMs: 10_000,
    pollIntervalMs: 0,
    ...overrides,
  });
}

async function setup(t: TestContext): Promise<{ sim: AdyenSimulator; terminal: PaymentTerminal }> {
  const sim = await startAdyenSimulator({ keys: KEYS, poiId: POI_ID });
  const terminal = driverFor(sim);
  t.after(async () => {
    await terminal.stop();
    await sim.close();
  });
  return { sim, terminal };
}

function approved(outcome: TerminalOutcome): Extract<TerminalOutcome, { result: "approved" }> {
  assert.equal(outcome.result, "approved", `expected approved, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

const eur = (reference: string, amount: number) => ({ reference, amount, currency: "EUR" });

describe("Adyen terminal (local Terminal API) against the simulator", () => {
  it("approves a sale: amount, masked PAN, brand, cleaned receipt lines, progress", async (t) => {
    const { sim, terminal } = await setup(t);
    await terminal.start();
    assert.deepEqual(terminal.state(), { online: true, busy: false, terminalId: POI_ID, lastError: null });
    sim.script({
      outcome: "approve",
      brand: "visa",
      maskedPan: "476173******0010",
      receiptText: "Danke\u001b@\u0007 schön\u202e",
    });
    const stages: TerminalProgress[] = [];
    const outcome = approved(await terminal.pay(eur("pay-approve-1", 1299), { onProgress: (p) => stages.push(p) }));
    assert.equal(outcome.amount, 1299);
    assert.equal(outcome.reference, "pay-approve-1");
    assert.deepEqual(outcome.card, { maskedPan: "************0010", brand: "VISA" });
    assert.equal(outcome.authCode, "123456");
    assert.equal(outcome.terminalId, POI_ID);
    assert.match(outcome.transactionId, /^Sim\d{4}\w+\.\d{16}$/);
    assert.ok(outcome.receiptLines.includes("CARDHOLDER COPY"));
    assert.ok(outcome.receiptLines.includes("TOTAL: EUR 12.99"));
    assert.ok(outcome.receiptLines.includes("APPROVED"));
    assert.ok(outcome.receiptLines.includes("Danke@ schön"), outcome.receiptLines.join("|"));
    // eslint-disable-next-line no-control-regex -- looking for control characters
    for (const line of outcome.receiptLines) assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202e]/);
    assert.deepEqual(
      stages.map((p) => p.stage),
      ["connecting", "present_card", "approved"],
    );

    const request = sim.received().find((r) => r.category === "Payment");
    assert.ok(request);
    assert.ok(request.serviceId.length >= 1 && request.serviceId.length <= 10);
    assert.match(request.serviceId, /^[A-Za-z0-9]+$/);
    const body = request.message.PaymentRequest as {
      SaleData: { SaleTransactionID: { TransactionID: string } };
      PaymentTransaction: { AmountsReq: { Currency: string; RequestedAmount: number } };
    };
    assert.equal(body.SaleData.SaleTransactionID.TransactionID, "pay-approve-1");
    assert.deepEqual(body.PaymentTransaction.AmountsReq, { Currency: "EUR", RequestedAmount: 12.99 });
    const header = request.message.MessageHeader as Record<string, unknown>;
    assert.equal(header.ProtocolVersion, "3.0");
    assert.equal(header.MessageClass, "Service");
    assert.equal(header.POIID, POI_ID);
  });

  it("reports a decline with the terminal's reason and receipt", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script("decline");
    const outcome = await terminal.pay(eur("pay-decline-1", 500));
    assert.equal(outcome.result, "declined");
    assert.match(outcome.reason, /Refusal/);
    assert.ok(outcome.receiptLines.includes("DECLINED"));
    const status = await terminal.transactionStatus(eur("pay-decline-1", 500));
    assert.equal(status.state, "failed");
    assert.match(status.reason, /Refusal/);
  });

  it("reports a customer cancel as cancelled", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script("customer_cancels");
    const stages: string[] = [];
    const outcome = await terminal.pay(eur("pay-cancel-1", 500), { onProgress: (p) => stages.push(p.stage) });
    assert.equal(outcome.result, "cancelled");
    assert.equal(stages.at(-1), "cancelled");
  });

  it("is not_sent when the terminal rejects the message (EventNotification Reject)", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script("reject");
    const outcome = await terminal.pay(eur("pay-reject-1", 500));
    assert.equal(outcome.result, "not_sent");
    assert.match(outcome.reason, /rejected the request: message=Rejected/);
    assert.equal(sim.transactions().length, 0);
  });

  it("waits for a slow customer", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ outcome: "slow_customer", delayMs: 300 });
    const outcome = approved(await terminal.pay(eur("pay-slow-1", 700)));
    assert.equal(outcome.amount, 700);
  });

  it("ends `unknown` when the terminal does not answer in time, and status then says in progress", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script("no_answer");
    const pending = terminal.pay(eur("pay-noanswer-1", 900), { timeoutMs: 1_000 });
    await waitFor(() => sim.transactions().some((tx) => tx.state === "in_progress"), "the sale to reach the terminal");
    const outcome = await pending;
    assert.equal(outcome.result, "unknown");
    assert.equal(terminal.state().busy, false);
    const status = await terminal.transactionStatus(eur("pay-noanswer-1", 900));
    assert.equal(status.state, "in_progress");
  });

  it("ends `unknown` when the connection drops, and status then says not found", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script("drop_connection");
    const outcome = await terminal.pay(eur("pay-drop-1", 900));
    assert.equal(outcome.result, "unknown");
    assert.deepEqual(await terminal.transactionStatus(eur("pay-drop-1", 900)), {
      state: "not_found",
      reference: "pay-drop-1",
    });
  });

  it("approved but the answer was lost: a new driver instance finds it approved by reference", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script("approve_then_drop");
    const outcome = await terminal.pay(eur("pay-lost-1", 2450));
    assert.equal(outcome.result, "unknown");
    await terminal.stop();

    const restarted = driverFor(sim);
    t.after(() => restarted.stop());
    const status = await restarted.transactionStatus(eur("pay-lost-1", 2450));
    assert.equal(status.state, "approved", JSON.stringify(status));
    assert.equal(status.amount, 2450);
    assert.equal(status.transactionId, sim.transactions()[0]?.transactionId);
    assert.equal(status.card?.maskedPan, "************0019");
    assert.ok(status.receiptLines.includes("APPROVED"));
    const lookup = sim.received().find((r) => r.category === "TransactionStatus");
    const payment = sim.received().find((r) => r.category === "Payment");
    const reference = (lookup?.message.TransactionStatusRequest as { MessageReference: Record<string, string> })
      .MessageReference;
    assert.equal(reference.ServiceID, payment?.serviceId);
    assert.equal(reference.SaleID, "galley-kiosk-1");
  });

  it("stop() ends a sale in flight as unknown and refuses new ones", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ outcome: "slow_customer", delayMs: 20_000 });
    const pending = terminal.pay(eur("pay-stop-1", 800));
    await waitFor(() => sim.transactions().some((tx) => tx.state === "in_progress"), "the sale to start");
    await terminal.stop();
    const outcome = await pending;
    assert.equal(outcome.result, "unknown");
    assert.equal((await terminal.pay(eur("pay-stop-2", 800))).result, "not_sent");
  });

  it("reverses an approved sale", async (t) => {
    const { sim, terminal } = await setup(t);
    const sale = approved(await terminal.pay(eur("pay-rev-1", 1500)));
    const original = { reference: sale.reference, transactionId: sale.transactionId, amount: 1500, currency: "EUR" };
    const reversal = approved(await terminal.reverse(original, "rev-1"));
    assert.equal(reversal.amount, 1500);
    const booked = sim.transactions();
    assert.equal(booked[0]?.reversedAmount, 1500);
    assert.equal(booked[1]?.kind, "reversal");
    assert.equal(booked[1].originalTransactionId, sale.transactionId);
    const request = sim.received().find((r) => r.category === "Reversal");
    const body = request?.message.ReversalRequest as Record<string, unknown>;
    assert.equal(body.ReversedAmount, undefined);
    assert.equal(body.ReversalReason, "MerchantCancel");
  });

  it("refunds part of a sale (referenced refund) and refuses more than is left", async (t) => {
    const { sim, terminal } = await setup(t);
    const sale = approved(await terminal.pay(eur("pay-ref-1", 1000)));
    const original = { reference: sale.reference, transactionId: sale.transactionId, amount: 1000, currency: "EUR" };
    const refund = approved(await terminal.refund(eur("refund-1", 400), original));
    assert.equal(refund.amount, 400);
    const request = sim.received().find((r) => r.category === "Reversal");
    assert.equal((request?.message.ReversalRequest as Record<string, unknown>).ReversedAmount, 4);
    const tooMuch = await terminal.refund(eur("refund-2", 700), original);
    assert.equal(tooMuch.result, "declined");
    assert.equal(sim.transactions()[0]?.reversedAmount, 400);
  });

  it("aborts the running sale", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ outcome: "slow_customer", delayMs: 20_000 });
    const pending = terminal.pay(eur("pay-abort-1", 800));
    await waitFor(() => sim.transactions().some((tx) => tx.state === "in_progress"), "the sale to start");
    assert.equal(terminal.state().busy, true);
    await terminal.abort();
    const outcome = await pending;
    assert.equal(outcome.result, "cancelled");
    assert.match(outcome.reason, /Aborted/);
    const payment = sim.received().find((r) => r.category === "Payment");
    const abort = sim.received().find((r) => r.category === "Abort");
    const reference = (abort?.message.AbortRequest as { MessageReference: Record<string, string> }).MessageReference;
    assert.equal(reference.ServiceID, payment?.serviceId);
    assert.equal(reference.MessageCategory, "Payment");
    assert.notEqual(abort?.serviceId, payment?.serviceId);
  });

  it("closes the day with the totals per brand, then starts from zero", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ outcome: "approve", brand: "visa" }, { outcome: "approve", brand: "mc" }, "decline");
    const visa = approved(await terminal.pay(eur("eod-1", 1000)));
    approved(await terminal.pay(eur("eod-2", 250)));
    assert.equal((await terminal.pay(eur("eod-3", 999))).result, "declined");
    const original = { reference: "eod-1", transactionId: visa.transactionId, amount: 1000, currency: "EUR" };
    approved(await terminal.refund(eur("eod-refund-1", 300), original));
    approved(await terminal.refund(eur("eod-refund-2", 120), null));

    const totals = await terminal.endOfDay();
    assert.equal(totals.currency, "EUR");
    assert.equal(totals.total, 1000 + 250 - 300 - 120);
    assert.equal(totals.count, 4);
    const byBrand = new Map(totals.byBrand.map((entry) => [entry.brand, entry]));
    assert.deepEqual(byBrand.get("VISA"), { brand: "VISA", count: 2, total: 700 });
    assert.deepEqual(byBrand.get("Mastercard"), { brand: "Mastercard", count: 2, total: 130 });
    assert.ok(totals.receiptLines.some((line) => line.startsWith("Total: 4")));

    const next = await terminal.endOfDay();
    assert.deepEqual([next.total, next.count, next.byBrand], [0, 0, []]);
  });

  it("refuses a wrong shared key clearly, without processing anything", async (t) => {
    const { sim } = await setup(t);
    const wrong = driverFor(sim, { keys: { ...KEYS, passphrase: "not the passphrase" } });
    t.after(() => wrong.stop());
    const outcome = await wrong.pay(eur("pay-key-1", 100));
    assert.equal(outcome.result, "not_sent");
    assert.match(outcome.reason, /shared key.*crypto error/);
    assert.match(wrong.state().lastError ?? "", /shared key/);
    await assert.rejects(wrong.endOfDay(), (error) => isDriverError(error, "refused"));
    assert.equal(sim.received().length, 0);
    assert.equal(sim.refusedCount(), 2);
    assert.equal(sim.transactions().length, 0);
  });

  it("is not_sent when the terminal's certificate is not trusted", async (t) => {
    const { sim } = await setup(t);
    const untrusting = driverFor(sim, { certificate: undefined });
    t.after(() => untrusting.stop());
    const outcome = await untrusting.pay(eur("pay-tls-1", 100));
    assert.equal(outcome.result, "not_sent");
    assert.match(outcome.reason, /TLS/);
    assert.equal(sim.received().length, 0);
  });

  it("is not_sent / unreachable when nothing listens", async (t) => {
    const { sim } = await setup(t);
    const port = await closedPort();
    const offline = driverFor(sim, { url: `https://127.0.0.1:${port}/nexo` });
    t.after(() => offline.stop());
    await offline.start();
    assert.equal(offline.state().online, false);
    const outcome = await offline.pay(eur("pay-off-1", 100));
    assert.equal(outcome.result, "not_sent");
    assert.match(outcome.reason, /refused the connection/);
    const status = await offline.transactionStatus(eur("pay-off-1", 100));
    assert.equal(status.state, "unreachable");
    await assert.rejects(offline.endOfDay(), (error) => isDriverError(error, "open_failed"));
  });

  it("refuses a second operation while one runs, and bad requests, without sending", async (t) => {
    const { sim, terminal } = await setup(t);
    sim.script({ outcome: "slow_customer", delayMs: 400 });
    const first = terminal.pay(eur("pay-busy-1", 100));
    await waitFor(() => terminal.state().busy, "the first sale to start");
    const second = await terminal.pay(eur("pay-busy-2", 100));
    assert.equal(second.result, "not_sent");
    await assert.rejects(terminal.endOfDay(), (error) => isDriverError(error, "busy"));
    approved(await first);
    assert.equal((await terminal.pay(eur("bad reference!", 100))).result, "not_sent");
    assert.equal((await terminal.pay(eur("pay-zero", 0))).result, "not_sent");
    assert.equal(sim.received().filter((r) => r.category === "Payment").length, 1);
  });

  it("throws config_invalid for bad options", () => {
    const base = { url: "https://127.0.0.1:8443/nexo", poiId: POI_ID, saleId: "s", keys: KEYS };
    assert.throws(
      () => createAdyenTerminal({ ...base, url: "http://127.0.0.1/nexo" }),
      (e) => isDriverError(e, "config_invalid"),
    );
    assert.throws(
      () => createAdyenTerminal({ ...base, certificate: "/nonexistent/ca.pem" }),
      (e) => isDriverError(e, "config_invalid"),
    );
  });
});
