/**
 * Integration management: connect with tokens, disconnect (history kept), settings
 * without tokens, item mapping, manual sync of one order, history, stats, dead-letter re-queue,
 * "sync now". Each change is one transaction; workers are woken after it commits.
 */
import { iso } from "../commands/context.ts";
import { AppError } from "../lib/errors.ts";
import { getOrder } from "../journal/order-store.ts";
import { setBackupState } from "../journal/order-backup-store.ts";
import { history, historyRow, stateCounts, type HistoryRow } from "../journal/outbox-history-store.ts";
import { getItem, itemsOfOrder, makeDueNow } from "../journal/outbox-store.ts";
import { attemptCount } from "../journal/sync-attempt-store.ts";
import {
  connectTarget,
  deleteCredentials,
  disconnectTarget,
  getCredentials,
  putCredentials,
  updateTargetSettings,
} from "../journal/sync-target-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type {
  ConnectBody,
  HistoryEntry,
  IntegrationSettings,
  IntegrationStats,
  IntegrationView,
  SettingsPatch,
} from "../../protocol/schemas/sync.ts";
import { eventsOf } from "../journal/events.ts";
import { enqueueEvent, orderEvents } from "./outbox.ts";
import { moveItem } from "./outcomes.ts";
import type { SyncRuntime } from "./runtime.ts";
import { type Credentials } from "./types.ts";
import { TARGETS, type OutboxState, type Target } from "../journal/outbox-types.ts";

const SETTING_KEYS = [
  "syncCustomerInfo",
  "locationId",
  "merchantId",
  "organizationId",
  "customerId",
  "storeId",
  "itemMapping",
] as const;

/** Whether the configuration allows connecting this target at all. */
export function configured(rt: SyncRuntime, target: Target): boolean {
  return target !== "central" || rt.ctx.config.sync.central.url !== "";
}

export function integrationView(rt: SyncRuntime, target: Target): IntegrationView {
  const row = rt.roster.row(target);
  const credentials = getCredentials(rt.ctx.journal, target);
  let hasRefreshToken = false;
  if (credentials) {
    try {
      hasRefreshToken = Boolean((JSON.parse(rt.box().open(credentials.sealed)) as Credentials).refreshToken);
    } catch {
      hasRefreshToken = false;
    }
  }
  const settings = pickSettings(rt.roster.settings(target));
  return {
    target,
    configured: configured(rt, target),
    connected: row !== undefined && row.state !== "disconnected",
    state: row?.state ?? "not_connected",
    autoSync: row?.autoSync ?? true,
    settings,
    hasRefreshToken,
    tokenExpiresAt: credentials?.accessExpiresAtMs ? iso(credentials.accessExpiresAtMs) : null,
    connectedAt: row?.connectedAt ?? null,
    disconnectedAt: row?.disconnectedAt ?? null,
    lastSyncAt: row?.lastSuccessAt ?? null,
    lastError: row?.lastError ?? null,
    errorCount: row?.errorCount ?? 0,
    consecutiveFailures: row?.consecutiveFailures ?? 0,
    blockedReason: row?.blockedReason ?? null,
    stats: integrationStats(rt, target),
  };
}

export function listIntegrations(rt: SyncRuntime): IntegrationView[] {
  return TARGETS.map((t) => integrationView(rt, t));
}

function pickSettings(source: Readonly<Record<string, unknown>>): IntegrationSettings {
  const out: IntegrationSettings = {};
  const put = out as Record<string, unknown>;
  for (const key of SETTING_KEYS) if (source[key] !== undefined) put[key] = source[key];
  return out;
}

/** What each target needs before it can work. */
function missingFor(
  rt: SyncRuntime,
  target: Target,
  settings: Readonly<Record<string, unknown>>,
  credentials: Credentials,
): string[] {
  const missing: string[] = [];
  const cfg = rt.ctx.config.sync;
  switch (target) {
    case "central":
      if (!settings.storeId && !cfg.central.storeId) missing.push("storeId (or sync.central.storeId)");
      break;
    case "square":
      if (!settings.locationId) missing.push("locationId");
      if (credentials.refreshToken && !cfg.square.clientId)
        missing.push("sync.square.clientId (configuration; needed to refresh tokens)");
      break;
    case "zoho":
      if (!settings.organizationId) missing.push("organizationId");
      if (!settings.customerId) missing.push("customerId");
      if (!credentials.refreshToken) missing.push("refreshToken (Zoho access tokens last one hour)");
      if (!credentials.clientSecret) missing.push("clientSecret");
      if (!cfg.zoho.clientId) missing.push("sync.zoho.clientId (configuration)");
      break;
  }
  return missing;
}

