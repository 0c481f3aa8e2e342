/**
 * When a job runs next: "every N minutes" or "daily at HH:MM" in the store's time zone. Pure, so
 * the table of cases is unit-tested. A run missed while galleyd was off runs once at start
 * (catch-up), never once per missed slot.
 */
import { localParts, zonedToUtc } from "../domain/business-day.ts";

export { zonedToUtc };

export type Schedule =
  { kind: "off" } | { kind: "every"; ms: number } | { kind: "daily"; at: string; timeZone: string };

export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case "off":
      return "on demand only";
    case "every":
      return schedule.ms % 3_600_000 === 0
        ? `every ${schedule.ms / 3_600_000} h`
        : `every ${Math.round(schedule.ms / 60_000)} min`;
    case "daily":
      return `daily at ${schedule.at} (${schedule.timeZone})`;
  }
}

/** The next start after the last one (undefined: never scheduled). */
export function nextRunAt(schedule: Schedule, lastStartedMs: number | undefined, nowMs: number): number | undefined {
  switch (schedule.kind) {
    case "off":
      return undefined;
    case "every":
      if (lastStartedMs === undefined || lastStartedMs > nowMs) return nowMs + schedule.ms;
      return Math.max(lastStartedMs + schedule.ms, nowMs);
    case "daily": {
      if (lastStartedMs === undefined || lastStartedMs > nowMs)
        return dailyAfter(schedule.at, schedule.timeZone, nowMs);
      const next = dailyAfter(schedule.at, schedule.timeZone, lastStartedMs);
      return Math.max(next, nowMs);
    }
  }
}

/** The first instant strictly after `afterMs` at which the wall clock in `timeZone` reads `hh:mm`. */
export function dailyAfter(hhmm: string, timeZone: string, afterMs: number): number {
  const [hh = 0, mm = 0] = hhmm.split(":").map(Number);
  const { year, month, day } = localParts(afterMs, timeZone);
  for (let offsetDays = 0; offsetDays < 3; offsetDays += 1) {
    const candidate = zonedToUtc(year, month, day + offsetDays, hh, mm, timeZone);
    if (candidate > afterMs) return candidate;
  }
  return afterMs + 86_400_000;
}
