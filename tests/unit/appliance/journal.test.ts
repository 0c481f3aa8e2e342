import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, openSync, writeSync, closeSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal, RESTORE_HINT } from "../../../appliance/journal/database.ts";
import { appendEvent, headSeq, initDevice, type NewEvent } from "../../../appliance/journal/events.ts";
import { AppError } from "../../../appliance/lib/errors.ts";
import { silentLogger } from "../../../appliance/lib/logger.ts";
import { MIGRATIONS } from "../../../appliance/journal/migrations/index.ts";

const log = silentLogger();

function freshJournal(): Journal {
  const dir = mkdtempSync(join(tmpdir(), "galley-journal-"));
  const journal = Journal.open({ path: join(dir, "journal.sqlite"), log });
  initDevice(journal, () => "instance-1", "2026-11-25T12:00:00.000Z");
  return journal;
}

const actor = { kind: "system", id: "test", name: "test" } as const;
// Placeholder payloads: these tests are about the log, not what an event of the type carries.
const event = (id: string, fields: object = {}) =>
  ({
    id,
    type: "stock.set",
    aggregateId: null,
    actor,
    payload: { n: id },
    createdAt: "2026-11-25T12:00:00.000Z",
    ...fields,
  }) as unknown as NewEvent;

describe("journal", () => {
  it("opens in WAL with synchronous=FULL, foreign keys and a busy timeout", () => {
    const journal = freshJournal();
    assert.deepEqual(journal.pragmas(), { journalMode: "wal", synchronous: 2, foreignKeys: 1, busyTimeout: 5_000 });
    assert.equal(journal.schemaVersion(), MIGRATIONS.at(-1)?.version);
    journal.close();
  });

  it("gives events a contiguous seq and refuses gaps, updates and deletes", () => {
    const journal = freshJournal();
    journal.transaction(() => {
      assert.equal(appendEvent(journal, event("a")).seq, 1);
      assert.equal(appendEvent(journal, event("b")).seq, 2);
    });
    assert.equal(headSeq(journal), 2);
    assert.throws(
      () =>
        journal.transaction(() =>
          journal.run(
            "INSERT INTO events (seq, id, instance_id, type, actor, payload, hash, created_at) VALUES (5, 'x', 'i', 't', '{}', '{}', 'h', 'now')",
          ),
        ),
      /contiguous/,
    );
    assert.throws(
      () => journal.transaction(() => journal.run("UPDATE events SET type = 'x' WHERE seq = 1")),
      /append-only/,
    );
    assert.throws(() => journal.transaction(() => journal.run("DELETE FROM events WHERE seq = 2")), /append-only/);
    assert.equal(headSeq(journal), 2);
    journal.close();
  });

  it("rolls back everything a failed transaction wrote", () => {
    const journal = freshJournal();
    assert.throws(
      () =>
        journal.transaction(() => {
          appendEvent(journal, event("a"));
          throw new Error("boom");
        }),
      /boom/,
    );
    assert.equal(headSeq(journal), 0);
    assert.equal(journal.inTransaction, false);
    journal.close();
  });

  it("refuses async callbacks and nested transactions", () => {
    const journal = freshJournal();
    assert.throws(
      () => journal.transaction(async () => Promise.resolve(appendEvent(journal, event("a")))),
      /synchronous/,
    );
    assert.equal(headSeq(journal), 0, "the async callback's write was rolled back");
    assert.throws(() => journal.transaction(() => journal.transaction(() => 1)), /inside a transaction/);
    assert.equal(journal.inTransaction, false);
    journal.close();
  });

  it("keeps orders immutable after commit: only the status may change", () => {
    const journal = freshJournal();
    journal.transaction(() => {
      appendEvent(journal, event("placed", { type: "order.placed", aggregateId: "o1" }));
      journal.run(`INSERT INTO orders (placed_seq, id, ref, number, business_date, channel, status, currency, subtotal, tax, total, snapshot_hash,
          placed_status, placed_reply_seq, placed_by_id, idempotency_key, request_hash, created_at, updated_at, last_seq)
        VALUES (1, 'o1', 'ORD-1', 1, '2026-11-25', 'kiosk', 'in_queue', 'EUR', 100, 7, 100, 'h', 'in_queue', 1, 'p', 'k1', 'r', 'now', 'now', 1)`);
    });
    journal.transaction(() => journal.run("UPDATE orders SET status = 'ready' WHERE id = 'o1'"));
    assert.throws(
      () => journal.transaction(() => journal.run("UPDATE orders SET total = 1 WHERE id = 'o1'")),
      /immutable/,
    );
    assert.throws(() => journal.transaction(() => journal.run("DELETE FROM orders WHERE id = 'o1'")), /never deleted/);
    journal.close();
  });

  it("stops on a damaged file and names the restore command", () => {
    const journal = freshJournal();
    journal.transaction(() => {
      for (let i = 0; i < 300; i += 1) appendEvent(journal, event(`e${i}`, { payload: { filler: "x".repeat(200) } }));
    });
    const path = journal.path;
    journal.close();
    assert.ok(statSync(path).size > 16_384);
    // Scribble over the second and third pages (b-tree pages of the schema's tables).
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(8_192, 0xa5), 0, 8_192, 4_096);
    closeSync(fd);
    assert.throws(
      () => Journal.open({ path, log }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "journal_corrupt" &&
        error.message.includes(RESTORE_HINT) &&
        error.message.includes("galley restore"),
    );
  });
});

describe("append hooks", () => {
  it("write in the event's transaction, and a failing hook rolls the event back", async () => {
    const { onAppend } = await import("../../../appliance/journal/events.ts");
    const journal = freshJournal();
    journal.run("CREATE TABLE side (seq INTEGER NOT NULL) STRICT");
    const off = onAppend(journal, (j, e) => {
      if (e.id === "bad") throw new Error("outbox unavailable");
      j.run("INSERT INTO side (seq) VALUES (?)", [e.seq]);
    });
    journal.transaction(() => appendEvent(journal, event("a")));
    assert.throws(() => journal.transaction(() => appendEvent(journal, event("bad"))), /outbox unavailable/);
    assert.equal(headSeq(journal), 1);
    assert.deepEqual(
      journal.all<{ seq: number }>("SELECT seq FROM side").map((r) => r.seq),
      [1],
    );
    off();
    journal.transaction(() => appendEvent(journal, event("bad")));
    assert.equal(headSeq(journal), 2);
    journal.close();
  });
});
