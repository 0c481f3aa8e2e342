import type { DriverError } from "../errors.ts";
import type { PrinterStatus } from "../escpos/status.ts";

/** Options of `ReceiptPrinter.send`. */
export interface SendOptions {
  /** The spooler's job id (logged; the 4-digit process-ID tag is derived from a counter). */
  jobId: string;
  /** Read the status first and refuse to send on a blocking fault. Default true. */
  preflight?: boolean;
  /**
   * How long to wait for the completion sentinel while the printer is not held by a fault.
   * Default 10 s plus 1 s per 8 KiB.
   */
  completionTimeoutMs?: number;
  /** Longest time a job may stay held by paper end / cover open before giving up. Default 10 min. */
  maxHoldMs?: number;
}

/** How a completed job was confirmed. */
export type Confirmation =
  /** `GS ( H` fn 48 process-ID response: everything printed. */
  | "process-id"
  /** `GS r 1` answered after the job's data was processed. */
  | "status-request"
  /** A one-way printer accepted the bytes; nothing was confirmed. */
  | "write-only";

export type SendOutcome =
  | {
      kind: "completed";
      jobId: string;
      bytesSent: number;
      confirmedBy: Confirmation;
      durationMs: number;
      status: PrinterStatus;
    }
  | {
      kind: "failed-before-send";
      jobId: string;
      /** Nothing reached the printer: safe to retry. */
      reason: "disconnected" | "printer-fault" | "write-error" | "stopped";
      status: PrinterStatus;
      error?: DriverError;
    }
  | {
      kind: "unknown";
      jobId: string;
      /** Some or all bytes reached the printer, but printing was not confirmed (policy per job kind). */
      reason: "disconnected" | "completion-timeout" | "write-error" | "stopped";
      bytesSent: number;
      status: PrinterStatus;
      error?: DriverError;
    };
