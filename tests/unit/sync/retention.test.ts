/** Journal backup retention (docs/architecture.md#backups-and-retention) as a table, including clock jumps of ±1 year. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { retentionPlan, type RetentionBackup } from "../../../appliance/jobs/retention.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-25T12:00:00Z");
/** Ten daily backups, the newest yesterday; seq grows with them. */
const backups: RetentionBackup[] = Array.from({ length: 10 }, (_, i) => ({
  id: i + 1,
  createdAtMs: NOW - (10 - i) * DAY,
  seq: (i + 1) * 100,
}));
const base = { backups, nowMs: NOW, keep: 3, retentionDays: 5, clockSynced: true, verifiedThrough: () => true };
const deleted = (plan: ReturnType<typeof retentionPlan>) =>
  plan.decisions
    .filter((d) => d.delete)
    .map((d) => d.id)
    .sort((a, b) => a - b);

describe("retention", () => {
  it("deletes only what is old, superseded and verified", () => {
    assert.deepEqual(deleted(retentionPlan(base)), [1, 2, 3, 4, 5, 6]);
  });

  it("never the newest K, whatever their age", () => {
    const plan = retentionPlan({ ...base, retentionDays: 1, keep: 7 });
    assert.deepEqual(deleted(plan), [1, 2, 3]);
    assert.ok(plan.decisions.filter((d) => d.id >= 4).every((d) => !d.delete));
  });

  it("never a backup whose events are not all verified upstream", () => {
    assert.deepEqual(deleted(retentionPlan({ ...base, verifiedThrough: (seq) => seq <= 300 })), [1, 2, 3]);
    assert.deepEqual(deleted(retentionPlan({ ...base, verifiedThrough: () => false })), []);
  });

  it("nothing at all while the clock is unsynchronised", () => {
    const plan = retentionPlan({ ...base, clockSynced: false });
    assert.deepEqual(deleted(plan), []);
    assert.equal(plan.skipped, "the clock is not synchronised");
  });

  it("a clock one year ahead deletes nothing more than the newest K allow", () => {
    const plan = retentionPlan({ ...base, nowMs: NOW + 365 * DAY });
    assert.deepEqual(deleted(plan), [1, 2, 3, 4, 5, 6, 7], "the newest 3 stay even though they all look a year old");
  });

  it("a clock one year behind deletes nothing (every backup looks like it is from the future)", () => {
    const plan = retentionPlan({ ...base, nowMs: NOW - 365 * DAY });
    assert.deepEqual(deleted(plan), []);
    assert.ok(plan.decisions.filter((d) => d.id <= 7).every((d) => /future/.test(d.reason)));
  });

  it("order is by creation (id), not by a timestamp a clock jump can reorder", () => {
    const shuffled = backups.map((b) => (b.id === 10 ? { ...b, createdAtMs: NOW - 400 * DAY } : b));
    const plan = retentionPlan({ ...base, backups: shuffled });
    assert.equal(
      plan.decisions.find((d) => d.id === 10)?.delete,
      false,
      "the newest by creation is kept even with an ancient stamp",
    );
  });
});
