/**
 * axe-core on every screen in the states people see: no serious or critical violation on the
 * kiosk (attract loop, menu, item page, cart, checkout, accessibility mode), the kitchen display
 * (with tickets), the pickup board (with numbers) and the admin page: sign-in, Devices, Diagnostics
 * (doctor, device tests with a test print and the display's cells, screens, logs) and Sync.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { OrderView } from "../../protocol/schemas/index.ts";
import { ADMIN_PIN } from "../helpers/test-app.ts";
import {
  LANDSCAPE,
  PORTRAIT,
  seriousViolations,
  startHarness,
  type AxeViolation,
  type Harness,
} from "./support/harness.ts";

function report(where: string, violations: AxeViolation[]): string {
  return `${where}: ${violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${JSON.stringify(v.nodes)}`).join("\n")}`;
}

describe("accessibility (axe-core)", { timeout: 120_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
    const kiosk = await h.app.tokenFor("kiosk");
    const kitchen = await h.app.tokenFor("kitchen");
    const placed: OrderView[] = [];
    for (const items of [
      [{ menuItemId: "burger-meal", quantity: 1 }],
      [{ menuItemId: "classic-burger", quantity: 2 }],
      [{ menuItemId: "cola", quantity: 1 }],
    ])
      placed.push((await h.app.placeOrder(kiosk, items)).body);
    await h.app.api("PATCH", `/api/orders/${placed[1]!.id}/status`, {
      token: kitchen,
      body: { status: "in_progress" },
    });
    await h.app.api("PATCH", `/api/orders/${placed[2]!.id}/status`, {
      token: kitchen,
      body: { status: "in_progress" },
    });
    await h.app.api("PATCH", `/api/orders/${placed[2]!.id}/status`, { token: kitchen, body: { status: "ready" } });
  });
  after(async () => {
    await h.close();
  });

  const check = async (page: Page, where: string) => {
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], report(where, violations));
  };

  it("kiosk: attract loop, menu, item page, cart, checkout and accessibility mode", async () => {
    const kiosk = await h.open("/kiosk", PORTRAIT);
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).waitFor();
    await check(kiosk, "kiosk attract");
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).click();
    await kiosk.locator("[data-product='burger-meal']").waitFor();
    await check(kiosk, "kiosk menu");
    await kiosk.locator("[data-product='burger-meal']").click();
    await kiosk.getByTestId("add-to-order").waitFor();
    await check(kiosk, "kiosk item page (combo)");
    await kiosk.getByTestId("add-to-order").click();
    await kiosk.getByRole("button", { name: "Allergens & diet" }).click();
    await check(kiosk, "kiosk filters");
    await kiosk.keyboard.press("Escape");
    await kiosk.getByRole("button", { name: "View order" }).click();
    await check(kiosk, "kiosk cart");
    await kiosk.getByRole("button", { name: "Check out" }).click();
    await kiosk.getByRole("button", { name: "No, thanks" }).click();
    await kiosk.getByTestId("place-order").waitFor();
    await check(kiosk, "kiosk checkout");
    await kiosk.getByRole("button", { name: "Accessibility" }).click();
    await kiosk.locator("html[data-access='on']").waitFor();
    await check(kiosk, "kiosk checkout in accessibility mode");
    await kiosk.getByTestId("place-order").click();
    await kiosk.getByTestId("order-number").waitFor();
    await check(kiosk, "kiosk confirmation");
  });

  it("kitchen display with tickets", async () => {
    const kitchen = await h.open("/kitchen", LANDSCAPE);
    await kitchen.locator("galley-ticket-card").first().waitFor();
    await check(kitchen, "kitchen");
  });

  it("pickup board with numbers", async () => {
    const board = await h.open("/board", LANDSCAPE);
    await board.locator('[data-column="ready"] li').first().waitFor();
    await check(board, "board");
  });

  it("admin page: sign-in, devices, diagnostics and sync", async () => {
    const admin = await h.open("/admin", LANDSCAPE);
    await admin.getByRole("button", { name: "Sign in" }).waitFor();
    await check(admin, "admin sign-in");
    await admin.getByLabel("PIN").fill(ADMIN_PIN);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.getByTestId("printers").locator("tr[data-printer]").first().waitFor();
    await check(admin, "admin devices");
    await admin.getByRole("link", { name: "Diagnostics" }).click();
    await admin.getByTestId("doctor").locator("li[data-check]").first().waitFor();
    await admin
      .getByTestId("device-tests")
      .getByRole("button", { name: /^Test print on Counter/ })
      .click();
    await admin.getByTestId("test-receipt").waitFor();
    await admin.getByTestId("device-tests").getByRole("button", { name: "Test display" }).click();
    await admin.locator('[data-testid="display-cells"][data-tested="true"]').waitFor();
    await admin.getByTestId("connected-screens").locator("tr").first().waitFor();
    await admin
      .getByTestId("logs")
      .getByText(/lines from/)
      .waitFor();
    await check(admin, "admin diagnostics");
    await admin.getByRole("link", { name: "Sync & backups" }).click();
    await admin.getByTestId("sync").getByText("No upstream is connected", { exact: false }).waitFor();
    await admin.getByTestId("journal-backups").getByText("No journal backup yet.").waitFor();
    await check(admin, "admin sync and backups");
    assert.deepEqual(h.errors, []);
  });
});
