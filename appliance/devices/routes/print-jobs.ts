/** The print spooler's jobs: list them, see one's paper (PNG), cancel one, reprint one (a new job marked COPY). */
import { Type } from "typebox";
import { cancelPrintJob, listPrintJobs, reprintPrintJob } from "../operations.ts";
import { PRINT_JOB_ACCESS } from "../job-policy.ts";
import { previewPrintJob } from "../job-preview.ts";
import { ErrorBody, Uuid } from "../../../protocol/schemas/common.ts";
import { PrintJobView, PrintJobsQuery, PrintJobsResponse, ReprintBody } from "../../../protocol/schemas/devices.ts";
import { principalOf } from "../../http/auth.ts";
import { IdempotencyHeaders, idempotencyKeyOf } from "../../http/idempotency.ts";
import type { RoutePlugin } from "../../http/deps.ts";
import { deviceLayerOf, type DeviceRouteOptions } from "./status.ts";

const JobParams = Type.Object({ id: Uuid });

export const printJobRoutes: RoutePlugin<DeviceRouteOptions> = (app, deps, done) => {
  app.get(
    "/api/print-jobs",
    {
      config: { access: PRINT_JOB_ACCESS },
      schema: {
        tags: ["printing"],
        summary: "Print jobs, newest first: ?state= (repeatable), ?order=, ?printer=, ?kind=, ?limit=",
        querystring: PrintJobsQuery,
        response: { 200: PrintJobsResponse },
      },
    },
    (request) => ({ jobs: listPrintJobs(deviceLayerOf(deps), request.query) }),
  );
  app.get(
    "/api/print-jobs/:id/preview",
    {
      config: { access: PRINT_JOB_ACCESS },
      schema: {
        tags: ["printing"],
        summary:
          "What the job's paper shows, as a PNG: its document rendered for its printer's current profile and run through a simulator; prints nothing (headers X-Printer, X-Print-Job). A drawer kick has no paper (409)",
        params: JobParams,
        produces: ["image/png"],
        response: {
          200: Type.Unsafe<Uint8Array>({ type: "string", format: "binary" }),
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { png, printerId, jobId } = await previewPrintJob(deviceLayerOf(deps), request.params.id);
      return reply
        .header("content-type", "image/png")
        .header("cache-control", "no-store")
        .header("x-printer", printerId)
        .header("x-print-job", jobId)
        .send(Buffer.from(png));
    },
  );
  app.post(
    "/api/print-jobs/:id/cancel",
    {
      config: { access: PRINT_JOB_ACCESS },
      schema: {
        tags: ["printing"],
        summary:
          "Cancel a job that has not reached the printer, or dismiss an uncertain one (kitchen staff: kitchen tickets; cashiers: receipts and slips; technicians: all)",
        params: JobParams,
        response: { 200: PrintJobView, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    (request) => cancelPrintJob(deviceLayerOf(deps), principalOf(request), request.params.id),
  );
  app.post(
    "/api/print-jobs/:id/reprint",
    {
      config: { access: PRINT_JOB_ACCESS },
      schema: {
        tags: ["printing"],
        summary:
          "Print a job again as a new job marked COPY (optionally on another printer); with an Idempotency-Key a retry returns the same copy",
        params: JobParams,
        headers: IdempotencyHeaders,
        body: ReprintBody,
        response: { 200: PrintJobView, 201: PrintJobView, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { job, created } = reprintPrintJob(
        deviceLayerOf(deps),
        principalOf(request),
        request.params.id,
        request.body.printerId,
        idempotencyKeyOf(request.headers),
      );
      return reply.code(created ? 201 : 200).send(job);
    },
  );
  done();
};
