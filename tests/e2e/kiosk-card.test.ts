/**
 * Paying by card at the kiosk, end to end: the real galleyd with a ZVT card terminal (the
 * simulator from drivers/, over TCP) and Chromium.
 *
 * - approved: the card step shows what the terminal does and no order number; once approved the
 *   confirmation shows the number, and the kitchen has the order, in the queue and paid;
 * - declined, then "Try again" approved: a new checkout id and a new order id, one order, paid;
 * - the customer cancels on the screen while the terminal waits for the card, then pays at the
 *   counter: the cart is committed the usual way with another order id, placed unpaid.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { startZvtSimulator, type ZvtScriptedOutcome } from "../../drivers/index.ts";
import type { CheckoutBody, OrderView, PaymentsSummary } from "../../protocol/schemas/index.ts";
import { waitFor } from "../helpers/wait.ts";
import { assertText, PORTRAIT, screenshot, startHarness, type Harness } from "./support/harness.ts";

// ---- the card terminal: adapt here ----------------------------------------------------------------

interface TestTerminal {
  /** galleyd's config: `devices.terminals` with this terminal serving every kiosk and the counter. */
  config: Record<string, unknown>;
  /** The next sale (or refund) ends this way. */
  next(outcome: "approve" | "decline" | "slow_customer" | "slow_approve"): void;
  /** Sales the terminal approved (and did not reverse). */
  approvedSales(): number;
  close(): Promise<void>;
}

/** A ZVT terminal simulator on 127.0.0.1; galleyd uses the ZVT factory password when none is set. */
async function startTerminal(): Promise<TestTerminal> {
  const simulator = await startZvtSimulator({ password: "000000" });
  const outcomes: Record<"approve" | "decline" | "slow_customer" | "slow_approve", ZvtScriptedOutcome> = {
    approve: { kind: "approve" },
    decline: { kind: "decline" },
    // Waits at "insert card" far longer than any test: only an abort (Cancel on the kiosk) ends it.
    slow_customer: { kind: "slow_customer", durationMs: 120_000 },
    // The customer takes their time at the terminal, long enough for the kiosk to reload meanwhile.
    slow_approve: { kind: "slow_customer", durationMs: 15_000 },
  };
  return {
    config: {
      devices: {
        savePrints: false,
        terminals: [
          { id: "t1", name: "Terminal 1", protocol: "zvt", uri: simulator.uri, kiosks: ["*"], counter: true },
        ],
      },
    },
    next(outcome) {
      simulator.script(outcomes[outcome]);
    },
    approvedSales: () =>
      simulator.transactions().filter((tx) => tx.kind === "sale" && tx.result === "approved" && !tx.reversed).length,
    close: () => simulator.close(),
  };
}

// ---- helpers ----------------------------------------------------------------------------------------

/** Words the card step uses while the terminal works (never an outcome). */
const WORKING =
  /Connecting to the card terminal|Insert, tap or swipe your card|Reading your card|Enter your PIN|Processing|Remove your card|follow the instructions/;

/** A burger meal in the cart, at checkout (the upsell declined). */
async function toCheckout(kiosk: Page): Promise<void> {
  await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
  await kiosk.locator("[data-product='burger-meal']").click();
  await kiosk.getByTestId("add-to-order").click();
  await kiosk.getByRole("button", { name: "View order" }).click();
  await kiosk.getByRole("button", { name: "Check out" }).click();
  await kiosk.getByRole("button", { name: "No, thanks" }).click();
  await kiosk.getByRole("heading", { name: "Check out" }).waitFor();
}

/** The card step in `state` (data-state: starting, queued, present, presenting, declined, cancelled, …). */
function cardStep(kiosk: Page, ...states: string[]) {
  return kiosk.locator(states.map((s) => `[data-testid='card-payment'][data-state='${s}']`).join(", "));
}

