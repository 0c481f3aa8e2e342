/**
 * The unknown-outcome policy on the journal alone: how far automatic REPRINTs go for a kitchen
 * ticket, and that the last word is a person's, never a silent "failed".
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settleUnknownOutcome } from "../../../appliance/devices/job-actions.ts";
import { MAX_AUTO_REPRINTS } from "../../../appliance/devices/job-policy.ts";
import { newId } from "../../../appliance/lib/ids.ts";
import { getJob, insertJob, transitionJob, type PrintJobRecord } from "../../../appliance/journal/print-store.ts";
import { openJournal, ticket } from "./spooler-rig.ts";

describe("unknown print outcomes", () => {
  it("reprints a kitchen ticket up to the cap, then leaves it uncertain for a person", () => {
    const journal = openJournal();
    const at = new Date(1_800_000_000_000).toISOString();
    let job: PrintJobRecord | undefined = insertJob(journal, {
      id: newId(),
      key: "order-1:kitchen:1:grill",
      kind: "kitchen",
      orderId: null,
      orderNumber: null,
      station: "grill",
      revision: 1,
      printerId: "p1",
      banner: null,
      copyOf: null,
      document: ticket(12),
      expiresAtMs: 1_800_000_600_000,
      at,
    });
    const keys: string[] = [];
    let last: PrintJobRecord | undefined;
    for (let round = 0; job && round < MAX_AUTO_REPRINTS + 2; round += 1) {
      assert.ok(transitionJob(journal, job.id, ["queued"], "sending", at));
      last = job;
      job = settleUnknownOutcome(journal, job, "link lost", 1_800_000_000_000 + round);
      if (job) keys.push(job.key);
    }
    assert.equal(keys.length, MAX_AUTO_REPRINTS);
    assert.deepEqual(
      keys.at(-1),
      `order-1:kitchen:1:grill#reprint-${MAX_AUTO_REPRINTS}`,
      "reprints of reprints count against the original",
    );
    assert.ok(last);
    const final = getJob(journal, last.id);
    assert.ok(final);
    assert.equal(final.state, "uncertain", "handed to a person, not dropped as failed");
    assert.equal(final.followedBy, null, "no automatic follower: it needs attention");
    assert.match(final.lastError ?? "", new RegExp(`${MAX_AUTO_REPRINTS} automatic reprints did not confirm`));
    journal.close();
  });
});
