/** Order backups and journal backups (docs/architecture.md#backups-and-retention). */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { backupFolder, planRetention, applyRetention } from "../../jobs/journal-backups.ts";
import { AppError } from "../../lib/errors.ts";
import { backupRows, type JournalBackupRow } from "../../journal/backup-store.ts";
import { ErrorBody } from "../../../protocol/schemas/common.ts";
import {
  BackupStats,
  BackupStatsQuery,
  CleanupBody,
  CleanupResponse,
  ImportBody,
  ImportResponse,
  JournalBackupsResponse,
  JournalBackupView,
  OrderBackupList,
  OrderBackupQuery,
  ReconcileBody,
  ReconciliationsQuery,
  ReconciliationsResponse,
  ReconciliationView,
  RetentionBody,
  RetentionResponse,
  VerifyBody,
  VerifyResponse,
} from "../../../protocol/schemas/backups.ts";
import type { ReconciliationRow } from "../../journal/job-store.ts";
import {
  backupStats,
  cleanup,
  importOrders,
  listBackups,
  reconcile,
  reconciliations,
  verifyNow,
} from "../order-backups.ts";
import { JOBS } from "../runtime.ts";
import { principalOf } from "../../http/auth.ts";
import type { RoutePlugin } from "../../http/deps.ts";
import type { SyncRouteOptions } from "./sync.ts";

function reconciliationView(row: ReconciliationRow) {
  return {
    id: row.id,
    businessDate: row.business_date,
    orders: row.orders,
    backups: row.backups,
    verified: row.verified,
    synced: row.synced,
    missing: row.missing,
    errors: row.errors,
    notUpstream: row.not_upstream,
    ok: row.ok === 1,
    trigger: row.trigger,
    at: row.at,
  };
}

function journalBackupView(row: JournalBackupRow): JournalBackupView {
  return {
    id: row.id,
    file: row.file,
    state: row.state,
    trigger: row.trigger,
    createdAt: row.created_at,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    seq: row.seq,
    integrity: row.integrity,
    clockSynced: row.clock_synced === 1,
    error: row.error,
    deletedAt: row.deleted_at,
  };
}