export function connect(rt: SyncRuntime, target: Target, body: ConnectBody, principal: Principal): IntegrationView {
  if (!configured(rt, target))
    throw new AppError(
      "integration_not_configured",
      `the ${target} target needs sync.central.url in the configuration first`,
    );
  const { accessToken, refreshToken, tokenExpiresAt, clientSecret, autoSync, ...rest } = body;
  const credentials: Credentials = {
    accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(tokenExpiresAt ? { expiresAtMs: Date.parse(tokenExpiresAt) } : {}),
  };
  const previous = rt.roster.row(target)?.settings ?? {};
  const settings: Record<string, unknown> = { ...previous, ...pickSettings(rest) };
  const missing = missingFor(rt, target, { ...rt.roster.settings(target), ...settings }, credentials);
  if (missing.length > 0)
    throw new AppError("integration_incomplete", `${target} cannot work without: ${missing.join(", ")}`, {
      details: { missing },
    });
  const box = rt.box();
  const at = iso(rt.ctx.clock.now());
  rt.ctx.journal.transaction(() => {
    connectTarget(rt.ctx.journal, target, settings, autoSync ?? rt.roster.row(target)?.autoSync ?? true, at);
    putCredentials(
      rt.ctx.journal,
      target,
      box.seal(JSON.stringify(credentials)),
      box.keyId,
      credentials.expiresAtMs ?? null,
      at,
    );
  });
  rt.roster.refresh();
  rt.log.info({ target, by: principal.name }, "integration connected");
  rt.workers[target].wake();
  rt.changed();
  return integrationView(rt, target);
}

export function disconnect(rt: SyncRuntime, target: Target, principal: Principal): IntegrationView {
  const row = rt.roster.row(target);
  if (!row || row.state === "disconnected")
    throw new AppError("integration_not_connected", `${target} is not connected`);
  const at = iso(rt.ctx.clock.now());
  rt.ctx.journal.transaction(() => {
    disconnectTarget(rt.ctx.journal, target, at);
    // The tokens go; the history and any queued items stay.
    deleteCredentials(rt.ctx.journal, target);
  });
  rt.roster.refresh();
  rt.log.info({ target, by: principal.name }, "integration disconnected");
  rt.changed();
  return integrationView(rt, target);
}

export function updateSettings(rt: SyncRuntime, target: Target, patch: SettingsPatch): IntegrationView {
  const row = rt.roster.row(target);
  if (!row) throw new AppError("integration_not_connected", `${target} was never connected; connect it first`);
  const { autoSync, ...rest } = patch;
  const settings = { ...row.settings, ...pickSettings(rest) };
  rt.ctx.journal.transaction(() => {
    updateTargetSettings(rt.ctx.journal, target, settings, autoSync ?? row.autoSync, iso(rt.ctx.clock.now()));
  });
  rt.roster.refresh();
  rt.workers[target].wake();
  return integrationView(rt, target);
}

/** "Sync this order now": historical orders get their rows, failed ones are re-queued. */
export function syncOrder(rt: SyncRuntime, target: Target, orderId: string, principal: Principal): HistoryEntry[] {
  const row = rt.roster.row(target);
  if (!row || row.state === "disconnected")
    throw new AppError("integration_not_connected", `${target} is not connected`);
  if (!getOrder(rt.ctx.journal, orderId)) throw new AppError("order_not_found", `no order ${orderId}`);
  const { journal, clock } = rt.ctx;
  const now = clock.now();
  journal.transaction(() => {
    for (const event of orderEvents(journal, orderId))
      enqueueEvent(journal, [target], event, now, rt.roster.zohoPrefix());
    for (const item of itemsOfOrder(journal, orderId, target)) {
      if (item.state === "dead")
        moveItem(journal, item.id, "pending", { nextAttemptAtMs: now, requeuedBy: principal.name });
      else if (item.state === "retry_wait" || item.state === "needs_lookup")
        moveItem(journal, item.id, item.state, { nextAttemptAtMs: now });
    }
  });
  rt.workers[target].wake();
  rt.changed();
  return itemsOfOrder(journal, orderId, target)
    .map((i) => historyEntryOf(rt, i.id))
    .filter((e): e is HistoryEntry => e !== undefined);
}

