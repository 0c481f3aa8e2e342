/**
 * Printer faults on the screens, with TCP printer simulators as the store's printers (a kitchen
 * printer for every station, a counter printer for receipts): the kitchen display shows a slim
 * banner with the printer's name and the tickets waiting while paper is out, and drops it when
 * paper is back; the admin page shows each printer's state live and the print jobs that need
 * someone, with Cancel (a held ticket) and Reprint (a page that may not have printed).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DevicesStatus, OrderView, PrintJobView } from "../../protocol/schemas/index.ts";
import { ADMIN_PIN } from "../helpers/test-app.ts";
import { FAST, simPrinter, until, type SimPrinter } from "../integration/devices/rig.ts";
import { assertText, LANDSCAPE, screenshot, seriousViolations, startHarness, type Harness } from "./support/harness.ts";

describe(
  "printer faults on the kitchen display and the admin page (TCP printer simulators)",
  { timeout: 120_000 },
  () => {
    let h: Harness;
    let kitchenPrinter: SimPrinter;
    let counterPrinter: SimPrinter;
    let kioskToken: string;

    before(async () => {
      kitchenPrinter = await simPrinter("epson-tm-t20");
      counterPrinter = await simPrinter("epson-tm-t88");
      h = await startHarness({
        config: {
          devices: {
            printers: [
              {
                id: "kitchen",
                name: "Kitchen printer",
                uri: kitchenPrinter.uri,
                profile: "epson-tm-t20",
                kitchenStations: ["*"],
                ...FAST,
              },
              {
                id: "counter",
                name: "Counter printer",
                uri: counterPrinter.uri,
                profile: "epson-tm-t88",
                receipts: true,
                numberSlips: true,
                ...FAST,
              },
            ],
            savePrints: false,
          },
        },
      });
      kioskToken = await h.app.tokenFor("kiosk");
    });
    after(async () => {
      await h.close();
      await kitchenPrinter.close();
      await counterPrinter.close();
    });

    const place = async (): Promise<OrderView> => {
      const placed = await h.app.placeOrder(kioskToken, [{ menuItemId: "fries", quantity: 1 }]);
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      return placed.body;
    };
    const jobs = async (query: string): Promise<PrintJobView[]> =>
      (await h.app.api<{ jobs: PrintJobView[] }>("GET", `/api/print-jobs${query}`, { token: h.app.adminToken })).body
        .jobs;

    it("kitchen: paper out shows a banner with the printer's name and the tickets waiting; paper back, it goes", async () => {
      const kitchen = await h.open("/kitchen", LANDSCAPE);
      await kitchen.locator('galley-connection-status [data-state="online"]').waitFor({ timeout: 10_000 });
      const banner = kitchen.getByTestId("printer-alerts");
      // The printers connect as the board starts (slowly on a loaded machine): once both report
      // healthy, the kitchen shows no banner.
      await until(
        "both printers healthy",
        async () => {
          const status = await h.app.api<DevicesStatus>("GET", "/api/devices/status", { token: h.app.adminToken });
          return status.body.printers.every((p) => p.connection === "online" && p.health === "ok");
        },
        20_000,
      );
      await banner.locator("p").first().waitFor({ state: "detached", timeout: 10_000 });
      assert.equal(await banner.locator("p").count(), 0, "no banner while the printers are fine");

      kitchenPrinter.simulator.setPaper("end");
      const alert = banner.locator("[data-printer='kitchen']");
      await alert.waitFor({ timeout: 10_000 });
      await assertText(alert, /Kitchen printer:\s*out of paper/);
      const order = await place();
      await kitchen.locator(`galley-ticket-card article[data-number="${order.number}"]`).waitFor({ timeout: 10_000 });
      await assertText(alert, /1 ticket waiting/);
      assert.equal(
        await banner.locator("[data-printer='counter']").count(),
        0,
        "the counter's receipt printer is not the kitchen's business",
      );
      assert.deepEqual(await seriousViolations(kitchen), []);
      await screenshot(kitchen, "kitchen-printer-paper-out");

      kitchenPrinter.simulator.setPaper("ok");
      await alert.waitFor({ state: "detached", timeout: 10_000 });
      assert.equal((await jobs(`?order=${order.id}&kind=kitchen`))[0]?.state, "done", "the held ticket printed");
      assert.deepEqual(h.errors, []);
    });

    it("admin: each printer's state, and the print jobs needing attention with Cancel and Reprint", async () => {
      const admin = await h.open("/admin", LANDSCAPE);
      for (const digit of ADMIN_PIN) await admin.getByRole("button", { name: digit, exact: true }).click();
      await admin.getByRole("button", { name: "Sign in" }).click();
      const card = admin.getByTestId("printers");
      const kitchenRow = card.locator("tr[data-printer='kitchen']");
      await assertText(kitchenRow, /Kitchen printer\s*Ready/);
      await assertText(card.locator("tr[data-printer='counter']"), /Counter printer\s*Ready/);
      await card.getByText("No print jobs need attention.").waitFor();

      // Paper out: the state changes live, and a new ticket waits, held.
      kitchenPrinter.simulator.setPaper("end");
      await assertText(kitchenRow, /Out of paper/);
      const order = await place();
      const held = card.locator("ul.jobs li").filter({ hasText: `Kitchen ticket · order ${order.number}` });
      await assertText(held, /Held/);
      await assertText(kitchenRow, /1 held/);
      assert.equal(await held.getByRole("button", { name: /Reprint/ }).count(), 0);
      await held.getByRole("button", { name: `Cancel Kitchen ticket · order ${order.number}` }).click();
      await held.waitFor({ state: "detached", timeout: 3_000 });
      await card.getByText(`Kitchen ticket · order ${order.number} cancelled.`).waitFor();
      assert.equal((await jobs(`?order=${order.id}&kind=kitchen`))[0]?.state, "cancelled");
      kitchenPrinter.simulator.setPaper("ok");
      await assertText(kitchenRow, /Ready/);

      // A test page cut off mid-print may not have printed: an operator reprints it.
      counterPrinter.simulator.setFaults({ disconnectAtByte: 100 });
      assert.equal((await h.app.api("POST", "/api/diagnostics/receipt", { token: h.app.adminToken })).status, 200);
      const uncertain = card.locator("ul.jobs li").filter({ hasText: "Test page" });
      await assertText(uncertain, /May not have printed/);
      await assertText(card.locator("tr[data-printer='counter']"), /1 uncertain/);
      assert.deepEqual(await seriousViolations(admin), []);
      await screenshot(admin, "admin-printers");
      await uncertain.getByRole("button", { name: "Reprint Test page" }).click();
      await uncertain.waitFor({ state: "detached", timeout: 3_000 });
      await card.getByText("A copy of Test page is on its way.").waitFor();
      const copies = (await jobs("?kind=test")).filter((j) => j.banner === "COPY");
      assert.equal(copies.length, 1);
      assert.deepEqual(h.errors, []);
    });
  },
);
