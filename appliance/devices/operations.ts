/**
 * What people do with the devices over HTTP: list, cancel and reprint print jobs; print a test
 * receipt (and see exactly what it prints); kick the drawer; drive the pole display.
 */
import { encodeDocument, renderReceipt } from "../../drivers/index.ts";
import { actorOf, iso } from "../commands/context.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { getJob, insertJob, listJobs } from "../journal/print-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type {
  DisplayFrameBody,
  DisplayStatusView,
  DrawerStatusView,
  PrintJobsQuery,
  PrintJobView,
} from "../../protocol/schemas/devices.ts";
import { receiptPrinter } from "./config.ts";
import { testReceipt } from "./documents.ts";
import { cancelJob, reprintJob } from "./job-actions.ts";
import { expiresAt, mayManageJob } from "./job-policy.ts";
import type { DeviceLayer } from "./layer.ts";
import { previewPng } from "./render.ts";
import { jobView } from "./views.ts";

export function listPrintJobs(layer: DeviceLayer, query: PrintJobsQuery): PrintJobView[] {
  return listJobs(layer.ctx.journal, {
    ...(query.state ? { states: query.state } : {}),
    ...(query.order ? { orderId: query.order } : {}),
    ...(query.printer ? { printerId: query.printer } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    limit: query.limit ?? 100,
  }).map(jobView);
}

function jobFor(layer: DeviceLayer, principal: Principal, id: string) {
  const job = getJob(layer.ctx.journal, id);
  if (!job) throw new AppError("print_job_not_found", `no print job ${id}`);
  if (!mayManageJob(principal.role, job.kind)) {
    throw new AppError("forbidden", `a ${principal.role} may not manage ${job.kind} jobs`, {
      details: { needs: ["print:manage"] },
    });
  }
  return job;
}

export function cancelPrintJob(layer: DeviceLayer, principal: Principal, id: string): PrintJobView {
  const job = jobFor(layer, principal, id);
  const cancelled = cancelJob(
    layer.ctx.journal,
    job,
    layer.ctx.clock.now(),
    job.state === "uncertain" ? `dismissed by ${principal.name}` : `cancelled by ${principal.name}`,
  );
  layer.changed();
  return jobView(cancelled);
}

export function reprintPrintJob(
  layer: DeviceLayer,
  principal: Principal,
  id: string,
  printerId: string | undefined,
  idempotencyKey: string | undefined,
): { job: PrintJobView; created: boolean } {
  const job = jobFor(layer, principal, id);
  const target = printerId ?? job.printerId;
  if (!layer.printers.has(target)) throw new AppError("device_not_configured", `no printer "${target}" is configured`);
  const nowMs = layer.ctx.clock.now();
  const result = reprintJob(layer.ctx.journal, job, {
    printerId: target,
    idempotencyKey,
    nowMs,
    expiresAtMs: expiresAt(job.kind, nowMs, layer.devices.expiry),
  });
  layer.printers.get(target)?.spooler.wake();
  layer.changed();
  return { job: jobView(result.job), created: result.created };
}

/** The test receipt for one printer (`printerId`, else the receipt printer) as its bytes, without printing it. */
function testReceiptFor(layer: DeviceLayer, printerId: string | undefined) {
  const config =
    printerId === undefined
      ? (receiptPrinter(layer.devices) ?? layer.devices.printers[0])
      : layer.devices.printers.find((p) => p.id === printerId);
  const entry = config ? layer.printers.get(config.id) : undefined;
  if (!config || !entry)
    throw new AppError(
      "device_not_configured",
      printerId === undefined ? "no printer is configured" : `no printer "${printerId}" is configured`,
    );
  const { ctx } = layer;
  const nowMs = ctx.clock.now();
  const document = testReceipt(
    layer.writer.documents(),
    config.name,
    iso(nowMs),
    ctx.catalogue.get()?.menu.currency ?? ctx.config.store.currency,
  );
  const profile = entry.actor.profile;
  return {
    config,
    entry,
    nowMs,
    document,
    profile,
    commands: encodeDocument(renderReceipt(document, profile), profile),
  };
}

/** `GET /api/diagnostics/receipt`: what the test receipt would look like on that printer; prints nothing. */
export async function previewTestReceipt(
  layer: DeviceLayer,
  printerId: string | undefined,
): Promise<{ png: Uint8Array; printerId: string }> {
  const { config, commands, profile } = testReceiptFor(layer, printerId);
  return { png: await previewPng(commands, profile), printerId: config.id };
}

/**
 * `POST /api/diagnostics/receipt`: prints a test receipt on the receipt printer (or `printerId`)
 * and returns what the paper shows: the very bytes sent to the printer, rendered by a simulator of
 * the same profile (a real printer cannot send back a picture of its paper).
 */
export async function printTestReceipt(
  layer: DeviceLayer,
  principal: Principal,
  printerId: string | undefined,
): Promise<{ png: Uint8Array; job: PrintJobView; printerId: string }> {
  const { config, entry, nowMs, document, profile, commands } = testReceiptFor(layer, printerId);
  const { ctx } = layer;
  const job = insertJob(ctx.journal, {
    id: newId(nowMs),
    key: `test:${newId(nowMs)}`,
    kind: "test",
    orderId: null,
    orderNumber: null,
    station: null,
    revision: 1,
    printerId: config.id,
    banner: null,
    copyOf: null,
    document,
    expiresAtMs: expiresAt("test", nowMs, layer.devices.expiry),
    at: iso(nowMs),
  });
  if (!job) throw new Error("could not queue the test receipt");
  entry.spooler.useEncoded(job.id, commands);
  entry.spooler.wake();
  layer.changed();
  ctx.log.info({ printer: config.id, job: job.id, by: actorOf(principal).name }, "test receipt queued");
  // Printed first: a preview that cannot be drawn must not keep the paper from coming out.
  let png: Uint8Array;
  try {
    png = await previewPng(commands, profile);
  } catch (error) {
    throw new AppError(
      "internal_error",
      `the test receipt was sent to ${config.name}, but its preview could not be drawn: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        details: { jobId: job.id, printerId: config.id },
      },
    );
  }
  return { png, job: jobView(job), printerId: config.id };
}

/** Kicks the drawer now (the technician's test; never retried) and reports its state a moment later. */
export async function kickDrawer(layer: DeviceLayer, principal: Principal): Promise<DrawerStatusView> {
  const drawer = layer.drawer;
  if (!drawer) throw new AppError("device_not_configured", "no cash drawer is configured");
  const status = await drawer.test(principal.name);
  layer.changed();
  return status;
}

/** Shows a frame on the pole display and returns what it shows. */
export async function showOnDisplay(layer: DeviceLayer, frame: DisplayFrameBody): Promise<DisplayStatusView> {
  const display = layer.display;
  if (!display) throw new AppError("device_not_configured", "no customer display is configured");
  await display.showFrameOrFail(frame);
  return display.status();
}

/** The display's test pattern (`POST /api/diagnostics/display`); returns the two rows it shows. */
export async function testDisplay(layer: DeviceLayer): Promise<DisplayStatusView> {
  const display = layer.display;
  if (!display) throw new AppError("device_not_configured", "no customer display is configured");
  return display.test();
}
