/**
 * Attendance rules: which clock action may follow which, and how many minutes someone worked
 * between two instants. Pure: the caller gives the effective entries (corrections applied,
 * superseded and voided ones left out) and the window; the reports use `workedMinutes` for hours
 * per person per day, the attendance feature for `workedMinutesToday`.
 */
import type { AttendanceAction, AttendanceState } from "../../protocol/schemas/cash.ts";
import { zonedToUtc } from "./business-day.ts";

/** out --clock_in--> in --break_start--> on_break --break_end--> in --clock_out--> out (and on_break --clock_out--> out). */
const TRANSITIONS: Readonly<Record<AttendanceState, Partial<Record<AttendanceAction, AttendanceState>>>> = {
  out: { clock_in: "in" },
  in: { break_start: "on_break", clock_out: "out" },
  // Clocking out during a break ends the break and the day: recorded as it happened.
  on_break: { break_end: "in", clock_out: "out" },
};

/** The state `action` leads to from `state`, or undefined when it may not follow. */
export function nextAttendanceState(state: AttendanceState, action: AttendanceAction): AttendanceState | undefined {
  return TRANSITIONS[state][action];
}

/** The state an entry leaves its person in, whatever came before (corrected histories need not be tidy). */
export function stateAfter(action: AttendanceAction | undefined): AttendanceState {
  switch (action) {
    case "clock_in":
    case "break_end":
      return "in";
    case "break_start":
      return "on_break";
    case "clock_out":
    case undefined:
      return "out";
  }
}

export interface TimedAction {
  action: AttendanceAction;
  /** ISO 8601 instant. */
  at: string;
}

/**
 * Whole minutes spent `in` (working, not on a break) within [from, to) (epoch ms), from one
 * person's effective entries in any order. Entries before `from` set the state the window starts
 * in (a clock-in before the store day began counts from the day's start); a shift still open at
 * `to` counts up to `to` (pass now for "so far"). Each entry sets the state it names, so a
 * corrected history with a missing step still counts sensibly (two clock-ins: from the first).
 */
export function workedMinutes(entries: readonly TimedAction[], from: number, to: number): number {
  if (to <= from) return 0;
  const sorted = entries.map((e) => ({ action: e.action, at: Date.parse(e.at) })).sort((a, b) => a.at - b.at);
  let state: AttendanceState = "out";
  let since = from;
  let worked = 0;
  const close = (until: number) => {
    if (state === "in") worked += Math.max(0, Math.min(until, to) - Math.max(since, from));
  };
  for (const entry of sorted) {
    if (entry.at >= to) break;
    const next = stateAfter(entry.action);
    if (next === state) continue;
    close(entry.at);
    state = next;
    since = entry.at;
  }
  close(to);
  return Math.floor(worked / 60_000);
}

/** The instant a store day (YYYY-MM-DD, domain/business-day.ts) begins: `dayStartHour` o'clock local time. */
function storeDayStart(date: string, timeZone: string, dayStartHour: number): number {
  const [y = 0, m = 1, d = 1] = date.split("-").map(Number);
  return zonedToUtc(y, m, d, dayStartHour, 0, timeZone);
}

/** The store day `date` as [from, to) in epoch ms (23 or 25 hours long on a daylight-saving change). */
export function storeDayBounds(date: string, timeZone: string, dayStartHour: number): { from: number; to: number } {
  const [y = 0, m = 1, d = 1] = date.split("-").map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { from: storeDayStart(date, timeZone, dayStartHour), to: storeDayStart(next, timeZone, dayStartHour) };
}
