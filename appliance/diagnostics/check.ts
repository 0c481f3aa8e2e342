/**
 * One doctor check as the checks build it (a CheckResult before it is timed), a builder for a
 * check whose branches differ only in verdict, summary and hint, and the wording of sizes and
 * durations the summaries share.
 */
import type { CheckResult, Verdict } from "./report.ts";

export type Check = Omit<CheckResult, "durationMs">;

/**
 * The lines one check can end in: id, title and details are fixed, each branch names its verdict,
 * summary and (when something is wrong) hint. A line without a hint has no `hint` key.
 */
export function linesFor(
  id: string,
  title: string,
  details: Record<string, unknown>,
): (verdict: Verdict, summary: string, hint?: string) => Check {
  return (verdict, summary, hint) => ({
    id,
    title,
    verdict,
    summary,
    ...(hint === undefined ? {} : { hint }),
    details,
  });
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit] ?? "B"}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}
