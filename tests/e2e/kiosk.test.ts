/**
 * The kiosk on its own: it starts over after the idle time (with a visible countdown), abandoning
 * its cart so the stock it held is released, a dish sold out in the kitchen greys out at once
 * (also in an open cart), an order placed with the keyboard only, and accessibility mode.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WebSocketRoute } from "playwright-core";
import type { Availability } from "../../protocol/schemas/index.ts";
import { PORTRAIT, screenshot, startHarness, tabTo, type Harness } from "./support/harness.ts";
import { waitFor as poll } from "../helpers/wait.ts";

async function waitFor(check: () => Promise<boolean>, what: string, ms = 3_000): Promise<void> {
  await poll(check, { what, timeoutMs: ms, intervalMs: 50 });
}

describe("kiosk", { timeout: 120_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it("counts down and starts over after the idle time, with the cart emptied and its stock hold released", async () => {
    const manager = await h.app.tokenFor("manager");
    const brownies = async () =>
      (await h.app.api<{ availability: Availability }>("GET", "/api/menu", { token: manager })).body.availability.stock
        .brownie;
    await h.app.api("PUT", "/api/stock/brownie", { token: manager, body: { onHand: 5 } });
    const kiosk = await h.open("/kiosk?idle=5&idleWarn=3", PORTRAIT);
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.getByRole("button", { name: "Desserts", exact: true }).click();
    await kiosk.locator("[data-product='brownie']").click();
    await kiosk.getByTestId("add-to-order").click();
    await kiosk.getByText("1 item").waitFor();
    assert.equal(await brownies(), 4, "held for this kiosk's customer");
    const token = await kiosk.evaluate<string | null>("localStorage.getItem('galley.token.kiosk')");

    const countdown = kiosk.getByRole("alertdialog", { name: "Are you still there?" });
    await countdown.waitFor({ timeout: 4_000 });
    assert.match((await countdown.textContent()) ?? "", /Starting over in [1-3] seconds?/);
    await screenshot(kiosk, "kiosk-idle-countdown");
    // A touch keeps the order.
    await kiosk.getByRole("button", { name: "Continue my order" }).click();
    await countdown.waitFor({ state: "detached", timeout: 2_000 });
    await kiosk.getByText("1 item").waitFor({ timeout: 1_000 });

    // Left alone, it starts over: the cart is abandoned and the brownie is for sale again.
    await countdown.waitFor({ timeout: 4_000 });
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).waitFor({ timeout: 4_000 });
    await waitFor(async () => (await brownies()) === 5, "the hold released");
    assert.equal(
      (await h.app.api("GET", "/api/sessions/current", { token: token ?? "" })).status,
      404,
      "no open cart left",
    );
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.getByText("Your order is empty").waitFor({ timeout: 2_000 });
    // Its idle timer would start over the next test's cart (the pages share the kiosk's token).
    await kiosk.close();
  });

  it("greys out a dish the kitchen marks sold out, also in an open cart, and brings it back", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    const kitchenToken = await h.app.tokenFor("kitchen");
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.getByRole("button", { name: "Burgers", exact: true }).click();
    const card = kiosk.locator("[data-product='cheeseburger']");
    await card.click();
    await kiosk.getByTestId("add-to-order").click();
    await kiosk.getByRole("button", { name: "View order" }).click();
    const checkout = kiosk.getByRole("button", { name: "Check out" });
    assert.equal(await checkout.isEnabled(), true);

    const soldOut = await h.app.api("PUT", "/api/menu/availability", {
      token: kitchenToken,
      body: { kind: "item", id: "cheeseburger", available: false },
    });
    assert.equal(soldOut.status, 200);
    await kiosk
      .getByRole("alert")
      .filter({ hasText: "Cheeseburger has just sold out. Please remove it to continue." })
      .waitFor({ timeout: 2_000 });
    assert.equal(await checkout.isDisabled(), true, "no checkout with a sold-out dish");
    await screenshot(kiosk, "kiosk-sold-out-cart");
    await kiosk.getByRole("button", { name: "Add more" }).click();
    await kiosk.locator("[data-product='cheeseburger'][aria-disabled='true']").waitFor({ timeout: 2_000 });
    assert.match((await card.textContent()) ?? "", /Sold out/);

    await h.app.api("PUT", "/api/menu/availability", {
      token: kitchenToken,
      body: { kind: "item", id: "cheeseburger", available: true },
    });
    await kiosk.locator("[data-product='cheeseburger'][aria-disabled='false']").waitFor({ timeout: 2_000 });
    await kiosk.getByRole("button", { name: "View order" }).click();
    await kiosk.getByRole("button", { name: "Check out" }).waitFor();
    assert.equal(await kiosk.getByRole("button", { name: "Check out" }).isEnabled(), true);
    await kiosk.getByRole("button", { name: "Start over" }).click();
  });

  it("takes a whole order from the keyboard alone", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).waitFor();
    await tabTo(kiosk, /^Touch to order$/);
    await kiosk.keyboard.press("Enter");
    await tabTo(kiosk, /^Burgers$/);
    await kiosk.keyboard.press("Enter");
    await tabTo(kiosk, /^Classic Burger,/);
    await kiosk.keyboard.press("Enter");
    await kiosk.getByRole("dialog", { name: "Classic Burger" }).waitFor();
    await tabTo(kiosk, /^Extra cheddar/);
    await kiosk.keyboard.press("Space");
    await tabTo(kiosk, /^Add to order/);
    assert.match((await kiosk.getByTestId("add-to-order").textContent()) ?? "", /€10\.90/);
    await kiosk.keyboard.press("Enter");
    await tabTo(kiosk, /View order/);
    await kiosk.keyboard.press("Enter");
    await tabTo(kiosk, /^Check out$/);
    await kiosk.keyboard.press("Enter");
    await kiosk.getByRole("dialog", { name: "Anything else?" }).waitFor();
    await tabTo(kiosk, /^No, thanks$/);
    await kiosk.keyboard.press("Enter");
    await tabTo(kiosk, /^Place order/);
    await kiosk.keyboard.press("Enter");
    const number = Number(await kiosk.getByTestId("order-number").textContent({ timeout: 10_000 }));
    assert.ok(number > 0);
    const kitchenToken = await h.app.tokenFor("kitchen");
    const queue = await h.app.api<{ orders: { number: number; lines: { options: { option: string }[] }[] }[] }>(
      "GET",
      "/api/orders/queue",
      { token: kitchenToken },
    );
    const order = queue.body.orders.find((o) => o.number === number);
    assert.deepEqual(order?.lines[0]?.options.map((o) => o.option).sort(), ["extra-cheese", "medium"]);
    await screenshot(kiosk, "kiosk-keyboard-confirmation");
  });

  it("switches to accessibility mode: high contrast, larger text, every control in the lower part", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.getByRole("button", { name: "Accessibility" }).click();
    await kiosk.locator("html[data-access='on']").waitFor();
    const background = await kiosk.evaluate<string>("getComputedStyle(document.documentElement).backgroundColor");
    assert.equal(background, "rgb(0, 0, 0)");
    const tops = await kiosk.evaluate<number[]>(`(() => {
      const out = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll("*")) {
          if (el.shadowRoot) walk(el.shadowRoot);
          if (el.matches("button, input, select, a[href]")) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight) out.push(r.top / innerHeight);
          }
        }
      };
      walk(document);
      return out;
    })()`);
    assert.ok(tops.length > 5);
    assert.ok(
      Math.min(...tops) >= 0.35,
      `every visible control below 35 % of the height (highest at ${Math.min(...tops).toFixed(2)})`,
    );
    await screenshot(kiosk, "kiosk-accessibility");
    await kiosk.getByRole("button", { name: "Deutsch" }).click();
    await kiosk.getByRole("heading", { name: "Menüs & Angebote" }).waitFor();
    assert.equal(await kiosk.evaluate("document.documentElement.lang"), "de");
    assert.deepEqual(h.errors, []);
  });
});

describe("kiosk when the network fails", { timeout: 120_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it("retries an order whose reply was lost with the same order id: one order, and 'placed' only after galleyd said so", async () => {
    const kiosk = await h.context.newPage();
    await kiosk.setViewportSize(PORTRAIT);
    const posts: { body: string; key: string | undefined }[] = [];
    await kiosk.route("**/api/sessions/*/commit", async (route) => {
      const request = route.request();
      if (request.method() !== "POST") {
        await route.continue();
        return;
      }
      posts.push({ body: request.postData() ?? "", key: request.headers()["idempotency-key"] });
      if (posts.length === 1) {
        // galleyd commits the order, the reply never reaches the kiosk.
        await route.fetch();
        await route.abort("connectionreset");
        return;
      }
      await route.continue();
    });
    await kiosk.goto(`${h.app.url}/kiosk`);
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.locator("[data-product='burger-meal']").click();
    await kiosk.getByTestId("add-to-order").click();
    await kiosk.getByRole("button", { name: "View order" }).click();
    await kiosk.getByRole("button", { name: "Check out" }).click();
    await kiosk.getByRole("button", { name: "No, thanks" }).click();
    await kiosk.getByTestId("place-order").click();
    const number = Number(await kiosk.getByTestId("order-number").textContent({ timeout: 10_000 }));

    assert.equal(posts.length, 2, "sent twice");
    assert.equal(posts[0]?.body, posts[1]?.body, "the same order both times");
    const id = (JSON.parse(posts[0]?.body ?? "{}") as { id?: string }).id;
    assert.equal(posts[0]?.key, id);
    assert.equal(posts[1]?.key, id);
    const manager = await h.app.tokenFor("manager");
    const queue = await h.app.api<{ orders: { id: string; number: number }[] }>("GET", "/api/orders/queue", {
      token: manager,
    });
    assert.deepEqual(
      queue.body.orders.map((o) => [o.id, o.number]),
      [[id, number]],
      "exactly one order",
    );
    await kiosk.close();
  });

  it("says it can't take orders while the appliance is unreachable, and comes back by itself", async () => {
    const kiosk = await h.context.newPage();
    await kiosk.setViewportSize(PORTRAIT);
    let up = true;
    const sockets = new Set<WebSocketRoute>();
    await kiosk.routeWebSocket(/\/ws\?token=/, (ws) => {
      if (!up) {
        void ws.close({ code: 1011, reason: "network down" });
        return;
      }
      ws.connectToServer();
      sockets.add(ws);
    });
    await kiosk.goto(`${h.app.url}/kiosk`);
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.locator("[data-product='burger-meal']").waitFor();
    up = false;
    for (const ws of sockets) await ws.close({ code: 1011, reason: "network down" });
    const notice = kiosk.getByTestId("offline");
    await notice.waitFor({ timeout: 8_000 });
    assert.match((await notice.textContent()) ?? "", /can't take orders right now/);
    await screenshot(kiosk, "kiosk-offline");
    up = true;
    await notice.waitFor({ state: "detached", timeout: 10_000 });
    await kiosk.locator("[data-product='burger-meal']").click();
    await kiosk.getByTestId("add-to-order").waitFor();
    assert.deepEqual(h.errors, []);
    await kiosk.close();
  });
});
