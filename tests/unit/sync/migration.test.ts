/** Migration 0004: new tables only, orders from before it get a backup record, and the previous release still opens the journal. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal } from "../../../appliance/journal/database.ts";
import { MIGRATIONS } from "../../../appliance/journal/migrations/index.ts";
import { silentLogger } from "../../../appliance/lib/logger.ts";

const before = MIGRATIONS.filter((m) => m.version < 4);

describe("migration 0004 (sync)", () => {
  it("backfills a backup record for every existing order, and the previous release can still open the journal", () => {
    const path = join(mkdtempSync(join(tmpdir(), "galley-m4-")), "journal.sqlite");
    const old = Journal.open({ path, log: silentLogger(), migrations: before });
    old.transaction(() => {
      old.run(
        "INSERT INTO device (singleton, instance_id, created_at, boot_count) VALUES (1, 'i', '2026-11-25T12:00:00Z', 1)",
      );
      old.run(
        "INSERT INTO events (seq, id, instance_id, type, aggregate_id, actor, payload, hash, created_at) VALUES (1, 'e1', 'i', 'order.placed', 'o1', '{}', '{}', 'h', '2026-11-25T12:00:00.123Z')",
      );
      old.run(`INSERT INTO orders (placed_seq, id, ref, number, business_date, channel, status, currency, subtotal, tax, total, snapshot_hash, placed_status,
        placed_reply_seq, placed_by_id, idempotency_key, request_hash, created_at, updated_at, last_seq)
        VALUES (1, 'o1', 'R1', 7, '2026-11-25', 'kiosk', 'in_queue', 'EUR', 100, 7, 107, 'sh', 'pending', 1, 'p', 'k', 'rh', '2026-11-25T12:00:00.123Z', '2026-11-25T12:00:00.123Z', 1)`);
    });
    const tablesBefore = old
      .all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .map((t) => t.name);
    old.close();

    const upgraded = Journal.open({ path, log: silentLogger() });
    const row = upgraded.get<{
      order_id: string;
      state: string;
      origin: string;
      total: number;
      snapshot_hash: string;
      created_at_ms: number;
    }>("SELECT * FROM order_backups");
    assert.deepEqual(row && [row.order_id, row.state, row.origin, row.total, row.snapshot_hash, row.created_at_ms], [
      "o1",
      "backup",
      "local",
      107,
      "sh",
      Date.parse("2026-11-25T12:00:00.123Z"),
    ]);
    const tablesAfter = upgraded
      .all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .map((t) => t.name);
    assert.ok(
      tablesBefore.every((t) => tablesAfter.includes(t)),
      "nothing dropped or renamed",
    );
    upgraded.close();

    const rolledBack = Journal.open({ path, log: silentLogger(), migrations: before });
    assert.equal(rolledBack.get<{ n: number }>("SELECT COUNT(*) AS n FROM orders")?.n, 1);
    rolledBack.close();
  });
});
