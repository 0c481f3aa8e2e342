/**
 * A kiosk pays on an Adyen terminal in local mode: galleyd's configuration names the terminal
 * (https URL, POIID, the terminal's CA), the shared key is set through the API (sealed), and the
 * checkout goes to the simulated terminal as encrypted nexo JSON over real HTTPS.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAdyenSimulator, type AdyenSimulator } from "../../drivers/index.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { PaymentsSummary } from "../../protocol/schemas/orders.ts";
import type { CheckoutView, TerminalView } from "../../protocol/schemas/payments.ts";

const KEYS = { keyIdentifier: "galleykey", keyVersion: 1, passphrase: "store-shared-passphrase" };

let t: TestApp;
let sim: AdyenSimulator;
let kiosk: string;

before(async () => {
  sim = await startAdyenSimulator({ keys: KEYS });
  const caFile = join(mkdtempSync(join(tmpdir(), "galley-adyen-")), "terminal-ca.pem");
  writeFileSync(caFile, sim.certificatePem);
  t = await startTestApp({
    config: {
      devices: {
        savePrints: false,
        terminals: [
          { id: "v400", name: "Adyen V400m", protocol: "adyen", uri: sim.url, poiId: sim.poiId, caFile, kiosks: ["*"] },
        ],
      },
    },
  });
  kiosk = await t.tokenFor("kiosk");
});
after(async () => {
  await t.stop();
  await sim.close();
});

async function done(view: CheckoutView): Promise<CheckoutView> {
  let current = view;
  for (let i = 0; i < 100 && !current.done; i++) {
    current = (
      await t.api<CheckoutView>("GET", `/api/checkouts/${view.id}?after=${current.version}&waitMs=5000`, {
        token: kiosk,
      })
    ).body;
  }
  return current;
}

describe("an Adyen terminal in local mode", () => {
  it("cannot take payments before its shared key is set", async () => {
    const refused = await t.api<{ error: { code: string } }>("POST", "/api/checkouts", {
      token: kiosk,
      body: { id: randomUUID(), orderId: randomUUID(), items: [{ menuItemId: "burger", quantity: 1 }] },
    });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, "terminal_unavailable");
  });

  it("takes the key sealed, then a kiosk pays and the order carries the masked card", async () => {
    const set = await t.api<TerminalView>("PUT", "/api/payments/terminals/v400/credentials", {
      token: t.adminToken,
      body: KEYS,
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.credentials, true);
    sim.script("approve");
    const started = await t.api<CheckoutView>("POST", "/api/checkouts", {
      token: kiosk,
      body: { id: randomUUID(), orderId: randomUUID(), items: [{ menuItemId: "burger", quantity: 1 }] },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const finished = await done(started.body);
    assert.equal(finished.state, "approved", finished.reason ?? "");
    assert.ok(finished.order && finished.order.number > 0);
    const summary = await t.api<PaymentsSummary>("GET", `/api/orders/${finished.orderId}/payments`, {
      token: t.adminToken,
    });
    const payment = summary.body.payments[0];
    assert.ok(payment);
    assert.equal(payment.terminal, "v400");
    assert.ok(payment.cardSlip.length > 0, "the terminal's slip lines are kept for the receipt");
    assert.ok(
      sim.received().some((r) => JSON.stringify(r).includes(started.body.id)),
      "our reference reached the terminal",
    );
  });
});
