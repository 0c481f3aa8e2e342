/**
 * Notifications for people (docs/architecture.md#notifications): after N failed
 * requests in a row, when an item goes dead, when a target is blocked, when verification finds an
 * order missing or altered, when a backup fails. Each is a row (the admin API lists it), a push on
 * the `sync` topic, and — when `sync.notifications.webhookUrl` is set — an outbox entry delivered
 * as a JSON POST with the same backoff as everything else upstream.
 */
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { NotificationView } from "../../protocol/schemas/sync.ts";
import type { Journal } from "../journal/database.ts";
import {
  dueDeliveries,
  insertNotification,
  markDelivered,
  markDeliveryRetry,
  openNotificationExists,
  type NotificationRow,
  type Severity,
} from "../journal/job-store.ts";
import { nextAttemptDelay, type BackoffPolicy } from "./backoff.ts";
import type { HttpClient } from "../lib/http-client.ts";

export const NOTIFICATION_KINDS = [
  "consecutive_failures",
  "item_dead",
  "target_blocked",
  "missing_on_server",
  "total_mismatch",
  "hash_conflict",
  "key_reused",
  "backup_failed",
  "reconciliation_mismatch",
  "import_failed",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface RaiseOptions {
  kind: NotificationKind;
  severity: Severity;
  target?: string | null;
  orderId?: string | null;
  message: string;
  details?: Record<string, unknown>;
  /** Raise only if no open notification of this kind for this target/order exists. */
  once?: boolean;
}

export class Notifier {
  readonly #journal: Journal;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #webhookUrl: string;
  /** Called after a notification is raised (push the sync status; wake the deliverer). */
  onRaised: () => void = () => undefined;

  constructor(options: { journal: Journal; clock: Clock; log: Logger; webhookUrl: string }) {
    this.#journal = options.journal;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#webhookUrl = options.webhookUrl;
  }

  /** Writes the notification; call inside the transaction that records its cause. Returns its id, or 0 when deduplicated. */
  raise(options: RaiseOptions): number {
    const target = options.target ?? null;
    const orderId = options.orderId ?? null;
    if (options.once && openNotificationExists(this.#journal, options.kind, target, orderId)) return 0;
    const id = insertNotification(this.#journal, {
      kind: options.kind,
      severity: options.severity,
      target,
      orderId,
      message: options.message,
      details: options.details ?? {},
      raisedAt: new Date(this.#clock.now()).toISOString(),
      deliver: this.#webhookUrl !== "",
    });
    const level = options.severity === "critical" ? "error" : options.severity === "warning" ? "warn" : "info";
    this.#log[level]({ kind: options.kind, target, orderId, notification: id }, options.message);
    queueMicrotask(() => {
      this.onRaised();
    });
    return id;
  }

  /** Delivers due notifications to the webhook; returns how many went out. */
  async deliverDue(http: HttpClient, policy: BackoffPolicy, signal: AbortSignal): Promise<number> {
    if (this.#webhookUrl === "") return 0;
    let sent = 0;
    for (const row of dueDeliveries(this.#journal, this.#clock.now(), 20)) {
      if (signal.aborted) break;
      const result = await http.request({
        method: "POST",
        url: this.#webhookUrl,
        body: webhookBody(row),
        timeoutMs: 10_000,
        signal,
      });
      const ok = result.ok && result.status >= 200 && result.status < 300;
      this.#journal.transaction(() => {
        if (ok) markDelivered(this.#journal, row.id, new Date(this.#clock.now()).toISOString());
        else
          markDeliveryRetry(
            this.#journal,
            row.id,
            this.#clock.now() + nextAttemptDelay(row.delivery_attempts + 1, policy, undefined),
          );
      });
      if (ok) sent += 1;
      else this.#log.debug({ notification: row.id }, "notification delivery failed; will retry");
    }
    return sent;
  }
}

/** A notification as the API shows it (`GET /api/sync/notifications`). */
export function notificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    severity: row.severity,
    target: row.target,
    orderId: row.order_id,
    message: row.message,
    details: JSON.parse(row.details) as unknown,
    raisedAt: row.raised_at,
    clearedAt: row.cleared_at,
    clearedBy: row.cleared_by,
    delivery: row.delivery_state,
  };
}

/** What a webhook receives: the notification as raised (not its clearing or delivery), and who sent it. */
function webhookBody(row: NotificationRow): Record<string, unknown> {
  const { clearedAt: _clearedAt, clearedBy: _clearedBy, delivery: _delivery, ...raised } = notificationView(row);
  return { ...raised, source: "galleyd" };
}
