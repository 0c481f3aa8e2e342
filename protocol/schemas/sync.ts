/**
 * Upstream sync over HTTP (integrations, history, notifications, jobs) and the `sync` WebSocket
 * topic; order and journal backups are in backups.ts.
 * Tokens go in (connect) and never come out: no response shape here has a field for them.
 */
import { Type, type Static } from "typebox";
import { DateTime, Nullable, Slug, Uuid } from "./common.ts";
import { Text } from "./text.ts";

/** An upstream credential as issued: printable ASCII, no spaces (OAuth tokens, client secrets). */
const Credential = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: "^[!-~]+$" });

export const TARGET_NAMES = ["central", "square", "zoho"] as const;
/** `central`: our server; `square`: Square POS; `zoho`: Zoho Inventory. */
export const TargetName = Type.Enum(TARGET_NAMES);
export type TargetName = Static<typeof TargetName>;
export const TargetParams = Type.Object({ target: TargetName });

export const ITEM_STATES = [
  "pending",
  "sending",
  "retry_wait",
  "needs_lookup",
  "acked",
  "verified",
  "missing_on_server",
  "dead",
] as const;
export const ItemState = Type.Enum(ITEM_STATES);

/** Coarse statuses, accepted by history next to the outbox states (docs/architecture.md#integrations). */
export const HISTORY_STATUSES = ["pending", "success", "failed", "retry"] as const;

// ---------- status (HTTP and the sync topic) ----------

export const SyncTargetStatus = Type.Object({
  target: TargetName,
  /** `blocked`: refused our credentials or configuration; nothing is sent until it is connected again. */
  state: Type.Enum(["active", "blocked", "disconnected"]),
  blocked: Type.Boolean(),
  blockedReason: Nullable(Type.String()),
  /** False while upstream cannot be reached (the worker probes until it can). */
  online: Type.Boolean(),
  /** Orders with something not yet upstream. */
  pending: Type.Integer(),
  pendingItems: Type.Integer(),
  oldestPendingAt: Nullable(DateTime),
  oldestAgeSeconds: Type.Integer(),
  dead: Type.Integer(),
  needsLookup: Type.Integer(),
  lastSuccessAt: Nullable(DateTime),
  lastError: Nullable(Type.String()),
  consecutiveFailures: Type.Integer(),
  /** "3 orders not yet upstream, oldest 12 min" */
  message: Type.String(),
});
export type SyncTargetStatus = Static<typeof SyncTargetStatus>;

export const SyncStatus = Type.Object({
  at: DateTime,
  /** Targets that were ever connected. */
  targets: Type.Array(SyncTargetStatus),
  openNotifications: Type.Integer(),
  summary: Type.String(),
});
export type SyncStatus = Static<typeof SyncStatus>;

/** Pushed on the `sync` topic whenever the backlog or a target's state changes. */
export interface SyncStatusDelta {
  kind: "sync_status";
  status: SyncStatus;
}

// ---------- integrations ----------

export const IntegrationSettings = Type.Object(
  {
    /** Push new orders automatically (false: only "sync this order"). */
    autoSync: Type.Optional(Type.Boolean()),
    /** Send the pickup name with orders. */
    syncCustomerInfo: Type.Optional(Type.Boolean()),
    /** Square location, merchant. */
    locationId: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
    merchantId: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
    /** Zoho organisation and the customer sales orders are booked to. */
    organizationId: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
    customerId: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
    /** Central: this store's id. */
    storeId: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
    /** Our menu item id → the provider's item id; unmapped items go by name. */
    itemMapping: Type.Optional(Type.Record(Slug, Text({ minLength: 1, maxLength: 192 }), { maxProperties: 1_000 })),
  },
  { additionalProperties: false },
);
export type IntegrationSettings = Static<typeof IntegrationSettings>;

export const ConnectBody = Type.Object(
  {
    accessToken: Credential(4_096),
    refreshToken: Type.Optional(Credential(4_096)),
    tokenExpiresAt: Type.Optional(DateTime),
    /** OAuth client secret for code-flow refreshes (Square) or Zoho's refresh; stored sealed. */
    clientSecret: Type.Optional(Credential(1_024)),
    ...IntegrationSettings.properties,
  },
  { additionalProperties: false },
);
export type ConnectBody = Static<typeof ConnectBody>;

