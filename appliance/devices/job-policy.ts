/**
 * What each kind of print job does when things go wrong (docs/architecture.md#the-spooler):
 *
 * | kind        | unknown outcome (bytes sent, no confirmation) | expires                              | may cancel / reprint |
 * |-------------|-----------------------------------------------|--------------------------------------|----------------------|
 * | kitchen     | reprinted at once, marked REPRINT (a duplicate is safer than a lost order) | after `kitchenMinutes`, or when the order is ready, completed or cancelled | print:kitchen |
 * | receipt     | `uncertain`: the operator reprints (COPY) or dismisses | after `receiptMinutes`               | print:receipts |
 * | number_slip | `uncertain`, like a receipt                   | after `numberSlipMinutes`, or when the order is done | print:receipts |
 * | drawer      | `failed`: a drawer kick is never retried      | after `drawerSeconds`                | print:manage (cancel only) |
 * | test        | `uncertain`                                   | after `receiptMinutes`               | print:manage |
 * | shift_report | `uncertain`, like a receipt                  | after `receiptMinutes`               | print:receipts |
 *
 * Pure: no I/O.
 */
import { can, type Permission } from "../../protocol/core/permissions.ts";
import type { OrderStatus, Role } from "../../protocol/schemas/common.ts";
import type { PrintJobKind, PrintJobState } from "../../protocol/schemas/devices.ts";
import { backoffDelay } from "../../drivers/index.ts";
import type { DevicesConfig } from "./config-schema.ts";

export type UnknownOutcomePolicy = "reprint" | "uncertain" | "fail";

interface KindPolicy {
  onUnknown: UnknownOutcomePolicy;
  /** Any of these permissions lets a person cancel or reprint a job of this kind. */
  manage: readonly Permission[];
  reprintable: boolean;
}

export const KIND_POLICIES: Readonly<Record<PrintJobKind, KindPolicy>> = {
  kitchen: { onUnknown: "reprint", manage: ["print:kitchen", "print:manage"], reprintable: true },
  receipt: { onUnknown: "uncertain", manage: ["print:receipts", "print:manage"], reprintable: true },
  number_slip: { onUnknown: "uncertain", manage: ["print:receipts", "print:manage"], reprintable: true },
  drawer: { onUnknown: "fail", manage: ["print:manage"], reprintable: false },
  test: { onUnknown: "uncertain", manage: ["print:manage"], reprintable: true },
  boot_slip: { onUnknown: "uncertain", manage: ["print:manage"], reprintable: true },
  shift_report: { onUnknown: "uncertain", manage: ["print:receipts", "print:manage"], reprintable: true },
};

/**
 * Automatic REPRINTs of one kitchen ticket before the spooler stops guessing and hands it to a
 * person (uncertain, needs attention, raised on the kitchen screen and /admin). Each reprint waits
 * until the printer is back and passes preflight, and the ticket still expires with its order, so
 * the cap only guards against a printer that prints but never confirms.
 */
export const MAX_AUTO_REPRINTS = 8;

/** Permissions that open the print-job routes; which jobs a caller may touch is decided per kind. */
export const PRINT_JOB_ACCESS: readonly Permission[] = ["print:kitchen", "print:receipts", "print:manage"];

export function mayManageJob(role: Role, kind: PrintJobKind): boolean {
  return KIND_POLICIES[kind].manage.some((p) => can(role, p));
}

/** When a job made now stops being worth printing. */
export function expiresAt(kind: PrintJobKind, nowMs: number, expiry: DevicesConfig["expiry"]): number {
  switch (kind) {
    case "kitchen":
      return nowMs + expiry.kitchenMinutes * 60_000;
    case "receipt":
    case "test":
    case "boot_slip":
    case "shift_report":
      return nowMs + expiry.receiptMinutes * 60_000;
    case "number_slip":
      return nowMs + expiry.numberSlipMinutes * 60_000;
    case "drawer":
      return nowMs + expiry.drawerSeconds * 1_000;
  }
}

/** Kitchen statuses in which a new-order ticket is still worth printing. */
const COOKING: readonly OrderStatus[] = ["pending", "in_queue", "in_progress"];
const FINISHED: readonly OrderStatus[] = ["completed", "cancelled", "refunded"];

/**
 * Why a job should not print any more because of its order, or undefined. A kitchen ticket for an
 * order that is ready, handed over or cancelled would only confuse the cook; a cancellation ticket
 * (revision 2) is exactly what a cancelled order needs; a slip for a finished order is pointless.
 */
export function expiredByOrder(
  kind: PrintJobKind,
  revision: number,
  status: OrderStatus | undefined,
): string | undefined {
  if (status === undefined) return undefined;
  if (kind === "kitchen" && revision === 1 && !COOKING.includes(status)) return `the order is already ${status}`;
  if (kind === "number_slip" && FINISHED.includes(status)) return `the order is already ${status}`;
  return undefined;
}

/** Reprint retry delays after a transport error: 1 s … 30 s, the drivers' reconnect back-off (attempt 1 waits about `initialMs`). */
export function retryDelayMs(
  attempt: number,
  initialMs = 1_000,
  maxMs = 30_000,
  random: () => number = Math.random,
): number {
  return backoffDelay(attempt - 1, { initialMs, maxMs, random });
}

/** Job states waiting for their turn at the printer: not being sent, not awaiting completion (a held job may be half-printed: see `inPrinter`). */
export const WAITING_STATES: readonly PrintJobState[] = ["queued", "preflight", "held", "retry-wait"];
