/**
 * Order backups (docs/architecture.md#order-backups-and-import): statistics per business day, the day's
 * reconciliation, batch import both ways with a preview first (re-send what the server lost;
 * pull what the journal lacks, deduplicated by order id), and cleanup with a preview that only
 * ever touches verified, imported and duplicate records.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { hashOf } from "../../../appliance/lib/canonical-json.ts";
import { ManualClock } from "../../../appliance/lib/clock.ts";
import { FakeCentral } from "../../fakes/fake-central.ts";
import { connectCentral, openCount, startSyncApp, waitFor, type SyncApp } from "./helpers.ts";

let fake: FakeCentral;
let t: SyncApp | undefined;

async function setup(clock?: ManualClock): Promise<SyncApp> {
  fake = new FakeCentral();
  await fake.start();
  t = await startSyncApp({ sync: { central: { url: fake.url } }, ...(clock ? { clock } : {}) });
  await connectCentral(t);
  return t;
}

afterEach(async () => {
  await t?.stop();
  t = undefined;
  await fake.stop();
});

interface Backup {
  orderId: string;
  state: string;
  isMissing: boolean;
  canImport: boolean;
  origin: string;
  businessDate: string;
}

describe("order backups", () => {
  it("statistics overall and per business day, and a reconciliation that is recorded", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 24, 12, 0, 0));
    const app = await setup(clock);
    app.place(2);
    await waitFor(() => openCount(app, "central") === 0, "the first day's drain");
    clock.advance(86_400_000);
    await fake.down();
    app.place(3);
    await waitFor(() => app.rt().workers.central.offline, "offline");
    await app.relogin();
    const stats = await app.api<{
      overall: { total: number; synced: number; backup: number };
      orders: number;
      days: { businessDate: string; orders: number; total: number; matches: boolean; synced: number; backup: number }[];
    }>("GET", "/api/backups/orders/stats");
    assert.deepEqual(
      [stats.body.overall.total, stats.body.orders, stats.body.overall.synced, stats.body.overall.backup],
      [5, 5, 2, 3],
    );
    assert.deepEqual(
      stats.body.days.map((d) => [d.businessDate, d.orders, d.total, d.matches, d.synced, d.backup]),
      [
        ["2026-11-25", 3, 3, true, 0, 3],
        ["2026-11-24", 2, 2, true, 2, 0],
      ],
    );
    const day = await app.api<{
      businessDate: string;
      orders: number;
      backups: number;
      notUpstream: number;
      ok: boolean;
    }>("POST", "/api/backups/orders/reconcile", {});
    assert.deepEqual(
      [day.body.businessDate, day.body.orders, day.body.backups, day.body.notUpstream, day.body.ok],
      ["2026-11-25", 3, 3, 3, true],
    );
    const earlier = await app.api<{ ok: boolean; verified: number }>("POST", "/api/backups/orders/reconcile", {
      businessDate: "2026-11-24",
    });
    assert.equal(earlier.body.ok, true);
    const list = await app.api<{ reconciliations: { businessDate: string }[] }>(
      "GET",
      "/api/backups/orders/reconciliations",
    );
    assert.deepEqual(
      list.body.reconciliations.map((r) => r.businessDate),
      ["2026-11-24", "2026-11-25"],
    );
    const range = await app.api<{ backups: Backup[]; total: number }>(
      "GET",
      "/api/backups/orders?from=2026-11-25&to=2026-11-25&state=backup",
    );
    assert.equal(range.body.total, 3);
    await fake.up();
  });

  it("batch import (a): missing orders are re-sent with their keys; imported when created, duplicate when the server had them", async () => {
    const app = await setup();
    const orders = app.place(3);
    await waitFor(() => openCount(app, "central") === 0, "the drain");
    const [a, b] = orders;
    assert.ok(a && b);
    const bEvent = fake.placedEventOf(b.id) ?? "";
    const original = fake
      .requestsTo("events:batch")
      .map((r) => r.body as { device: unknown; events: { id: string }[] })
      .find((body) => body.events.some((e) => e.id === bEvent));
    assert.ok(original);
    fake.deleteEvent(fake.placedEventOf(a.id) ?? "");
    fake.deleteEvent(bEvent);
    // Hold automatic resends back while the operator looks and imports.
    fake.script(
      Array.from({ length: 6 }, () => ({ kind: "status" as const, status: 503 })),
      (r) => r.path.includes("events:batch") && r.headers["x-test"] !== "replay",
    );
    await app.api("POST", "/api/backups/orders/verify", {});
    const missing = await app.api<{ backups: Backup[] }>("GET", "/api/backups/orders?canImport=true");
    assert.deepEqual(missing.body.backups.map((x) => x.orderId).sort(), [a.id, b.id].sort());
    // Meanwhile b reaches the server another way (the server restored it).
    const replay = await fetch(`${fake.url}/v1/devices/${fake.instances()[0] ?? ""}/events:batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.token}`, "content-type": "application/json", "x-test": "replay" },
      body: JSON.stringify({ ...original, events: original.events.filter((e) => e.id === bEvent) }),
    });
    assert.equal(replay.status, 200);
    const preview = await app.api<{ preview: boolean; resend: { orderId: string }[]; counts: { resend: number } }>(
      "POST",
      "/api/backups/orders/import/preview",
      { pull: false },
    );
    assert.deepEqual([preview.body.preview, preview.body.counts.resend], [true, 2]);
    assert.equal(openCount(app, "central") > 0, true);
    const done = await app.api<{ counts: { resend: number } }>("POST", "/api/backups/orders/import", {
      orderIds: [a.id, b.id],
      pull: false,
    });
    assert.equal(done.body.counts.resend, 2);
    await waitFor(() => openCount(app, "central") === 0, "the re-sends");
    const after = await app.api<{ backups: Backup[] }>("GET", "/api/backups/orders?limit=10");
    const stateOf = (id: string) => after.body.backups.find((x) => x.orderId === id)?.state;
    assert.deepEqual([stateOf(a.id), stateOf(b.id)], ["imported", "duplicate"]);
    assert.equal(fake.createdPlaced.get(a.id), 2, "created again after the server lost it");
    assert.ok(fake.order(b.id));
  });

  it("batch import (b): orders the server has and the journal lacks are pulled once, marked imported, never sent back", async () => {
    const app = await setup();
    const [template] = app.place(1);
    assert.ok(template);
    await waitFor(() => openCount(app, "central") === 0, "the drain");
    const snapshotOf = (id: string, ref: string, number: number, businessDate: string) => {
      const stored = app.app.ctx.journal.get<{ payload: string }>(
        "SELECT payload FROM events WHERE type = 'order.placed' LIMIT 1",
      );
      const snapshot = {
        ...(JSON.parse(stored?.payload ?? "{}") as { order: Record<string, unknown> }).order,
        id,
        ref,
        number,
        businessDate,
      };
      return {
        id,
        instance_id: "other-kiosk",
        seq: number,
        snapshot,
        snapshot_hash: hashOf(snapshot),
        status: "completed",
        business_date: businessDate,
      };
    };
    const foreign = [
      snapshotOf(randomUUID(), "ORD-20261120-AAAAAA", 801, "2026-11-20"),
      snapshotOf(randomUUID(), "ORD-20261121-BBBBBB", 802, "2026-11-21"),
    ];
    for (const order of foreign) fake.seedOrder(order);
    const preview = await app.api<{
      pulled: { orderId: string; result: string }[];
      counts: { imported: number; duplicates: number };
    }>("POST", "/api/backups/orders/import/preview", {});
    assert.deepEqual([preview.body.counts.imported, preview.body.counts.duplicates], [2, 1]);
    assert.equal(
      (await app.api("GET", `/api/orders/${foreign[0]?.id ?? ""}`)).status,
      404,
      "the preview wrote nothing",
    );
    const ranged = await app.api<{ counts: { imported: number } }>("POST", "/api/backups/orders/import", {
      from: "2026-11-21",
      to: "2026-11-21",
    });
    assert.equal(ranged.body.counts.imported, 1);
    const all = await app.api<{ counts: { imported: number; duplicates: number } }>(
      "POST",
      "/api/backups/orders/import",
      {},
    );
    assert.deepEqual([all.body.counts.imported, all.body.counts.duplicates], [1, 2]);
    const again = await app.api<{ counts: { imported: number; duplicates: number } }>(
      "POST",
      "/api/backups/orders/import",
      {},
    );
    assert.deepEqual([again.body.counts.imported], [0], "deduplicated by order id");
    const order = await app.api<{ id: string; status: string; ref: string }>(
      "GET",
      `/api/orders/${foreign[0]?.id ?? ""}`,
    );
    assert.deepEqual([order.status, order.body.status, order.body.ref], [200, "completed", "ORD-20261120-AAAAAA"]);
    const imported = await app.api<{ backups: Backup[] }>("GET", "/api/backups/orders?origin=imported");
    assert.deepEqual(
      imported.body.backups.map((x) => [x.state, x.origin]),
      [
        ["imported", "imported"],
        ["imported", "imported"],
      ],
    );
    const outbox = app.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE order_id IN (?, ?)", [
      foreign[0]?.id ?? "",
      foreign[1]?.id ?? "",
    ])?.n;
    assert.equal(outbox, 0, "imported orders are not sent back up");
    assert.equal(app.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM orders")?.n, 3);
  });

  it("cleanup: a preview first, then only old verified/imported/duplicate records go; orders stay", async () => {
    const clock = new ManualClock(Date.UTC(2026, 9, 1, 12, 0, 0));
    const app = await setup(clock);
    const verified = app.place(3);
    await waitFor(() => openCount(app, "central") === 0, "the drain");
    await app.api("POST", "/api/backups/orders/verify", {});
    fake.rejectIf = () => "refused";
    app.place(1);
    await waitFor(() => openCount(app, "central") === 0, "the refused one");
    fake.rejectIf = undefined;
    await fake.down();
    app.place(1);
    clock.advance(31 * 86_400_000);
    await app.relogin();
    const preview = await app.api<{ preview: boolean; count: number; backups: Backup[] }>(
      "POST",
      "/api/backups/orders/cleanup/preview",
      {},
    );
    assert.deepEqual([preview.body.preview, preview.body.count], [true, 3]);
    assert.deepEqual(preview.body.backups.map((b) => b.orderId).sort(), verified.map((o) => o.id).sort());
    const younger = await app.api<{ count: number }>("POST", "/api/backups/orders/cleanup/preview", { days: 60 });
    assert.equal(younger.body.count, 0);
    const done = await app.api<{ count: number }>("POST", "/api/backups/orders/cleanup", {});
    assert.equal(done.body.count, 3);
    const left = await app.api<{ backups: Backup[] }>("GET", "/api/backups/orders");
    assert.deepEqual(
      left.body.backups.map((b) => b.state).sort(),
      ["backup", "error"],
      "errors and unsent ones are never cleaned",
    );
    assert.equal(
      app.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM orders")?.n,
      5,
      "orders are never deleted",
    );
    const bad = await app.api<{ error: { code: string } }>("POST", "/api/backups/orders/cleanup", {
      states: ["error"],
    });
    assert.equal(bad.status, 400);
    await fake.up();
  });
});
