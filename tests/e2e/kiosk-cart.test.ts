/**
 * The kiosk's cart lives on the appliance (cart sessions), end to end: lines are added, changed
 * and removed through the session (never a direct order) with the appliance's prices; a counted
 * item held for one kiosk is missing on a second kiosk until the first starts over; and tax
 * added on top (`pricing.taxMode: exclusive`) is shown as the appliance computed it, through to
 * the order.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { Availability, OrderView, SessionView } from "../../protocol/schemas/index.ts";
import { assertText, PORTRAIT, screenshot, startHarness, type Harness } from "./support/harness.ts";
import { waitFor } from "../helpers/wait.ts";

/** The kiosk's own device token (it paired itself). */
async function tokenOf(page: Page): Promise<string> {
  const token = await page.evaluate<string | null>("localStorage.getItem('galley.token.kiosk')");
  assert.ok(token, "the kiosk is paired");
  return token;
}

async function startOrder(kiosk: Page): Promise<void> {
  await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
}

async function addPlain(kiosk: Page, category: string, product: string): Promise<void> {
  await kiosk.getByRole("button", { name: category, exact: true }).click();
  await kiosk.locator(`[data-product='${product}']`).click();
  await kiosk.getByTestId("add-to-order").click();
}

describe("kiosk cart on the appliance", { timeout: 120_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it("adds, changes and removes lines through the cart session, with the appliance's prices", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    const sent: string[] = [];
    kiosk.on("request", (request) => {
      const path = new URL(request.url()).pathname;
      if (request.method() !== "GET" && (path.startsWith("/api/sessions") || path.startsWith("/api/orders")))
        sent.push(`${request.method()} ${path.replace(/[0-9a-f-]{36}/g, ":id")}`);
    });
    await startOrder(kiosk);
    await addPlain(kiosk, "Sides", "fries");
    await kiosk.getByText("1 item").waitFor();
    await kiosk.getByRole("button", { name: "View order" }).click();
    const cart = kiosk.locator("galley-kiosk-cart");
    const total = cart.locator("[data-testid='total']");
    await assertText(total, /€3\.90/);

    await cart.getByRole("button", { name: "One more: Fries" }).click();
    await assertText(total, /€7\.80/);
    await assertText(cart.locator("li[data-line='fries'] .price"), /€7\.80/);
    await cart.locator("li[data-line='fries']").getByRole("button", { name: "Change" }).click();
    await kiosk.locator("[data-option='fries-large']").click();
    await assertText(kiosk.getByTestId("add-to-order"), /Update · €10\.20/);
    await kiosk.getByTestId("add-to-order").click();
    await assertText(total, /€10\.20/);

    const token = await tokenOf(kiosk);
    const server = await h.app.api<SessionView>("GET", "/api/sessions/current", { token });
    assert.deepEqual(
      server.body.lines.map((l) => [l.menuItemId, l.quantity, l.options.map((o) => o.option).sort()]),
      [["fries", 2, ["dip-ketchup", "fries-large"]]],
    );
    assert.equal(server.body.totals.total, 1_020);
    await screenshot(kiosk, "kiosk-cart-session");

    await cart.getByRole("button", { name: "Remove Fries" }).click();
    await cart.getByText("Nothing here yet. Tap a dish to add it.").waitFor();
    await kiosk.getByRole("button", { name: "Start over" }).click();
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).waitFor();
    // The kiosk abandons the cart on its way back to the attract loop: wait for galleyd to have it.
    await waitFor(async () => (await h.app.api("GET", "/api/sessions/current", { token })).status === 404, {
      what: "starting over to abandon the cart",
    });
    assert.deepEqual(
      [...new Set(sent)].sort(),
      [
        "DELETE /api/sessions/:id/lines/:id",
        "PATCH /api/sessions/:id/lines/:id",
        "POST /api/sessions",
        "POST /api/sessions/:id/abandon",
        "POST /api/sessions/:id/lines",
      ],
      "every change through the session, never a direct order",
    );
    assert.deepEqual(h.errors, []);
  });

  it("holds a counted item for this kiosk: a second kiosk can add only what is left, until the first starts over", async () => {
    const manager = await h.app.tokenFor("manager");
    const stock = async () =>
      (await h.app.api<{ availability: Availability }>("GET", "/api/menu", { token: manager })).body.availability.stock
        .brownie;
    assert.equal((await h.app.api("PUT", "/api/stock/brownie", { token: manager, body: { onHand: 3 } })).status, 200);

    // Kiosk A puts two of the three brownies in its cart.
    const a = await h.open("/kiosk", PORTRAIT);
    await startOrder(a);
    await a.getByRole("button", { name: "Desserts", exact: true }).click();
    await a.locator("[data-product='brownie']").click();
    await a.getByRole("button", { name: "One more: Homemade Walnut Brownie" }).click();
    await a.getByTestId("add-to-order").click();
    await a.getByText("2 items").waitFor();
    await a.getByRole("button", { name: "View order" }).click();
    await a
      .locator("galley-kiosk-cart li[data-line='brownie']")
      .getByText(/Reserved for you until \d/)
      .waitFor();
    assert.equal(await stock(), 1);

    // Kiosk B (another screen: another origin, its own pairing and cart) sees one left.
    const b = await h.open("/kiosk", PORTRAIT, { otherOrigin: true });
    await startOrder(b);
    await b.getByRole("button", { name: "Desserts", exact: true }).click();
    const card = b.locator("[data-product='brownie']");
    await assertText(card, /Only 1 left/);
    await card.click();
    await b.getByRole("button", { name: "One more: Homemade Walnut Brownie" }).click();
    await b.getByTestId("add-to-order").click();
    const notice = b.getByTestId("cart-notice");
    await assertText(notice, /Sorry, only 1 left of Homemade Walnut Brownie\./);
    await b.getByText("Your order is empty").waitFor();
    await screenshot(b, "kiosk-out-of-stock");
    await notice.getByRole("button", { name: "OK" }).click();
    await notice.waitFor({ state: "detached" });
    await card.click();
    await b.getByTestId("add-to-order").click();
    await b.getByText("1 item").waitFor();
    await assertText(card, /Sold out/);

    // A starts over: its two are released, and B's menu shows them at once.
    await a.getByRole("button", { name: "Start over" }).click();
    await assertText(card, /Only 2 left/);
    assert.equal(await stock(), 2);
    await b.getByRole("button", { name: "Start over" }).click();
    await b.getByRole("button", { name: "Touch to order", exact: true }).waitFor();
    assert.equal(await stock(), 3);
    assert.deepEqual(h.errors, []);
    await b.close();
  });
});

