/**
 * Journal backups (docs/architecture.md#fault-tests, "Backups and retention", "Restore drill"): an
 * online backup while orders keep committing is consistent, checked, hashed and recorded; retention
 * keeps the newest, unverified ranges and everything while the clock is unsynchronised; and the
 * restore drill: restore a backup, get a new instance id, import from the central server what
 * happened after the backup, keep selling — no duplicate order and no colliding seq upstream.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { restoreJournal } from "../../../appliance/journal/backup.ts";
import { ManualClock } from "../../../appliance/lib/clock.ts";
import { newId } from "../../../appliance/lib/ids.ts";
import { silentLogger } from "../../../appliance/lib/logger.ts";
import { FakeCentral } from "../../fakes/fake-central.ts";
import { connectCentral, openCount, startSyncApp, waitFor, type SyncApp } from "./helpers.ts";

let t: SyncApp | undefined;
let fake: FakeCentral | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
  await fake?.stop();
  fake = undefined;
});

interface BackupView {
  id: number;
  file: string;
  state: string;
  seq: number;
  sha256: string;
  integrity: string;
  sizeBytes: number;
  trigger: string;
}

describe("journal backups", () => {
  it("an online backup while orders keep committing: consistent, checked, hashed, recorded", async () => {
    t = await startSyncApp();
    const app = t;
    app.place(20);
    const state = { placing: true };
    let placedDuring = 0;
    const writer = (async () => {
      while (state.placing && placedDuring < 2_000) {
        app.place(1);
        placedDuring += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const res = await app.api<BackupView>("POST", "/api/backups/journal");
    state.placing = false;
    await writer;
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.ok(placedDuring > 0, "orders were committed while the backup ran");
    const backup = res.body;
    assert.deepEqual([backup.state, backup.integrity], ["ready", "ok"]);
    assert.equal(
      createHash("sha256").update(readFileSync(backup.file)).digest("hex"),
      backup.sha256,
      "the recorded hash is the file's",
    );
    const copy = new DatabaseSync(backup.file, { readOnly: true });
    try {
      const seqs = (copy.prepare("SELECT seq FROM events ORDER BY seq").all() as { seq: number }[]).map((r) => r.seq);
      assert.equal(seqs.length, backup.seq);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
        "every event up to its seq, contiguous",
      );
      const orders = (copy.prepare("SELECT COUNT(*) AS n FROM orders").get() as { n: number }).n;
      const expected = app.app.ctx.journal.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM orders WHERE placed_seq <= ?",
        [backup.seq],
      )?.n;
      assert.equal(orders, expected, "every order up to its seq is in the copy");
      assert.equal(
        (copy.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
        "delete",
        "self-contained",
      );
    } finally {
      copy.close();
    }
    assert.ok(!existsSync(`${backup.file}-wal`));
    const list = await app.api<{ backups: BackupView[] }>("GET", "/api/backups/journal");
    assert.deepEqual(
      list.body.backups.map((b) => [b.state, b.trigger.startsWith("api:")]),
      [["ready", true]],
    );
    assert.equal(
      app.app.ctx.journal.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM job_runs WHERE job = 'journal-backup' AND state = 'ok'",
      )?.n,
      1,
    );
  });

  it("retention: never the newest K, never unverified ranges, never with an unsynchronised clock", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    let synced = false;
    fake = new FakeCentral();
    await fake.start();
    t = await startSyncApp({
      clock,
      overrides: { clockSynced: () => Promise.resolve(synced) },
      config: { backups: { everyHours: 0, keep: 2, retentionDays: 7 } },
      sync: { central: { url: fake.url } },
    });
    const app = t;
    await connectCentral(app);
    for (let day = 0; day < 5; day += 1) {
      app.place(1);
      await waitFor(() => openCount(app, "central") === 0, "the drain");
      await app.rt().scheduler.runNow("journal-backup", "test");
      clock.advance(10 * 86_400_000);
      await app.relogin();
    }
    const dry = await app.api<{ skipped?: string; decisions: { delete: boolean }[] }>(
      "POST",
      "/api/backups/journal/retention",
      { dryRun: true },
    );
    assert.equal(dry.body.skipped, "the clock is not synchronised");
    assert.ok(dry.body.decisions.every((d) => !d.delete));
    synced = true;
    const unverified = await app.api<{ decisions: { delete: boolean; reason: string }[] }>(
      "POST",
      "/api/backups/journal/retention",
      { dryRun: true },
    );
    assert.ok(
      unverified.body.decisions.every((d) => !d.delete),
      "nothing verified upstream yet",
    );
    assert.ok(unverified.body.decisions.some((d) => /not all verified upstream/.test(d.reason)));
    await app.api("POST", "/api/backups/orders/verify", {});
    const applied = await app.api<{ deleted: number; decisions: { file: string; delete: boolean }[] }>(
      "POST",
      "/api/backups/journal/retention",
      {},
    );
    assert.equal(applied.body.deleted, 3, "all but the newest two");
    for (const d of applied.body.decisions) assert.equal(existsSync(d.file), !d.delete);
    const rows = app.app.ctx.journal.all<{ state: string }>("SELECT state FROM journal_backups ORDER BY id");
    assert.deepEqual(
      rows.map((r) => r.state),
      ["deleted", "deleted", "deleted", "ready", "ready"],
    );
  });

  it("restore drill: new instance id, the store's later orders imported from central, selling goes on without collisions", async () => {
    fake = new FakeCentral();
    await fake.start();
    t = await startSyncApp({ sync: { central: { url: fake.url } } });
    let app = t;
    await connectCentral(app);
    const before = app.place(3);
    await waitFor(() => openCount(app, "central") === 0, "the first orders upstream");
    const backup = (await app.api<BackupView>("POST", "/api/backups/journal")).body;
    const after = app.place(2);
    await waitFor(() => openCount(app, "central") === 0, "the later orders upstream");
    const oldInstance =
      app.app.ctx.journal.get<{ instance_id: string }>("SELECT instance_id FROM device")?.instance_id ?? "";
    const dataDir = app.dataDir;
    await app.stop();
    t = undefined;

    const restored = restoreJournal({
      journalPath: join(dataDir, "journal.sqlite"),
      backupFile: backup.file,
      newInstanceId: newId(),
      log: silentLogger(),
      now: new Date(),
    });
    assert.notEqual(restored.instanceId, oldInstance);
    t = await startSyncApp({ dataDir, sync: { central: { url: fake.url } } });
    app = t;
    await waitFor(
      () => after.every((o) => app.app.ctx.journal.get("SELECT 1 AS x FROM orders WHERE id = ?", [o.id])),
      "the later orders imported after the restore",
    );
    const imported = await app.api<{ backups: { orderId: string; origin: string; state: string }[] }>(
      "GET",
      "/api/backups/orders?origin=imported",
    );
    assert.deepEqual(imported.body.backups.map((b) => b.orderId).sort(), after.map((o) => o.id).sort());
    const next = app.place(1);
    await waitFor(() => openCount(app, "central") === 0, "the new order upstream");
    const ids = [...before, ...after, ...next].map((o) => o.id);
    assert.deepEqual(fake.orderIds().sort(), [...ids].sort(), "six orders upstream, each once");
    for (const id of ids) assert.ok((fake.createdPlaced.get(id) ?? 0) <= 1);
    assert.ok(!fake.requests.some((r) => JSON.stringify(r.body ?? "").includes('"conflict"')));
    assert.deepEqual(
      fake.instances().sort(),
      [oldInstance, restored.instanceId].sort(),
      "the new events came under the new instance id",
    );
    const newSeqs = fake.seqsOf(restored.instanceId);
    assert.ok(
      newSeqs.length > 0 && Math.min(...newSeqs) > backup.seq,
      "the new instance's seqs start after the backup",
    );
    const journalOrders = app.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM orders")?.n;
    assert.equal(journalOrders, 6);
  });
});
