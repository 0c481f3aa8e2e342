import { DriverError, toDriverError } from "../errors.ts";
import { SequenceStatus, processIdRequest, sequenceStatusRequest } from "../escpos/commands.ts";
import type { EncodedCommand } from "../escpos/print-document.ts";
import { isBlocked, type PrinterStatus } from "../escpos/status.ts";
import { DEFAULT_CHUNK_BYTES, chunkCommands, withAsbRearmed } from "./chunks.ts";
import { waitForCompletion } from "./completion.ts";
import type { PrinterConnection } from "./connection.ts";
import type { PrinterProfile } from "./profiles.ts";
import type { PendingReply, ReplyWaiters } from "./reply-waiters.ts";
import type { SendOptions, SendOutcome } from "./send-outcome.ts";

/** What one job needs from the printer actor that owns the link (read live: it changes while a job runs). */
export interface JobLink {
  readonly profile: PrinterProfile;
  readonly replies: ReplyWaiters;
  readonly chunkBytes: number | undefined;
  connection(): PrinterConnection;
  status(): PrinterStatus;
  bidirectional(): boolean;
  transportOpen(): boolean;
  refreshStatus(): Promise<PrinterStatus>;
  /** Writes under the write lock: real-time requests only go between whole writes. */
  write(bytes: Uint8Array): Promise<void>;
  /** Runs `fn` holding the write lock; `fn` writes straight to the transport. */
  locked(fn: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>): Promise<void>;
  /** The next 4-digit process-ID tag. */
  nextTag(): string;
  /** Re-enables ASB (ESC @ and some firmware turn it off). */
  armAsb(): Promise<void>;
}

/**
 * Sends one job: optional preflight, chunked writes on command boundaries, then the completion
 * sentinel (GS ( H process ID where the profile has it, else GS r 1), and says what became of it:
 * nothing sent (safe to retry), completed, or unknown (bytes reached the printer, unconfirmed).
 * The caller serialises jobs.
 */
export async function sendJob(
  link: JobLink,
  commands: readonly EncodedCommand[],
  options: SendOptions,
): Promise<SendOutcome> {
  const started = Date.now();
  const jobId = options.jobId;
  const connection = link.connection();
  if (connection !== "online") {
    return {
      kind: "failed-before-send",
      jobId,
      reason: connection === "stopped" ? "stopped" : "disconnected",
      status: link.status(),
    };
  }
  if (options.preflight !== false && link.bidirectional()) {
    const status = await link.refreshStatus();
    if (isBlocked(status)) return { kind: "failed-before-send", jobId, reason: "printer-fault", status };
  }
  const { profile } = link;
  const chunks = chunkCommands(
    profile.asb ? withAsbRearmed(commands) : commands,
    link.chunkBytes ?? DEFAULT_CHUNK_BYTES,
  );
  let bytesSent = 0;
  for (const chunk of chunks) {
    try {
      await link.write(chunk);
      bytesSent += chunk.length;
    } catch (error) {
      const driverError = toDriverError(error, "write_failed");
      const reason = link.transportOpen() ? "write-error" : "disconnected";
      if (bytesSent === 0)
        return { kind: "failed-before-send", jobId, reason, status: link.status(), error: driverError };
      return { kind: "unknown", jobId, reason, bytesSent, status: link.status(), error: driverError };
    }
  }
  if (!link.bidirectional()) {
    return {
      kind: "completed",
      jobId,
      bytesSent,
      confirmedBy: "write-only",
      durationMs: Date.now() - started,
      status: link.status(),
    };
  }
  const outcome = await awaitCompletion(link, jobId, bytesSent, started, options);
  if (profile.asb && link.transportOpen()) await link.armAsb();
  return outcome;
}

async function awaitCompletion(
  link: JobLink,
  jobId: string,
  bytesSent: number,
  started: number,
  options: SendOptions,
): Promise<SendOutcome> {
  const useProcessId = link.profile.supportsProcessId;
  const tag = link.nextTag();
  let pending: PendingReply | undefined;
  try {
    if (useProcessId) {
      pending = link.replies.expectProcessId(tag);
      await link.write(processIdRequest(tag));
    } else {
      await link.locked(async (write) => {
        pending = link.replies.expectSequence();
        await write(sequenceStatusRequest(SequenceStatus.paper));
      });
    }
  } catch (error) {
    pending?.cancel();
    return {
      kind: "unknown",
      jobId,
      reason: "disconnected",
      bytesSent,
      status: link.status(),
      error: toDriverError(error, "write_failed"),
    };
  }
  const reply = pending;
  if (reply === undefined) return { kind: "unknown", jobId, reason: "write-error", bytesSent, status: link.status() };
  const budget = options.completionTimeoutMs ?? 10_000 + Math.ceil(bytesSent / 8192) * 1000;
  const result = await waitForCompletion(reply, () => link.status(), budget, options.maxHoldMs ?? 600_000);
  if (result === "done") {
    return {
      kind: "completed",
      jobId,
      bytesSent,
      confirmedBy: useProcessId ? "process-id" : "status-request",
      durationMs: Date.now() - started,
      status: link.status(),
    };
  }
  if (result === "timeout")
    return { kind: "unknown", jobId, reason: "completion-timeout", bytesSent, status: link.status() };
  const reason = result instanceof DriverError && result.code === "stopped" ? "stopped" : "disconnected";
  return { kind: "unknown", jobId, reason, bytesSent, status: link.status(), error: toDriverError(result, "closed") };
}
