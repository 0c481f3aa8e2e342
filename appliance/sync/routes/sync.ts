/** Sync as a whole: the backlog, "sync now", dead-letter re-queue, notifications, scheduled jobs. */
import { iso, type CommandContext } from "../../commands/context.ts";
import { AppError } from "../../lib/errors.ts";
import { clearNotification, getNotification, listNotifications } from "../../journal/job-store.ts";
import { ErrorBody } from "../../../protocol/schemas/common.ts";
import {
  HistoryEntry,
  ItemParams,
  JobParams,
  JobRunView,
  JobsResponse,
  NotificationsQuery,
  NotificationsResponse,
  NotificationView,
  SyncNowResponse,
  SyncStatus,
} from "../../../protocol/schemas/sync.ts";
import { requeueItem, syncNow } from "../integrations.ts";
import { notificationView } from "../notifications.ts";
import { syncStatus } from "../status.ts";
import { principalOf } from "../../http/auth.ts";
import type { RoutePlugin } from "../../http/deps.ts";
import type { SyncRuntime } from "../runtime.ts";

export interface SyncRouteOptions {
  ctx: CommandContext;
  /** The running sync (`shutting_down` once it stops). */
  rt: () => SyncRuntime;
}

export const syncRoutes: RoutePlugin<SyncRouteOptions> = (app, deps, done) => {
  const { rt } = deps;
  const tags = ["sync"];
  app.get(
    "/api/sync/status",
    {
      config: { access: ["sync:read"] },
      schema: {
        tags,
        summary: "Per target: N orders not yet upstream, oldest X min; blocked, online, dead letters",
        response: { 200: SyncStatus },
      },
    },
    () => syncStatus(rt()),
  );
  app.post(
    "/api/sync/now",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary: "Everything waiting is due now; workers wake (a Retry-After still holds)",
        response: { 202: SyncNowResponse },
      },
    },
    async (_request, reply) => reply.code(202).send(syncNow(rt())),
  );
  app.post(
    "/api/sync/items/:id/requeue",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary: "Re-queue a dead item (same key, same content) after fixing its cause",
        params: ItemParams,
        response: { 200: HistoryEntry, 404: ErrorBody, 409: ErrorBody },
      },
    },
    (request) => requeueItem(rt(), request.params.id, principalOf(request)),
  );
  app.get(
    "/api/sync/notifications",
    {
      config: { access: ["sync:read"] },
      schema: {
        tags,
        summary: "Notifications, newest first; ?open=true for those not cleared",
        querystring: NotificationsQuery,
        response: { 200: NotificationsResponse },
      },
    },
    (request) => {
      const { rows, total, open } = listNotifications(deps.ctx.journal, {
        open: request.query.open === true,
        limit: request.query.limit,
        offset: request.query.offset,
      });
      return { notifications: rows.map(notificationView), total, open };
    },
  );
  app.post(
    "/api/sync/notifications/:id/clear",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary: "Mark a notification as dealt with",
        params: ItemParams,
        response: { 200: NotificationView, 404: ErrorBody },
      },
    },
    (request) => {
      const { journal, clock } = deps.ctx;
      const id = request.params.id;
      if (!getNotification(journal, id)) throw new AppError("notification_not_found", `no notification ${id}`);
      journal.transaction(() => clearNotification(journal, id, principalOf(request).name, iso(clock.now())));
      rt().changed();
      const row = getNotification(journal, id);
      if (!row) throw new AppError("notification_not_found", `no notification ${id}`);
      return notificationView(row);
    },
  );
  app.get(
    "/api/sync/jobs",
    {
      config: { access: ["sync:read"] },
      schema: {
        tags,
        summary: "Scheduled jobs: schedule, next run, last recorded run",
        response: { 200: JobsResponse },
      },
    },
    () => ({ jobs: rt().scheduler.list() }),
  );
  app.post(
    "/api/sync/jobs/:name/run",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary: "Run a job now (recorded like a scheduled run)",
        params: JobParams,
        response: { 200: JobRunView, 404: ErrorBody },
      },
    },
    async (request) => {
      const runtime = rt();
      if (!runtime.scheduler.has(request.params.name))
        throw new AppError("job_not_found", `no job ${request.params.name}`, {
          details: { jobs: runtime.scheduler.list().map((j) => j.name) },
        });
      const run = await runtime.scheduler.runNow(request.params.name, `api:${principalOf(request).name}`);
      return {
        id: run.id,
        job: run.job,
        trigger: run.trigger,
        state: run.state,
        startedAt: run.started_at,
        finishedAt: run.finished_at,
        summary: JSON.parse(run.summary) as unknown,
        error: run.error,
      };
    },
  );
  done();
};
