/**
 * Payments on the admin page, end to end: the real galleyd with a ZVT card terminal (the simulator
 * from drivers/, over TCP) and Chromium. An order is paid by card through the API; a manager finds
 * it by its number in Payments, refunds part of it with a reason, and the list shows what is left
 * (the refund went to the terminal, once, under the form's Idempotency-Key). A cashier sees the
 * payments but no refund. Under Diagnostics, the card terminal's test payment and end of day.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { startZvtSimulator } from "../../drivers/index.ts";
import type { CheckoutView, PaymentsSummary } from "../../protocol/schemas/index.ts";
import { waitFor } from "../helpers/wait.ts";
import { assertText, LANDSCAPE, screenshot, startHarness, type Harness } from "./support/harness.ts";

// ---- the card terminal: adapt here ----------------------------------------------------------------

interface TestTerminal {
  /** galleyd's config: `devices.terminals` with this terminal serving every kiosk and the counter. */
  config: Record<string, unknown>;
  /** Refunds the terminal booked, in minor units. */
  refunds(): number[];
  close(): Promise<void>;
}

/** A ZVT terminal simulator on 127.0.0.1 approving everything; galleyd uses the ZVT factory password. */
async function startTerminal(): Promise<TestTerminal> {
  const simulator = await startZvtSimulator({ password: "000000" });
  return {
    config: {
      devices: {
        savePrints: false,
        terminals: [
          { id: "t1", name: "Terminal 1", protocol: "zvt", uri: simulator.uri, kiosks: ["*"], counter: true },
        ],
      },
    },
    refunds: () =>
      simulator
        .transactions()
        .filter((tx) => tx.kind === "refund" || tx.kind === "reversal")
        .map((tx) => tx.amount),
    close: () => simulator.close(),
  };
}

// ---- helpers ----------------------------------------------------------------------------------------

const MANAGER_PIN = "424242";
const CASHIER_PIN = "535353";

/** An amount as the admin page shows it in English ("€2.50"), as a pattern. */
const euros = (minor: number) =>
  new Intl.NumberFormat("en", { style: "currency", currency: "EUR" }).format(minor / 100).replace(/[.$]/g, "\\$&");

