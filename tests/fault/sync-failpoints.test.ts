/**
 * Failpoints in the sync state machine (docs/architecture.md#fault-tests): a child galleyd is
 * SIGKILLed at each named point of the send path, of a token refresh, of a backup and of
 * retention. After a restart the journal repairs itself and — what an operator checks — the fake
 * upstream holds exactly one copy of every order (and every payment).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { FakeCentral } from "../fakes/fake-central.ts";
import { FakeSquare } from "../fakes/fake-square.ts";
import { runChild, type ChildRun } from "./run-child.ts";

const CHILD = join(import.meta.dirname, "sync-child.ts");

interface SyncRun extends ChildRun {
  orders: string[];
}

async function runSyncChild(dataDir: string, env: Record<string, string>): Promise<SyncRun> {
  const run = await runChild(CHILD, dataDir, env, 60_000);
  return { ...run, orders: run.said.get("ORDER") ?? [] };
}

function journalRows<T>(dataDir: string, sql: string): T[] {
  const db = new DatabaseSync(join(dataDir, "journal.sqlite"), { readOnly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const fakes: { stop(): Promise<void> }[] = [];
after(async () => {
  for (const f of fakes) await f.stop();
});

const ORDERS = "4";

// Each case has its own fake and journal: run a few side by side.
describe("sync failpoints: SIGKILL at each named point, then exactly one copy upstream", { concurrency: 4 }, () => {
  for (const point of ["after-lease", "after-send", "after-response"] as const) {
    it(`central, killed ${point}`, { timeout: 120_000 }, async () => {
      const fake = new FakeCentral();
      fakes.push(fake);
      const url = await fake.start();
      const dataDir = mkdtempSync(join(tmpdir(), `galley-fp-central-${point}-`));
      const killed = await runSyncChild(dataDir, {
        TARGET: "central",
        UPSTREAM: url,
        MODE: "send",
        PLACE: ORDERS,
        GALLEY_FAILPOINT: point,
      });
      assert.equal(killed.signal, "SIGKILL", `killed at ${point}: ${killed.stderr}`);
      assert.equal(killed.orders.length, Number(ORDERS));
      if (point === "after-lease") assert.equal(fake.created, 0, "nothing reached upstream before the kill");
      else assert.ok(fake.created > 0, "the request reached upstream before the kill");
      const sending = journalRows<{ n: number }>(dataDir, "SELECT COUNT(*) AS n FROM outbox WHERE state = 'sending'")[0]
        ?.n;
      assert.ok((sending ?? 0) > 0, "the kill left leased items");
      const recovered = await runSyncChild(dataDir, { TARGET: "central", UPSTREAM: url, MODE: "send", PLACE: "0" });
      assert.equal(recovered.code, 0, recovered.stderr);
      assert.equal(recovered.done?.drained, true);
      for (const id of killed.orders) assert.equal(fake.createdPlaced.get(id), 1, `order ${id} exactly once upstream`);
      assert.equal(fake.orderIds().length, killed.orders.length);
      const states = journalRows<{ state: string }>(dataDir, "SELECT DISTINCT state FROM outbox");
      assert.deepEqual(
        states.map((s) => s.state),
        ["acked"],
      );
    });
  }

  for (const point of ["after-lease", "after-send", "after-response"] as const) {
    it(`square, killed ${point}`, { timeout: 120_000 }, async () => {
      const fake = new FakeSquare();
      fakes.push(fake);
      const url = await fake.start();
      const dataDir = mkdtempSync(join(tmpdir(), `galley-fp-square-${point}-`));
      const killed = await runSyncChild(dataDir, {
        TARGET: "square",
        UPSTREAM: url,
        MODE: "send",
        PLACE: ORDERS,
        GALLEY_FAILPOINT: point,
      });
      assert.equal(killed.signal, "SIGKILL", `killed at ${point}: ${killed.stderr}`);
      const recovered = await runSyncChild(dataDir, { TARGET: "square", UPSTREAM: url, MODE: "send", PLACE: "0" });
      assert.equal(recovered.code, 0, recovered.stderr);
      assert.equal(recovered.done?.drained, true);
      for (const id of killed.orders)
        assert.equal(fake.ordersWithReference(id).length, 1, `order ${id} exactly once on Square`);
      const references = [...fake.payments.values()].map((p) => p.reference_id);
      assert.equal(references.length, killed.orders.length, "one payment per order");
      assert.equal(new Set(references).size, references.length, "no payment twice");
    });
  }

  it(
    "square, killed after-refresh: the used single-use refresh token blocks the target (no calls, no duplicates); re-connecting drains exactly once",
    { timeout: 120_000 },
    async () => {
      const fake = new FakeSquare();
      fakes.push(fake);
      const url = await fake.start();
      fake.expireAccessToken("sq-access-1");
      const dataDir = mkdtempSync(join(tmpdir(), "galley-fp-refresh-"));
      const killed = await runSyncChild(dataDir, {
        TARGET: "square",
        UPSTREAM: url,
        MODE: "send",
        PLACE: "2",
        GALLEY_FAILPOINT: "after-refresh",
      });
      assert.equal(killed.signal, "SIGKILL");
      assert.equal(fake.refreshRequests, 1);
      const blocked = await runSyncChild(dataDir, { TARGET: "square", UPSTREAM: url, MODE: "send", PLACE: "0" });
      assert.deepEqual(blocked.done, { drained: false, state: "blocked" });
      assert.equal(fake.orders.size, 0, "nothing was created with a refused token");
      const notified = journalRows<{ kind: string }>(
        dataDir,
        "SELECT kind FROM sync_notifications WHERE kind = 'target_blocked'",
      );
      assert.equal(notified.length, 1);
      const tokens = fake.issueTokens();
      const reconnected = await runSyncChild(dataDir, {
        TARGET: "square",
        UPSTREAM: url,
        MODE: "send",
        PLACE: "0",
        RECONNECT: `${tokens.accessToken} ${tokens.refreshToken}`,
      });
      assert.equal(reconnected.done?.drained, true, reconnected.stderr);
      for (const id of killed.orders) assert.equal(fake.ordersWithReference(id).length, 1);
    },
  );

  it(
    "backup, killed before the rename: the partial file and its record are repaired at start; the next backup works",
    { timeout: 120_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "galley-fp-backup-"));
      const killed = await runSyncChild(dataDir, { MODE: "backup", GALLEY_FAILPOINT: "backup-before-rename" });
      assert.equal(killed.signal, "SIGKILL");
      const dir = join(dataDir, "backups");
      assert.ok(
        readdirSync(dir).some((f) => f.endsWith(".partial")),
        "a partial file was left",
      );
      assert.deepEqual(
        journalRows<{ state: string }>(dataDir, "SELECT state FROM journal_backups").map((r) => r.state),
        ["creating"],
      );
      const again = await runSyncChild(dataDir, { MODE: "backup" });
      assert.equal(again.done?.state, "ok", again.stderr);
      assert.ok(!readdirSync(dir).some((f) => f.endsWith(".partial")), "the partial file is gone");
      const rows = journalRows<{ state: string; error: string | null; file: string }>(
        dataDir,
        "SELECT state, error, file FROM journal_backups ORDER BY id",
      );
      assert.deepEqual(
        rows.map((r) => r.state),
        ["failed", "ready"],
      );
      assert.match(rows[0]?.error ?? "", /interrupted/);
      assert.ok(existsSync(rows[1]?.file ?? ""));
    },
  );

  it(
    "retention, killed between `deleting` and the unlink: finished at the next start",
    { timeout: 120_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "galley-fp-retention-"));
      const made = await runSyncChild(dataDir, { MODE: "backups" });
      assert.equal(made.code, 0, made.stderr);
      const killed = await runSyncChild(dataDir, {
        MODE: "retention",
        CLOCK_OFFSET_MS: String(30 * 86_400_000),
        GALLEY_FAILPOINT: "retention-after-deleting",
      });
      assert.equal(killed.signal, "SIGKILL");
      const deleting = journalRows<{ file: string }>(
        dataDir,
        "SELECT file FROM journal_backups WHERE state = 'deleting'",
      );
      assert.equal(deleting.length, 1);
      assert.ok(existsSync(deleting[0]?.file ?? ""), "the kill came before the unlink");
      const repaired = await runSyncChild(dataDir, { MODE: "idle" });
      assert.equal(repaired.code, 0, repaired.stderr);
      assert.ok(!existsSync(deleting[0]?.file ?? ""), "the deletion was finished");
      const states = journalRows<{ state: string }>(dataDir, "SELECT state FROM journal_backups ORDER BY id").map(
        (r) => r.state,
      );
      assert.deepEqual(states, ["deleted", "ready", "ready"]);
    },
  );
});
