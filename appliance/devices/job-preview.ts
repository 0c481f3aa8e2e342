/**
 * `GET /api/print-jobs/:id/preview`: what a job's paper shows, without paper. The job keeps its
 * structured document, so it is rendered for its printer's current profile (as a reprint or a
 * retry would be) and the bytes go through a fresh simulator of that profile: the PNG is those
 * bytes on paper, not a separate drawing of the document.
 */
import { AppError } from "../lib/errors.ts";
import { getJob } from "../journal/print-store.ts";
import type { DeviceLayer } from "./layer.ts";
import { previewPng, renderJob } from "./render.ts";

export async function previewPrintJob(
  layer: DeviceLayer,
  id: string,
): Promise<{ png: Uint8Array; printerId: string; jobId: string }> {
  const job = getJob(layer.ctx.journal, id);
  if (!job) throw new AppError("print_job_not_found", `no print job ${id}`);
  if (job.kind === "drawer")
    throw new AppError("print_job_conflict", "a drawer kick prints nothing: there is no paper to show", {
      details: { kind: job.kind },
    });
  const entry = layer.printers.get(job.printerId);
  if (!entry)
    throw new AppError("device_not_configured", `the job's printer "${job.printerId}" is no longer configured`);
  const profile = entry.actor.profile;
  let commands: ReturnType<typeof renderJob>;
  try {
    commands = renderJob(job, profile);
  } catch (error) {
    // A job whose document could not be built is stored `failed` with an empty document.
    throw new AppError("print_job_conflict", `this job has no printable document (${job.state})`, {
      details: { state: job.state },
      cause: error,
    });
  }
  if (commands === null)
    throw new AppError("print_job_conflict", "this job has nothing to print (its station has no items)");
  return { png: await previewPng(commands, profile), printerId: job.printerId, jobId: job.id };
}
