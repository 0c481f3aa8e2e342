/**
 * What `galley doctor`, the admin page and the support bundle share: one line per check with a
 * verdict and, when something is wrong, what to do about it.
 */

/** ok: fine. warn: works but needs attention. fail: broken. unavailable: could not be checked here. */
export type Verdict = "ok" | "warn" | "fail" | "unavailable";

export interface CheckResult {
  /** Stable id (`service`, `journal`, `devices.printer-1`, …): docs/technician.md explains each. */
  id: string;
  title: string;
  verdict: Verdict;
  /** One human line: what was found. */
  summary: string;
  /** What to do when the verdict is not ok. */
  hint?: string;
  /** Machine-readable facts behind the summary. */
  details?: Record<string, unknown>;
  durationMs: number;
}

export interface DoctorReport {
  /** fail if any check failed, else warn if any warned, else ok. */
  verdict: "ok" | "warn" | "fail";
  at: string;
  host: string;
  version: string;
  durationMs: number;
  checks: CheckResult[];
}

export function overallVerdict(checks: readonly CheckResult[]): DoctorReport["verdict"] {
  if (checks.some((c) => c.verdict === "fail")) return "fail";
  if (checks.some((c) => c.verdict === "warn")) return "warn";
  return "ok";
}

const LABEL: Record<Verdict, string> = { ok: "OK  ", warn: "WARN", fail: "FAIL", unavailable: "N/A " };

/** The human report: one line per check, a hint under each that is not ok, a verdict last. */
export function formatReport(report: DoctorReport, options: { color?: boolean } = {}): string {
  const paint = (verdict: Verdict, text: string): string => {
    if (!options.color) return text;
    const code = verdict === "ok" ? 32 : verdict === "warn" ? 33 : verdict === "fail" ? 31 : 90;
    return `\u001b[${code}m${text}\u001b[0m`;
  };
  const width = Math.min(28, Math.max(...report.checks.map((c) => c.title.length), 8));
  const lines = [`galley doctor — ${report.host}, galley ${report.version}, ${report.at}`, ""];
  for (const check of report.checks) {
    lines.push(`${paint(check.verdict, `[${LABEL[check.verdict]}]`)} ${check.title.padEnd(width)}  ${check.summary}`);
    if (check.verdict !== "ok" && check.hint) lines.push(`${" ".repeat(8)}${" ".repeat(width)}  → ${check.hint}`);
  }
  const counts = (["fail", "warn", "unavailable"] as const).map(
    (v) => `${report.checks.filter((c) => c.verdict === v).length} ${v === "unavailable" ? "not available" : v}`,
  );
  lines.push(
    "",
    `verdict: ${report.verdict.toUpperCase()} (${report.checks.length} checks: ${counts.join(", ")}; ${report.durationMs} ms)`,
  );
  return `${lines.join("\n")}\n`;
}
