/**
 * Provider tokens through the API (for card or mobile, the client passes the provider's token): a
 * phone's Square nonce or a web SDK's Stripe PaymentMethod is charged by galleyd with a key derived
 * from our payment id, against spec-true fakes on 127.0.0.1; refunds go back through the provider.
 * Without a network the call fails fast with 503 and nothing is recorded as paid.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { FakeSquare } from "../fakes/fake-square.ts";
import { FakeStripe } from "../fakes/fake-stripe.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { PaymentView, PaymentsSummary, RefundView } from "../../protocol/schemas/orders.ts";

let t: TestApp;
let square: FakeSquare;
let stripe: FakeStripe;
let kiosk: string;
let cashier: string;
let manager: string;

type Err = { error: { code: string; message: string } };

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return typeof address === "object" && address ? address.port : 9;
}

before(async () => {
  square = new FakeSquare();
  stripe = new FakeStripe();
  const squareUrl = await square.start();
  const stripeUrl = new URL(await stripe.start());
  t = await startTestApp({
    config: {
      payments: {
        providers: {
          square: { enabled: true, url: squareUrl, locationId: square.locationId, timeoutMs: 5_000 },
          stripe: {
            enabled: true,
            host: stripeUrl.hostname,
            port: Number(stripeUrl.port),
            protocol: "http",
            timeoutMs: 5_000,
          },
        },
      },
    },
  });
  kiosk = await t.tokenFor("kiosk");
  cashier = await t.tokenFor("cashier");
  manager = await t.tokenFor("manager");
});
after(async () => {
  await t.stop();
  await square.stop();
  await stripe.stop();
});

async function newOrder(): Promise<{ id: string; total: number }> {
  const placed = await t.placeOrder(kiosk, [{ menuItemId: "burger", quantity: 1 }]);
  assert.equal(placed.status, 201);
  return { id: placed.body.id, total: placed.body.totals.total };
}

describe("provider tokens", () => {
  it("refuses a provider whose secret is not set, and takes the secret sealed", async () => {
    const order = await newOrder();
    const before = await t.api<Err>("POST", `/api/orders/${order.id}/payments`, {
      token: cashier,
      body: { id: randomUUID(), method: "card_online", provider: "square", token: "cnon:card-nonce-ok", amount: 100 },
    });
    assert.equal(before.status, 409);
    assert.equal(before.body.error.code, "provider_not_configured");
    const set = await t.api<{ providers: string[] }>("PUT", "/api/payments/providers/square/credentials", {
      token: manager,
      body: { secret: "sq-access-1" },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.providers, ["square"]);
    const stripeSet = await t.api<{ providers: string[] }>("PUT", "/api/payments/providers/stripe/credentials", {
      token: manager,
      body: { secret: stripe.secretKey },
    });
    assert.deepEqual(stripeSet.body.providers.sort(), ["square", "stripe"]);
    const journal = t.app.ctx.journal.all<{ sealed: string }>("SELECT sealed FROM terminal_credentials");
    assert.ok(journal.every((row) => row.sealed.startsWith("v1.") && !row.sealed.includes("sq-access-1")));
  });

  it("charges a Square nonce once, even when the request is repeated", async () => {
    const order = await newOrder();
    const body = {
      id: randomUUID(),
      method: "mobile",
      provider: "square",
      token: "cnon:card-nonce-ok",
      amount: order.total,
    };
    const paid = await t.api<PaymentView>("POST", `/api/orders/${order.id}/payments`, { token: cashier, body });
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    assert.equal(paid.body.provider, "square");
    assert.ok(paid.body.reference, "Square's payment id");
    assert.ok(
      paid.body.cardSlip.some((line) => /\d{4}/.test(line)),
      "brand and last four on the slip",
    );
    const again = await t.api<PaymentView>("POST", `/api/orders/${order.id}/payments`, { token: cashier, body });
    assert.equal(again.body.id, paid.body.id);
    assert.equal([...square.payments.values()].filter((p) => p.reference_id === body.id).length, 1);
    const token = t.app.ctx.journal.get<{ outcome: string }>(
      "SELECT outcome FROM payment_attempts WHERE payment_id = ?",
      [body.id],
    );
    assert.doesNotMatch(token?.outcome ?? "", /cnon:/, "the one-time token is forgotten once used");
  });

  it("a declined card records nothing; Stripe charges and refunds in part", async () => {
    const order = await newOrder();
    const declined = await t.api<Err>("POST", `/api/orders/${order.id}/payments`, {
      token: cashier,
      body: {
        id: randomUUID(),
        method: "card_online",
        provider: "stripe",
        token: "pm_card_chargeDeclined",
        amount: order.total,
      },
    });
    assert.equal(declined.status, 402);
    assert.equal(declined.body.error.code, "provider_declined");
    const paid = await t.api<PaymentView>("POST", `/api/orders/${order.id}/payments`, {
      token: cashier,
      body: { id: randomUUID(), method: "card_online", provider: "stripe", token: "pm_card_visa", amount: order.total },
    });
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    const refund = await t.api<RefundView>("POST", `/api/payments/${paid.body.id}/refund`, {
      token: manager,
      body: { amount: 300, reason: "no pickles" },
      headers: { "idempotency-key": randomUUID() },
    });
    assert.equal(refund.status, 201, JSON.stringify(refund.body));
    assert.equal(refund.body.route, "provider");
    assert.equal(
      [...stripe.refunds.values()].reduce((sum, r) => sum + r.amount, 0),
      300,
    );
    const summary = await t.api<PaymentsSummary>("GET", `/api/orders/${order.id}/payments`, { token: manager });
    assert.deepEqual(
      [summary.body.paid, summary.body.refunded, summary.body.payments[0]?.refundable],
      [order.total, 300, order.total - 300],
    );
  });

  it("without a network the charge fails fast with 503 and nothing is paid", async () => {
    const port = await closedPort();
    const offline = await startTestApp({
      config: {
        payments: { providers: { square: { enabled: true, url: `http://127.0.0.1:${port}`, locationId: "L-FAKE-1" } } },
      },
    });
    try {
      const admin = offline.adminToken;
      await offline.api("PUT", "/api/payments/providers/square/credentials", {
        token: admin,
        body: { secret: "sq-access-1" },
      });
      const k = await offline.tokenFor("kiosk");
      const placed = await offline.placeOrder(k, [{ menuItemId: "burger", quantity: 1 }]);
      const started = Date.now();
      const refused = await offline.api<Err>("POST", `/api/orders/${placed.body.id}/payments`, {
        token: admin,
        body: { id: randomUUID(), method: "mobile", provider: "square", token: "cnon:card-nonce-ok", amount: 100 },
      });
      assert.equal(refused.status, 503, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, "provider_unreachable");
      assert.ok(Date.now() - started < 5_000, "fails fast, well inside the provider's timeout");
      const summary = await offline.api<PaymentsSummary>("GET", `/api/orders/${placed.body.id}/payments`, {
        token: admin,
      });
      assert.equal(summary.body.paid, 0);
    } finally {
      await offline.stop();
    }
  });
});
