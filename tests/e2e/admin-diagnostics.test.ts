/**
 * The technician's admin page against the real galleyd (development mode: simulated printers,
 * drawer and pole display) with a central upstream on the fake central server:
 *
 * - a technician (made through the API) signs in; Diagnostics shows the doctor's checks with
 *   their verdicts and fix hints; a test print shows the PNG as rendered; the drawer kick shows the
 *   drawer's state; the display test shows the 2×20 cells; a kiosk page's heartbeat is listed;
 *   recent logs filter by level; the support bundle downloads as a gzip with content; a 403 reads
 *   as a friendly sentence;
 * - Sync: the backlog count follows orders placed while the central server is down, and Sync now
 *   empties it once it is back; order backups verify; a journal backup is made;
 * - a cashier sees only what its role may use.
 *
 * With GALLEY_DOCS_SCREENSHOTS=1 it also refreshes docs/admin.png.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { recentLogs } from "../../appliance/lib/log-ring.ts";
import { FakeCentral } from "../fakes/fake-central.ts";
import {
  assertText,
  LANDSCAPE,
  PORTRAIT,
  ROOT,
  screenshot,
  seriousViolations,
  startHarness,
  waitForExpression,
  type AxeViolation,
  type Harness,
} from "./support/harness.ts";
import { pollUntil } from "../helpers/wait.ts";

const TECHNICIAN_PIN = "271828";
const CASHIER_PIN = "314159";

function report(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${JSON.stringify(v.nodes)}`).join("\n");
}

async function signIn(page: Page, pin: string): Promise<void> {
  await page.getByLabel("PIN").fill(pin);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("admin: diagnostics, sync and backups for technicians", { timeout: 120_000 }, () => {
  let h: Harness;
  let central: FakeCentral;
  let admin: Page;

  before(async () => {
    central = new FakeCentral();
    await central.start();
    h = await startHarness({
      config: {
        sync: {
          central: { url: central.url, storeId: "store-1", timeoutMs: 1_000 },
          retry: { baseMs: 20, capMs: 200, tickMs: 40, offlineProbeMs: 20, leaseSeconds: 5 },
          verification: { everyMinutes: 0 },
        },
        backups: { everyHours: 0, clockSync: "synced" },
      },
    });
    for (const [name, role, pin] of [
      ["Tess Technician", "technician", TECHNICIAN_PIN],
      ["Cass Cashier", "cashier", CASHIER_PIN],
    ] as const) {
      const created = await h.app.api("POST", "/api/users", { token: h.app.adminToken, body: { name, role, pin } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    assert.equal(
      (
        await h.app.api("POST", "/api/integrations/central/connect", {
          token: h.app.adminToken,
          body: { accessToken: central.token },
        })
      ).status,
      200,
    );
  });
  after(async () => {
    await h.close();
    await central.stop();
  });

  it("diagnostics: the doctor live, test print, drawer kick, display test, heartbeats, logs and the support bundle", async () => {
    // A kiosk page on this machine: it pairs itself and starts its heartbeat.
    const kiosk = await h.open("/kiosk", PORTRAIT);
    admin = await h.open("/admin", LANDSCAPE);
    await signIn(admin, TECHNICIAN_PIN);
    await admin.getByText("Signed in as Tess Technician (technician)").waitFor();
    await admin.getByRole("link", { name: "Diagnostics" }).click();
    assert.match(admin.url(), /#diagnostics$/);

    // The doctor: an overall verdict, every check with a verdict word and a fix hint where it is not OK.
    const doctor = admin.getByTestId("doctor");
    await doctor.locator('li[data-check="journal"][data-verdict="ok"]').waitFor();
    assert.match((await doctor.getByTestId("doctor-verdict").getAttribute("data-verdict")) ?? "", /^(ok|warn|fail)$/);
    const backupLine = doctor.locator('li[data-check="backup"]');
    await assertText(backupLine, /WARN\s*last backup[\s\S]*no journal backup yet\s*Fix: make one now: galley backup/);
    assert.ok((await doctor.locator("li[data-check]").count()) >= 10);
    await doctor.getByRole("button", { name: "Refresh" }).click();

    // Test print: the PNG galleyd drew from the bytes sent to the counter printer.
    const tests = admin.getByTestId("device-tests");
    await tests.getByRole("button", { name: "Test print on Counter printer (simulated)" }).click();
    const receipt = tests.getByTestId("test-receipt").locator("img");
    await receipt.waitFor();
    const image = `document.querySelector("galley-admin-app").shadowRoot.querySelector("galley-admin-device-tests").shadowRoot.querySelector("[data-testid=test-receipt] img")`;
    await waitForExpression(
      admin,
      `(() => { const img = ${image}; return img !== null && img.complete && img.naturalWidth > 0; })()`,
    );
    const size = await admin.evaluate<{ width: number; height: number; src: string }>(
      `(() => { const img = ${image}; return { width: img.naturalWidth, height: img.naturalHeight, src: img.src }; })()`,
    );
    assert.ok(size.width >= 300 && size.height > size.width, `a receipt-shaped PNG: ${JSON.stringify(size)}`);
    assert.match(size.src, /^blob:/);
    const job = await tests.getByTestId("test-receipt").getAttribute("data-job");
    assert.match(job ?? "", /^[0-9a-f-]{36}$/);

    // Drawer kick: the state galleyd returned a moment later.
    await tests.getByRole("button", { name: "Kick drawer" }).click();
    await assertText(tests.getByTestId("drawer-result"), /Drawer kicked at .*; it now reads: (Open|Opening…|Closed)\./);

    // Display test: the 2×20 cells as returned.
    await tests.getByRole("button", { name: "Test display" }).click();
    const lcd = tests.locator('[data-testid="display-cells"][data-tested="true"]');
    await lcd.waitFor();
    const rows = await Promise.all(
      (await lcd.locator(".row").all()).map(async (row) => (await row.locator(".cell").allTextContents()).join("")),
    );
    assert.deepEqual(rows, ["GALLEY DISPLAY TEST ", "0123456789ABCDEFGHIJ"]);
    assert.equal(
      await lcd.getAttribute("aria-label"),
      "The pole display shows: GALLEY DISPLAY TEST / 0123456789ABCDEFGHIJ",
    );

    // The kiosk's heartbeat: galleyd lists it, and so does the page.
    await kiosk.getByRole("button", { name: "Touch to order", exact: true }).waitFor();
    const screens = async () =>
      (
        await h.app.api<{ heartbeats: { role: string; page: string; local: boolean }[] }>(
          "GET",
          "/api/diagnostics/screens",
          { token: h.app.adminToken },
        )
      ).body.heartbeats;
    // A timeout falls through to the assertion, which prints what galleyd lists instead.
    await pollUntil(async () => (await screens()).some((b) => b.role === "kiosk"), {
      what: "the kiosk's heartbeat",
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    assert.ok(
      (await screens()).some((b) => b.role === "kiosk" && b.page === "/kiosk" && b.local),
      JSON.stringify(await screens()),
    );
    assert.ok(
      (await screens()).some((b) => b.role === "technician" && b.page === "/admin"),
      "the admin page beats too",
    );
    const connected = admin.getByTestId("connected-screens");
    await connected.getByRole("button", { name: "Refresh" }).click();
    await assertText(connected.locator('tr[data-role="kiosk"]'), /\/kiosk[\s\S]*1 socket[\s\S]*\d+ s ago/);

    // Recent logs, newest last, filtered by level.
    recentLogs.write(
      `${JSON.stringify({ level: "info", time: new Date().toISOString(), module: "e2e", msg: "e2e info line" })}\n`,
    );
    recentLogs.write(
      `${JSON.stringify({ level: "error", time: new Date().toISOString(), module: "e2e", msg: "e2e error line" })}\n`,
    );
    const logs = admin.getByTestId("logs");
    await logs.getByRole("button", { name: "Refresh" }).click();
    const lines = logs.getByTestId("log-lines").locator("li");
    await lines.filter({ hasText: "e2e error line" }).waitFor();
    assert.match((await lines.last().textContent()) ?? "", /ERROR e2e: e2e error line/, "newest last");
    await logs.getByLabel("Show").selectOption("error");
    await assertText(logs.getByTestId("log-count"), /^\d+ of \d+ lines/);
    assert.equal(await lines.filter({ hasText: "e2e info line" }).count(), 0);
    assert.ok((await lines.count()) >= 1);
    for (const line of await lines.all())
      assert.match((await line.getAttribute("data-level")) ?? "", /^(error|fatal)$/);

    // Support bundle: an authenticated fetch saved as a download.
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("button", { name: "Download support bundle" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^galley-support-.+\.tar\.gz$/);
    const bytes = readFileSync(await download.path());
    assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], "gzip");
    const tar = gunzipSync(bytes).toString("latin1");
    assert.ok(tar.includes("doctor.json") && tar.includes("journal/stats.json"), "the bundle has content");
    await assertText(admin.getByTestId("bundle-note"), /Saved galley-support-.+\.tar\.gz \(\d/);

    const violations = await seriousViolations(admin);
    assert.deepEqual(violations, [], report(violations));
    await admin.evaluate("window.scrollTo(0, 0)");
    const shot = await screenshot(admin, "admin-diagnostics");
    if (process.env.GALLEY_DOCS_SCREENSHOTS === "1") {
      mkdirSync(join(ROOT, "docs"), { recursive: true });
      copyFileSync(shot, join(ROOT, "docs", "admin.png"));
    }

    // A 403 reads as a sentence about the role, not as galleyd's message.
    await admin.route("**/api/diagnostics/logs*", (route) =>
      route.fulfill({
        status: 403,
        contentType: "application/json",
        body: JSON.stringify({
          error: { code: "forbidden", message: "needs diagnostics:read", details: { needs: "diagnostics:read" } },
        }),
      }),
    );
    await logs.getByRole("button", { name: "Refresh" }).click();
    await logs
      .getByRole("alert")
      .filter({ hasText: "Your role may not use this. Ask a technician or an admin." })
      .waitFor();
    await admin.unroute("**/api/diagnostics/logs*");
    await kiosk.close();
    assert.deepEqual(h.errors, []);
  });

  it("sync and backups: the backlog follows orders placed while upstream is down; Sync now empties it; verify; back up now", async () => {
    await admin.getByRole("link", { name: "Sync & backups" }).click();
    const sync = admin.getByTestId("sync");
    const backlog = sync.getByTestId("backlog-central");
    await assertText(backlog, /^Everything is upstream$/);
    await assertText(sync.locator('tr[data-target="central"]'), /Central server\s*✓\s*Active/);

    await central.down();
    const kiosk = await h.app.tokenFor("kiosk");
    for (let i = 0; i < 2; i += 1)
      assert.equal((await h.app.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).status, 201);
    await assertText(backlog, /^2 orders not yet upstream, oldest 0 min$/);
    assert.equal((await h.app.placeOrder(kiosk, [{ menuItemId: "cola", quantity: 1 }])).status, 201);
    await assertText(backlog, /^3 orders not yet upstream, oldest 0 min$/, 5_000);
    const status = await h.app.api<{ targets: { pending: number }[] }>("GET", "/api/sync/status", {
      token: h.app.adminToken,
    });
    assert.equal(status.body.targets[0]?.pending, 3, "the page says what the status endpoint says");
    await assertText(sync.locator('tr[data-target="central"]'), /Active, upstream unreachable/);
    await screenshot(admin, "admin-sync-backlog");
    const violations = await seriousViolations(admin);
    assert.deepEqual(violations, [], report(violations));

    await central.up();
    await sync.getByRole("button", { name: "Sync now" }).click();
    await sync
      .getByRole("status")
      .filter({ hasText: /due now/ })
      .waitFor();
    await assertText(backlog, /^Everything is upstream$/, 5_000);
    assert.equal(central.created >= 3, true);

    const orders = admin.getByTestId("order-backups");
    await assertText(orders.locator('[data-figure="total"] dd'), /^3$/);
    await orders.getByRole("button", { name: "Verify now" }).click();
    await assertText(
      orders.getByTestId("verify-reports"),
      /Central server: (\d+) checked, \1 verified, 0 missing, 0 altered\./,
    );
    await assertText(orders.locator('[data-figure="verified"] dd'), /^3$/);

    const journal = admin.getByTestId("journal-backups");
    await journal.getByText("No journal backup yet.").waitFor();
    await journal.getByRole("button", { name: "Back up now" }).click();
    await journal.locator('[data-testid="journal-backups"] tr[data-state="ready"]').waitFor({ timeout: 15_000 });
    await assertText(journal.getByRole("status"), /Backup written: up to seq \d+/);
    assert.deepEqual(h.errors, []);
  });

  it("a cashier sees the printers and nothing it may not use", async () => {
    await admin.getByRole("button", { name: "Sign out" }).click();
    await signIn(admin, CASHIER_PIN);
    await admin.getByText("Signed in as Cass Cashier (cashier)").waitFor();
    await admin.getByTestId("printers").waitFor();
    assert.deepEqual(await admin.getByRole("navigation").getByRole("link").allTextContents(), ["Devices"]);
    assert.equal(await admin.getByRole("heading", { name: "Pair a screen" }).count(), 0);
    assert.equal(await admin.getByRole("heading", { name: "Paired screens" }).count(), 0);
    await admin.goto(`${h.app.url}/admin#sync`);
    await admin.getByTestId("printers").waitFor();
    assert.equal(await admin.getByTestId("sync").count(), 0, "no sync card for a cashier, even by address");
    assert.deepEqual(h.errors, []);
  });
});
