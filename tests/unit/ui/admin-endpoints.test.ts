/**
 * The admin page's API calls against a real galleyd, as a technician: the doctor, screens, logs,
 * the binary replies (a test receipt's PNG, the support bundle's gzip) through the same client
 * with its token and errors, drawer and display tests; sync against the fake central server —
 * the backlog while it is down, Sync now, a refused order as a dead item re-queued, notifications
 * cleared — and order and journal backups. A kiosk gets galleyd's 403 as an ApiError.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { ApiClient, ApiError } from "../../../ui/src/data/api.ts";
import {
  createDisplayTest,
  createDrawerKick,
  createJournalBackup,
  createRequeue,
  createSyncNow,
  createTestReceipt,
  createVerify,
  fetchBackupStats,
  fetchDeadItems,
  fetchDoctor,
  fetchJournalBackups,
  fetchLogs,
  fetchOpenNotifications,
  fetchScreens,
  fetchSupportBundle,
  fetchSyncStatus,
  updateNotificationCleared,
} from "../../../ui/src/data/endpoints.ts";
import { FakeCentral } from "../../fakes/fake-central.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";
import { pollUntil } from "../../helpers/wait.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe("admin endpoints against galleyd", () => {
  let app: TestApp;
  let central: FakeCentral;
  let api: ApiClient;
  let unauthorized = 0;

  before(async () => {
    central = new FakeCentral();
    await central.start();
    app = await startTestApp({
      config: {
        sync: {
          central: { url: central.url, storeId: "store-1", timeoutMs: 1_000 },
          retry: { baseMs: 20, capMs: 200, tickMs: 40, offlineProbeMs: 20, leaseSeconds: 5, notifyAfterFailures: 3 },
          verification: { everyMinutes: 0 },
        },
        backups: { everyHours: 0, clockSync: "synced" },
      },
    });
    const technician = await app.tokenFor("technician");
    api = new ApiClient({
      baseUrl: app.url,
      fetch: (url, init) => fetch(url, init),
      token: () => technician,
      onUnauthorized: () => {
        unauthorized += 1;
      },
    });
  });
  after(async () => {
    await app.stop();
    await central.stop();
  });

  it("reads the doctor, screens and logs", async () => {
    const report = await fetchDoctor(api);
    assert.ok(["ok", "warn", "fail"].includes(report.verdict));
    assert.ok(report.checks.some((c) => c.id === "journal" && c.verdict === "ok"));
    const screens = await fetchScreens(api);
    assert.ok(Array.isArray(screens.connected) && Array.isArray(screens.heartbeats));
    const logs = await fetchLogs(api, 200);
    assert.ok(["journal", "memory"].includes(logs.source));
  });

  it("gets binary replies as bytes: the test receipt's PNG with its job and printer, the support bundle as gzip", async () => {
    const receipt = await createTestReceipt(api);
    assert.deepEqual([...receipt.png.subarray(0, 8)], PNG_SIGNATURE);
    assert.equal(receipt.printerId, "counter");
    assert.match(receipt.jobId, /^[0-9a-f-]{36}$/);
    const bundle = await fetchSupportBundle(api);
    assert.match(bundle.fileName, /^galley-support-.+\.tar\.gz$/);
    assert.equal(bundle.type, "application/gzip");
    assert.ok(gunzipSync(bundle.bytes).toString("latin1").includes("doctor.json"));
    const missing = await createTestReceipt(api, "nope").catch((error: unknown) => error);
    assert.ok(missing instanceof ApiError);
    assert.deepEqual(
      [missing.status, missing.code],
      [409, "device_not_configured"],
      "an error reply of a binary route is still galleyd's error",
    );
  });

  it("kicks the drawer and tests the display", async () => {
    const drawer = await createDrawerKick(api);
    assert.ok(["open", "kicking", "closed", "unknown"].includes(drawer.state));
    assert.ok(drawer.lastKickAt);
    const display = await createDisplayTest(api);
    assert.deepEqual(display.lines, ["GALLEY DISPLAY TEST ", "0123456789ABCDEFGHIJ"]);
  });

  it("refuses a kiosk with 403 as an ApiError, and a dead token calls onUnauthorized, binary or not", async () => {
    const kiosk = await app.tokenFor("kiosk");
    const asKiosk = new ApiClient({ baseUrl: app.url, fetch: (url, init) => fetch(url, init), token: () => kiosk });
    const refused = await fetchDoctor(asKiosk).catch((error: unknown) => error);
    assert.ok(refused instanceof ApiError && refused.status === 403 && refused.code === "forbidden");
    const bundleRefused = await fetchSupportBundle(asKiosk).catch((error: unknown) => error);
    assert.ok(bundleRefused instanceof ApiError && bundleRefused.status === 403);
    let calls = 0;
    const stale = new ApiClient({
      baseUrl: app.url,
      fetch: (url, init) => fetch(url, init),
      token: () => "nope",
      onUnauthorized: () => (calls += 1),
    });
    await assert.rejects(fetchSupportBundle(stale), (error) => error instanceof ApiError && error.status === 401);
    await assert.rejects(fetchSyncStatus(stale), (error) => error instanceof ApiError && error.status === 401);
    assert.equal(calls, 2);
    assert.equal(unauthorized, 0);
  });

  it("sync: the backlog while the central server is down, Sync now once it is back, a refused order re-queued, notifications cleared", async () => {
    assert.equal(
      (
        await app.api("POST", "/api/integrations/central/connect", {
          token: app.adminToken,
          body: { accessToken: central.token },
        })
      ).status,
      200,
    );
    await central.down();
    const kiosk = await app.tokenFor("kiosk");
    for (let i = 0; i < 2; i += 1)
      assert.equal((await app.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).status, 201);
    const waiting = await fetchSyncStatus(api);
    assert.deepEqual(
      waiting.targets.map((t) => [t.target, t.state, t.pending]),
      [["central", "active", 2]],
    );
    assert.match(waiting.targets[0]?.message ?? "", /2 orders not yet upstream, oldest 0 min$/);

    central.rejectIf = (event) => (event.type === "order.placed" ? "unknown store item" : undefined);
    await central.up();
    const now = await createSyncNow(api);
    assert.deepEqual(now.targets, ["central"]);
    let dead: Awaited<ReturnType<typeof fetchDeadItems>> = { items: [], total: 0 };
    // A timeout falls through to the assertion, which says how many were refused.
    await pollUntil(async () => (dead = await fetchDeadItems(api, "central")).total >= 2, {
      what: "both orders to be refused",
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    assert.equal(dead.total, 2, "both orders refused for good");
    central.rejectIf = undefined;
    const first = dead.items[0];
    assert.ok(first);
    assert.equal((await createRequeue(api, first.id)).state, "pending");

    const notes = await fetchOpenNotifications(api);
    assert.ok(
      notes.open >= 1 && notes.notifications.some((n) => n.kind === "item_dead"),
      JSON.stringify(notes.notifications.map((n) => n.kind)),
    );
    for (const note of notes.notifications) assert.ok((await updateNotificationCleared(api, note.id)).clearedAt);
    assert.equal((await fetchOpenNotifications(api)).open, 0);
  });

  it("order backups: statistics and Verify now; journal backups: list and Back up now", async () => {
    const stats = await fetchBackupStats(api);
    assert.equal(stats.overall.total, 2);
    const reports = await createVerify(api);
    assert.deepEqual(
      reports.map((r) => r.target),
      ["central"],
    );
    assert.equal((await fetchJournalBackups(api)).backups.length, 0);
    const made = await createJournalBackup(api);
    assert.equal(made.state, "ready");
    assert.ok((made.seq ?? 0) > 0);
    const listed = await fetchJournalBackups(api);
    assert.deepEqual(
      listed.backups.map((b) => b.id),
      [made.id],
    );
  });
});
