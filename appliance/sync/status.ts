/** "N orders not yet upstream, oldest X min", per target: the API, the `sync` topic and `galley doctor` read this. */
import { listNotifications } from "../journal/job-store.ts";
import type { Journal } from "../journal/database.ts";
import { backlog, stateCounts } from "../journal/outbox-history-store.ts";
import { listTargets } from "../journal/sync-target-store.ts";
import type { SyncStatus, SyncTargetStatus } from "../../protocol/schemas/sync.ts";
import type { SyncRuntime } from "./runtime.ts";

export function syncStatus(rt: SyncRuntime): SyncStatus {
  const now = rt.ctx.clock.now();
  const targets = rt.roster.rows().map((row): SyncTargetStatus => {
    const waiting = backlog(rt.ctx.journal, row.target);
    const counts = stateCounts(rt.ctx.journal, row.target);
    const ageSeconds = waiting.oldestMs === null ? 0 : Math.max(0, Math.round((now - waiting.oldestMs) / 1_000));
    const online = !rt.workers[row.target].offline;
    return {
      target: row.target,
      state: row.state,
      blocked: row.state === "blocked",
      blockedReason: row.blockedReason,
      online,
      pending: waiting.orders,
      pendingItems: waiting.items,
      oldestPendingAt: waiting.oldestMs === null ? null : new Date(waiting.oldestMs).toISOString(),
      oldestAgeSeconds: ageSeconds,
      dead: counts.dead ?? 0,
      needsLookup: counts.needs_lookup ?? 0,
      lastSuccessAt: row.lastSuccessAt,
      lastError: row.lastError,
      consecutiveFailures: row.consecutiveFailures,
      message: messageFor(row.state, waiting.orders, ageSeconds, online, row.blockedReason),
    };
  });
  const open = listNotifications(rt.ctx.journal, { open: true, limit: 1, offset: 0 }).open;
  const summary =
    targets.length === 0 ? "no upstream connected" : targets.map((t) => `${t.target}: ${t.message}`).join("; ");
  return { at: new Date(now).toISOString(), targets, openNotifications: open, summary };
}

function messageFor(
  state: string,
  orders: number,
  ageSeconds: number,
  online: boolean,
  blockedReason: string | null,
): string {
  if (state === "disconnected")
    return orders === 0 ? "disconnected" : `disconnected; ${orders} orders not yet upstream`;
  const backlogText =
    orders === 0
      ? "all orders upstream"
      : `${orders} ${orders === 1 ? "order" : "orders"} not yet upstream, oldest ${Math.floor(ageSeconds / 60)} min`;
  if (state === "blocked") return `blocked (${blockedReason ?? "needs attention"}); ${backlogText}`;
  return online ? backlogText : `upstream unreachable; ${backlogText}`;
}

/** The same backlog read straight from the journal, for `galley sync` (galleyd may be stopped). */
export function backlogLines(journal: Journal, nowMs: number): string[] {
  const rows = listTargets(journal);
  if (rows.length === 0) return ["no upstream connected"];
  return rows.map((row) => {
    const waiting = backlog(journal, row.target);
    const counts = stateCounts(journal, row.target);
    const age = waiting.oldestMs === null ? 0 : Math.max(0, Math.round((nowMs - waiting.oldestMs) / 1_000));
    const extra = [
      counts.dead ? `${counts.dead} dead (re-queue after fixing)` : "",
      counts.needs_lookup ? `${counts.needs_lookup} to look up` : "",
      row.lastError ? `last error: ${row.lastError}` : "",
    ].filter((s) => s);
    return `${row.target.padEnd(8)} ${messageFor(row.state, waiting.orders, age, true, row.blockedReason)}${extra.length ? ` — ${extra.join("; ")}` : ""}`;
  });
}
