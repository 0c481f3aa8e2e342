/**
 * A customer orders on the kiosk, a cook bumps the ticket, the number turns up under Ready on
 * the pickup board — three screens in one Chromium, against the real galleyd.
 * With GALLEY_DOCS_SCREENSHOTS=1 it also refreshes the README's reference screenshots in docs/.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { OrderView } from "../../protocol/schemas/index.ts";
import {
  assertText,
  LANDSCAPE,
  PORTRAIT,
  ROOT,
  screenshot,
  startHarness,
  TABLET,
  type Harness,
} from "./support/harness.ts";

describe("order flow: kiosk → kitchen → board", { timeout: 120_000 }, () => {
  let h: Harness;
  let kiosk: Page;
  let kitchen: Page;
  let board: Page;

  before(async () => {
    h = await startHarness();
    kitchen = await h.open("/kitchen", LANDSCAPE);
    board = await h.open("/board", LANDSCAPE);
    kiosk = await h.open("/kiosk", PORTRAIT);
  });

  after(async () => {
    await h.close();
  });

  it("a customer orders with options, a cook bumps it, the board shows it ready", async () => {
    await kitchen.locator('galley-connection-status [data-state="online"]').waitFor({ timeout: 10_000 });
    await board.locator('galley-connection-status [data-state="online"]').waitFor({ timeout: 10_000 });
    await kitchen.evaluate("window.__noReload = 'still here'");
    await screenshot(kiosk, "kiosk-1-attract");

    // The customer: a burger with options, and a meal with another drink.
    await kiosk.getByRole("button", { name: "Touch to order" }).click();
    await kiosk.getByRole("button", { name: "Burgers" }).click();
    await kiosk.locator("[data-product='classic-burger']").click();
    await kiosk.locator("[data-option='well-done']").click();
    await kiosk.locator("[data-option='extra-cheese']").click();
    await assertText(kiosk.getByTestId("add-to-order"), /€10\.90/);
    await screenshot(kiosk, "kiosk-3-item");
    await kiosk.getByTestId("add-to-order").click();
    await kiosk.getByRole("button", { name: /Meals/ }).click();
    await kiosk.locator("[data-product='burger-meal']").click();
    await kiosk.locator("[data-slot='drink'] [data-choice='lemonade']").click();
    await assertText(kiosk.getByTestId("add-to-order"), /€14\.70/);
    await kiosk.getByTestId("add-to-order").click();
    await screenshot(kiosk, "kiosk-2-menu");
    await kiosk.getByRole("button", { name: "View order" }).click();
    await assertText(kiosk.locator("galley-kiosk-cart footer [data-testid='total']"), /€25\.60/);
    await screenshot(kiosk, "kiosk-4-cart");
    await kiosk.getByRole("button", { name: "Check out" }).click();
    await kiosk.getByRole("dialog", { name: "Anything else?" }).waitFor();
    await screenshot(kiosk, "kiosk-5-upsell");
    await kiosk.getByRole("button", { name: "No, thanks" }).click();
    await screenshot(kiosk, "kiosk-6-checkout");
    await kiosk.getByTestId("place-order").click();

    const numberText = await kiosk.getByTestId("order-number").textContent({ timeout: 10_000 });
    const placedAt = Date.now();
    const number = Number(numberText);
    assert.ok(Number.isInteger(number) && number > 0, `an order number, got ${numberText ?? ""}`);

    // The cook: the ticket arrives without a reload, within a second (the confirmation's screenshot
    // waits until after: a screenshot on a loaded machine takes longer than the push).
    const ticket = kitchen.locator(`galley-ticket-card article[data-number="${number}"]`);
    await ticket.waitFor({ timeout: 1_000 });
    assert.ok(Date.now() - placedAt <= 1_000, "on the kitchen screen within a second");
    await screenshot(kiosk, "kiosk-7-confirmation");
    assert.equal(await kitchen.evaluate("window.__noReload"), "still here", "no reload");
    await assertText(ticket, /Classic Burger/);
    await assertText(ticket, /Well done/);
    await assertText(ticket, /Extra cheddar/);
    await assertText(ticket, /Lemonade/);
    await screenshot(kitchen, "kitchen-1-new-ticket");

    await ticket.getByRole("button", { name: "Bump to Cooking" }).click();
    await kitchen.locator(`[data-column="cooking"] article[data-number="${number}"]`).waitFor();
    await kitchen
      .locator(`[data-column="cooking"] article[data-number="${number}"]`)
      .getByRole("button", { name: "Bump to Ready" })
      .click();
    await kitchen.locator(`[data-column="ready"] article[data-number="${number}"]`).waitFor();

    // The board: the number under Ready, highlighted.
    const ready = board.locator(`[data-column="ready"] li[data-number="${number}"]`);
    await ready.waitFor({ timeout: 3_000 });
    assert.match((await ready.getAttribute("class")) ?? "", /\bnew\b/);
    assert.equal(await board.locator(`[data-column="preparing"] li[data-number="${number}"]`).count(), 0);
    await screenshot(board, "board-1-ready");

    // Handed over: it leaves the kitchen and the board.
    await kitchen
      .locator(`[data-column="ready"] article[data-number="${number}"]`)
      .getByRole("button", { name: "Handed over" })
      .click();
    await ready.waitFor({ state: "detached", timeout: 3_000 });
    assert.deepEqual(h.errors, []);
  });

  it("looks right busy, and on a 10-inch tablet (reference screenshots)", async () => {
    const kioskToken = await h.app.tokenFor("kiosk");
    const kitchenToken = await h.app.tokenFor("kitchen");
    const orders = [
      [
        {
          menuItemId: "classic-burger",
          quantity: 2,
          options: [
            { group: "doneness", option: "well-done" },
            { group: "burger-extras", option: "extra-bacon" },
          ],
        },
        { menuItemId: "fries", quantity: 2 },
      ],
      [
        { menuItemId: "burger-meal", quantity: 1 },
        { menuItemId: "vanilla-shake", quantity: 1 },
      ],
      [
        { menuItemId: "chicken-nuggets", quantity: 1 },
        { menuItemId: "cola", quantity: 2 },
      ],
      [
        { menuItemId: "falafel-bowl", quantity: 1 },
        { menuItemId: "lemonade", quantity: 1 },
      ],
      [{ menuItemId: "garden-burger", quantity: 1 }],
      [{ menuItemId: "kids-meal", quantity: 2 }],
      [
        { menuItemId: "nashville-hot-chicken", quantity: 1 },
        { menuItemId: "coleslaw", quantity: 1 },
      ],
    ];
    const placed: OrderView[] = [];
    for (const items of orders) placed.push((await h.app.placeOrder(kioskToken, items)).body);
    const move = (i: number, status: string) =>
      h.app.api("PATCH", `/api/orders/${placed[i]!.id}/status`, { token: kitchenToken, body: { status } });
    for (const i of [0, 1, 2, 3]) await move(i, "in_progress");
    for (const i of [2, 3]) await move(i, "ready");
    await h.app.api("POST", `/api/orders/${placed[1]!.id}/marks`, {
      token: kitchenToken,
      body: { mark: `${placed[1]!.lines[0]!.id}/main`, done: true },
    });
    await kitchen.locator(`galley-ticket-card article[data-number="${placed[6]!.number}"]`).waitFor();
    await board.locator(`[data-column="ready"] li[data-number="${placed[3]!.number}"]`).waitFor();
    await kiosk.getByRole("button", { name: "Done" }).click();
    await kiosk.getByRole("button", { name: "Touch to order" }).click();
    await kiosk.getByRole("button", { name: "Burgers" }).click();
    await kiosk.locator("[data-product='cheeseburger']").click();
    await kiosk.getByTestId("add-to-order").click();
    const shots = {
      kiosk: await screenshot(kiosk, "kiosk-busy"),
      kitchen: await screenshot(kitchen, "kitchen-busy"),
      board: await screenshot(board, "board-busy"),
    };

    await kiosk.setViewportSize(TABLET);
    await kitchen.setViewportSize(TABLET);
    await board.setViewportSize(TABLET);
    for (const [name, page] of [
      ["kiosk", kiosk],
      ["kitchen", kitchen],
      ["board", board],
    ] as const) {
      await screenshot(page, `tablet-${name}`);
      const overflow = await page.evaluate<boolean>("document.documentElement.scrollWidth > window.innerWidth");
      assert.equal(overflow, false, `${name} fits a 10-inch tablet without sideways scrolling`);
    }

    if (process.env.GALLEY_DOCS_SCREENSHOTS === "1") {
      mkdirSync(join(ROOT, "docs"), { recursive: true });
      for (const [name, path] of Object.entries(shots)) copyFileSync(path, join(ROOT, "docs", `${name}.png`));
    }
    assert.deepEqual(h.errors, []);
  });
});