export const backupRoutes: RoutePlugin<SyncRouteOptions> = (app, deps, done) => {
  const { rt } = deps;
  const tags = ["backups"];
  app.get(
    "/api/backups/orders",
    {
      config: { access: ["backups:read"] },
      schema: {
        tags,
        summary: "Order backup records; filter by state, isMissing, canImport, origin, business date range",
        querystring: OrderBackupQuery,
        response: { 200: OrderBackupList },
      },
    },
    (request) => {
      const q = request.query;
      const { backups, total } = listBackups(
        rt(),
        {
          ...(q.state ? { states: q.state } : {}),
          ...(q.isMissing !== undefined ? { isMissing: q.isMissing } : {}),
          ...(q.canImport !== undefined ? { canImport: q.canImport } : {}),
          ...(q.origin ? { origin: q.origin } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
        },
        q.limit,
        q.offset,
      );
      return { backups, total, limit: q.limit, offset: q.offset };
    },
  );
  app.get(
    "/api/backups/orders/stats",
    {
      config: { access: ["backups:read"] },
      schema: {
        tags,
        summary: "Statistics overall, per business day and per cash shift (backup count against order count)",
        querystring: BackupStatsQuery,
        response: { 200: BackupStats },
      },
    },
    (request) => backupStats(rt(), request.query.from, request.query.to),
  );
  app.post(
    "/api/backups/orders/verify",
    {
      config: { access: ["backups:manage"] },
      schema: {
        tags,
        summary: "Verify now on the server (selected orders, or the verification window)",
        body: VerifyBody,
        response: { 200: VerifyResponse },
      },
    },
    async (request) => ({ reports: await verifyNow(rt(), request.body.orderIds) }),
  );
  app.post(
    "/api/backups/orders/import/preview",
    {
      config: { access: ["backups:manage"] },
      schema: {
        tags,
        summary: "What a batch import would re-send and pull, writing nothing",
        body: ImportBody,
        response: { 200: ImportResponse },
      },
    },
    async (request) => importOrders(rt(), request.body, true, principalOf(request).name),
  );
  app.post(
    "/api/backups/orders/import",
    {
      config: { access: ["backups:manage"] },
      schema: {
        tags,
        summary:
          "Batch import: re-send missing orders (same keys); pull orders the journal lacks (deduplicated by order id)",
        body: ImportBody,
        response: { 200: ImportResponse },
      },
    },
    async (request) => importOrders(rt(), request.body, false, principalOf(request).name),
  );
  app.post(
    "/api/backups/orders/cleanup/preview",
    {
      config: { access: ["backups:manage"] },
      schema: {
        tags,
        summary: "Which old verified/imported/duplicate records a cleanup would delete",
        body: CleanupBody,
        response: { 200: CleanupResponse, 400: ErrorBody },
      },
    },
    (request) => cleanup(rt(), request.body, true),
  );
  app.post(
    "/api/backups/orders/cleanup",
    {
      config: { access: ["backups:manage"] },
      schema: {
        tags,
        summary:
          "Delete old verified/imported/duplicate records (never errors or unverified ones; orders are never deleted)",
        body: CleanupBody,
        response: { 200: CleanupResponse, 400: ErrorBody },
      },
    },
    (request) => cleanup(rt(), request.body, false),
  );
  app.post(
    "/api/backups/orders/reconcile",
    {
      config: { access: ["backups:manage"] },
      schema: {
        tags,
        summary: "Reconcile a business day now (default: today's); recorded",
        body: ReconcileBody,
        response: { 200: ReconciliationView },
      },
    },
    (request) => reconciliationView(reconcile(rt(), request.body.businessDate, `api:${principalOf(request).name}`)),
  );
  app.get(
    "/api/backups/orders/reconciliations",
    {
      config: { access: ["backups:read"] },
      schema: {
        tags,
        summary: "Recorded reconciliations, newest first",
        querystring: ReconciliationsQuery,
        response: { 200: ReconciliationsResponse },
      },
    },
    (request) => ({
      reconciliations: reconciliations(rt(), request.query.businessDate, request.query.limit).map(reconciliationView),
    }),
  );
  app.get(
    "/api/backups/journal",
    {
      config: { access: ["backups:read"] },
      schema: {
        tags,
        summary: "Journal backups: recorded ones with hash and seq, plus files found without a record",
        response: { 200: JournalBackupsResponse },
      },
    },
    () => {
      const folder = backupFolder(deps.ctx.config);
      const rows = backupRows(deps.ctx.journal);
      const known = new Set(rows.map((r) => r.file));
      const loose = existsSync(folder)
        ? readdirSync(folder)
            .filter((f) => f.startsWith("journal-") && f.endsWith(".sqlite") && !known.has(join(folder, f)))
            .map((f): JournalBackupView => {
              const file = join(folder, f);
              const stat = statSync(file);
              return {
                id: null,
                file,
                state: "unrecorded",
                trigger: null,
                createdAt: stat.mtime.toISOString(),
                sizeBytes: stat.size,
                sha256: null,
                seq: Number(/-seq(\d+)\.sqlite$/.exec(f)?.[1] ?? 0),
                integrity: null,
                clockSynced: null,
                error: null,
                deletedAt: null,
              };
            })
        : [];
      return { folder, backups: [...rows.map(journalBackupView), ...loose] };
    },
  );
  app.post(
    "/api/backups/journal",
    {
      config: { access: ["backups:manage"] },
      schema: {
        tags,
        summary: "Write a journal backup now (then retention runs); recorded as a job run",
        response: { 201: JournalBackupView, 500: ErrorBody },
      },
    },
    async (request, reply) => {
      const run = await rt().scheduler.runNow(JOBS.backup, `api:${principalOf(request).name}`);
      if (run.state !== "ok")
        throw new AppError("backup_failed", `the backup failed: ${run.error ?? "unknown reason"}`);
      const row = backupRows(deps.ctx.journal).at(-1);
      if (!row) throw new AppError("backup_failed", "the backup left no record");
      return reply.code(201).send(journalBackupView(row));
    },
  );
  app.post(
    "/api/backups/journal/retention",
    {
      config: { access: ["backups:manage"] },
      schema: {
        tags,
        summary:
          "Apply retention now (or see its decisions with dryRun): never the newest K, unverified ranges, or with an unsynchronised clock",
        body: RetentionBody,
        response: { 200: RetentionResponse },
      },
    },
    async (request) => {
      const runtime = rt();
      const files = new Map(backupRows(deps.ctx.journal).map((r) => [r.id, r.file]));
      const plan = await planRetention(runtime.backups);
      const decisions = plan.decisions.map((d) => ({ ...d, file: files.get(d.id) ?? "" }));
      if (request.body.dryRun === true)
        return { dryRun: true, ...(plan.skipped ? { skipped: plan.skipped } : {}), decisions, deleted: 0 };
      const result = await applyRetention(runtime.backups);
      return {
        dryRun: false,
        ...(result.skipped ? { skipped: result.skipped } : {}),
        decisions,
        deleted: result.deleted.length,
      };
    },
  );
  done();
};
