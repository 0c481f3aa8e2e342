/**
 * The counter's panels, end to end: the real galleyd (cash shifts required) and Chromium. A
 * cashier opens a shift with a float, puts cash in and takes some out with reasons (listed with
 * who and why), prints an X report (its paper shown), and closes the shift by counting notes and
 * coins that come to 4.50 less than expected: the panel shows SHORT in red and the Z report. A
 * cook clocks in on the kitchen display with a PIN and clocks out (an action that does not fit
 * is refused and narrows the choice); a manager corrects the cook's clock-in at the counter. An
 * item marked sold out at the counter shows sold out on the kiosk.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import type { AttendanceResponse, CashSessionsResponse, CashShiftView } from "../../protocol/schemas/index.ts";
import { waitFor } from "../helpers/wait.ts";
import {
  assertText,
  LANDSCAPE,
  PORTRAIT,
  screenshot,
  seriousViolations,
  startHarness,
  type Harness,
} from "./support/harness.ts";

/** An amount as the counter shows it in English ("€4.50"), as a pattern. */
const euros = (minor: number) =>
  new Intl.NumberFormat("en", { style: "currency", currency: "EUR" }).format(minor / 100).replace(/[.$]/g, "\\$&");

/** Euro notes and coins (cents), largest first: how the test counts an amount. */
const EUR = [50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

function countOut(amount: number): Map<number, number> {
  const counts = new Map<number, number>();
  let left = amount;
  for (const value of EUR) {
    const n = Math.floor(left / value);
    if (n > 0) counts.set(value, n);
    left -= n * value;
  }
  return counts;
}

interface Person {
  id: string;
  name: string;
  pin: string;
}

describe("counter: shift, clock, sold out", { timeout: 240_000 }, () => {
  let h: Harness;
  let cashier: Person;
  let manager: Person;
  let cook: Person;
  let counter: Page;

  /** A staff account with the PIN the appliance chose for it. */
  async function person(name: string, role: string): Promise<Person> {
    const created = await h.app.api<{ id: string; pin: string }>("POST", "/api/users", {
      token: h.app.adminToken,
      body: { name, role },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { id: created.body.id, name, pin: created.body.pin };
  }

  async function tokenOf(who: Person): Promise<string> {
    const session = await h.app.api<{ token: string }>("POST", "/api/auth/login", { body: { pin: who.pin } });
    assert.equal(session.status, 200, JSON.stringify(session.body));
    return session.body.token;
  }

  async function signIn(page: Page, who: Person): Promise<void> {
    await page.getByLabel("PIN").fill(who.pin);
    await page.getByRole("button", { name: "Sign in" }).click();
    await assertText(page.getByTestId("cashier"), new RegExp(who.name));
  }

  async function openTab(page: Page, name: RegExp): Promise<void> {
    await page.getByRole("tab", { name }).click();
  }

  /** Fills a dialog's form and submits it with the button named `submit`. */
  async function fillDialog(dialog: Locator, fields: [RegExp | string, string][], submit: string): Promise<void> {
    for (const [label, value] of fields) await dialog.getByLabel(label).fill(value);
    await dialog.getByRole("button", { name: submit, exact: true }).click();
  }

  before(async () => {
    h = await startHarness({ config: { cash: { shifts: "required" } } });
    cashier = await person("Cass Cashier", "cashier");
    manager = await person("Mia Manager", "manager");
    cook = await person("Kim Cook", "kitchen");
    counter = await h.open("/counter", LANDSCAPE);
  });
  after(async () => {
    await h.close();
  });

  it("opens a shift, records cash in and out with reasons, prints an X report and closes short", async () => {
    await signIn(counter, cashier);
    await openTab(counter, /^Shift/);
    const panel = counter.getByTestId("shift-panel");
    await panel.getByRole("button", { name: "Open shift" }).click();
    const dialog = counter.getByTestId("shift-dialog");
    await fillDialog(dialog, [[/Opening float/, "100"]], "Open the shift");
    await assertText(panel.locator("[data-figure='float']"), new RegExp(euros(10_000)));

    await panel.getByRole("button", { name: "Cash in", exact: true }).click();
    await fillDialog(dialog, [[/Amount/, "20"]], "Save");
    await assertText(dialog.getByTestId("dialog-error"), /Type a reason/);
    // From the keyboard: Enter in the reason field saves.
    await dialog.getByLabel("Reason").fill("Change from the bank");
    await dialog.getByLabel("Reason").press("Enter");
    await dialog.waitFor({ state: "detached" });
    await assertText(panel.getByTestId("movements"), /Change from the bank/);

    // A cash sale in the shift (a cashier's payment through the API).
    const cashierToken = await tokenOf(cashier);
    const placed = await h.app.placeOrder(cashierToken, [{ menuItemId: "fries", quantity: 2 }]);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const order = placed.body;
    const paid = await h.app.api("POST", `/api/orders/${order.id}/payments`, {
      token: cashierToken,
      body: { id: randomUUID(), method: "cash", amount: order.totals.total },
    });
    assert.equal(paid.status, 201, JSON.stringify(paid.body));

    // Escape leaves a dialog without recording anything.
    await panel.getByRole("button", { name: "Cash out", exact: true }).click();
    await dialog.getByLabel(/Amount/).fill("99");
    await counter.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await panel.getByRole("button", { name: "Cash out", exact: true }).click();
    await fillDialog(
      dialog,
      [
        [/Amount/, "5,50"],
        ["Reason", "Milk for the coffee"],
      ],
      "Save",
    );
    const movements = panel.getByTestId("movements");
    await assertText(movements, /Milk for the coffee/);
    await assertText(
      movements.locator("tr[data-movement='cash_in']"),
      new RegExp(`${euros(2_000)}[\\s\\S]*Cass Cashier`),
    );
    await assertText(
      movements.locator("tr[data-movement='cash_out']"),
      new RegExp(`${euros(550)}[\\s\\S]*Cass Cashier`),
    );
    await assertText(panel.locator("[data-figure='cashSales']"), new RegExp(euros(order.totals.total)));

    const shift = await h.app.api<CashShiftView>("GET", "/api/cash/session", { token: cashierToken });
    assert.equal(shift.status, 200);
    const expected = 10_000 + 2_000 - 550 + order.totals.total;
    assert.equal(shift.body.summary.expected, expected);
    await assertText(panel.locator("[data-figure='expected']"), new RegExp(euros(expected)));

    await panel.getByRole("button", { name: "X report" }).click();
    await assertText(panel.getByTestId("shift-note"), /X report printed/);
    const xReport = panel.getByTestId("report-x");
    await assertText(xReport, new RegExp(euros(expected)));
    await waitFor(
      () => xReport.locator("img.paper").evaluate((img: unknown) => (img as { naturalWidth: number }).naturalWidth > 0),
      {
        what: "the X report's paper",
        timeoutMs: 10_000,
      },
    );
    await screenshot(counter, "counter-shift-x-report");
    assert.deepEqual(await seriousViolations(counter), []);

    // The count: notes and coins that come to 4.50 less than expected.
    const counted = expected - 450;
    await panel.getByRole("button", { name: "Close shift" }).click();
    await dialog.getByTestId("denominations").waitFor();
    for (const [value, n] of countOut(counted)) await dialog.locator(`tr[data-value='${value}'] input`).fill(String(n));
    await assertText(dialog.getByTestId("counted-total"), new RegExp(`Counted: ${euros(counted)}`));
    await screenshot(counter, "counter-shift-count");
    await dialog.getByRole("button", { name: "Close the shift" }).click();

    const result = panel.getByTestId("close-result");
    await assertText(result.getByTestId("over-short"), new RegExp(`SHORT ${euros(450)}`));
    await assertText(result.locator("[data-figure='expected']"), new RegExp(euros(expected)));
    await assertText(result.locator("[data-figure='counted']"), new RegExp(euros(counted)));
    const colour = await result
      .getByTestId("over-short")
      .evaluate(
        (el: unknown) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color,
      );
    const [r = 0, g = 0, b = 0] = (colour.match(/\d+/g) ?? []).map(Number);
    assert.ok(r > 120 && r > g * 2 && r > b * 2, `short is shown in red (got ${colour})`);
    await panel.getByTestId("report-z").waitFor();
    await screenshot(counter, "counter-shift-closed");

    const sessions = await h.app.api<CashSessionsResponse>("GET", "/api/cash/sessions", { token: cashierToken });
    const closed = sessions.body.shifts[0];
    assert.equal(closed?.status, "closed");
    assert.equal(closed.counted, counted);
    assert.equal(closed.overShort, -450);
    const stored = await h.app.api<CashShiftView>("GET", `/api/cash/session?id=${closed.id}`, { token: cashierToken });
    const sum = stored.body.denominations.reduce((total, d) => total + d.value * d.count, 0);
    assert.equal(sum, counted, "the denominations sent add up to the count");
    assert.deepEqual(
      stored.body.movements.map((m) => [m.type, m.amount, m.reason]),
      [
        ["cash_in", 2_000, "Change from the bank"],
        ["cash_out", 550, "Milk for the coffee"],
      ],
    );
    assert.deepEqual(
      stored.body.reports.map((r) => r.kind),
      ["x", "z"],
    );
  });

  it("a cook clocks in on the kitchen display with a PIN and clocks out", async () => {
    const kitchen = await h.open("/kitchen", LANDSCAPE, { otherOrigin: true });
    const clockButton = kitchen.getByRole("button", { name: "Clock in/out" });
    await clockButton.click();
    const dialog = kitchen.getByTestId("kitchen-clock");
    const enterPin = async () => {
      await dialog.getByLabel("PIN").fill(cook.pin);
      await dialog.getByRole("button", { name: "Next" }).click();
    };
    await enterPin();
    await dialog.getByRole("button", { name: "Clock in" }).click();
    await assertText(dialog.getByTestId("kitchen-clock-result"), /Kim Cook clocked in/);
    await screenshot(kitchen, "kitchen-clock-in");
    assert.deepEqual(await seriousViolations(kitchen), []);

    // Clocking in twice does not fit: refused, and only what fits is offered.
    await dialog.getByRole("button", { name: "Next person" }).click();
    await enterPin();
    await screenshot(kitchen, "kitchen-clock-actions");
    await dialog.getByRole("button", { name: "Clock in" }).click();
    await assertText(dialog.getByTestId("kitchen-clock-error"), /you are clocked in/);
    assert.equal(await dialog.getByRole("button", { name: "Clock in" }).count(), 0);
    await dialog.getByRole("button", { name: "Clock out" }).click();
    await assertText(dialog.getByTestId("kitchen-clock-result"), /Kim Cook clocked out/);

    // Escape closes the dialog and gives the keyboard back to the board.
    await kitchen.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    const day = await h.app.api<AttendanceResponse>("GET", "/api/attendance", { token: h.app.adminToken });
    assert.deepEqual(
      day.body.entries.filter((e) => e.userId === cook.id).map((e) => e.action),
      ["clock_in", "clock_out"],
    );
    await kitchen.close();
  });

  it("a manager corrects the cook's clock-in with a reason", async () => {
    await counter.getByTestId("lock").click();
    // The counter's lock screen clocks people in with their PIN (the screen's own token).
    await counter.getByTestId("clock-in-out").click();
    const lockClock = counter.getByTestId("clock-panel");
    await lockClock.getByLabel("PIN").fill(cashier.pin);
    await lockClock.getByRole("button", { name: "Next" }).click();
    await lockClock.getByRole("button", { name: "Clock in" }).click();
    await assertText(lockClock.getByTestId("clock-note"), /Cass Cashier clocked in/);
    await assertText(lockClock.getByTestId("who-in"), /Cass Cashier/);
    await screenshot(counter, "counter-lock-clock");
    assert.deepEqual(await seriousViolations(counter), []);
    await counter.getByRole("button", { name: "Back to sign in" }).click();
    await signIn(counter, manager);
    await openTab(counter, /^Clock/);
    const panel = counter.getByTestId("clock-panel");
    const entries = panel.getByTestId("attendance-entries");
    await entries.waitFor();
    const day = await h.app.api<AttendanceResponse>("GET", "/api/attendance", { token: h.app.adminToken });
    const clockIn = day.body.entries.find((e) => e.userId === cook.id && e.action === "clock_in");
    assert.ok(clockIn);
    await entries
      .locator(`tr[data-entry='${clockIn.id}']`)
      .getByRole("button", { name: /^Correct/ })
      .click();
    const dialog = counter.getByTestId("correction-dialog");
    // An hour earlier than it was recorded, in the form's local time.
    const earlier = new Date(Date.parse(clockIn.at) - 60 * 60_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    const local = `${earlier.getFullYear()}-${pad(earlier.getMonth() + 1)}-${pad(earlier.getDate())}T${pad(earlier.getHours())}:${pad(earlier.getMinutes())}`;
    await dialog.getByLabel("Time").fill(local);
    await dialog.getByRole("button", { name: "Save correction" }).click();
    await assertText(dialog.getByTestId("correction-error"), /Type a reason/);
    await fillDialog(dialog, [["Reason", "Forgot to clock in on arrival"]], "Save correction");
    await dialog.waitFor({ state: "detached" });
    await assertText(panel.getByTestId("clock-note"), /correction is saved/);
    await assertText(entries, /Forgot to clock in on arrival/);
    await entries.locator(`tr[data-entry='${clockIn.id}'].superseded`).waitFor();
    await screenshot(counter, "counter-clock-corrected");
    assert.deepEqual(await seriousViolations(counter), []);

    const after = await h.app.api<AttendanceResponse>("GET", "/api/attendance", { token: h.app.adminToken });
    const correction = after.body.entries.find((e) => e.corrects === clockIn.id);
    assert.ok(correction, "a correction entry supersedes the clock-in");
    assert.equal(correction.reason, "Forgot to clock in on arrival");
    assert.equal(correction.by.name, manager.name);
    assert.equal(Math.floor(Date.parse(correction.at) / 60_000), Math.floor(earlier.getTime() / 60_000));
    assert.equal(after.body.entries.find((e) => e.id === clockIn.id)?.superseded, true);
  });

  it("finds today's orders: reprints a receipt, refunds cash with a reason (a shift needed), cancels an order", async () => {
    // The manager is signed in at the counter (the test before); money comes in through the API.
    const token = await tokenOf(manager);
    const opened = await h.app.api<CashShiftView>("POST", "/api/cash/open", { token, body: { openingFloat: 5_000 } });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const paidOrder = (await h.app.placeOrder(token, [{ menuItemId: "fries", quantity: 1 }])).body;
    const payment = await h.app.api("POST", `/api/orders/${paidOrder.id}/payments`, {
      token,
      body: { id: randomUUID(), method: "cash", amount: paidOrder.totals.total },
    });
    assert.equal(payment.status, 201, JSON.stringify(payment.body));
    const shift = await h.app.api<CashShiftView>("GET", "/api/cash/session", { token });
    const closing = await h.app.api("POST", "/api/cash/close", {
      token,
      body: { counted: shift.body.summary.expected ?? 0 },
    });
    assert.equal(closing.status, 200, JSON.stringify(closing.body));
    const openOrder = (await h.app.placeOrder(token, [{ menuItemId: "cola", quantity: 1 }])).body;

    await openTab(counter, /^Orders/);
    const panel = counter.getByTestId("orders-panel");
    await panel.getByRole("button", { name: "Refresh" }).click();
    await panel.getByLabel(/Find by number/).fill(String(paidOrder.number));
    await assertText(panel.getByTestId("orders"), new RegExp(euros(paidOrder.totals.total)));
    assert.equal(await panel.locator("tr[data-order]").count(), 1, "the search keeps that order only");
    await panel.getByRole("button", { name: `Open order ${paidOrder.number}` }).click();
    const detail = panel.getByTestId("order-detail");
    await assertText(detail.getByTestId("order-lines"), /Fries/);
    await assertText(detail.getByTestId("order-paid"), new RegExp(`Paid ${euros(paidOrder.totals.total)}`));

    // Reprint: a COPY of the order's receipt.
    await detail.getByRole("button", { name: "Reprint receipt" }).click();
    await assertText(panel.getByTestId("orders-note"), /copy of the receipt/);
    const jobs = await h.app.api<{ jobs: { banner: string | null }[] }>(
      "GET",
      `/api/print-jobs?order=${paidOrder.id}&kind=receipt`,
      { token },
    );
    assert.ok(
      jobs.body.jobs.some((job) => job.banner === "COPY"),
      JSON.stringify(jobs.body),
    );

    // A cash refund needs an open shift: refused in words with its code, then done once one is open.
    await detail.getByRole("button", { name: /^Refund the Cash payment/ }).click();
    const dialog = counter.getByTestId("order-dialog");
    assert.equal(await dialog.getByLabel(/Amount to refund/).inputValue(), (paidOrder.totals.total / 100).toFixed(2));
    await fillDialog(dialog, [[/Amount to refund/, "1.00"]], "Refund");
    await assertText(dialog.getByTestId("order-dialog-error"), /Type a reason/);
    await fillDialog(dialog, [["Reason", "Fries were cold"]], "Refund");
    await assertText(dialog.getByTestId("order-dialog-error"), /Open a cash shift first\. \(cash_shift_required\)/);
    const reopened = await h.app.api("POST", "/api/cash/open", { token, body: { openingFloat: 5_000 } });
    assert.equal(reopened.status, 201);
    await dialog.getByRole("button", { name: "Refund", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await assertText(panel.getByTestId("orders-note"), new RegExp(`${euros(100)} refunded .*cash from the drawer`));
    await assertText(detail.getByTestId("order-refunds"), /Fries were cold/);
    await screenshot(counter, "counter-orders-refund");
    assert.deepEqual(await seriousViolations(counter), []);

    // Cancel an order still in the kitchen, with a reason kept in its history.
    await panel.getByLabel(/Find by number/).fill(String(openOrder.number));
    await panel.getByRole("button", { name: `Open order ${openOrder.number}` }).click();
    await assertText(detail, new RegExp(`Order ${openOrder.number}`));
    await detail.getByRole("button", { name: "Cancel order" }).click();
    await fillDialog(dialog, [["Reason", "Customer left"]], "Cancel the order");
    await dialog.waitFor({ state: "detached" });
    await assertText(detail.getByTestId("order-history"), /Cancelled[\s\S]*Customer left/);
    const cancelled = await h.app.api<{ status: string }>("GET", `/api/orders/${openOrder.id}`, { token });
    assert.equal(cancelled.body.status, "cancelled");
    assert.equal(
      await detail.getByRole("button", { name: "Cancel order" }).count(),
      0,
      "a cancelled order has no Cancel",
    );
  });

  it("an item marked sold out at the counter shows sold out on the kiosk", async () => {
    await openTab(counter, /^Sold out/);
    const panel = counter.getByTestId("soldout-panel");
    await panel.getByLabel("Find an item").fill("fries");
    const fries = panel.locator("button[data-item='fries']");
    await assertText(fries, /Available/);
    await fries.focus();
    await counter.keyboard.press("Enter");
    await panel.locator("button[data-item='fries'][aria-checked='true']").waitFor();
    await assertText(fries, /Sold out/);
    await screenshot(counter, "counter-sold-out");
    assert.deepEqual(await seriousViolations(counter), []);

    const kiosk = await h.open("/kiosk", PORTRAIT, { otherOrigin: true });
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.getByRole("button", { name: "Sides", exact: true }).click();
    const card = kiosk.locator("[data-product='fries'][aria-disabled='true']");
    await card.waitFor();
    assert.match((await card.textContent()) ?? "", /Sold out/);
    await screenshot(kiosk, "kiosk-sold-out-from-counter");

    // Back on the menu from the counter: the kiosk takes it at once.
    await fries.click();
    await kiosk.locator("[data-product='fries'][aria-disabled='false']").waitFor();
    assert.deepEqual(h.errors, []);
  });
});
