/**
 * Order backups (a copy of every order, verified against upstream, imported or re-sent when
 * missing) and journal backups over HTTP.
 */
import { Type, type Static } from "typebox";
import { Currency, DateTime, Nullable, Uuid } from "./common.ts";
import { TargetName } from "./sync.ts";

const BusinessDate = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD (business date)" });

// ---------- order backups ----------

export const BACKUP_STATE_NAMES = [
  "backup",
  "synced",
  "verified",
  "missing",
  "imported",
  "duplicate",
  "error",
] as const;
export const BackupStateName = Type.Enum(BACKUP_STATE_NAMES);

export const OrderBackupView = Type.Object({
  orderId: Uuid,
  ref: Type.String(),
  number: Type.Integer(),
  businessDate: BusinessDate,
  total: Type.Integer(),
  currency: Currency,
  /** backup → synced → verified; missing (on server); imported; duplicate; error. */
  state: BackupStateName,
  isMissing: Type.Boolean(),
  canImport: Type.Boolean(),
  origin: Type.Enum(["local", "imported"]),
  importedFrom: Nullable(Type.String()),
  error: Nullable(Type.String()),
  createdAt: Type.String(),
  syncedAt: Nullable(Type.String()),
  verifiedAt: Nullable(Type.String()),
  missingAt: Nullable(Type.String()),
});
export type OrderBackupView = Static<typeof OrderBackupView>;

