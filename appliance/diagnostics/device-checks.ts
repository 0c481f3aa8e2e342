/**
 * Checks of the devices galleyd drives, read from its device status over HTTP: one line per
 * printer, and the cash drawer, pole display and kiosk ordering state when there are any.
 */
import type { HttpAnswer } from "./probe.ts";
import type { Check } from "./check.ts";
import { notAnswered } from "./galleyd-answer.ts";

/** `GET /api/devices/status` (protocol/schemas/devices.ts), read defensively: fields may be missing. */
interface PrinterView {
  id?: string;
  name?: string;
  uri?: string;
  simulated?: boolean;
  connection?: string;
  health?: string;
  paper?: string;
  coverOpen?: boolean | null;
  faults?: string[];
  bidirectional?: boolean;
  jobs?: { waiting?: number; held?: number; needsAttention?: number };
}
interface DevicesStatusView {
  printers?: PrinterView[];
  drawer?: { id?: string; state?: string; printerId?: string } | null;
  display?: { id?: string; connection?: string; commandSet?: string; wiring?: string } | null;
  ordering?: { state?: string; message?: string; kitchenPrinters?: number; kitchenScreens?: number };
}

const PRINTER_HINT =
  "check power, paper and cable/network (ping its IP); print a test receipt from /admin; the spooler holds jobs until it is back";

function printerCheck(p: PrinterView, index: number): Check {
  const id = `devices.${p.id ?? `printer-${index + 1}`}`;
  const title = `printer ${p.name ?? p.id ?? index + 1}`.slice(0, 40);
  const where = `${p.uri ?? ""}${p.simulated ? " (simulated)" : ""}`.trim();
  const suffix = where ? ` — ${where}` : "";
  const details = { ...p };
  const faults = p.faults ?? [];
  const jobs = p.jobs ?? {};
  if (p.connection !== "online")
    return {
      id,
      title,
      verdict: "fail",
      summary: `${p.connection ?? "state unknown"}${suffix}`,
      hint: PRINTER_HINT,
      details,
    };
  if (p.health === "error" || p.paper === "end" || p.coverOpen === true) {
    const what = [p.paper === "end" ? "paper out" : "", p.coverOpen ? "cover open" : "", ...faults].filter(Boolean);
    return {
      id,
      title,
      verdict: "fail",
      summary: `${what.join(", ") || "error"}${suffix}`,
      hint: "load paper / close the cover; held jobs print by themselves once it is ready",
      details,
    };
  }
  if ((jobs.needsAttention ?? 0) > 0)
    return {
      id,
      title,
      verdict: "warn",
      summary: `${jobs.needsAttention ?? 0} job(s) with an unknown outcome${suffix}`,
      hint: "decide in /admin → print jobs: reprint or mark done",
      details,
    };
  if (p.health === "warning" || p.paper === "nearEnd")
    return {
      id,
      title,
      verdict: "warn",
      summary: `${p.paper === "nearEnd" ? "paper near end" : faults.join(", ") || "warning"}${suffix}`,
      hint: "have a paper roll ready",
      details,
    };
  if (p.health === "unknown" || p.health === undefined) {
    return {
      id,
      title,
      verdict: p.bidirectional === false ? "ok" : "warn",
      summary: `online, status not readable${p.bidirectional === false ? " (one-way printer)" : ""}${suffix}`,
      hint: "print a test receipt from /admin to be sure",
      details,
    };
  }
  return {
    id,
    title,
    verdict: "ok",
    summary: `online, paper ok${(jobs.waiting ?? 0) > 0 ? `, ${jobs.waiting ?? 0} job(s) waiting` : ""}${suffix}`,
    details,
  };
}

export function deviceChecks(answer: HttpAnswer): Check[] {
  const missing = notAnswered("devices", "devices", answer, "device status");
  if (missing) return [missing];
  const status = (typeof answer.body === "object" && answer.body !== null ? answer.body : {}) as DevicesStatusView;
  if (!Array.isArray(status.printers))
    return [
      {
        id: "devices",
        title: "devices",
        verdict: "unavailable",
        summary: "device status in an unknown shape",
        details: { body: answer.body },
      },
    ];
  const checks: Check[] = status.printers.map(printerCheck);
  if (status.printers.length === 0)
    checks.push({
      id: "devices.printers",
      title: "printers",
      verdict: "warn",
      summary: "no printer configured",
      hint: "plug in the printer and configure it (devices in the config file / /admin)",
    });
  const drawer = status.drawer;
  if (drawer) {
    const state = drawer.state ?? "unknown";
    const verdict = state === "open-too-long" ? "warn" : state === "unknown" ? "unavailable" : "ok";
    checks.push({
      id: "devices.drawer",
      title: "cash drawer",
      verdict,
      summary: state === "no-sensor" ? "no open/closed sensor (kick works, state not reported)" : `drawer ${state}`,
      hint:
        state === "open-too-long"
          ? "close the drawer; check it is not jammed"
          : "kick it from /admin (diagnostics) to test",
      details: { ...drawer },
    });
  }
  const display = status.display;
  if (display) {
    checks.push(
      display.connection === "online"
        ? {
            id: "devices.display",
            title: "pole display",
            verdict: "ok",
            summary: `online (${display.commandSet ?? "?"}, ${display.wiring ?? "?"})`,
            details: { ...display },
          }
        : {
            id: "devices.display",
            title: "pole display",
            verdict: "fail",
            summary: "offline",
            hint: "check the serial cable and the display's power; run the display test in /admin",
            details: { ...display },
          },
    );
  }
  const ordering = status.ordering;
  if (ordering?.state === "paused") {
    checks.push({
      id: "devices.ordering",
      title: "kiosk ordering",
      verdict: "fail",
      summary: `paused: ${ordering.message ?? "no kitchen printer or kitchen screen works"}`,
      hint: "bring a kitchen printer online or open the kitchen display; kiosks take orders again by themselves",
      details: { ...ordering },
    });
  }
  return checks;
}