describe("kiosk with tax added on top (pricing.taxMode exclusive)", { timeout: 120_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ config: { pricing: { taxMode: "exclusive" } } });
  });
  after(async () => {
    await h.close();
  });

  it("shows the subtotal, each tax and the total as the appliance computed them, through to the order", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    await startOrder(kiosk);
    await addPlain(kiosk, "Sides", "fries");
    await addPlain(kiosk, "Drinks", "cola");
    await kiosk.getByText("2 items").waitFor();
    await kiosk.getByRole("button", { name: "View order" }).click();
    const totals = kiosk.locator("galley-kiosk-cart [data-testid='totals']");
    await assertText(totals.locator("[data-testid='total']"), /€7\.62/);
    const rows = async () =>
      (await totals.locator("div").allInnerTexts()).map((row) => row.replace(/\s+/g, " ").trim());
    assert.deepEqual(await rows(), [
      "Subtotal €6.80",
      "Drinks 19 % €0.55",
      "Food (take-away) 7 % €0.27",
      "Total €7.62",
    ]);
    const server = await h.app.api<SessionView>("GET", "/api/sessions/current", { token: await tokenOf(kiosk) });
    assert.deepEqual(
      {
        subtotal: server.body.totals.subtotal,
        tax: server.body.totals.tax,
        total: server.body.totals.total,
        taxIncluded: server.body.totals.taxIncluded,
      },
      { subtotal: 680, tax: 82, total: 762, taxIncluded: false },
    );
    await screenshot(kiosk, "kiosk-cart-tax-on-top");

    await kiosk.getByRole("button", { name: "Check out" }).click();
    await kiosk.getByRole("button", { name: "No, thanks" }).click();
    const checkout = kiosk.locator("galley-kiosk-checkout [data-testid='totals']");
    await assertText(checkout, /Drinks 19 %/);
    await assertText(kiosk.getByTestId("place-order"), /Place order · €7\.62/);
    await kiosk.getByTestId("place-order").click();
    const number = Number(await kiosk.getByTestId("order-number").textContent({ timeout: 10_000 }));
    await assertText(kiosk.locator("galley-kiosk-confirmation .pay"), /€7\.62/);
    const kitchen = await h.app.tokenFor("kitchen");
    const order = (
      await h.app.api<{ orders: OrderView[] }>("GET", "/api/orders/queue", { token: kitchen })
    ).body.orders.find((o) => o.number === number);
    assert.equal(order?.totals.total, 762);
    assert.deepEqual(h.errors, []);
  });
});