export const OrderBackupQuery = Type.Object(
  {
    state: Type.Optional(Type.Array(BackupStateName, { maxItems: 7 })),
    isMissing: Type.Optional(Type.Boolean()),
    canImport: Type.Optional(Type.Boolean()),
    origin: Type.Optional(Type.Enum(["local", "imported"])),
    from: Type.Optional(BusinessDate),
    to: Type.Optional(BusinessDate),
    limit: Type.Integer({ minimum: 1, maximum: 1_000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export const OrderBackupList = Type.Object({
  backups: Type.Array(OrderBackupView),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const BackupCounts = Type.Object({
  total: Type.Integer(),
  backup: Type.Integer(),
  synced: Type.Integer(),
  verified: Type.Integer(),
  missing: Type.Integer(),
  imported: Type.Integer(),
  duplicate: Type.Integer(),
  error: Type.Integer(),
  /** Sum of the orders' totals (minor units). */
  amount: Type.Integer(),
  /** verified (incl. imported/duplicate) / total × 100. */
  successRate: Type.Number(),
});
export type BackupCounts = Static<typeof BackupCounts>;

export const DayStats = Type.Object({
  businessDate: BusinessDate,
  orders: Type.Integer(),
  matches: Type.Boolean(),
  ...BackupCounts.properties,
});
export const BackupStatsQuery = Type.Object(
  { from: Type.Optional(BusinessDate), to: Type.Optional(BusinessDate) },
  { additionalProperties: false },
);
/**
 * One cash shift's orders (placed between its opening and its close, or now while it is open). A
 * null `id` is the orders placed while no shift was open. With several drawers, an order placed
 * while two shifts were open counts in both.
 */
export const ShiftStats = Type.Object({
  id: Nullable(Uuid),
  drawer: Nullable(Type.String()),
  openedAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
  orders: Type.Integer(),
  matches: Type.Boolean(),
  ...BackupCounts.properties,
});
export type ShiftStats = Static<typeof ShiftStats>;

export const BackupStats = Type.Object({
  overall: BackupCounts,
  orders: Type.Integer(),
  days: Type.Array(DayStats),
  /**
   * Per cash shift, newest first, then the orders outside any shift; present where shifts are
   * used (`cash.shifts: required`, or any shift recorded). Within `from`/`to` like `days`.
   */
  shifts: Type.Optional(Type.Array(ShiftStats)),
});
export type BackupStats = Static<typeof BackupStats>;

export const VerifyBody = Type.Object(
  { orderIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 1_000, uniqueItems: true })) },
  { additionalProperties: false },
);
export const VerifyReport = Type.Object({
  target: TargetName,
  checked: Type.Integer(),
  verified: Type.Integer(),
  missing: Type.Integer(),
  mismatched: Type.Integer(),
  failed: Type.Optional(Type.String()),
  skipped: Type.Optional(Type.String()),
});
export const VerifyResponse = Type.Object({ reports: Type.Array(VerifyReport) });

export const ImportBody = Type.Object(
  {
    /** Selected orders; absent: every record that matches the rest. */
    orderIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 10_000, uniqueItems: true })),
    from: Type.Optional(BusinessDate),
    to: Type.Optional(BusinessDate),
    /** Only records missing on the server (default); false: refused ones (error) too. */
    onlyMissing: Type.Optional(Type.Boolean()),
    /** Also pull orders the journal lacks from the central server (default true). */
    pull: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;
export const ImportResponse = Type.Object({
  preview: Type.Boolean(),
  resend: Type.Array(
    Type.Object({
      orderId: Uuid,
      ref: Type.String(),
      number: Type.Integer(),
      businessDate: BusinessDate,
      total: Type.Integer(),
      state: Type.String(),
    }),
  ),
  pulled: Type.Array(
    Type.Object({
      orderId: Uuid,
      ref: Type.String(),
      businessDate: Type.String(),
      total: Type.Integer(),
      instanceId: Type.String(),
      result: Type.Enum(["import", "duplicate", "error"]),
      error: Type.Optional(Type.String()),
    }),
  ),
  counts: Type.Object({
    resend: Type.Integer(),
    imported: Type.Integer(),
    duplicates: Type.Integer(),
    errors: Type.Integer(),
  }),
  pullSkipped: Type.Optional(Type.String()),
});
export type ImportResponse = Static<typeof ImportResponse>;

export const CLEANUP_STATES = ["verified", "imported", "duplicate"] as const;
export const CleanupBody = Type.Object(
  {
    /** Older than this many days (default `sync.orderBackups.cleanupDays`). */
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3_650 })),
    /** Which states go (default all three; errors and unverified records never). */
    states: Type.Optional(Type.Array(Type.Enum(CLEANUP_STATES), { minItems: 1, maxItems: 3, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CleanupBody = Static<typeof CleanupBody>;
export const CleanupResponse = Type.Object({
  preview: Type.Boolean(),
  cutoff: DateTime,
  states: Type.Array(Type.String()),
  count: Type.Integer(),
  /** The first 500 of what goes (preview) or went. */
  backups: Type.Array(OrderBackupView),
});

export const ReconcileBody = Type.Object(
  { businessDate: Type.Optional(BusinessDate) },
  { additionalProperties: false },
);
export const ReconciliationView = Type.Object({
  id: Type.Integer(),
  businessDate: BusinessDate,
  orders: Type.Integer(),
  backups: Type.Integer(),
  verified: Type.Integer(),
  synced: Type.Integer(),
  missing: Type.Integer(),
  errors: Type.Integer(),
  notUpstream: Type.Integer(),
  /** Backup count equals order count and nothing is missing or in error. */
  ok: Type.Boolean(),
  trigger: Type.String(),
  at: Type.String(),
});
export const ReconciliationsQuery = Type.Object(
  { businessDate: Type.Optional(BusinessDate), limit: Type.Integer({ minimum: 1, maximum: 500, default: 30 }) },
  { additionalProperties: false },
);
export const ReconciliationsResponse = Type.Object({ reconciliations: Type.Array(ReconciliationView) });

// ---------- journal backups ----------

export const JournalBackupView = Type.Object({
  id: Nullable(Type.Integer()),
  file: Type.String(),
  state: Type.Enum(["creating", "ready", "failed", "deleting", "deleted", "unrecorded"]),
  trigger: Nullable(Type.String()),
  createdAt: Type.String(),
  sizeBytes: Nullable(Type.Integer()),
  sha256: Nullable(Type.String()),
  seq: Nullable(Type.Integer()),
  integrity: Nullable(Type.String()),
  clockSynced: Nullable(Type.Boolean()),
  error: Nullable(Type.String()),
  deletedAt: Nullable(Type.String()),
});
export type JournalBackupView = Static<typeof JournalBackupView>;
export const JournalBackupsResponse = Type.Object({ folder: Type.String(), backups: Type.Array(JournalBackupView) });
export const RetentionBody = Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const RetentionResponse = Type.Object({
  dryRun: Type.Boolean(),
  skipped: Type.Optional(Type.String()),
  decisions: Type.Array(
    Type.Object({ id: Type.Integer(), file: Type.String(), delete: Type.Boolean(), reason: Type.String() }),
  ),
  deleted: Type.Integer(),
});
