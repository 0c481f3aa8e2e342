/**
 * The card providers (appliance/payments/providers) against their spec-true fakes over real HTTP
 * on 127.0.0.1: a capture with the card's brand and last four, declines, one charge however often
 * a payment is retried, unreachable fast, a provider 500, full and partial refunds and a refund
 * beyond what is left.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { connect, createServer, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { createSecretBox } from "../../../appliance/lib/secret-box.ts";
import { createLogger } from "../../../appliance/lib/logger.ts";
import {
  createProvider,
  createProviders,
  outcomeError,
  providerConfig,
  ProvidersConfig,
  type ChargeOutcome,
  type PaymentProvider,
} from "../../../appliance/payments/providers/index.ts";
import { createSquareProvider } from "../../../appliance/payments/providers/square.ts";
import { createStripeProvider } from "../../../appliance/payments/providers/stripe.ts";
import { FakeSquare, SQUARE_TEST_NONCES } from "../../fakes/fake-square.ts";
import { FakeStripe, parseForm } from "../../fakes/fake-stripe.ts";
import { Value } from "typebox/value";

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

/**
 * A port whose connects hang, as behind a firewall that drops packets: a child process listens with
 * a backlog of 1 and blocks its event loop at once (stdout to a pipe is written synchronously on
 * Linux), so nothing is ever accepted; once the kernel's accept queue
 * is full (fillers connect until one does not within 250 ms), further SYNs are dropped.
 */
async function blackHole(): Promise<{ port: number; close: () => void }> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const s = require("node:net").createServer();
       s.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
         process.stdout.write(s.address().port + "\\n");
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
       });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve) => {
    child.stdout.once("data", (data: Buffer) => {
      resolve(Number(data.toString().trim()));
    });
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < 16; i += 1) {
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("error", () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        resolve(false);
      }, 250);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) break;
  }
  return {
    port,
    close: () => {
      for (const socket of fillers) socket.destroy();
      child.kill("SIGKILL");
    },
  };
}

function captured(outcome: ChargeOutcome): Extract<ChargeOutcome, { result: "captured" }> {
  assert.equal(outcome.result, "captured", JSON.stringify(outcome));
  return outcome;
}

const charge = (token: string, extra: { amount?: number; tip?: number; paymentId?: string } = {}) => ({
  paymentId: extra.paymentId ?? randomUUID(),
  amount: extra.amount ?? 1_250,
  currency: "USD",
  token,
  orderReference: "ORD-20261207-ABC123",
  ...(extra.tip !== undefined ? { tip: extra.tip } : {}),
});

