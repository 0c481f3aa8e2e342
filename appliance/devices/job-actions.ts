/**
 * Decisions on one print job that change more than its state: the unknown-outcome policy per
 * kind (REPRINT for the kitchen, an operator for receipts, never again for a drawer), an
 * operator's COPY, and cancelling. Each is one journal transaction.
 */
import { iso } from "../commands/context.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import type { Journal } from "../journal/database.ts";
import {
  countCopies,
  getJob,
  getJobByKey,
  insertJob,
  isAtPrinter,
  transitionJob,
  type PrintJobRecord,
} from "../journal/print-store.ts";
import type { PrintJobState } from "../../protocol/schemas/devices.ts";
import { withBanner } from "./documents.ts";
import { KIND_POLICIES, MAX_AUTO_REPRINTS } from "./job-policy.ts";

/** States a job can be in while its outcome is being decided. */
const IN_FLIGHT: readonly PrintJobState[] = ["preflight", "sending", "awaiting-completion", "held"];

/** The key of the ticket a REPRINT replaces (REPRINTs of REPRINTs count against the same original). */
function reprintBase(key: string): string {
  return key.replace(/#reprint-\d+$/, "");
}

/**
 * Bytes reached the printer but printing was not confirmed (link lost, power cut, galleyd
 * restarted mid-job). Kitchen: `uncertain`, and a REPRINT takes its place at the head of the
 * printer's queue — a duplicate marked REPRINT is safer than a lost order. Receipts, slips,
 * tests: `uncertain` for an operator. Drawer: `failed`, never retried.
 * Returns the REPRINT job when one was made.
 */
export function settleUnknownOutcome(
  journal: Journal,
  job: PrintJobRecord,
  reason: string,
  nowMs: number,
): PrintJobRecord | undefined {
  const at = iso(nowMs);
  return journal.transaction(() => {
    switch (KIND_POLICIES[job.kind].onUnknown) {
      case "fail":
        transitionJob(journal, job.id, IN_FLIGHT, "failed", at, {
          lastError: `${reason}; a drawer kick is never retried`,
        });
        return undefined;
      case "uncertain":
        transitionJob(journal, job.id, IN_FLIGHT, "uncertain", at, {
          lastError: `${reason}: it may or may not have printed`,
        });
        return undefined;
      case "reprint": {
        const base = reprintBase(job.key);
        const made = countCopies(journal, base, "#reprint-");
        if (made >= MAX_AUTO_REPRINTS) {
          // Not "failed": nothing is given up silently. An uncertain job without a follower needs
          // attention, and the kitchen screen and /admin raise it until someone reprints or dismisses it.
          transitionJob(journal, job.id, IN_FLIGHT, "uncertain", at, {
            lastError: `${reason}; ${made} automatic reprints did not confirm: reprint or dismiss it`,
          });
          return undefined;
        }
        if (
          !transitionJob(journal, job.id, IN_FLIGHT, "uncertain", at, {
            lastError: `${reason}: reprinted with a REPRINT banner`,
          })
        )
          return undefined;
        const reprint = insertJob(journal, {
          id: newId(nowMs),
          key: `${base}#reprint-${made + 1}`,
          kind: job.kind,
          orderId: job.orderId,
          orderNumber: job.orderNumber,
          station: job.station,
          revision: job.revision,
          printerId: job.printerId,
          banner: "REPRINT",
          copyOf: job.id,
          document: withBanner(job.kind, job.document, "REPRINT", at),
          queuePos: job.queuePos,
          expiresAtMs: job.expiresAtMs,
          at,
        });
        if (reprint) transitionJob(journal, job.id, ["uncertain"], "uncertain", at, { followedBy: reprint.id });
        return reprint;
      }
    }
  });
}

/**
 * An operator's reprint: a new job marked COPY at the end of the queue (of `printerId`, default
 * the same printer), with a fresh expiry. With an idempotency key a retried request returns the
 * copy it already made. Reprinting an uncertain job settles it.
 */
export function reprintJob(
  journal: Journal,
  job: PrintJobRecord,
  options: { printerId: string; idempotencyKey: string | undefined; nowMs: number; expiresAtMs: number },
): { job: PrintJobRecord; created: boolean } {
  if (!KIND_POLICIES[job.kind].reprintable)
    throw new AppError(
      "print_job_conflict",
      "a drawer kick is never repeated from the job list; kick the drawer again if it must open",
    );
  const at = iso(options.nowMs);
  return journal.transaction(() => {
    const key =
      options.idempotencyKey === undefined
        ? `${job.key}#copy-${countCopies(journal, job.key, "#copy-") + 1}`
        : `${job.key}#copy:${options.idempotencyKey}`;
    const existing = getJobByKey(journal, key);
    if (existing) return { job: existing, created: false };
    const copy = insertJob(journal, {
      id: newId(options.nowMs),
      key,
      kind: job.kind,
      orderId: job.orderId,
      orderNumber: job.orderNumber,
      station: job.station,
      revision: job.revision,
      printerId: options.printerId,
      banner: "COPY",
      copyOf: job.id,
      document: withBanner(job.kind, job.document, "COPY", at),
      expiresAtMs: options.expiresAtMs,
      at,
    });
    if (!copy) throw new Error(`could not insert the copy ${key}`);
    if (job.followedBy === null) transitionJob(journal, job.id, [job.state], job.state, at, { followedBy: copy.id });
    return { job: copy, created: true };
  });
}

/**
 * Cancels a job that has not reached the printer, or dismisses an uncertain one. A job whose
 * bytes are at the printer cannot be called back; a finished one has nothing left to cancel.
 */
export function cancelJob(journal: Journal, job: PrintJobRecord, nowMs: number, note: string): PrintJobRecord {
  const at = iso(nowMs);
  if (isAtPrinter(job)) {
    throw new AppError("print_job_conflict", "the printer already has this job; it cannot be called back", {
      details: { state: job.state },
    });
  }
  if (job.state === "done" || job.state === "expired" || job.state === "cancelled" || job.state === "failed") {
    throw new AppError("print_job_conflict", `the job is already ${job.state}; reprint it instead`, {
      details: { state: job.state },
    });
  }
  const moved = journal.transaction(() =>
    transitionJob(journal, job.id, ["queued", "preflight", "held", "retry-wait", "uncertain"], "cancelled", at, {
      lastError: note,
    }),
  );
  const now = getJob(journal, job.id);
  if (!moved || !now)
    throw new AppError("print_job_conflict", "the job changed state meanwhile; look again", {
      details: { state: now?.state ?? job.state },
    });
  return now;
}