/** The bodies of the kiosk's `POST /api/checkouts` and `POST /api/sessions/:id/commit`. */
function recordPosts(kiosk: Page): { checkouts: CheckoutBody[]; commits: { id: string }[] } {
  const posts = { checkouts: [] as CheckoutBody[], commits: [] as { id: string }[] };
  kiosk.on("request", (request) => {
    if (request.method() !== "POST") return;
    const path = new URL(request.url()).pathname;
    if (path === "/api/checkouts") posts.checkouts.push(JSON.parse(request.postData() ?? "{}") as CheckoutBody);
    if (/^\/api\/sessions\/[^/]+\/commit$/.test(path))
      posts.commits.push(JSON.parse(request.postData() ?? "{}") as { id: string });
  });
  return posts;
}

async function orderNumber(kiosk: Page): Promise<number> {
  // Generous: the terminal, the journal and the kiosk's long-poll on a loaded 2-core machine.
  return Number(await kiosk.getByTestId("order-number").textContent({ timeout: 30_000 }));
}

describe("kiosk: paying by card", { timeout: 180_000 }, () => {
  let h: Harness;
  let terminal: TestTerminal;
  let manager: string;
  let kitchen: string;

  before(async () => {
    terminal = await startTerminal();
    h = await startHarness({ config: terminal.config });
    manager = await h.app.tokenFor("manager");
    kitchen = await h.app.tokenFor("kitchen");
  });
  after(async () => {
    await h.close();
    await terminal.close();
  });

  async function queued(number: number): Promise<OrderView> {
    const queue = await h.app.api<{ orders: OrderView[] }>("GET", "/api/orders/queue", { token: kitchen });
    const order = queue.body.orders.find((o) => o.number === number);
    assert.ok(order, `order ${number} is in the kitchen's queue`);
    return order;
  }

  async function payments(orderId: string): Promise<PaymentsSummary> {
    const reply = await h.app.api<PaymentsSummary>("GET", `/api/orders/${orderId}/payments`, { token: manager });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body;
  }

  async function queueSize(): Promise<number> {
    return (await h.app.api<{ orders: OrderView[] }>("GET", "/api/orders/queue", { token: kitchen })).body.orders
      .length;
  }

  it("pays by card: the order number appears only once approved, and the order is in the queue, paid", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    const posts = recordPosts(kiosk);
    terminal.next("approve");
    await toCheckout(kiosk);
    // Offered first, and chosen, once the kiosk heard that a terminal serves it.
    const byCard = kiosk.getByRole("radio", { name: /Pay by card/ });
    await byCard.waitFor();
    await waitFor(async () => await byCard.isChecked(), { what: "card chosen first", timeoutMs: 10_000 });
    await kiosk.getByTestId("pay-card").click();

    await kiosk.getByTestId("card-payment").waitFor({ timeout: 10_000 });
    await assertText(kiosk.getByTestId("card-amount"), /€\d+\.\d\d/);
    const number = await orderNumber(kiosk);
    assert.ok(number > 0);
    await assertText(kiosk.getByTestId("confirm-total"), /Paid by card/);
    await screenshot(kiosk, "kiosk-card-approved");

    assert.equal(posts.checkouts.length, 1, "one checkout");
    assert.equal(posts.commits.length, 0, "no commit from the kiosk: galleyd commits on approval");
    const order = await queued(number);
    assert.equal(order.id, posts.checkouts[0]?.orderId, "the checkout's order id");
    assert.equal(order.status, "in_queue");
    const summary = await payments(order.id);
    assert.equal(summary.due, 0, "paid in full");
    assert.equal(summary.paid, order.totals.total);
    assert.deepEqual(
      summary.payments.map((p) => [p.method, p.amount, p.terminal]),
      [["card", order.totals.total, "t1"]],
    );
    assert.equal(terminal.approvedSales(), 1);
    assert.deepEqual(h.errors, []);
    await kiosk.close();
  });

  it("says declined without an order number, and takes a second card with a new checkout and order id", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    const posts = recordPosts(kiosk);
    const before = await queueSize();
    const sales = terminal.approvedSales();
    terminal.next("decline");
    terminal.next("approve");
    await toCheckout(kiosk);
    await kiosk.getByTestId("pay-card").click();

    await kiosk.getByTestId("card-payment").waitFor({ timeout: 10_000 });
    const stage = kiosk.getByTestId("card-stage");
    const declined = cardStep(kiosk, "declined");
    assert.equal(await kiosk.getByTestId("order-number").count(), 0);
    await declined.waitFor({ timeout: 30_000 });
    await assertText(stage, /Declined — try another card/);
    assert.equal(await kiosk.getByTestId("order-number").count(), 0, "no order number after a decline");
    assert.equal(await queueSize(), before, "no order in the kitchen");
    await screenshot(kiosk, "kiosk-card-declined");

    await kiosk.getByRole("button", { name: "Try again" }).click();
    const number = await orderNumber(kiosk);
    const [first, second] = posts.checkouts;
    assert.ok(first && second, "two checkouts");
    assert.notEqual(first.id, second.id, "a new checkout id");
    assert.notEqual(first.orderId, second.orderId, "a new order id");
    assert.equal(first.sessionId, second.sessionId, "the same cart");
    const order = await queued(number);
    assert.equal(order.id, second.orderId);
    assert.equal(await queueSize(), before + 1, "one order");
    assert.equal((await payments(order.id)).due, 0);
    assert.equal(terminal.approvedSales(), sales + 1);
    assert.deepEqual(h.errors, []);
    await kiosk.close();
  });

  it("cancels on the screen while the terminal waits for the card, then pays at the counter: placed unpaid", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    const posts = recordPosts(kiosk);
    const sales = terminal.approvedSales();
    terminal.next("slow_customer");
    await toCheckout(kiosk);
    await kiosk.getByTestId("pay-card").click();

    // The terminal asks for the card (the card step says what it does, and no order number);
    // the customer changes their mind.
    await cardStep(kiosk, "present", "presenting").waitFor({ timeout: 20_000 });
    await assertText(kiosk.getByTestId("card-stage"), WORKING);
    assert.equal(await kiosk.getByTestId("order-number").count(), 0);
    assert.equal(await kiosk.getByRole("button", { name: "Start over" }).count(), 0, "no start over mid-payment");
    await kiosk.getByTestId("card-cancel").click();
    await cardStep(kiosk, "cancelled").waitFor({ timeout: 30_000 });
    await assertText(kiosk.getByTestId("card-stage"), /Payment cancelled/);
    assert.equal(await kiosk.getByTestId("order-number").count(), 0);
    await screenshot(kiosk, "kiosk-card-cancelled");

    await kiosk.getByRole("button", { name: "Pay at the counter" }).click();
    const number = await orderNumber(kiosk);
    await assertText(kiosk.getByTestId("confirm-total"), /Total to pay/);
    await kiosk.getByText("Please pay at the counter and show this number.").waitFor();
    assert.equal(posts.commits.length, 1, "committed the usual way");
    const committed = posts.commits[0]?.id ?? "";
    assert.notEqual(committed, posts.checkouts[0]?.orderId, "another order id than the cancelled checkout's");
    const order = await queued(number);
    assert.equal(order.id, committed);
    const summary = await payments(order.id);
    assert.equal(summary.paid, 0, "placed unpaid");
    assert.equal(summary.due, order.totals.total);
    assert.equal(terminal.approvedSales(), sales, "nothing charged");
    assert.deepEqual(h.errors, []);
    await kiosk.close();
  });

  it("a kiosk that reloads while the customer is at the terminal shows that payment again, to its number", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    const posts = recordPosts(kiosk);
    terminal.next("slow_approve");
    await toCheckout(kiosk);
    await kiosk.getByTestId("pay-card").click();
    await cardStep(kiosk, "present", "presenting").waitFor({ timeout: 20_000 });
    // The display restarts the page (a crash, the watchdog): the customer is still at the terminal.
    await kiosk.reload();
    await cardStep(kiosk, "present", "presenting", "queued").waitFor({ timeout: 20_000 });
    const number = await orderNumber(kiosk);
    assert.ok(number > 0);
    assert.equal(posts.checkouts.length, 1, "the running checkout was followed, not started again");
    const order = await queued(number);
    assert.equal(order.id, posts.checkouts[0]?.orderId);
    assert.equal((await payments(order.id)).due, 0);
    await kiosk.close();
  });
});
