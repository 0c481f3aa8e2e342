/**
 * When a job runs next: "every N minutes" or "daily at HH:MM" in the store's time zone. Pure, so
 * the table of cases is unit-tested. A run missed while galleyd was off runs once at start
 * (catch-up), never once per missed slot.
 */
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

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(
  ms: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Milliseconds `timeZone` is ahead of UTC at instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1_000) * 1_000;
}

/** The UTC instant of a local wall-clock time (day may overflow; Date.UTC normalises it). */
export function zonedToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetAt(guess, timeZone);
  // Near a DST change the offset at the result can differ from the guess's: settle it once more.
  return guess - offsetAt(first, timeZone);
}
