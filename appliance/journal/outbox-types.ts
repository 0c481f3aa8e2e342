/**
 * The outbox's vocabulary, shared by its tables' stores (here in journal/) and the sync feature
 * that works them: upstream targets, item states (the partial indexes of migration 0004 list the
 * open ones), operations, and one outbox row as read back.
 */
import { ITEM_STATES } from "../../protocol/schemas/sync.ts";

export const TARGETS = ["central", "square", "zoho"] as const;
export type Target = (typeof TARGETS)[number];

/** Outbox item states (docs/architecture.md#outbox-states). `blocked` is a state of the target, not of an item. */
export const OUTBOX_STATES = ITEM_STATES;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** States the worker still has work for (the partial indexes of migration 0004 list the same). */
export const OPEN_STATES = [
  "pending",
  "sending",
  "retry_wait",
  "needs_lookup",
  "missing_on_server",
] as const satisfies readonly OutboxState[];
/** The SQL list of OPEN_STATES, written exactly as in the partial indexes so SQLite uses them. */
export const OPEN_STATES_SQL = "('pending', 'sending', 'retry_wait', 'needs_lookup', 'missing_on_server')";

/**
 * What a row asks of its target. `operation` is plain TEXT in migration 0004 (no CHECK), so a new
 * operation needs no migration. Square: `create_order`, then `record_payment` after it, then
 * `refund_payment` after the payment it refunds (appliance/sync/outbox.ts).
 */
export const OPERATIONS = ["event", "create_order", "record_payment", "refund_payment", "create_salesorder"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One outbox row, as the worker and adapters see it. */
export interface OutboxItem {
  id: number;
  eventSeq: number;
  eventId: string;
  target: Target;
  operation: Operation;
  orderId: string | null;
  dependsOn: number | null;
  idempotencyKey: string;
  state: OutboxState;
  attempted: boolean;
  attempts: number;
  outcomeUnknown: boolean;
  createdAtMs: number;
  firstAttemptAtMs: number | null;
  lastAttemptAtMs: number | null;
  nextAttemptAtMs: number;
  remoteId: string | null;
  remoteVersion: number | null;
  importRequested: boolean;
}