export const SettingsPatch = Type.Object(IntegrationSettings.properties, {
  additionalProperties: false,
  minProperties: 1,
});
export type SettingsPatch = Static<typeof SettingsPatch>;

export const IntegrationStats = Type.Object({
  totalSyncs: Type.Integer(),
  successfulSyncs: Type.Integer(),
  /** Refused for good (dead): only a person re-queues them. */
  failedSyncs: Type.Integer(),
  pendingRetries: Type.Integer(),
  pending: Type.Integer(),
  /** successful / total × 100, one decimal. */
  successRate: Type.Number(),
  requests: Type.Integer(),
  byState: Type.Record(Type.String(), Type.Integer()),
});
export type IntegrationStats = Static<typeof IntegrationStats>;

export const IntegrationView = Type.Object({
  target: TargetName,
  /** Whether the configuration lets this target be connected at all (e.g. central needs sync.central.url). */
  configured: Type.Boolean(),
  connected: Type.Boolean(),
  state: Type.Enum(["active", "blocked", "disconnected", "not_connected"]),
  autoSync: Type.Boolean(),
  settings: IntegrationSettings,
  hasRefreshToken: Type.Boolean(),
  tokenExpiresAt: Nullable(DateTime),
  connectedAt: Nullable(DateTime),
  disconnectedAt: Nullable(DateTime),
  lastSyncAt: Nullable(DateTime),
  lastError: Nullable(Type.String()),
  errorCount: Type.Integer(),
  consecutiveFailures: Type.Integer(),
  blockedReason: Nullable(Type.String()),
  stats: IntegrationStats,
});
export type IntegrationView = Static<typeof IntegrationView>;

export const HistoryQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum([...HISTORY_STATUSES, ...ITEM_STATES.filter((s) => s !== "pending")])),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

export const HistoryEntry = Type.Object({
  id: Type.Integer(),
  orderId: Nullable(Uuid),
  seq: Type.Integer(),
  operation: Type.String(),
  /** The coarse status: pending, success, failed, retry. */
  status: Type.Enum(HISTORY_STATUSES),
  state: ItemState,
  retryCount: Type.Integer(),
  httpStatus: Nullable(Type.Integer()),
  errorCode: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  remoteId: Nullable(Type.String()),
  nextRetryAt: Nullable(DateTime),
  completedAt: Nullable(Type.String()),
  verifiedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  durationMs: Nullable(Type.Integer()),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const HistoryResponse = Type.Object({
  logs: Type.Array(HistoryEntry),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type HistoryResponse = Static<typeof HistoryResponse>;

export const ManualSyncResponse = Type.Object({ orderId: Uuid, target: TargetName, items: Type.Array(HistoryEntry) });

export const ItemParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const SyncNowResponse = Type.Object({ targets: Type.Array(TargetName), due: Type.Integer() });

export const NotificationView = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  severity: Type.Enum(["info", "warning", "critical"]),
  target: Nullable(Type.String()),
  orderId: Nullable(Type.String()),
  message: Type.String(),
  details: Type.Unknown(),
  raisedAt: Type.String(),
  clearedAt: Nullable(Type.String()),
  clearedBy: Nullable(Type.String()),
  delivery: Type.Enum(["none", "pending", "sent", "retry_wait"]),
});
export type NotificationView = Static<typeof NotificationView>;
export const NotificationsQuery = Type.Object(
  {
    open: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export const NotificationsResponse = Type.Object({
  notifications: Type.Array(NotificationView),
  total: Type.Integer(),
  open: Type.Integer(),
});

export const JobView = Type.Object({
  name: Type.String(),
  description: Type.String(),
  schedule: Type.String(),
  nextRunAt: Nullable(Type.String()),
  running: Type.Boolean(),
  lastRun: Nullable(
    Type.Object({
      id: Type.Integer(),
      trigger: Type.String(),
      state: Type.String(),
      startedAt: Type.String(),
      finishedAt: Nullable(Type.String()),
      summary: Type.Unknown(),
      error: Nullable(Type.String()),
    }),
  ),
});
export const JobsResponse = Type.Object({ jobs: Type.Array(JobView) });
export const JobRunView = Type.Object({
  id: Type.Integer(),
  job: Type.String(),
  trigger: Type.String(),
  state: Type.String(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  summary: Type.Unknown(),
  error: Nullable(Type.String()),
});
export const JobParams = Type.Object({ name: Type.String({ pattern: "^[a-z][a-z0-9-]{0,40}$" }) });
