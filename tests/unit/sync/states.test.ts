/** The outbox state machine (docs/architecture.md#outbox-states): every legal and every illegal transition. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { canTransition, checkTransition } from "../../../appliance/sync/states.ts";
import { OUTBOX_STATES, type OutboxState } from "../../../appliance/journal/outbox-types.ts";

const LEGAL: Record<OutboxState, OutboxState[]> = {
  pending: ["sending", "needs_lookup"],
  sending: ["acked", "retry_wait", "dead", "needs_lookup", "pending"],
  retry_wait: ["sending", "needs_lookup", "pending"],
  needs_lookup: ["acked", "pending", "retry_wait", "dead"],
  acked: ["verified", "missing_on_server"],
  verified: ["missing_on_server"],
  missing_on_server: ["pending", "needs_lookup", "sending", "verified", "acked"],
  dead: ["pending"],
};

describe("outbox states", () => {
  for (const from of OUTBOX_STATES) {
    for (const to of OUTBOX_STATES) {
      if (from === to) continue;
      const legal = LEGAL[from].includes(to);
      it(`${from} → ${to} is ${legal ? "allowed" : "refused"}`, () => {
        assert.equal(canTransition(from, to), legal);
        if (legal) checkTransition(from, to);
        else
          assert.throws(() => {
            checkTransition(from, to);
          }, /illegal transition/);
      });
    }
  }

  it("a dead item leaves only by an operator's re-queue, a verified one only when found missing", () => {
    assert.deepEqual(
      OUTBOX_STATES.filter((s) => canTransition("dead", s)),
      ["pending"],
    );
    assert.deepEqual(
      OUTBOX_STATES.filter((s) => canTransition("verified", s)),
      ["missing_on_server"],
    );
  });
});
