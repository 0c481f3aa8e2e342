/**
 * The counter (/counter) end to end: the real galleyd with cash shifts required, a ZVT card
 * terminal simulator serving the counter and a TCP printer simulator as the receipt printer, and
 * Chromium.
 *
 * - a cashier's day: sign in with a PIN, open a shift with a float of 100.00, sell for cash (the
 *   change shown), sell by card, a manager refunds part of the cash sale, 20.00 taken out for
 *   change, the count 1.50 short; the Z report says exactly that — as galleyd keeps it, in the
 *   Shift panel's preview of its paper, and on the receipt printer's paper;
 * - the keyboard alone: sign in, search, add, pay cash exact, new order;
 * - galleyd restarts while a ticket is being built: the screen says it is offline, the ticket
 *   stays, and it is paid once galleyd is back;
 * - axe-core finds nothing serious or critical on the signed-in New order tab.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { startZvtSimulator, type ZvtSimulator } from "../../drivers/index.ts";
import type {
  CashReportView,
  CashSessionsResponse,
  CashShiftView,
  MenuResponse,
  OrderView,
  PaymentsSummary,
} from "../../protocol/schemas/index.ts";
import { FAST, simPrinter, type SimPrinter } from "../integration/devices/rig.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { waitFor } from "../helpers/wait.ts";
import {
  assertText,
  focusedName,
  screenshot,
  seriousViolations,
  startHarness,
  tabTo,
  type Harness,
} from "./support/harness.ts";

/** A 13-inch counter screen. */
const COUNTER = { width: 1366, height: 768 } as const;

interface Staff {
  pin: string;
  token: string;
  name: string;
}

/** "€5.90" for 590 cents, as the counter (English) writes it. */
function euros(minor: number): string {
  return `€${(minor / 100).toFixed(2)}`;
}

