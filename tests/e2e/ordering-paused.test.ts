/**
 * Ordering paused, end to end, configured like a store (production mode, `devices.requireKitchenRoute`,
 * no printer): the kiosk asks customers to order at the counter until a kitchen screen connects,
 * then takes orders; a checkout refused with `503 kitchen_unreachable` (the kiosk had not heard
 * of the pause yet) shows the same calm screen; and it resumes by itself when a kitchen screen is
 * back.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { DevicesStatus, OrderView } from "../../protocol/schemas/index.ts";
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

describe("ordering paused: no kitchen route (production, no printer)", { timeout: 120_000 }, () => {
  let h: Harness;
  let kioskToken: string;
  let kitchenToken: string;

  before(async () => {
    h = await startHarness({ config: { mode: "production", devices: { printers: [], requireKitchenRoute: true } } });
    // Paired before, as a technician does with pairing codes.
    kioskToken = await h.app.tokenFor("kiosk");
    kitchenToken = await h.app.tokenFor("kitchen");
  });
  after(async () => {
    await h.close();
  });

  const ordering = async () =>
    (await h.app.api<DevicesStatus>("GET", "/api/devices/status", { token: h.app.adminToken })).body.ordering.state;
  /** Opens a kitchen screen, then brings `front` back to the front (a background tab's frames are throttled). */
  const openKitchen = async (front: Page): Promise<Page> => {
    const kitchen = await h.open("/kitchen", LANDSCAPE, { tokens: { kitchen: kitchenToken } });
    await kitchen.locator('galley-connection-status [data-state="online"]').waitFor({ timeout: 10_000 });
    await front.bringToFront();
    return kitchen;
  };

  it("asks customers to order at the counter until a kitchen screen connects; a refused checkout shows the same; it resumes by itself", async () => {
    // The kiosk's device-state messages pass through the test, which can hold them back.
    let holdDeviceState = false;
    const kiosk = await h.open("/kiosk", PORTRAIT, {
      tokens: { kiosk: kioskToken },
      prepare: (page) =>
        page.routeWebSocket(/\/ws\?token=/, (ws) => {
          const server = ws.connectToServer();
          server.onMessage((message) => {
            if (holdDeviceState && typeof message === "string" && message.includes('"topic":"devices"')) return;
            ws.send(message);
          });
        }),
    });
    const paused = kiosk.getByTestId("paused");
    await paused.waitFor({ timeout: 10_000 });
    assert.match((await paused.textContent()) ?? "", /We can't take orders right now/);
    assert.match((await paused.textContent()) ?? "", /Please order at the counter/);
    assert.deepEqual(await seriousViolations(kiosk), []);
    await screenshot(kiosk, "kiosk-paused");

    // A kitchen screen connects: the kiosk takes orders.
    let kitchen = await openKitchen(kiosk);
    await paused.waitFor({ state: "detached", timeout: 3_000 });
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.getByRole("button", { name: "Drinks", exact: true }).click();
    await kiosk.locator("[data-product='cola']").click();
    await kiosk.getByTestId("add-to-order").click();
    await kiosk.getByRole("button", { name: "View order" }).click();
    await kiosk.getByRole("button", { name: "Check out" }).click();
    await kiosk.getByTestId("place-order").waitFor();

    // The kitchen screen goes away, and the kiosk does not hear of it before the customer taps.
    holdDeviceState = true;
    await kitchen.close();
    await waitFor(async () => (await ordering()) === "paused", {
      what: "galleyd to pause ordering",
      timeoutMs: 3_000,
      intervalMs: 30,
    });
    assert.equal(await paused.count(), 0, "the kiosk does not know yet");
    await kiosk.getByTestId("place-order").click();
    await paused.waitFor({ timeout: 2_000 });
    assert.equal(await kiosk.getByTestId("order-number").count(), 0, "no order number without the appliance's 201");
    const manager = await h.app.tokenFor("manager");
    const queue = async () =>
      (await h.app.api<{ orders: OrderView[] }>("GET", "/api/orders/queue", { token: manager })).body.orders;
    assert.equal((await queue()).length, 0, "the refused checkout wrote nothing");

    // A kitchen screen is back: the kiosk resumes by itself, with the customer's order still there.
    holdDeviceState = false;
    kitchen = await openKitchen(kiosk);
    await paused.waitFor({ state: "detached", timeout: 3_000 });
    await assertText(kiosk.getByTestId("order-failed"), /The kitchen can't take orders right now/);
    await kiosk.getByTestId("place-order").click();
    const number = Number(await kiosk.getByTestId("order-number").textContent({ timeout: 10_000 }));
    assert.deepEqual(
      (await queue()).map((o) => o.number),
      [number],
    );

    // Without a kitchen screen again, the next customer is asked to order at the counter.
    await kitchen.close();
    await kiosk.getByRole("button", { name: "Done" }).click();
    await paused.waitFor({ timeout: 6_000 });
    assert.deepEqual(h.errors, []);
  });
});
