/**
 * Printers as people see them, from the `devices` topic and the print-job list: which printer
 * faults the kitchen screen shows (README "Errors", protocol/devices.ts `alerts`), a printer's
 * state in words for the admin page, and which print jobs need someone and what they can do.
 * Pure: no I/O.
 */
import type { DeviceAlert, DevicesStatus, PrinterStatusView, PrintJobView } from "../../../protocol/index.ts";
import type { MessageKey } from "../i18n/index.ts";

/** Alerts about a printer (the others are about ordering, the drawer or the pole display). */
export const PRINTER_ALERTS = [
  "printer_offline",
  "printer_paper_end",
  "printer_cover_open",
  "printer_error",
  "printer_unresponsive",
  "printer_paper_near_end",
  "print_jobs_uncertain",
] as const satisfies readonly DeviceAlert["code"][];
export type PrinterAlertCode = (typeof PRINTER_ALERTS)[number];

export const PRINTER_ALERT_TEXT: Readonly<Record<PrinterAlertCode, MessageKey>> = {
  printer_offline: "printer.alert.offline",
  printer_paper_end: "printer.alert.paperEnd",
  printer_cover_open: "printer.alert.coverOpen",
  printer_error: "printer.alert.error",
  printer_unresponsive: "printer.alert.unresponsive",
  printer_paper_near_end: "printer.alert.paperLow",
  print_jobs_uncertain: "printer.alert.uncertain",
};

function isPrinterAlert(code: DeviceAlert["code"]): code is PrinterAlertCode {
  return (PRINTER_ALERTS as readonly string[]).includes(code);
}

/** One printer's trouble, as the kitchen banner shows it. */
export interface PrinterNotice {
  printerId: string;
  name: string;
  severity: DeviceAlert["severity"];
  /** What is wrong, most urgent first, each once. */
  codes: PrinterAlertCode[];
  /** Jobs waiting for the fault to clear, and jobs that may not have printed (nobody dealt with them). */
  held: number;
  uncertain: number;
}

/** Whether a printer prints kitchen tickets for `station` (any station when undefined). */
export function printsForKitchen(printer: PrinterStatusView, station: string | undefined): boolean {
  const stations = printer.roles.kitchenStations;
  return station === undefined ? stations.length > 0 : stations.includes("*") || stations.includes(station);
}

/**
 * The printer alerts a kitchen screen shows: printers that print its tickets (every kitchen
 * printer, or those of its `?station=`), errors first.
 */
export function kitchenPrinterNotices(status: DevicesStatus | undefined, station?: string): PrinterNotice[] {
  if (!status) return [];
  const notices: PrinterNotice[] = [];
  for (const printer of status.printers) {
    if (!printsForKitchen(printer, station)) continue;
    const alerts = status.alerts.filter((a) => a.deviceId === printer.id && isPrinterAlert(a.code));
    if (alerts.length === 0) continue;
    const codes = PRINTER_ALERTS.filter((code) => alerts.some((a) => a.code === code));
    notices.push({
      printerId: printer.id,
      name: printer.name,
      severity: alerts.some((a) => a.severity === "error") ? "error" : "warning",
      codes,
      held: printer.jobs.held,
      uncertain: printer.jobs.needsAttention,
    });
  }
  return notices.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
}

export type PrinterCondition =
  | "ready"
  | "offline"
  | "connecting"
  | "stopped"
  | "paperEnd"
  | "coverOpen"
  | "error"
  | "unresponsive"
  | "paperLow"
  | "unknown";

export const PRINTER_CONDITION_TEXT: Readonly<Record<PrinterCondition, MessageKey>> = {
  ready: "printer.ready",
  offline: "printer.offline",
  connecting: "printer.connecting",
  stopped: "printer.stopped",
  paperEnd: "printer.paperEnd",
  coverOpen: "printer.coverOpen",
  error: "printer.error",
  unresponsive: "printer.unresponsive",
  paperLow: "printer.paperLow",
  unknown: "printer.unknown",
};

/** A printer's state in one word, the most urgent first: offline before paper out before paper low. */
export function printerCondition(printer: PrinterStatusView): PrinterCondition {
  if (printer.connection !== "online") return printer.connection;
  const faults = printer.faults;
  if (faults.includes("paperEnd") || printer.paper === "end") return "paperEnd";
  if (faults.includes("coverOpen") || printer.coverOpen === true) return "coverOpen";
  if (faults.some((f) => f === "autocutter" || f === "unrecoverable" || f === "recoverable")) return "error";
  if (faults.includes("unresponsive")) return "unresponsive";
  if (printer.paper === "nearEnd") return "paperLow";
  if (printer.health === "unknown") return "unknown";
  return printer.health === "ok" ? "ready" : "error";
}

/** Jobs someone should look at: held by a fault, or uncertain and not yet reprinted or dismissed. */
export function needsAttention(job: PrintJobView): boolean {
  return job.state === "held" || job.needsAttention;
}

/**
 * What an operator can do with a job: reprint one that may not have printed (a COPY); cancel one
 * that has not reached the printer, or dismiss an uncertain one.
 */
export function jobActions(job: PrintJobView): { reprint: boolean; cancel: boolean } {
  return {
    reprint: job.needsAttention && job.kind !== "drawer",
    cancel: job.needsAttention || (job.state === "held" && !job.sent),
  };
}

export const JOB_KIND_TEXT: Readonly<Record<PrintJobView["kind"], MessageKey>> = {
  kitchen: "printer.job.kitchen",
  receipt: "printer.job.receipt",
  number_slip: "printer.job.numberSlip",
  drawer: "printer.job.drawer",
  test: "printer.job.test",
  boot_slip: "printer.job.bootSlip",
  shift_report: "printer.job.shiftReport",
};
