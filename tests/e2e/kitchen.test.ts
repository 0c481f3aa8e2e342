/**
 * The kitchen display on its own: it catches up after losing its connection (by seq, without a
 * reload, a duplicate or a gap), a station sees only its items, the bump bar keys work, and
 * recall / undo take a bump back.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page, WebSocketRoute } from "playwright-core";
import type { OrderView } from "../../protocol/schemas/index.ts";
import { LANDSCAPE, screenshot, startHarness, type Harness } from "./support/harness.ts";

describe("kitchen display", { timeout: 120_000 }, () => {
  let h: Harness;
  let kioskToken: string;
  let kitchenToken: string;

  before(async () => {
    h = await startHarness();
    kioskToken = await h.app.tokenFor("kiosk");
    kitchenToken = await h.app.tokenFor("kitchen");
  });
  after(async () => {
    await h.close();
  });

  const place = async (items: unknown[]): Promise<OrderView> => {
    const reply = await h.app.placeOrder(kioskToken, items);
    assert.equal(reply.status, 201);
    return reply.body;
  };
  const move = async (order: OrderView, status: string) => {
    const reply = await h.app.api("PATCH", `/api/orders/${order.id}/status`, { token: kitchenToken, body: { status } });
    assert.equal(reply.status, 200);
  };
  const card = (page: Page, number: number, column?: string) =>
    page.locator(`${column ? `[data-column="${column}"] ` : ""}galley-ticket-card article[data-number="${number}"]`);
  const online = (page: Page) =>
    page.locator('galley-connection-status [data-state="online"]').waitFor({ timeout: 10_000 });

  it("catches up by seq after its connection comes back: no reload, no duplicate, no gap", async () => {
    const page = await h.context.newPage();
    await page.setViewportSize(LANDSCAPE);
    // The page's WebSocket goes through the test: it can be cut and kept down.
    let up = true;
    const sockets = new Set<WebSocketRoute>();
    const subscribes: { topic: string; since?: number }[] = [];
    await page.routeWebSocket(/\/ws\?token=/, (ws) => {
      if (!up) {
        void ws.close({ code: 1011, reason: "network down" });
        return;
      }
      const server = ws.connectToServer();
      sockets.add(ws);
      ws.onMessage((message) => {
        if (typeof message === "string") subscribes.push(JSON.parse(message) as { topic: string; since?: number });
        server.send(message);
      });
      ws.onClose(() => sockets.delete(ws));
    });
    page.on("pageerror", (error) => h.errors.push(error.message));
    await page.goto(`${h.app.url}/kitchen`);
    await online(page);
    await page.evaluate("window.__noReload = 'still here'");

    const first = await place([{ menuItemId: "classic-burger", quantity: 1 }]);
    await card(page, first.number).waitFor({ timeout: 2_000 });

    up = false;
    for (const ws of sockets) await ws.close({ code: 1011, reason: "network down" });
    await page
      .locator('galley-connection-status [data-state="offline"], galley-connection-status [data-state="connecting"]')
      .first()
      .waitFor({ timeout: 3_000 });
    await screenshot(page, "kitchen-offline");

    const missed = [
      await place([{ menuItemId: "fries", quantity: 2 }]),
      await place([{ menuItemId: "cola", quantity: 1 }]),
      await place([{ menuItemId: "burger-meal", quantity: 1 }]),
    ];
    await move(first, "in_progress");
    await move(missed[1]!, "in_progress");
    await move(missed[1]!, "ready");
    await move(missed[1]!, "completed");
    up = true;

    await online(page);
    for (const order of missed.filter((o) => o !== missed[1]))
      await card(page, order.number, "new").waitFor({ timeout: 2_000 });
    await card(page, first.number, "cooking").waitFor({ timeout: 2_000 });
    assert.equal(await card(page, missed[1]!.number).count(), 0, "the order completed meanwhile is not shown");
    for (const order of [first, ...missed])
      assert.ok((await card(page, order.number).count()) <= 1, `order ${order.number} shown once`);
    assert.equal(await page.locator("galley-ticket-card").count(), 3);
    assert.equal(await page.evaluate("window.__noReload"), "still here", "caught up without a reload");
    const resumed = subscribes.filter((m) => m.topic === "kitchen").at(-1);
    assert.ok(resumed?.since !== undefined && resumed.since > 0, "resubscribed with since");
    await screenshot(page, "kitchen-caught-up");
    const manager = await h.app.tokenFor("manager");
    for (const order of [first, missed[0]!, missed[2]!])
      await h.app.api("PATCH", `/api/orders/${order.id}/status`, { token: manager, body: { status: "cancelled" } });
    await page.close();
  });

  it("shows one station's items only, with item done marks shared by every screen", async () => {
    const all = await h.open("/kitchen?cancelLinger=1", LANDSCAPE);
    const fryer = await h.context.newPage();
    await fryer.setViewportSize(LANDSCAPE);
    await fryer.goto(`${h.app.url}/kitchen?station=fryer`);
    await online(all);
    await online(fryer);
    await fryer.getByRole("heading", { name: "Kitchen · Fryer" }).waitFor();

    const order = await place([
      { menuItemId: "classic-burger", quantity: 1 },
      { menuItemId: "fries", quantity: 2 },
      { menuItemId: "cola", quantity: 1 },
    ]);
    const onFryer = card(fryer, order.number);
    await onFryer.waitFor({ timeout: 2_000 });
    const fryerText = (await onFryer.textContent()) ?? "";
    assert.match(fryerText, /Fries/);
    assert.doesNotMatch(fryerText, /Classic Burger|Cola/);
    assert.equal(await fryer.locator('galley-all-day-panel [data-item="fries"] .count').textContent(), "2");

    await onFryer.getByRole("button", { name: /Fries/, pressed: false }).click();
    const onAll = card(all, order.number);
    await onAll.getByRole("button", { name: /Fries/, pressed: true }).waitFor({ timeout: 2_000 });
    assert.equal(
      await all.locator('galley-all-day-panel [data-item="fries"]').count(),
      0,
      "done items leave the all-day counts",
    );
    await screenshot(fryer, "kitchen-station-fryer");

    // Cancelled elsewhere: struck through, then gone.
    const manager = await h.app.tokenFor("manager");
    await h.app.api("PATCH", `/api/orders/${order.id}/status`, { token: manager, body: { status: "cancelled" } });
    await onAll.getByText("Cancelled").waitFor({ timeout: 2_000 });
    await screenshot(all, "kitchen-cancelled");
    await onAll.waitFor({ state: "detached", timeout: 4_000 });
    await fryer.close();
  });

  it("works from a bump bar: number keys select, arrows move, Enter bumps, R recalls, U undoes", async () => {
    const page = await h.open("/kitchen?warn=0&late=0", LANDSCAPE);
    await online(page);
    const a = await place([{ menuItemId: "onion-rings", quantity: 1 }]);
    const b = await place([{ menuItemId: "coleslaw", quantity: 1 }]);
    await card(page, b.number).waitFor({ timeout: 2_000 });
    await page.locator("body").click({ position: { x: 5, y: 1_070 } });

    // The selection re-renders after the key: wait for it rather than read the card at once.
    const selected = async (number: number) => {
      await page.locator(`galley-ticket-card[selected] article[data-number="${number}"]`).waitFor({ timeout: 2_000 });
      return page.locator("galley-ticket-card[selected] article").getAttribute("data-number");
    };
    await page.keyboard.press("1");
    assert.equal(await selected(a.number), String(a.number));
    await page.keyboard.press("ArrowDown");
    assert.equal(await selected(b.number), String(b.number));
    // A bump bar pressed twice, faster than galleyd answers: both presses count.
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await card(page, b.number, "ready").waitFor({ timeout: 2_000 });
    await screenshot(page, "kitchen-keyboard");

    // Recall then undo at once: they run in order, so it ends back under Ready.
    await page.keyboard.press("r");
    await page.keyboard.press("u");
    await page.getByText(`Undone: order ${b.number}`).waitFor({ timeout: 2_000 });
    assert.equal(await card(page, b.number, "ready").count(), 1);

    // The next recall reaches the first bump: one step back from Ready.
    await page.keyboard.press("r");
    await card(page, b.number, "cooking").waitFor({ timeout: 2_000 });
    await page.getByText(`Order ${b.number} recalled to Cooking`).waitFor();
    await page.keyboard.press("u");
    await card(page, b.number, "ready").waitFor({ timeout: 2_000 });
    await page.keyboard.press("u");
    await page.getByText("Nothing to undo").waitFor();
    assert.equal(await card(page, b.number, "ready").count(), 1);

    await page.keyboard.press("ArrowLeft");
    assert.equal(await selected(a.number), String(a.number));
    const stillNew = await h.app.api<OrderView>("GET", `/api/orders/${a.id}`, { token: kitchenToken });
    assert.equal(stillNew.body.status, "in_queue");
    assert.match(
      (await card(page, a.number).locator(".age").getAttribute("data-level")) ?? "",
      /late/,
      "red at once with late=0",
    );
    assert.deepEqual(h.errors, []);
  });
});