describe("counter", { timeout: 300_000 }, () => {
  let h: Harness;
  let terminal: ZvtSimulator;
  let printer: SimPrinter;
  let config: Record<string, unknown>;
  let cashier: Staff;
  let manager: Staff;
  let prices: Map<string, number>;
  /** galleyd after the restart test started it again (stopped at the end). */
  let restarted: TestApp | undefined;

  before(async () => {
    terminal = await startZvtSimulator({ password: "000000" });
    printer = await simPrinter("epson-tm-t88");
    config = {
      cash: { shifts: "required" },
      devices: {
        savePrints: false,
        printers: [
          {
            id: "counter",
            name: "Counter printer",
            uri: printer.uri,
            profile: "epson-tm-t88",
            receipts: true,
            numberSlips: false,
            kitchenStations: ["*"],
            ...FAST,
          },
        ],
        terminals: [{ id: "t1", name: "Terminal 1", protocol: "zvt", uri: terminal.uri, kiosks: [], counter: true }],
      },
    };
    h = await startHarness({ config });
    cashier = await createStaff(h.app, "Cleo Cashier", "cashier");
    manager = await createStaff(h.app, "Max Manager", "manager");
    const menu = await h.app.api<MenuResponse>("GET", "/api/menu", { token: cashier.token });
    prices = new Map(menu.body.menu.items.map((i) => [i.id, i.price]));
  });

  after(async () => {
    await restarted?.stop();
    await h.close();
    await terminal.close();
    await printer.close();
  });

  async function createStaff(app: TestApp, name: string, role: "cashier" | "manager"): Promise<Staff> {
    const created = await app.api<{ pin: string }>("POST", "/api/users", {
      token: app.adminToken,
      body: { name, role },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const login = await app.api<{ token: string }>("POST", "/api/auth/login", { body: { pin: created.body.pin } });
    return { pin: created.body.pin, token: login.body.token, name };
  }

  async function signIn(page: Page, who: Staff): Promise<void> {
    await page.getByLabel("PIN", { exact: true }).fill(who.pin);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await assertText(page.getByTestId("cashier"), new RegExp(who.name), 10_000);
  }

  async function lock(page: Page): Promise<void> {
    await page.getByTestId("lock").click();
    await page.getByLabel("PIN", { exact: true }).waitFor();
  }

  /** A new page on the counter, at the counter screen's size. */
  async function openCounter(): Promise<Page> {
    const page = await h.context.newPage();
    await page.setViewportSize(COUNTER);
    await page.goto(`${h.app.url}/counter`);
    return page;
  }

  /** Signs `who` in unless the counter is still signed in (an earlier test's session). */
  async function signInUnlessSignedIn(page: Page, who: Staff): Promise<void> {
    await page
      .getByTestId("cashier")
      .or(page.getByLabel("PIN", { exact: true }))
      .first()
      .waitFor();
    if ((await page.getByTestId("cashier").count()) === 0) await signIn(page, who);
  }

  function tab(page: Page, name: string) {
    return page.getByRole("tab", { name: new RegExp(`^${name}`) });
  }

  /** The order the counter just placed (its number is on the payment). */
  async function placedOrder(page: Page): Promise<OrderView> {
    const heading = (await page.locator("galley-counter-pay .sub").textContent({ timeout: 15_000 })) ?? "";
    const number = Number(/Order (\d+)/.exec(heading)?.[1]);
    const queue = await h.app.api<{ orders: OrderView[] }>(
      "GET",
      "/api/orders/queue?status=pending&status=in_queue&status=in_progress&status=ready&status=completed",
      { token: manager.token },
    );
    const order = queue.body.orders.find((o) => o.number === number);
    assert.ok(order, `order ${number} was placed`);
    return order;
  }

  /** A shift open on the drawer (a test about something else takes cash too). */
  async function ensureShift(app: TestApp): Promise<void> {
    const open = await app.api<CashShiftView>("GET", "/api/cash/session", { token: cashier.token });
    if (open.status === 200 && open.body.status === "open") return;
    const opened = await app.api("POST", "/api/cash/open", { token: cashier.token, body: { openingFloat: 5_000 } });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
  }

  async function payments(app: TestApp, orderId: string): Promise<PaymentsSummary> {
    return (await app.api<PaymentsSummary>("GET", `/api/orders/${orderId}/payments`, { token: manager.token })).body;
  }

  it("a cashier's day: shift, cash and card sales, a refund, cash out, a short count and its Z report", async () => {
    const page = await h.open("/counter", COUNTER);
    await page.getByLabel("PIN", { exact: true }).waitFor();
    await screenshot(page, "counter-locked");
    assert.deepEqual(await seriousViolations(page), [], "the lock screen");

    // The cashier clocks in on the locked counter with the PIN, then signs in.
    await page.getByTestId("clock-in-out").click();
    const clock = page.locator("galley-counter-clock");
    await clock.getByLabel("PIN", { exact: true }).fill(cashier.pin);
    await clock.getByLabel("PIN", { exact: true }).press("Enter");
    await clock.getByRole("button", { name: "Clock in", exact: true }).click();
    await assertText(clock.getByTestId("clock-note"), /Cleo Cashier clocked in/, 10_000);
    await page.getByRole("button", { name: "Back to sign in" }).click();
    await signIn(page, cashier);
    await assertText(page.getByTestId("cashier"), /Cashier/);
    await screenshot(page, "counter-new-order");

    // Cash without a shift is refused, with the way to open one.
    await page.getByRole("button", { name: "Sides", exact: true }).click();
    await page.locator("[data-product='mozzarella-sticks']").click();
    await page.getByTestId("pay").click();
    await page.getByTestId("take-cash").click();
    await assertText(page.getByRole("alert").filter({ hasText: "cash shift" }), /Open a cash shift first/);
    await page.getByRole("button", { name: "Open a shift" }).click();
    await tab(page, "Shift").and(page.locator("[aria-selected='true']")).waitFor();

    // The shift opens with a float of 100.00.
    await page.getByRole("button", { name: "Open shift", exact: true }).click();
    await page.getByLabel(/Opening float/).fill("100.00");
    await page.getByRole("button", { name: "Open the shift" }).click();
    await assertText(page.getByTestId("shift-note"), /The shift is open/, 10_000);

    // Back to the order: the mozzarella sticks are still on it, now paid in cash with a 10.00 note.
    await tab(page, "New order").click();
    const sticks = prices.get("mozzarella-sticks") ?? 0;
    await assertText(page.getByTestId("amount-due"), new RegExp(euros(sticks).replace("€", "€\\s?")));
    await page.locator("galley-counter-pay-cash [data-tender='1000']").click();
    await assertText(page.getByTestId("change-due"), new RegExp(euros(1000 - sticks).replace(".", "\\.")));
    await page.getByTestId("take-cash").click();
    await assertText(page.getByTestId("change-given"), new RegExp(euros(1000 - sticks).replace(".", "\\.")), 10_000);
    const cashOrder = await placedOrder(page);
    assert.equal(cashOrder.channel, "counter");
    await assertText(page.getByTestId("receipt"), /Receipt printed/, 15_000);
    await screenshot(page, "counter-paid-cash");
    const cashPaid = await payments(h.app, cashOrder.id);
    assert.equal(cashPaid.due, 0);
    assert.deepEqual(
      cashPaid.payments.map((p) => [p.method, p.amount, p.tendered, p.change]),
      [["cash", sticks, 1000, 1000 - sticks]],
    );
    await page.getByTestId("new-order").click();

    // A cola (its size chosen on the item page), eaten in at table 7, paid by card.
    await page.getByRole("button", { name: "Drinks", exact: true }).click();
    await page.locator("[data-product='cola']").click();
    await page.getByTestId("add-to-order").click();
    await page.getByRole("button", { name: "Eat in" }).click();
    await page.getByLabel("Table").fill("7");
    await page.getByTestId("pay").click();
    await page.getByRole("button", { name: "Card", exact: true }).click();
    terminal.script({ kind: "approve" });
    await page.getByTestId("charge-card").click();
    await page.getByTestId("new-order").waitFor({ timeout: 30_000 });
    const cardOrder = await placedOrder(page);
    assert.equal(cardOrder.serviceMode, "eat_in");
    assert.equal(cardOrder.table, "7");
    const cardPaid = await payments(h.app, cardOrder.id);
    assert.deepEqual(
      cardPaid.payments.map((p) => p.method),
      ["card"],
    );
    assert.equal(cardPaid.due, 0);
    await page.getByTestId("new-order").click();

    // A cashier may not refund: no refund button. A manager signs in and refunds 2.00 of the cash sale.
    await tab(page, "Orders").click();
    await page.getByRole("button", { name: `Open order ${cashOrder.number}` }).click();
    await page.getByTestId("order-detail").waitFor();
    assert.equal(await page.getByRole("button", { name: /^Refund/ }).count(), 0, "no refund for a cashier");
    await lock(page);
    await signIn(page, manager);
    await tab(page, "Orders").click();
    await page.getByRole("button", { name: `Open order ${cashOrder.number}` }).click();
    await page.getByRole("button", { name: /^Refund the cash payment/i }).click();
    await page.getByLabel(/Amount to refund/).fill("2.00");
    await page.getByLabel("Reason").fill("Sticks were cold");
    await page.getByTestId("order-dialog").getByRole("button", { name: "Refund", exact: true }).click();
    await assertText(page.getByTestId("orders-note"), /refunded/, 10_000);
    await lock(page);

    // The cashier takes 20.00 out for change and closes with a count 1.50 short.
    await signIn(page, cashier);
    await tab(page, "Shift").click();
    await page.getByRole("button", { name: "Cash out", exact: true }).click();
    await page.getByLabel(/Amount/).fill("20.00");
    await page.getByLabel("Reason").fill("Change for the bank");
    await page.getByTestId("shift-dialog").getByRole("button", { name: "Save" }).click();
    await assertText(page.getByTestId("movements"), /Change for the bank/, 10_000);

    const expected = 10_000 + sticks - 200 - 2_000;
    const counted = expected - 150;
    await page.getByRole("button", { name: "Close shift", exact: true }).click();
    await page.getByRole("button", { name: "Total only" }).click();
    await page.getByLabel(/Counted cash/).fill((counted / 100).toFixed(2));
    await page.getByRole("button", { name: "Close the shift" }).click();
    const zReport = page.getByTestId("report-z");
    await zReport.waitFor({ timeout: 15_000 });
    await zReport.locator("img.paper").waitFor({ timeout: 15_000 });
    await screenshot(page, "counter-z-report");

    // As galleyd keeps it.
    const shifts = await h.app.api<CashSessionsResponse>("GET", "/api/cash/sessions", { token: manager.token });
    const closed = shifts.body.shifts[0];
    assert.ok(closed && closed.status === "closed");
    const shift = await h.app.api<CashShiftView>("GET", `/api/cash/session?id=${closed.id}`, { token: manager.token });
    const z = shift.body.reports.find((r) => r.kind === "z");
    assert.ok(z, "the shift has a Z report");
    const report = (await h.app.api<CashReportView>("GET", `/api/cash/reports/${z.id}`, { token: manager.token })).body;
    assert.equal(report.summary.openingFloat, 10_000);
    assert.equal(report.summary.cashSales, sticks);
    assert.equal(report.summary.cashSalesCount, 1);
    assert.equal(report.summary.cashRefunds, 200);
    assert.equal(report.summary.cashOut, 2_000);
    assert.equal(report.summary.expected, expected);
    assert.equal(report.summary.counted, counted);
    assert.equal(report.summary.overShort, -150);
    assert.deepEqual(
      report.summary.otherMethods.map((m) => [m.method, m.count, m.amount]),
      [["card", 1, cardOrder.totals.total]],
    );
    assert.ok(report.printJobId, "the Z report was printed");

    // On the receipt printer's paper.
    const paper = await waitFor(() => printer.pages().find((p) => p.includes("Z REPORT")), {
      what: "the Z report on paper",
      timeoutMs: 15_000,
    });
    const row = (label: string, value: string) => new RegExp(`${label}\\s+-?${value.replace(/[.€]/g, "\\$&")}`);
    assert.match(paper, row("Opening float", euros(10_000)));
    assert.match(paper, row("Cash sales \\(1\\)", euros(sticks)));
    assert.match(paper, row("Cash refunds \\(1\\)", euros(200)));
    assert.match(paper, row("Cash out", euros(2_000)));
    assert.match(paper, /Change for the bank/);
    assert.match(paper, row("EXPECTED IN DRAWER", euros(expected)));
    assert.match(paper, row("Counted", euros(counted)));
    assert.match(paper, /SHORT €1\.50/);
    assert.deepEqual(h.errors, []);
  });

  it("works with the keyboard alone: sign in, search, add, pay cash exact, new order", async () => {
    await ensureShift(h.app);
    const page = await openCounter();
    await tabTo(page, /^PIN$/);
    await page.keyboard.type(cashier.pin);
    await page.keyboard.press("Enter");
    await assertText(page.getByTestId("cashier"), /Cleo Cashier/, 10_000);

    await page.keyboard.press("/");
    assert.match(await focusedName(page), /Search/);
    await page.keyboard.type("brownie");
    await page.keyboard.press("Enter");
    await assertText(page.getByTestId("ticket-lines"), /Walnut Brownie/);
    await page.keyboard.press("F9");
    await page.getByTestId("amount-due").waitFor({ timeout: 10_000 });
    await assertText(page.getByTestId("amount-due"), /€3\.50/);
    await page.keyboard.press("Enter");
    await page.getByTestId("new-order").waitFor({ timeout: 10_000 });
    const order = await placedOrder(page);
    assert.equal((await payments(h.app, order.id)).due, 0);
    await page.keyboard.press("Enter");
    await assertText(page.getByTestId("ticket-lines"), /Tap an item/);
    assert.match(await focusedName(page), /Search/, "the next order starts in the search box");

    // F-keys reach every tab.
    await page.keyboard.press("F3");
    await page.getByTestId("shift-panel").waitFor();
    await page.keyboard.press("F1");
    await page.getByTestId("ticket-lines").waitFor();
    await screenshot(page, "counter-keyboard");
    await page.close();
  });

  it("splits a payment: part by card, the rest in cash, the remaining due shown between", async () => {
    await ensureShift(h.app);
    const page = await openCounter();
    await signIn(page, cashier);
    // A combo: its choices on the item page, as at the kiosk.
    await page.locator("[data-product='burger-meal']").click();
    await screenshot(page, "counter-item");
    await page.getByTestId("add-to-order").click();
    await page.getByTestId("pay").click();
    const order = await placedOrder(page);
    const total = order.totals.total;
    await assertText(page.getByTestId("amount-due"), new RegExp(euros(total).replace(".", "\\.")));
    await page.getByRole("button", { name: "Card", exact: true }).click();
    await page.getByTestId("pay-amount").fill("5.00");
    await assertText(page.getByTestId("charge-card"), /Charge €5\.00/);
    terminal.script({ kind: "approve" });
    await page.getByTestId("charge-card").click();
    await assertText(page.getByTestId("paid-so-far"), /€5\.00/, 30_000);
    await assertText(page.getByTestId("amount-due"), new RegExp(euros(total - 500).replace(".", "\\.")));
    await page.getByRole("button", { name: "Cash", exact: true }).click();
    await screenshot(page, "counter-split");
    await page.getByTestId("take-cash").click();
    await page.getByTestId("new-order").waitFor({ timeout: 15_000 });
    const paid = await payments(h.app, order.id);
    assert.deepEqual(
      paid.payments.map((p) => [p.method, p.amount]),
      [
        ["card", 500],
        ["cash", total - 500],
      ],
    );
    assert.equal(paid.due, 0);
    await page.getByTestId("new-order").click();
    await page.close();
  });

  it("pays later: the order waits under Orders, and its payment is taken from there", async () => {
    await ensureShift(h.app);
    const page = await openCounter();
    await signIn(page, cashier);
    await page.getByRole("button", { name: "Sides", exact: true }).click();
    await page.locator("[data-product='coleslaw']").click();
    await page.getByTestId("pay").click();
    const order = await placedOrder(page);
    await page.getByRole("button", { name: "Pay later" }).click();
    await assertText(page.getByTestId("ticket-lines"), /Tap an item/);
    assert.equal((await payments(h.app, order.id)).due, order.totals.total, "placed, unpaid");

    await tab(page, "Orders").click();
    await page.getByRole("button", { name: `Open order ${order.number}` }).click();
    await page.getByRole("button", { name: /^Take payment/ }).click();
    await tab(page, "New order").and(page.locator("[aria-selected='true']")).waitFor();
    await assertText(page.getByTestId("amount-due"), new RegExp(euros(order.totals.total).replace(".", "\\.")));
    await page.getByTestId("take-cash").click();
    await page.getByTestId("new-order").waitFor({ timeout: 15_000 });
    assert.equal((await payments(h.app, order.id)).due, 0);
    await page.getByTestId("new-order").click();
    await page.close();
  });

  it("has no serious or critical accessibility violations (signed in, New order)", async () => {
    const page = await openCounter();
    await signInUnlessSignedIn(page, cashier);
    // Something on the ticket sells out meanwhile: its tile greys out at once, the line says so.
    await page.getByRole("button", { name: "Desserts", exact: true }).click();
    await page.locator("[data-product='brownie']").click();
    const soldOut = await h.app.api("PUT", "/api/menu/availability", {
      token: manager.token,
      body: { kind: "item", id: "brownie", available: false },
    });
    assert.equal(soldOut.status, 200, JSON.stringify(soldOut.body));
    await page.locator("[data-product='brownie'][disabled]").waitFor();
    await assertText(page.getByTestId("ticket-lines"), /Sold out/);
    await screenshot(page, "counter-sold-out-line");
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, []);
    await h.app.api("PUT", "/api/menu/availability", {
      token: manager.token,
      body: { kind: "item", id: "brownie", available: true },
    });
    await page.locator("[data-product='brownie']:not([disabled])").waitFor();
    await page.getByRole("button", { name: "Clear" }).click();
    await page.close();
  });

  it("keeps the ticket while galleyd restarts, says it is offline, and takes the payment after", async () => {
    await ensureShift(h.app);
    const page = await openCounter();
    await signInUnlessSignedIn(page, cashier);
    await page.getByRole("button", { name: "Desserts", exact: true }).click();
    await page.locator("[data-product='cheesecake']").click();
    await page.getByRole("button", { name: "Sides", exact: true }).click();
    await page.locator("[data-product='coleslaw']").click();
    await page.getByLabel("Name").fill("Robin");

    const port = Number(new URL(h.app.url).port);
    await h.app.stop();
    await page.getByTestId("offline").waitFor({ timeout: 15_000 });
    await assertText(page.getByTestId("ticket-lines"), /Cheesecake[\s\S]*Coleslaw/);
    await screenshot(page, "counter-offline");

    // Pay while galleyd is away: the order goes out as soon as it is back, with the same id.
    await page.getByTestId("pay").click();
    await page
      .getByText(/No answer from galleyd|galleyd isn't answering/)
      .first()
      .waitFor({ timeout: 15_000 });

    restarted = await startTestApp({
      menu: "demo",
      dataDir: h.app.dataDir,
      config: { ...config, server: { host: "127.0.0.1", port } },
    });
    await page.getByTestId("offline").waitFor({ state: "detached", timeout: 30_000 });
    await assertText(page.getByTestId("ticket-lines"), /Cheesecake[\s\S]*Coleslaw/);
    await page.getByTestId("take-cash").click({ timeout: 30_000 });
    await page.getByTestId("new-order").waitFor({ timeout: 15_000 });
    const total = (prices.get("cheesecake") ?? 0) + (prices.get("coleslaw") ?? 0);
    const queue = await restarted.api<{ orders: OrderView[] }>("GET", "/api/orders/queue", {
      token: manager.token,
    });
    const robins = queue.body.orders.filter((o) => o.pickupName === "Robin");
    assert.equal(robins.length, 1, "the ticket became one order");
    const order = robins[0];
    assert.ok(order);
    assert.equal(order.totals.total, total);
    assert.equal((await payments(restarted, order.id)).due, 0);
    await page.close();
  });
});
