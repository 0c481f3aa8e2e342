/**
 * Verification (docs/architecture.md#verification): acknowledged items are
 * compared with what upstream really holds. Present and equal → `verified`; absent →
 * `missing_on_server` (central resends with the same key; providers look up first) and a
 * notification; present but different (hash or total) → a critical notification and nothing
 * else: money is never fixed automatically.
 */
import type { Journal } from "../journal/database.ts";
import { ackedInSeqRange, updateItem, verificationCandidates } from "../journal/outbox-store.ts";
import { getTarget } from "../journal/sync-target-store.ts";
import { eventsBySeq } from "../journal/events.ts";
import { followOrderBackup, moveItem, blockWith, type OutcomeContext } from "./outcomes.ts";
import type { Adapter, WorkItem } from "./types.ts";
import type { OutboxItem, Target } from "../journal/outbox-types.ts";

export interface VerifyReport {
  target: Target;
  checked: number;
  verified: number;
  missing: number;
  mismatched: number;
  /** Why the run stopped early (unreachable, blocked), if it did. */
  failed?: string;
  skipped?: string;
}

export interface VerifyScope {
  /** Only these orders (verify now from the order backups screen). */
  orderIds?: readonly string[];
  /** Only items acknowledged since (ms); default: the configured window. */
  sinceMs?: number;
  /** Only this instance's seq range (fromSeq, toSeq] (central chain gap). */
  range?: { instanceId: string; fromSeq: number; toSeq: number };
}

const PAGE = 500;

export async function verifyTarget(
  ctx: Omit<OutcomeContext, "capabilities" | "policy" | "random" | "notifyAfterFailures">,
  adapter: Adapter,
  scope: VerifyScope,
  signal: AbortSignal,
): Promise<VerifyReport> {
  const { journal, clock, notifier } = ctx;
  const target = adapter.target;
  const report: VerifyReport = { target, checked: 0, verified: 0, missing: 0, mismatched: 0 };
  const row = getTarget(journal, target);
  if (!row || row.state !== "active")
    return { ...report, skipped: row ? `target is ${row.state}` : "target not connected" };
  let afterId = 0;
  for (let page = 0; page < 10_000; page += 1) {
    let items: OutboxItem[];
    if (scope.range) {
      const { instanceId, fromSeq, toSeq } = scope.range;
      if (page > 0) break;
      const inRange = ackedInSeqRange(journal, target, fromSeq, toSeq);
      const instances = new Map(
        eventsBySeq(
          journal,
          inRange.map((i) => i.eventSeq),
        ).map((e) => [e.seq, e.instanceId]),
      );
      items = inRange.filter((i) => instances.get(i.eventSeq) === instanceId);
    } else {
      items = verificationCandidates(journal, target, scope.sinceMs ?? 0, afterId, PAGE, scope.orderIds);
    }
    if (items.length === 0) break;
    afterId = items[items.length - 1]?.id ?? afterId;
    const work = toWork(journal, items);
    const checks = await adapter.verify(work, signal);
    if ("failed" in checks) {
      const outcome = checks.failed;
      if (outcome.kind === "blocked")
        journal.transaction(() => {
          blockWith(ctx, target, outcome.code, outcome.detail);
        });
      return { ...report, failed: outcome.kind === "acked" ? "unexpected" : `${outcome.code}: ${outcome.detail}` };
    }
    const byId = new Map(work.map((w) => [w.item.id, w]));
    const now = clock.now();
    const at = new Date(now).toISOString();
    journal.transaction(() => {
      for (const check of checks) {
        const w = byId.get(check.itemId);
        if (!w) continue;
        report.checked += 1;
        if (!check.present) {
          if (
            moveItem(journal, w.item.id, "missing_on_server", {
              checkedAtMs: now,
              nextAttemptAtMs: now,
              errorCode: "MISSING_ON_SERVER",
              errorDetail: "verification did not find it upstream",
            })
          ) {
            report.missing += 1;
            followOrderBackup(journal, w, "missing", at);
            notifier.raise({
              kind: "missing_on_server",
              severity: "warning",
              target,
              orderId: w.item.orderId,
              message: `${target} no longer has ${w.item.operation} of order ${w.item.orderId ?? "?"}; sending it again with the same key`,
              details: { itemId: w.item.id },
            });
          }
        } else if (check.mismatch) {
          report.mismatched += 1;
          updateItem(journal, w.item.id, {
            state: w.item.state,
            checkedAtMs: now,
            errorCode: "MISMATCH",
            errorDetail: check.mismatch,
          });
          notifier.raise({
            kind: "total_mismatch",
            severity: "critical",
            target,
            orderId: w.item.orderId,
            message: `${target} holds order ${w.item.orderId ?? "?"} with different content: ${check.mismatch}. Not changed automatically; check it by hand.`,
            details: { itemId: w.item.id },
            once: true,
          });
        } else {
          if (w.item.state === "verified") updateItem(journal, w.item.id, { state: "verified", checkedAtMs: now });
          else if (moveItem(journal, w.item.id, "verified", { verifiedAt: at, checkedAtMs: now })) report.verified += 1;
          followOrderBackup(journal, w, "verified", at);
        }
      }
    });
  }
  return report;
}

export function toWork(journal: Journal, items: readonly OutboxItem[]): WorkItem[] {
  const events = new Map(
    eventsBySeq(
      journal,
      items.map((i) => i.eventSeq),
    ).map((e) => [e.seq, e]),
  );
  return items.flatMap((item) => {
    const event = events.get(item.eventSeq);
    return event ? [{ item, event, dependencyRemoteId: null, prevSeq: 0 }] : [];
  });
}
