/**
 * Writing what upstream answered: item states (through the table of states.ts), the order's backup
 * record (central, order.placed), the target's failure streak and block, notifications. Every
 * function here runs inside a journal transaction.
 */
import { iso } from "../commands/context.ts";
import type { Clock } from "../lib/clock.ts";
import type { Journal } from "../journal/database.ts";
import { getOrderBackup, setBackupState, stampVerified } from "../journal/order-backup-store.ts";
import { itemState, updateItem, type ItemUpdate } from "../journal/outbox-store.ts";
import { blockTarget, recordTargetFailure, recordTargetSuccess, setNotBefore } from "../journal/sync-target-store.ts";
import { nextAttemptDelay, type BackoffPolicy } from "./backoff.ts";
import type { Notifier } from "./notifications.ts";
import { canTransition } from "./states.ts";
import type { AdapterCapabilities, Outcome, WorkItem } from "./types.ts";
import type { OutboxState, Target } from "../journal/outbox-types.ts";

export interface OutcomeContext {
  journal: Journal;
  clock: Clock;
  notifier: Notifier;
  policy: BackoffPolicy;
  random: () => number;
  capabilities: AdapterCapabilities;
  notifyAfterFailures: number;
}

/** Moves an item if the table allows it from its *current* state; false when it does not (someone else moved it). */
export function moveItem(
  journal: Journal,
  id: number,
  to: OutboxState,
  update: Omit<ItemUpdate, "state"> = {},
): boolean {
  const from = itemState(journal, id);
  if (from === undefined || (from !== to && !canTransition(from, to))) return false;
  updateItem(journal, id, { ...update, state: to });
  return true;
}

/** The order backup record follows the central target's order.placed item. */
export function followOrderBackup(
  journal: Journal,
  work: WorkItem,
  change: "acked" | "verified" | "missing" | "dead",
  at: string,
  extra: { duplicate?: boolean; error?: string } = {},
): void {
  if (work.item.target !== "central" || work.event.type !== "order.placed" || !work.item.orderId) return;
  const orderId = work.item.orderId;
  const record = getOrderBackup(journal, orderId);
  if (!record) return;
  switch (change) {
    case "acked":
      if (record.import_requested === 1)
        setBackupState(journal, orderId, extra.duplicate ? "duplicate" : "imported", at, {
          importRequested: false,
          error: null,
        });
      else if (record.state !== "imported" && record.state !== "duplicate")
        setBackupState(journal, orderId, "synced", at, { error: null });
      break;
    case "verified":
      if (record.state === "imported" || record.state === "duplicate") stampVerified(journal, orderId, at);
      else setBackupState(journal, orderId, "verified", at, { error: null });
      break;
    case "missing":
      setBackupState(journal, orderId, "missing", at);
      break;
    case "dead":
      setBackupState(journal, orderId, "error", at, {
        error: extra.error ?? "refused upstream",
        importRequested: false,
      });
      break;
  }
}

