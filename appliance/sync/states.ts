/**
 * The outbox state machine (docs/architecture.md#outbox-states) as a table. Every write of an
 * item's state goes through `checkTransition`, so an illegal move is a bug that fails loudly in
 * tests.
 */
import type { OutboxState } from "../journal/outbox-types.ts";

export const TRANSITIONS: Readonly<Record<OutboxState, readonly OutboxState[]>> = {
  // committed, not yet attempted
  pending: ["sending", "needs_lookup"],
  // leased; the request may be in flight
  sending: ["acked", "retry_wait", "dead", "needs_lookup", "pending"],
  // waiting for next_attempt_at (full-jitter backoff)
  retry_wait: ["sending", "needs_lookup", "pending"],
  // search upstream before re-creating
  needs_lookup: ["acked", "pending", "retry_wait", "dead"],
  // upstream confirmed receipt
  acked: ["verified", "missing_on_server"],
  // reconciliation saw it upstream: terminal, except that a later check may find it gone
  verified: ["missing_on_server"],
  // acked earlier, absent now: resend (central) or look up (providers)
  missing_on_server: ["pending", "needs_lookup", "sending", "verified", "acked"],
  // permanent rejection: only an operator re-queues it
  dead: ["pending"],
};

export function canTransition(from: OutboxState, to: OutboxState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function checkTransition(from: OutboxState, to: OutboxState): void {
  if (!canTransition(from, to)) throw new Error(`outbox: illegal transition ${from} → ${to}`);
}
