/**
 * Integration management as an operator uses it: what connect refuses, settings that
 * never show a token, auto-sync off and manual sync, history with status and pagination, stats,
 * disconnect keeping history, tokens sealed with a key outside the journal, the `sync` WebSocket
 * topic, scheduled jobs and their recorded runs, notifications.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import type { ServerMessage } from "../../../protocol/schemas/push.ts";
import { FakeCentral } from "../../fakes/fake-central.ts";
import { FakeSquare } from "../../fakes/fake-square.ts";
import { openCount, startSyncApp, waitFor, type SyncApp } from "./helpers.ts";

let t: SyncApp | undefined;
const fakes: { stop(): Promise<void> }[] = [];

afterEach(async () => {
  await t?.stop();
  t = undefined;
  for (const f of fakes.splice(0)) await f.stop();
});

interface View {
  target: string;
  configured: boolean;
  connected: boolean;
  state: string;
  autoSync: boolean;
  settings: Record<string, unknown>;
  stats: {
    totalSyncs: number;
    successfulSyncs: number;
    successRate: number;
    pendingRetries: number;
    failedSyncs: number;
  };
}

function socket(
  url: string,
  token: string,
): Promise<{
  messages: ServerMessage[];
  ws: WebSocket;
  wait(p: (m: ServerMessage) => boolean, ms?: number): Promise<ServerMessage>;
}> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws?token=${token}`);
    const messages: ServerMessage[] = [];
    ws.on("message", (data: Buffer) => messages.push(JSON.parse(data.toString("utf8")) as ServerMessage));
    ws.once("open", () => {
      resolve({
        messages,
        ws,
        wait: (p, ms = 3_000) => waitFor(() => messages.find(p), "a push message", ms),
      });
    });
    ws.once("error", reject);
  });
}

describe("sync: integrations API", () => {
  it("connect refuses what cannot work, and lists every target without tokens", async () => {
    t = await startSyncApp();
    const list = await t.api<{ integrations: View[] }>("GET", "/api/integrations");
    assert.deepEqual(
      list.body.integrations.map((i) => [i.target, i.state, i.configured]),
      [
        ["central", "not_connected", false],
        ["square", "not_connected", true],
        ["zoho", "not_connected", true],
      ],
    );
    const central = await t.api<{ error: { code: string } }>("POST", "/api/integrations/central/connect", {
      accessToken: "x",
    });
    assert.deepEqual([central.status, central.body.error.code], [409, "integration_not_configured"]);
    const square = await t.api<{ error: { code: string; details: { missing: string[] } } }>(
      "POST",
      "/api/integrations/square/connect",
      { accessToken: "x" },
    );
    assert.deepEqual(
      [square.status, square.body.error.code, square.body.error.details.missing],
      [422, "integration_incomplete", ["locationId"]],
    );
    const unknown = await t.api("POST", "/api/integrations/dine/connect", { accessToken: "x" });
    assert.equal(unknown.status, 400);
    const kiosk = (await t.api<{ token: string }>("POST", "/api/devices/dev-pair", { role: "kiosk" }, "")).body.token;
    assert.equal((await t.api("GET", "/api/integrations", undefined, kiosk)).status, 403);
    // The board's key exists from the first start (it also keys the staff PIN index), 0600, outside the journal.
    assert.equal(statSync(join(t.dataDir, "secrets.key")).mode & 0o777, 0o600);
  });

  it("connect seals tokens with a 0600 key outside the journal; settings, auto-sync off, manual sync, history, stats, disconnect", async () => {
    const square = new FakeSquare();
    await square.start();
    fakes.push(square);
    t = await startSyncApp({ sync: { square: { url: square.url } } });
    const connected = await t.api<View>("POST", "/api/integrations/square/connect", {
      accessToken: "sq-access-1",
      refreshToken: "sq-refresh-1",
      locationId: square.locationId,
      autoSync: false,
    });
    assert.equal(connected.status, 200);
    assert.deepEqual(
      [connected.body.state, connected.body.autoSync, connected.body.settings.locationId],
      ["active", false, square.locationId],
    );
    assert.ok(
      !JSON.stringify(connected.body).includes("sq-access-1") &&
        !JSON.stringify(connected.body).includes("sq-refresh-1"),
    );
    const key = statSync(join(t.dataDir, "secrets.key"));
    assert.equal(key.mode & 0o777, 0o600);
    t.app.ctx.journal.checkpoint();
    const journalBytes = readFileSync(join(t.dataDir, "journal.sqlite")).toString("latin1");
    assert.ok(
      !journalBytes.includes("sq-access-1") && !journalBytes.includes("sq-refresh-1"),
      "no token in clear in the journal",
    );

    const orders = t.place(3);
    assert.equal(openCount(t, "square"), 0, "auto-sync off: nothing queued");
    const [first] = orders;
    assert.ok(first);
    const manual = await t.api<{ items: { state: string; operation: string }[] }>(
      "POST",
      `/api/integrations/square/sync/${first.id}`,
    );
    assert.equal(manual.status, 202);
    assert.deepEqual(
      manual.body.items.map((i) => i.operation),
      ["create_order"],
    );
    await waitFor(() => openCount(t as SyncApp, "square") === 0 && square.orders.size === 1, "the manual sync");
    const missing = await t.api<{ error: { code: string } }>(
      "POST",
      `/api/integrations/square/sync/${crypto.randomUUID()}`,
    );
    assert.equal(missing.body.error.code, "order_not_found");

    await t.api("PATCH", "/api/integrations/square", { autoSync: true });
    t.place(4);
    await waitFor(() => square.orders.size === 5, "auto-synced orders");
    const page = await t.api<{
      logs: { status: string; orderId: string }[];
      total: number;
      limit: number;
      offset: number;
    }>("GET", "/api/integrations/square/history?status=success&limit=2&offset=1");
    assert.deepEqual([page.body.logs.length, page.body.total, page.body.limit, page.body.offset], [2, 5, 2, 1]);
    assert.ok(page.body.logs.every((l) => l.status === "success"));
    const stats = await t.api<{ stats: View["stats"] }>("GET", "/api/integrations/square/stats");
    assert.deepEqual(
      [
        stats.body.stats.totalSyncs,
        stats.body.stats.successfulSyncs,
        stats.body.stats.successRate,
        stats.body.stats.failedSyncs,
      ],
      [5, 5, 100, 0],
    );

    const off = await t.api<View>("POST", "/api/integrations/square/disconnect");
    assert.deepEqual([off.body.state, off.body.connected], ["disconnected", false]);
    assert.equal(
      t.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM sync_credentials")?.n,
      0,
      "the tokens are gone",
    );
    t.place(1);
    assert.equal(square.orders.size, 5);
    const kept = await t.api<{ total: number }>("GET", "/api/integrations/square/history");
    assert.equal(kept.body.total, 5, "history kept after disconnect");
    assert.equal(
      (await t.api<{ error: { code: string } }>("POST", "/api/integrations/square/disconnect")).body.error.code,
      "integration_not_connected",
    );
  });

  it("the sync topic: a snapshot, then live backlog changes; only sync:read may subscribe", async () => {
    const central = new FakeCentral();
    await central.start();
    fakes.push(central);
    t = await startSyncApp({ sync: { central: { url: central.url } } });
    await t.api("POST", "/api/integrations/central/connect", { accessToken: central.token });
    await central.down();
    const client = await socket(t.url, t.adminToken);
    client.ws.send(JSON.stringify({ type: "subscribe", topic: "sync" }));
    const snapshot = await client.wait((m) => m.type === "snapshot");
    assert.ok(
      snapshot.type === "snapshot" && snapshot.data.topic === "sync" && snapshot.data.status.targets[0]?.pending === 0,
    );
    t.place(2);
    const delta = await client.wait(
      (m) => m.type === "delta" && m.data.kind === "sync_status" && (m.data.status.targets[0]?.pending ?? 0) === 2,
    );
    assert.ok(delta.type === "delta" && delta.data.kind === "sync_status");
    assert.match(delta.data.status.targets[0]?.message ?? "", /2 orders not yet upstream, oldest 0 min/);
    await central.up();
    await client.wait(
      (m) =>
        m.type === "delta" &&
        m.data.kind === "sync_status" &&
        m.data.status.targets[0]?.pending === 0 &&
        m.data.status.targets[0].online,
    );
    client.ws.close();
    const kiosk = (await t.api<{ token: string }>("POST", "/api/devices/dev-pair", { role: "kiosk" }, "")).body.token;
    const refused = await socket(t.url, kiosk);
    refused.ws.send(JSON.stringify({ type: "subscribe", topic: "sync" }));
    const error = await refused.wait((m) => m.type === "error");
    assert.ok(error.type === "error" && error.code === "forbidden");
    refused.ws.close();
  });

  it("jobs are listed with their schedules and every run is recorded", async () => {
    t = await startSyncApp();
    const jobs = await t.api<{ jobs: { name: string; schedule: string; lastRun: unknown }[] }>("GET", "/api/sync/jobs");
    assert.deepEqual(jobs.body.jobs.map((j) => j.name).sort(), [
      "journal-backup",
      "order-backup-cleanup",
      "reconcile",
      "restore-import",
      "verify",
    ]);
    assert.equal(
      jobs.body.jobs.find((j) => j.name === "order-backup-cleanup")?.schedule,
      "daily at 00:00 (Europe/Berlin)",
    );
    assert.equal(jobs.body.jobs.find((j) => j.name === "reconcile")?.schedule, "daily at 03:50 (Europe/Berlin)");
    t.place(2);
    const run = await t.api<{ job: string; state: string; summary: { orders: number; backups: number; ok: boolean } }>(
      "POST",
      "/api/sync/jobs/reconcile/run",
    );
    assert.deepEqual(
      [run.body.job, run.body.state, run.body.summary.orders, run.body.summary.backups, run.body.summary.ok],
      ["reconcile", "ok", 2, 2, true],
    );
    const skipped = await t.api<{ state: string }>("POST", "/api/sync/jobs/verify/run");
    assert.equal(skipped.body.state, "skipped");
    assert.equal(
      (await t.api<{ error: { code: string } }>("POST", "/api/sync/jobs/nope/run")).body.error.code,
      "job_not_found",
    );
    const listed = await t.api<{ jobs: { name: string; lastRun: { state: string; trigger: string } | null }[] }>(
      "GET",
      "/api/sync/jobs",
    );
    assert.match(listed.body.jobs.find((j) => j.name === "reconcile")?.lastRun?.trigger ?? "", /^api:/);
    assert.equal(t.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM job_runs")?.n, 2);
  });

  it("notifications can be listed and cleared; sync now wakes everything", async () => {
    const central = new FakeCentral();
    await central.start();
    fakes.push(central);
    t = await startSyncApp({ sync: { central: { url: central.url } } });
    await t.api("POST", "/api/integrations/central/connect", { accessToken: central.token });
    central.script(Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 503 })));
    t.place(1);
    const open = await waitFor(async () => {
      const res = await (t as SyncApp).api<{ notifications: { id: number; kind: string }[]; open: number }>(
        "GET",
        "/api/sync/notifications?open=true",
      );
      return res.body.open === 1 ? res.body.notifications[0] : undefined;
    }, "a notification");
    assert.equal(open.kind, "consecutive_failures");
    const cleared = await t.api<{ clearedBy: string; clearedAt: string }>(
      "POST",
      `/api/sync/notifications/${open.id}/clear`,
    );
    assert.equal(cleared.status, 200);
    assert.ok(cleared.body.clearedAt);
    assert.equal((await t.api<{ open: number }>("GET", "/api/sync/notifications?open=true")).body.open, 0);
    const now = await t.api<{ targets: string[] }>("POST", "/api/sync/now");
    assert.deepEqual([now.status, now.body.targets], [202, ["central"]]);
    await waitFor(() => openCount(t as SyncApp, "central") === 0, "the drain");
  });
});
