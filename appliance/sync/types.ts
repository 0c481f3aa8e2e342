/**
 * The vocabulary of upstream sync (docs/architecture.md#upstream-sync): which events go upstream,
 * the work an adapter gets, what it answers, and the one interface every upstream implements. The
 * outbox's own vocabulary (targets, states, operations, rows) is journal/outbox-types.ts.
 */
import type { JournalEvent } from "../journal/events.ts";
import type { OutboxItem, Target } from "../journal/outbox-types.ts";

/**
 * Event types that may go upstream (to central; Square and Zoho take orders and payments only);
 * `order.line_marked` (kitchen progress) stays local. Cash shifts and attendance go up whole.
 */
export const SYNCED_EVENT_TYPES = [
  "order.placed",
  "order.status_changed",
  "payment.recorded",
  "payment.refunded",
  "cash.shift_opened",
  "cash.moved",
  "cash.shift_closed",
  "cash.report_created",
  "attendance.clocked",
  "attendance.corrected",
] as const;

export function isSyncedEvent(event: { type: string }): boolean {
  return (SYNCED_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** An item the worker is about to hand to an adapter, with what it needs. */
export interface WorkItem {
  item: OutboxItem;
  event: JournalEvent;
  /** Remote id of the item this one depends on (Square: the order id a payment belongs to). */
  dependencyRemoteId: string | null;
  /** For central: seq of the previous event of this device instance's central stream (0 for the first). */
  prevSeq: number;
}

/**
 * What an upstream answered, classified (docs/architecture.md#retries). Every
 * adapter maps its provider's statuses and error codes into these.
 */
export type Outcome =
  | { kind: "acked"; remoteId?: string; remoteVersion?: number; duplicate?: boolean; status?: number }
  /** Network error, timeout, 408, 5xx: try again later. `unknown`: the request may have been applied. */
  | {
      kind: "transient";
      unknown: boolean;
      network: boolean;
      status?: number;
      code: string;
      detail: string;
      retryAfterMs?: number;
    }
  /** 429: a target-wide pause of at least retryAfterMs. */
  | { kind: "rate_limited"; status: number; code: string; detail: string; retryAfterMs?: number }
  /** 401: refresh the token once and retry. */
  | { kind: "auth"; status: number; code: string; detail: string }
  /** 403, revoked token, failed refresh, configuration 404: stop calling this target until a person fixes it. */
  | { kind: "blocked"; status?: number; code: string; detail: string }
  /** 400/422 and upstream "rejected": this item can never succeed as it is. */
  | { kind: "rejected"; status?: number; code: string; detail: string }
  /** Same id, different content upstream (central `conflict`): a bug or a restore mix-up. */
  | { kind: "conflict"; status?: number; code: string; detail: string }
  /** The key was used for a different body (Square IDEMPOTENCY_KEY_REUSED): look the order up. */
  | { kind: "lookup"; status?: number; code: string; detail: string };

export interface SendResult {
  outcomes: Outcome[];
  /** Central: the end of the unbroken chain of this device's events the server holds (docs/architecture.md#targets). */
  ackedThroughSeq?: number;
  /** How long the request took (ms), for history. */
  durationMs: number;
  /** HTTP status of the request (batch), for the request log. */
  status?: number;
}

/** The answer of a lookup after an unknown outcome (needs_lookup). */
export type LookupResult =
  { found: true; remoteId: string; remoteVersion?: number } | { found: false } | { failed: Outcome };

/** One record upstream, as verification sees it. */
export interface RemoteCheck {
  itemId: number;
  present: boolean;
  /** Present but different (total or hash): alert, never auto-fix money. */
  mismatch?: string;
}

export interface AdapterCapabilities {
  /** Whether a resend with the same key is safe (central forever; Square until the key expires). */
  idempotent: boolean;
  /** How long the provider is assumed to remember keys (ms); Infinity for central. */
  keyTtlMs: number;
  /** Most items per request. */
  batchSize: number;
  /** Items must be sent in seq order, the whole stream waiting behind a failed head. */
  ordered: boolean;
}

/** Credentials as the adapter needs them; sealed at rest (secrets.ts). */
export interface Credentials {
  accessToken: string;
  refreshToken?: string;
  clientSecret?: string;
  /** Access token expiry (ms since epoch), when the provider gave one. */
  expiresAtMs?: number;
}

/**
 * One upstream behind one interface: an upstream family is one adapter behind this interface,
 * its fake beside it in tests/fakes (docs/architecture.md#where-each-kind-of-feature-goes).
 */
export interface Adapter {
  readonly target: Target;
  readonly capabilities: AdapterCapabilities;
  /** Sends a batch (size ≤ batchSize); returns one outcome per item, in the same order. */
  send(items: readonly WorkItem[], signal: AbortSignal): Promise<SendResult>;
  /** Settles an unknown outcome: is the record upstream already? */
  lookup(item: WorkItem, signal: AbortSignal): Promise<LookupResult>;
  /** Verification: which of these acknowledged items are really upstream, and unchanged. */
  verify(items: readonly WorkItem[], signal: AbortSignal): Promise<RemoteCheck[] | { failed: Outcome }>;
  /** A cheap "is the network back?" check (a TCP connect, no request). */
  probe(signal: AbortSignal): Promise<boolean>;
}