describe("Square provider", () => {
  const fake = new FakeSquare();
  let provider: PaymentProvider;

  before(async () => {
    await fake.start();
    provider = createSquareProvider({ baseUrl: fake.url, accessToken: "sq-access-1", locationId: fake.locationId });
  });
  after(async () => {
    provider.close();
    await fake.stop();
  });

  it("captures a card nonce with the card's brand, last four and receipt, under a key of the payment id", async () => {
    const request = charge(SQUARE_TEST_NONCES.ok, { tip: 200 });
    const outcome = captured(await provider.charge(request));
    assert.equal(outcome.amount, 1_450);
    assert.equal(outcome.cardBrand, "VISA");
    assert.equal(outcome.last4, "5858");
    assert.match(outcome.receiptUrl ?? "", /^https:\/\//);
    const payment = fake.payments.get(outcome.providerPaymentId);
    assert.equal(payment?.status, "COMPLETED");
    const sent = fake.requestsTo("/v2/payments").at(-1);
    const body = sent?.body as Record<string, unknown>;
    assert.equal(body.idempotency_key, `chg-${request.paymentId}`);
    assert.equal(body.source_id, SQUARE_TEST_NONCES.ok);
    assert.deepEqual(body.amount_money, { amount: 1_250, currency: "USD" });
    assert.deepEqual(body.tip_money, { amount: 200, currency: "USD" });
    assert.equal(body.reference_id, request.paymentId);
    assert.equal(body.autocomplete, true);
    assert.equal(body.location_id, fake.locationId);
    assert.equal(sent?.headers["square-version"], "2025-08-20");
  });

  it("declines Square's declined, CVV and used test nonces, charging nothing", async () => {
    const cases = [
      [SQUARE_TEST_NONCES.declined, "GENERIC_DECLINE"],
      [SQUARE_TEST_NONCES.rejectedCvv, "CVV_FAILURE"],
      [SQUARE_TEST_NONCES.rejectedExpiration, "INVALID_EXPIRATION"],
      [SQUARE_TEST_NONCES.alreadyUsed, "CARD_TOKEN_USED"],
    ] as const;
    for (const [nonce, code] of cases) {
      const request = charge(nonce);
      const outcome = await provider.charge(request);
      assert.equal(outcome.result, "declined", nonce);
      assert.equal((outcome as { code: string }).code, code);
      assert.ok(fake.paymentsWithReference(request.paymentId).every((p) => p.status !== "COMPLETED"));
      assert.equal(outcomeError("square", outcome)?.code, "provider_declined");
    }
  });

  it("charges once however often a payment is retried: a lost answer, then the same request again", async () => {
    const request = charge("cnon:single-use-1");
    // A new provider: no pooled connection (the client resends at once when a reused one drops).
    const fresh = createSquareProvider({ baseUrl: fake.url, accessToken: "sq-access-1", locationId: fake.locationId });
    fake.script({ kind: "commit-then-drop" }, (r) => r.path === "/v2/payments");
    const lost = await fresh.charge(request);
    fresh.close();
    assert.equal(lost.result, "unreachable");
    assert.equal((lost as { maybeSent: boolean }).maybeSent, true);
    const first = captured(await provider.charge(request));
    const again = captured(await provider.charge(request));
    assert.equal(again.providerPaymentId, first.providerPaymentId);
    assert.equal(first.last4, "1111");
    assert.equal(fake.paymentsWithReference(request.paymentId).length, 1);
    // The nonce is spent: the same token for another payment is refused.
    const reused = await provider.charge(charge("cnon:single-use-1"));
    assert.deepEqual([reused.result, (reused as { code?: string }).code], ["declined", "CARD_TOKEN_USED"]);
  });

  it("refuses a second card under the same payment id: a declined attempt keeps its key", async () => {
    const request = charge(SQUARE_TEST_NONCES.declined);
    assert.equal((await provider.charge(request)).result, "declined");
    const replay = await provider.charge(request);
    assert.equal(replay.result, "declined");
    const other = await provider.charge({ ...request, token: SQUARE_TEST_NONCES.ok });
    assert.deepEqual([other.result, (other as { code?: string }).code], ["error", "IDEMPOTENCY_KEY_REUSED"]);
  });

  it("is unreachable at once on a closed port, well under its timeouts, nothing sent", async () => {
    const closed = createSquareProvider({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      accessToken: "sq-access-1",
      locationId: fake.locationId,
      timeoutMs: 30_000,
    });
    const started = performance.now();
    const outcome = await closed.charge(charge(SQUARE_TEST_NONCES.ok));
    closed.close();
    assert.deepEqual(outcome.result, "unreachable");
    assert.equal((outcome as { maybeSent: boolean }).maybeSent, false);
    assert.ok(performance.now() - started < 2_000);
    assert.equal(outcomeError("square", outcome)?.code, "provider_unreachable");
  });

  it("gives up after connectTimeoutMs when connects hang, long before timeoutMs", async () => {
    const hole = await blackHole();
    const blocked = createSquareProvider({
      baseUrl: `http://127.0.0.1:${hole.port}`,
      accessToken: "sq-access-1",
      locationId: fake.locationId,
      timeoutMs: 20_000,
      connectTimeoutMs: 300,
    });
    const started = performance.now();
    const outcome = await blocked.charge(charge(SQUARE_TEST_NONCES.ok));
    const took = performance.now() - started;
    blocked.close();
    hole.close();
    assert.equal(outcome.result, "unreachable");
    assert.ok(took >= 250 && took < 3_000, `${took} ms`);
  });

  it("is unreachable, maybe sent, when Square takes the request and never answers", async () => {
    const slow = createSquareProvider({
      baseUrl: fake.url,
      accessToken: "sq-access-1",
      locationId: fake.locationId,
      timeoutMs: 400,
    });
    fake.script({ kind: "hang" }, (r) => r.path === "/v2/payments");
    const outcome = await slow.charge(charge(SQUARE_TEST_NONCES.ok));
    slow.close();
    assert.deepEqual(outcome, { ...outcome, result: "unreachable", maybeSent: true });
  });

  it("reports a Square 500 as a retryable error", async () => {
    fake.script({ kind: "status", status: 500 }, (r) => r.path === "/v2/payments");
    const outcome = await provider.charge(charge(SQUARE_TEST_NONCES.ok));
    assert.equal(outcome.result, "error");
    assert.deepEqual(
      [(outcome as { retryable: boolean }).retryable, (outcome as { status?: number }).status],
      [true, 500],
    );
    assert.equal(outcomeError("square", outcome)?.code, "provider_error");
  });

  it("refunds partly, then the rest, once per refund id, and declines more than is left", async () => {
    const paid = captured(await provider.charge(charge(SQUARE_TEST_NONCES.ok, { amount: 1_000 })));
    const part = {
      refundId: randomUUID(),
      providerPaymentId: paid.providerPaymentId,
      amount: 400,
      currency: "USD",
      reason: "cold fries",
    };
    const first = await provider.refund(part);
    assert.equal(first.result, "refunded");
    assert.equal((first as { status: string }).status, "pending");
    const replay = await provider.refund(part);
    assert.deepEqual(replay, first);
    const sent = fake.requestsTo("/v2/refunds").at(-1)?.body as Record<string, unknown>;
    assert.equal(sent.idempotency_key, `rfd-${part.refundId}`);
    assert.equal(sent.payment_id, paid.providerPaymentId);
    const rest = await provider.refund({ ...part, refundId: randomUUID(), amount: 600 });
    assert.equal(rest.result, "refunded");
    assert.equal(fake.payments.get(paid.providerPaymentId)?.refunded_money?.amount, 1_000);
    assert.equal([...fake.refunds.values()].filter((r) => r.payment_id === paid.providerPaymentId).length, 2);
    const beyond = await provider.refund({ ...part, refundId: randomUUID(), amount: 1 });
    assert.deepEqual([beyond.result, (beyond as { code?: string }).code], ["declined", "REFUND_AMOUNT_INVALID"]);
    fake.completeRefunds();
    assert.ok([...fake.refunds.values()].every((r) => r.status === "COMPLETED"));
  });

  it("declines a refund larger than the payment", async () => {
    const paid = captured(await provider.charge(charge(SQUARE_TEST_NONCES.ok, { amount: 500 })));
    const outcome = await provider.refund({
      refundId: randomUUID(),
      providerPaymentId: paid.providerPaymentId,
      amount: 501,
      currency: "USD",
      reason: "too much",
    });
    assert.equal(outcome.result, "declined");
  });
});

describe("Stripe provider", () => {
  const fake = new FakeStripe();
  let provider: PaymentProvider;

  before(async () => {
    await fake.start();
    provider = createStripeProvider({
      secretKey: fake.secretKey,
      host: "127.0.0.1",
      port: fake.port,
      protocol: "http",
    });
  });
  after(async () => {
    provider.close();
    await fake.stop();
  });

  it("captures pm_card_visa with brand, last four and receipt, confirmed in one request under the payment's key", async () => {
    const request = charge("pm_card_visa", { tip: 200 });
    const outcome = captured(await provider.charge(request));
    assert.equal(outcome.amount, 1_450);
    assert.equal(outcome.cardBrand, "visa");
    assert.equal(outcome.last4, "4242");
    assert.match(outcome.receiptUrl ?? "", /^https:\/\/pay\.stripe\.com\//);
    assert.equal(fake.paymentIntents.get(outcome.providerPaymentId)?.status, "succeeded");
    const sent = fake.requestsTo("/v1/payment_intents").at(-1);
    assert.equal(sent?.headers["idempotency-key"], `galley-charge-${request.paymentId}`);
    const params = parseForm(String(sent.body));
    assert.equal(params.confirm, "true");
    assert.equal(params.currency, "usd");
    assert.equal(params.amount, "1450");
    assert.deepEqual(params.allowed_payment_method_types, ["card"]);
    assert.deepEqual(params.metadata, {
      galley_payment_id: request.paymentId,
      order_ref: request.orderReference,
      tip: "200",
    });
  });

  it("declines Stripe's declining test cards with their codes, charging nothing", async () => {
    const cases = [
      ["pm_card_chargeDeclined", "card_declined", "generic_decline"],
      ["pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"],
      ["pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", undefined],
      ["pm_doesNotExist", "resource_missing", undefined],
    ] as const;
    for (const [token, code, declineCode] of cases) {
      const outcome = await provider.charge(charge(token));
      assert.equal(outcome.result, "declined", token);
      assert.equal((outcome as { code: string }).code, code);
      assert.equal((outcome as { declineCode?: string }).declineCode, declineCode);
    }
    assert.ok([...fake.charges.values()].every((c) => c.status === "succeeded" || c.amount_captured === 0));
  });

  it("reports a card that needs 3-D Secure as error requires_action", async () => {
    const outcome = await provider.charge(charge("pm_card_authenticationRequired"));
    assert.deepEqual([outcome.result, (outcome as { code?: string }).code], ["error", "requires_action"]);
  });

  it("charges once however often a payment is retried: a dropped answer, a repeat, another token", async () => {
    const request = charge("pm_card_visa");
    // Stripe took it, the connection dropped: the SDK resends once on a closed connection, same key.
    fake.script({ kind: "commit-then-drop" }, (r) => r.path === "/v1/payment_intents");
    const first = captured(await provider.charge(request));
    const again = captured(await provider.charge(request));
    assert.equal(again.providerPaymentId, first.providerPaymentId);
    const mine = fake.succeededIntents().filter((pi) => pi.metadata.galley_payment_id === request.paymentId);
    assert.equal(mine.length, 1);
    const other = await provider.charge({ ...request, token: "pm_card_mastercard" });
    assert.deepEqual([other.result, (other as { code?: string }).code], ["error", "idempotency_error"]);
  });

  it("is unreachable at once on a closed port, well under its timeouts, nothing sent", async () => {
    const closed = createStripeProvider({
      secretKey: fake.secretKey,
      host: "127.0.0.1",
      port: await closedPort(),
      protocol: "http",
      timeoutMs: 30_000,
    });
    const started = performance.now();
    const outcome = await closed.charge(charge("pm_card_visa"));
    closed.close();
    assert.equal(outcome.result, "unreachable");
    assert.equal((outcome as { maybeSent: boolean }).maybeSent, false);
    assert.ok(performance.now() - started < 2_000);
  });

  it("gives up after connectTimeoutMs when connects hang, long before timeoutMs, nothing sent", async () => {
    const hole = await blackHole();
    const blocked = createStripeProvider({
      secretKey: fake.secretKey,
      host: "127.0.0.1",
      port: hole.port,
      protocol: "http",
      timeoutMs: 20_000,
      connectTimeoutMs: 300,
    });
    const started = performance.now();
    const outcome = await blocked.charge(charge("pm_card_visa"));
    const took = performance.now() - started;
    blocked.close();
    hole.close();
    assert.equal(outcome.result, "unreachable");
    assert.equal((outcome as { maybeSent: boolean }).maybeSent, false);
    assert.ok(took >= 250 && took < 3_000, `${took} ms`);
  });

  it("reports a Stripe 500 as a retryable error", async () => {
    fake.script(
      { kind: "status", status: 500, body: { error: { type: "api_error", message: "Something went wrong" } } },
      (r) => r.path === "/v1/payment_intents",
    );
    const outcome = await provider.charge(charge("pm_card_visa"));
    assert.equal(outcome.result, "error");
    assert.deepEqual(
      [(outcome as { retryable: boolean }).retryable, (outcome as { status?: number }).status],
      [true, 500],
    );
  });

  it("refunds partly, then the rest, once per refund id, and declines more than is left", async () => {
    const paid = captured(await provider.charge(charge("pm_card_visa", { amount: 1_000 })));
    const part = {
      refundId: randomUUID(),
      providerPaymentId: paid.providerPaymentId,
      amount: 300,
      currency: "USD",
      reason: "cold fries",
    };
    const first = await provider.refund(part);
    assert.deepEqual([first.result, (first as { status?: string }).status], ["refunded", "completed"]);
    assert.deepEqual(await provider.refund(part), first);
    const sent = fake.requestsTo("/v1/refunds").at(-1);
    assert.equal(sent?.headers["idempotency-key"], `galley-refund-${part.refundId}`);
    const params = parseForm(String(sent.body));
    assert.deepEqual(
      [params.payment_intent, params.amount, params.reason],
      [paid.providerPaymentId, "300", "requested_by_customer"],
    );
    const beyond = await provider.refund({ ...part, refundId: randomUUID(), amount: 701 });
    assert.deepEqual([beyond.result, (beyond as { code?: string }).code], ["declined", "amount_too_large"]);
    const rest = await provider.refund({ ...part, refundId: randomUUID(), amount: 700 });
    assert.equal(rest.result, "refunded");
    const more = await provider.refund({ ...part, refundId: randomUUID(), amount: 1 });
    assert.deepEqual([more.result, (more as { code?: string }).code], ["declined", "charge_already_refunded"]);
    assert.equal([...fake.refunds.values()].filter((r) => r.payment_intent === paid.providerPaymentId).length, 2);
  });
});

describe("provider configuration", () => {
  it("has defaults that enable nothing, and builds a provider from the section and its secret", () => {
    const section = Value.Default(ProvidersConfig, {}) as ProvidersConfig;
    assert.ok(Value.Check(ProvidersConfig, section));
    assert.equal(section.square.enabled, false);
    assert.equal(providerConfig(section, "stripe", "sk_test_x"), undefined);
    const stripe = providerConfig({ ...section, stripe: { ...section.stripe, enabled: true } }, "stripe", "sk_test_x");
    assert.equal(stripe?.provider, "stripe");
    const provider = createProvider(stripe);
    assert.equal(provider.name, "stripe");
    provider.close();
    const square = { ...section, square: { ...section.square, enabled: true, locationId: "L1" } };
    assert.equal(providerConfig(square, "square", "tok")?.provider, "square");
  });

  it("makes each enabled provider whose sealed secret opens, and leaves out the rest", async () => {
    const fake = new FakeSquare();
    await fake.start();
    const box = createSecretBox(randomBytes(32));
    const otherBox = createSecretBox(randomBytes(32));
    const defaults = Value.Default(ProvidersConfig, {}) as ProvidersConfig;
    const section: ProvidersConfig = {
      square: {
        ...defaults.square,
        enabled: true,
        url: fake.url,
        locationId: fake.locationId,
        sealedAccessToken: box.seal("sq-access-1"),
      },
      stripe: { ...defaults.stripe, enabled: true, sealedSecretKey: otherBox.seal("sk_test_x") },
    };
    assert.ok(Value.Check(ProvidersConfig, section));
    assert.ok(
      !Value.Check(ProvidersConfig, { ...section, stripe: { ...section.stripe, sealedSecretKey: "sk_live_plain" } }),
    );
    const log = createLogger({ level: "silent" });
    const providers = createProviders(section, { box: () => box, log });
    assert.deepEqual([...providers.keys()], ["square"]);
    const square = providers.get("square")!;
    captured(await square.charge(charge(SQUARE_TEST_NONCES.ok)));
    square.close();
    // A secret from the journal wins over the file's.
    const fromJournal = createProviders(section, {
      box: () => otherBox,
      log,
      sealed: (name) => (name === "square" ? otherBox.seal("sq-access-1") : undefined),
    });
    assert.deepEqual([...fromJournal.keys()].sort(), ["square", "stripe"]);
    for (const p of fromJournal.values()) p.close();
    await fake.stop();
  });
});