/** Applies one send outcome to one item; the target's failure streak is `accountRequest`'s business. */
export function applySendOutcome(ctx: OutcomeContext, work: WorkItem, outcome: Outcome, durationMs: number): void {
  const { journal, clock, notifier } = ctx;
  const now = clock.now();
  const at = iso(now);
  const { item } = work;
  const base = { durationMs, status: "status" in outcome ? (outcome.status ?? null) : null };
  switch (outcome.kind) {
    case "acked":
      if (
        moveItem(journal, item.id, "acked", {
          ...base,
          ackedAt: at,
          ackedAtMs: now,
          errorCode: null,
          errorDetail: null,
          outcomeUnknown: false,
          networkFailure: false,
          ...(outcome.remoteId !== undefined ? { remoteId: outcome.remoteId } : {}),
          ...(outcome.remoteVersion !== undefined ? { remoteVersion: outcome.remoteVersion } : {}),
        })
      )
        followOrderBackup(journal, work, "acked", at, { duplicate: outcome.duplicate === true });
      return;
    case "transient": {
      const unknown = outcome.unknown || item.outcomeUnknown;
      // Without idempotency keys an unknown outcome is looked up before anything is sent again.
      const to: OutboxState = unknown && !ctx.capabilities.idempotent ? "needs_lookup" : "retry_wait";
      const next = now + nextAttemptDelay(item.attempts, ctx.policy, outcome.retryAfterMs, ctx.random);
      moveItem(journal, item.id, to, {
        ...base,
        nextAttemptAtMs: next,
        errorCode: outcome.code,
        errorDetail: outcome.detail,
        outcomeUnknown: unknown,
        networkFailure: outcome.network,
      });
      return;
    }
    case "rate_limited": {
      const wait = nextAttemptDelay(item.attempts, ctx.policy, outcome.retryAfterMs, ctx.random);
      moveItem(journal, item.id, "retry_wait", {
        ...base,
        nextAttemptAtMs: now + wait,
        errorCode: outcome.code,
        errorDetail: outcome.detail,
        networkFailure: false,
      });
      setNotBefore(journal, item.target, now + (outcome.retryAfterMs ?? wait));
      return;
    }
    case "auth":
    case "blocked": {
      // Nothing was applied upstream; the item waits, unchanged in substance, until the target is unblocked.
      moveItem(journal, item.id, "retry_wait", {
        ...base,
        nextAttemptAtMs: now,
        errorCode: outcome.code,
        errorDetail: outcome.detail,
        networkFailure: false,
      });
      blockWith(ctx, item.target, outcome.code, outcome.detail);
      return;
    }
    case "rejected":
      if (moveItem(journal, item.id, "dead", { ...base, errorCode: outcome.code, errorDetail: outcome.detail })) {
        followOrderBackup(journal, work, "dead", at, { error: outcome.detail });
        notifier.raise({
          kind: "item_dead",
          severity: "warning",
          target: item.target,
          orderId: item.orderId,
          message: `${item.target}: ${item.operation} of order ${item.orderId ?? "?"} was refused and will not be retried (${outcome.code}): ${outcome.detail}`,
          details: { itemId: item.id, code: outcome.code },
        });
      }
      return;
    case "conflict":
      if (moveItem(journal, item.id, "dead", { ...base, errorCode: outcome.code, errorDetail: outcome.detail })) {
        followOrderBackup(journal, work, "dead", at, { error: outcome.detail });
        notifier.raise({
          kind: "hash_conflict",
          severity: "critical",
          target: item.target,
          orderId: item.orderId,
          message: `${item.target} holds different content under event ${item.eventId} (seq ${item.eventSeq}): a restore mix-up or a bug`,
          details: { itemId: item.id, detail: outcome.detail },
        });
      }
      return;
    case "lookup":
      if (
        moveItem(journal, item.id, "needs_lookup", {
          ...base,
          nextAttemptAtMs: now,
          errorCode: outcome.code,
          errorDetail: outcome.detail,
          outcomeUnknown: true,
        })
      ) {
        notifier.raise({
          kind: "key_reused",
          severity: "warning",
          target: item.target,
          orderId: item.orderId,
          message: `${item.target} says the key ${item.idempotencyKey} was used for a different request; looking the record up instead`,
          details: { itemId: item.id },
        });
      }
      return;
  }
}

export function blockWith(
  ctx: Pick<OutcomeContext, "journal" | "clock" | "notifier">,
  target: Target,
  code: string,
  detail: string,
): void {
  blockTarget(ctx.journal, target, code, detail, iso(ctx.clock.now()));
  ctx.notifier.raise({
    kind: "target_blocked",
    severity: "critical",
    target,
    message: `${target} is blocked (${code}): ${detail}. Nothing is sent to it until someone connects it again.`,
    details: { code },
    once: true,
  });
}

/** One request's effect on the target: a success resets the streak, a failure extends it (and may notify). */
export function accountRequest(ctx: OutcomeContext, target: Target, outcomes: readonly Outcome[]): void {
  const at = iso(ctx.clock.now());
  const failure = outcomes.find(
    (o): o is Extract<Outcome, { kind: "transient" | "rate_limited" }> =>
      o.kind === "transient" || o.kind === "rate_limited",
  );
  if (!failure) {
    if (outcomes.some((o) => o.kind === "acked")) recordTargetSuccess(ctx.journal, target, at);
    return;
  }
  const detail = `${failure.code}: ${failure.detail}`;
  const streak = recordTargetFailure(ctx.journal, target, detail, at);
  if (streak === ctx.notifyAfterFailures) {
    ctx.notifier.raise({
      kind: "consecutive_failures",
      severity: "warning",
      target,
      message: `${target}: ${streak} sync attempts in a row failed (last: ${detail}); orders wait safely in the journal and are retried`,
      details: { streak },
      once: true,
    });
  }
}