/** An operator puts a dead item back in the queue (docs/architecture.md#notifications): same key, same content. */
export function requeueItem(rt: SyncRuntime, id: number, principal: Principal): HistoryEntry {
  const { journal, clock } = rt.ctx;
  const item = getItem(journal, id);
  if (!item) throw new AppError("sync_item_not_found", `no sync item ${id}`);
  if (item.state !== "dead")
    throw new AppError("sync_item_not_dead", `item ${id} is ${item.state}; only dead items are re-queued by hand`, {
      details: { state: item.state },
    });
  const now = clock.now();
  journal.transaction(() => {
    moveItem(journal, id, "pending", {
      nextAttemptAtMs: now,
      requeuedBy: principal.name,
      errorCode: null,
      errorDetail: null,
    });
    const placed =
      item.target === "central" && item.orderId
        ? eventsOf(journal, item.orderId).find((e) => e.seq === item.eventSeq && e.type === "order.placed")
        : undefined;
    if (placed && item.orderId)
      setBackupState(journal, item.orderId, "backup", new Date(now).toISOString(), { error: null });
  });
  rt.log.info({ item: id, target: item.target, by: principal.name }, "dead sync item re-queued");
  rt.workers[item.target].wake();
  rt.changed();
  const entry = historyEntryOf(rt, id);
  if (!entry) throw new AppError("sync_item_not_found", `no sync item ${id}`);
  return entry;
}

/** "Sync now": everything waiting is due at once, workers wake and probe (a Retry-After still holds). */
export function syncNow(rt: SyncRuntime): { targets: Target[]; due: number } {
  const now = rt.ctx.clock.now();
  const targets = rt.roster
    .rows()
    .filter((r) => r.state === "active")
    .map((r) => r.target);
  const due = rt.ctx.journal.transaction(() => targets.reduce((sum, t) => sum + makeDueNow(rt.ctx.journal, t, now), 0));
  for (const t of targets) rt.workers[t].wake();
  return { targets, due };
}

const STATUS_STATES: Record<string, readonly OutboxState[]> = {
  pending: ["pending", "sending", "missing_on_server"],
  success: ["acked", "verified"],
  failed: ["dead"],
  retry: ["retry_wait", "needs_lookup"],
};

export function historyOf(
  rt: SyncRuntime,
  target: Target,
  status: string | undefined,
  limit: number,
  offset: number,
): { logs: HistoryEntry[]; total: number } {
  const states = status === undefined ? undefined : (STATUS_STATES[status] ?? [status as OutboxState]);
  const { rows, total } = history(rt.ctx.journal, target, states, limit, offset);
  return { logs: rows.map(toEntry), total };
}

function historyEntryOf(rt: SyncRuntime, id: number): HistoryEntry | undefined {
  const row = historyRow(rt.ctx.journal, id);
  return row ? toEntry(row) : undefined;
}

function seedStatus(state: string): HistoryEntry["status"] {
  if (state === "acked" || state === "verified") return "success";
  if (state === "dead") return "failed";
  if (state === "retry_wait" || state === "needs_lookup") return "retry";
  return "pending";
}

function toEntry(row: HistoryRow): HistoryEntry {
  const waiting = row.state === "retry_wait" || row.state === "needs_lookup";
  return {
    id: row.id,
    orderId: row.order_id,
    seq: row.event_seq,
    operation: row.operation,
    status: seedStatus(row.state),
    state: row.state as HistoryEntry["state"],
    retryCount: Math.max(0, row.attempts - 1),
    httpStatus: row.last_status,
    errorCode: row.last_error_code,
    errorMessage: row.last_error_detail,
    remoteId: row.remote_id,
    nextRetryAt: waiting ? iso(row.next_attempt_at_ms) : null,
    completedAt: row.acked_at,
    verifiedAt: row.verified_at,
    createdAt: row.created_at,
    durationMs: row.duration_ms,
  };
}

export function integrationStats(rt: SyncRuntime, target: Target): IntegrationStats {
  const counts = stateCounts(rt.ctx.journal, target);
  const n = (...states: OutboxState[]) => states.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  const total = Object.values(counts).reduce((sum, v) => sum + v, 0);
  const successful = n("acked", "verified");
  return {
    totalSyncs: total,
    successfulSyncs: successful,
    failedSyncs: n("dead"),
    pendingRetries: n("retry_wait", "needs_lookup"),
    pending: n("pending", "sending", "missing_on_server"),
    successRate: total === 0 ? 0 : Math.round((successful / total) * 1_000) / 10,
    requests: attemptCount(rt.ctx.journal, target),
    byState: counts,
  };
}