async function signIn(page: Page, pin: string): Promise<void> {
  await page.getByLabel("PIN").fill(pin);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("admin: payments and refunds", { timeout: 180_000 }, () => {
  let h: Harness;
  let terminal: TestTerminal;

  before(async () => {
    terminal = await startTerminal();
    h = await startHarness({ config: terminal.config });
    for (const [name, role, pin] of [
      ["Mia Manager", "manager", MANAGER_PIN],
      ["Cass Cashier", "cashier", CASHIER_PIN],
    ] as const) {
      const created = await h.app.api("POST", "/api/users", { token: h.app.adminToken, body: { name, role, pin } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
  });
  after(async () => {
    await h.close();
    await terminal.close();
  });

  /** Two portions of fries paid on the terminal, as a kiosk's checkout: the approved checkout. */
  async function paidByCard(): Promise<CheckoutView> {
    const kiosk = await h.app.tokenFor("kiosk");
    const started = await h.app.api<CheckoutView>("POST", "/api/checkouts", {
      token: kiosk,
      body: { id: randomUUID(), orderId: randomUUID(), items: [{ menuItemId: "fries", quantity: 2 }] },
    });
    assert.ok(started.status === 200 || started.status === 202, JSON.stringify(started.body));
    let view = started.body;
    await waitFor(
      async () => {
        if (view.done) return true;
        const next = await h.app.api<CheckoutView>(
          "GET",
          `/api/checkouts/${view.id}?after=${view.version}&waitMs=2000`,
          {
            token: kiosk,
          },
        );
        assert.equal(next.status, 200, JSON.stringify(next.body));
        view = next.body;
        return view.done;
      },
      { what: "the terminal's answer", timeoutMs: 60_000, intervalMs: 10 },
    );
    assert.equal(view.state, "approved", view.reason ?? "");
    assert.ok(view.order && view.paymentId);
    return view;
  }

  it("a manager refunds part of a card payment from Payments, and the list shows what is left", async () => {
    const checkout = await paidByCard();
    const order = checkout.order!;
    const total = order.totals.total;
    const refund = 150;
    assert.ok(total > refund);

    const admin = await h.open("/admin", LANDSCAPE);
    const keys: string[] = [];
    admin.on("request", (request) => {
      if (request.method() === "POST" && /\/api\/payments\/[^/]+\/refund$/.test(new URL(request.url()).pathname))
        keys.push(request.headers()["idempotency-key"] ?? "");
    });
    await signIn(admin, MANAGER_PIN);
    await admin.getByText("Signed in as Mia Manager (manager)").waitFor();

    const section = admin.getByTestId("payments");
    await section.getByLabel("Order number").fill(String(order.number));
    await section.getByRole("button", { name: "Find" }).click();
    const row = section.locator(`tr[data-order='${order.number}']`);
    await row.waitFor();
    await assertText(row, /Card/);
    await assertText(row.getByTestId("left"), new RegExp(euros(total)));

    await row.getByRole("button", { name: /^Refund order/ }).click();
    const form = section.getByTestId("refund-form");
    const amount = form.getByLabel(/Amount to refund/);
    assert.equal(await amount.inputValue(), (total / 100).toFixed(2), "prefilled with what is left");
    // The reason is required.
    await amount.fill((refund / 100).toFixed(2));
    await form.getByRole("button", { name: "Refund", exact: true }).click();
    await assertText(form.getByTestId("refund-error"), /Type a reason/);
    assert.equal(keys.length, 0, "nothing sent without a reason");

    await form.getByLabel("Reason").fill("Fries were cold");
    await form.getByRole("button", { name: "Refund", exact: true }).click();
    const left = total - refund;
    await assertText(
      section.getByTestId("payments-note"),
      new RegExp(`Refunded ${euros(refund)} on order ${order.number}\\. ${euros(left)} left\\.`),
      90_000,
    );
    await form.waitFor({ state: "detached" });
    await assertText(row.getByTestId("refunded"), new RegExp(euros(refund)));
    await assertText(row.getByTestId("left"), new RegExp(euros(left)));
    await assertText(row, /Partly refunded/);
    await screenshot(admin, "admin-payments-refund");

    assert.equal(keys.length, 1, "one refund request");
    assert.match(keys[0] ?? "", /^[0-9a-f-]{36}$/, "with an Idempotency-Key");
    const summary = await h.app.api<PaymentsSummary>("GET", `/api/orders/${order.id}/payments`, {
      token: h.app.adminToken,
    });
    assert.equal(summary.body.refunded, refund);
    assert.deepEqual(
      summary.body.payments.map((p) => [p.id, p.refunded, p.refundable]),
      [[checkout.paymentId, refund, left]],
    );
    assert.deepEqual(
      summary.body.refunds.map((r) => [r.amount, r.reason]),
      [[refund, "Fries were cold"]],
    );
    assert.deepEqual(terminal.refunds(), [refund], "refunded once on the terminal");

    // A cashier sees the payment and what is left, but may not refund.
    await admin.getByRole("button", { name: "Sign out" }).click();
    await signIn(admin, CASHIER_PIN);
    await admin.getByText("Signed in as Cass Cashier (cashier)").waitFor();
    const cashierRow = admin.getByTestId("payments").locator(`tr[data-order='${order.number}']`);
    await assertText(cashierRow.getByTestId("left"), new RegExp(euros(left)));
    assert.equal(await cashierRow.getByRole("button", { name: /^Refund/ }).count(), 0);
    assert.deepEqual(h.errors, []);
    await admin.getByRole("button", { name: "Sign out" }).click();
    await admin.close();
  });

  it("card terminals: the terminal's state, a test payment (charged and reversed) and the end of day", async () => {
    const admin = await h.open("/admin", LANDSCAPE);
    await signIn(admin, MANAGER_PIN);
    await admin.getByText("Signed in as Mia Manager (manager)").waitFor();
    await admin.getByRole("link", { name: "Diagnostics" }).click();
    const card = admin.getByTestId("terminals");
    const row = card.locator("li[data-terminal='t1']");
    await assertText(row, /Terminal 1[\s\S]*Online/, 20_000);

    await card.getByRole("button", { name: "Test payment 0.01 on Terminal 1" }).click();
    await assertText(
      card.getByTestId("terminal-result"),
      /Terminal 1: approved and reversed\. The terminal works\./,
      60_000,
    );

    await card.getByRole("button", { name: "End of day on Terminal 1" }).click();
    await assertText(card.getByTestId("terminal-result"), /Terminal 1: day closed/, 60_000);
    await card.getByTestId("closings").locator("tbody tr").first().waitFor();
    await assertText(card.getByTestId("closings"), /Terminal 1[\s\S]*(Matched|Difference)/);
    await screenshot(admin, "admin-card-terminals");
    assert.deepEqual(h.errors, []);
  });
});
