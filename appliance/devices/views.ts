/** The API's views of devices and print jobs, the alerts a person should act on, and the device state they make up. Pure. */
import type { PrinterStatus } from "../../drivers/index.ts";
import type { JobCounts, PrintJobRecord } from "../journal/print-store.ts";
import type {
  DeviceAlert,
  DevicesStatus,
  DisplayStatusView,
  DrawerStatusView,
  OrderingState,
  PrinterStatusView,
  PrintJobView,
} from "../../protocol/schemas/devices.ts";
import type { ResolvedPrinter } from "./config.ts";

export function jobView(job: PrintJobRecord): PrintJobView {
  return {
    id: job.id,
    key: job.key,
    kind: job.kind,
    state: job.state,
    orderId: job.orderId,
    orderNumber: job.orderNumber,
    station: job.station,
    revision: job.revision,
    printerId: job.printerId,
    attempts: job.attempts,
    banner: job.banner,
    copyOf: job.copyOf,
    followedBy: job.followedBy,
    sent: job.inPrinter,
    needsAttention: job.state === "uncertain" && job.followedBy === null,
    confirmedBy: job.confirmedBy,
    lastError: job.lastError,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    completedAt: job.completedAt,
    expiresAt: new Date(job.expiresAtMs).toISOString(),
  };
}

export interface PrinterSnapshot {
  config: ResolvedPrinter;
  profileId: string;
  connection: PrinterStatusView["connection"];
  status: PrinterStatus;
  bidirectional: boolean;
  changedAt: string;
}

export function printerView(
  printer: PrinterSnapshot,
  counts: JobCounts | undefined,
  withUri: boolean,
): PrinterStatusView {
  const { config, status } = printer;
  return {
    id: config.id,
    name: config.name,
    kind: "printer",
    ...(withUri ? { uri: config.uri } : {}),
    profile: printer.profileId,
    simulated: config.uri.startsWith("sim:"),
    roles: { kitchenStations: [...config.kitchenStations], receipts: config.receipts, numberSlips: config.numberSlips },
    connection: printer.connection,
    health: printer.connection === "online" ? status.health : printer.connection === "connecting" ? "unknown" : "error",
    paper: status.paper,
    coverOpen: status.coverOpen,
    faults: [...status.faults],
    bidirectional: printer.bidirectional,
    jobs: counts ?? { waiting: 0, held: 0, needsAttention: 0 },
    changedAt: printer.changedAt,
  };
}

const FAULT_ALERTS: readonly {
  fault: string;
  code: DeviceAlert["code"];
  severity: DeviceAlert["severity"];
  text: string;
}[] = [
  { fault: "paperEnd", code: "printer_paper_end", severity: "error", text: "is out of paper" },
  { fault: "coverOpen", code: "printer_cover_open", severity: "error", text: "has its cover open" },
  { fault: "autocutter", code: "printer_error", severity: "error", text: "has a cutter jam" },
  { fault: "unrecoverable", code: "printer_error", severity: "error", text: "reports an error; switch it off and on" },
  { fault: "recoverable", code: "printer_error", severity: "warning", text: "reports a recoverable error" },
  { fault: "unresponsive", code: "printer_unresponsive", severity: "warning", text: "does not answer status requests" },
];

/** A device's status as `GET /api/devices/status` and the `devices` topic show it; `kind` says which slot it fills. */
export type DeviceView = PrinterStatusView | DrawerStatusView | DisplayStatusView;

/** A device's part of the status: its view and what someone should act on. */
export interface DeviceReport<V extends DeviceView = DeviceView> {
  view: V;
  alerts: DeviceAlert[];
}

/** What someone should do about one printer: offline, a fault, paper running out, jobs that may not have printed. */
export function printerAlerts(p: PrinterStatusView): DeviceAlert[] {
  const alerts: DeviceAlert[] = [];
  if (p.connection === "offline")
    alerts.push({
      code: "printer_offline",
      severity: "error",
      deviceId: p.id,
      message: `${p.name} is offline (check power and cable)`,
    });
  else if (p.connection === "online") {
    for (const rule of FAULT_ALERTS)
      if (p.faults.includes(rule.fault))
        alerts.push({ code: rule.code, severity: rule.severity, deviceId: p.id, message: `${p.name} ${rule.text}` });
    if (p.paper === "nearEnd")
      alerts.push({
        code: "printer_paper_near_end",
        severity: "warning",
        deviceId: p.id,
        message: `${p.name} is running out of paper`,
      });
  }
  if (p.jobs.needsAttention > 0) {
    alerts.push({
      code: "print_jobs_uncertain",
      severity: "warning",
      deviceId: p.id,
      message: `${p.name}: ${p.jobs.needsAttention} job(s) may not have printed; reprint or dismiss them`,
    });
  }
  return alerts;
}

export function drawerAlerts(drawer: DrawerStatusView): DeviceAlert[] {
  return drawer.state === "open-too-long"
    ? [
        {
          code: "drawer_left_open",
          severity: "warning",
          deviceId: "drawer",
          message: `the cash drawer has been open for more than ${drawer.leftOpenAfterSeconds} s`,
        },
      ]
    : [];
}

export function displayAlerts(display: DisplayStatusView): DeviceAlert[] {
  return display.connection === "offline"
    ? [
        {
          code: "display_offline",
          severity: "warning",
          deviceId: "display",
          message: "the customer display is offline",
        },
      ]
    : [];
}

function orderingAlerts(ordering: OrderingState): DeviceAlert[] {
  return ordering.state === "paused"
    ? [
        {
          code: "ordering_paused",
          severity: "error",
          deviceId: "kitchen",
          message: ordering.message ?? "orders are paused",
        },
      ]
    : [];
}

/**
 * The device state from every device's report, in the layer's order (printers, then the drawer,
 * then the display): each view goes to its kind's slot, alerts are the ordering's first, then the
 * devices' in that order, errors before warnings (a stable sort keeps the rest in place).
 */
export function devicesStatus(reports: readonly DeviceReport[], ordering: OrderingState): DevicesStatus {
  const printers: PrinterStatusView[] = [];
  let drawer: DrawerStatusView | null = null;
  let display: DisplayStatusView | null = null;
  const alerts = orderingAlerts(ordering);
  for (const { view, alerts: own } of reports) {
    switch (view.kind) {
      case "printer":
        printers.push(view);
        break;
      case "drawer":
        drawer = view;
        break;
      case "display":
        display = view;
        break;
    }
    alerts.push(...own);
  }
  return {
    printers,
    drawer,
    display,
    ordering,
    alerts: alerts.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1)),
  };
}

/** A printer fault in words, for the job's last error and the log. */
export function describe(status: PrinterStatus): string {
  if (status.faults.length === 0) return "printer not ready";
  const words: Record<string, string> = {
    offline: "printer offline",
    coverOpen: "cover open",
    paperEnd: "paper out",
    autocutter: "cutter jammed",
    unrecoverable: "printer error",
    recoverable: "printer error (recoverable)",
    autoRecoverable: "printer recovering",
    unresponsive: "printer not answering",
    disconnected: "printer offline",
  };
  return [...new Set(status.faults.map((f) => words[f] ?? f))].join(", ");
}
