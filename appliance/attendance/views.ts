/**
 * What the attendance API answers: entries as stored (superseded ones flagged, never hidden from
 * a manager) and a person's state now with the minutes worked in a store day.
 */
import type { CommandContext } from "../commands/context.ts";
import { iso } from "../commands/context.ts";
import { businessDate } from "../domain/business-day.ts";
import { stateAfter, storeDayBounds, workedMinutes } from "../domain/attendance.ts";
import { effectiveBetween, latestEffective, type AttendanceRow } from "../journal/attendance-store.ts";
import type { AttendanceEntryView, AttendanceStatusView } from "../../protocol/schemas/cash.ts";
import type { Actor } from "../../protocol/schemas/orders.ts";

export function entryView(row: AttendanceRow): AttendanceEntryView {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    action: row.action,
    at: row.at,
    by: JSON.parse(row.actor) as Actor,
    recordedAt: row.recorded_at,
    corrects: row.corrects,
    voided: row.voided === 1,
    reason: row.reason,
    superseded: row.superseded_by !== null,
  };
}

/** The store day of instant `ms` (the business day orders use). */
export function storeDateOf(ctx: CommandContext, ms: number): string {
  return businessDate(ms, ctx.config.store.timezone, ctx.config.orders.dayStartHour);
}

/**
 * `userId`'s state now, and the minutes worked in store day `date` (default today) up to now,
 * breaks excluded, from the effective entries.
 */
export function statusView(ctx: CommandContext, userId: string, name: string, date?: string): AttendanceStatusView {
  const now = ctx.clock.now();
  const day = date ?? storeDateOf(ctx, now);
  const bounds = storeDayBounds(day, ctx.config.store.timezone, ctx.config.orders.dayStartHour);
  const until = Math.min(now, bounds.to);
  const entries = until > bounds.from ? effectiveBetween(ctx.journal, userId, iso(bounds.from), iso(until)) : [];
  const latest = latestEffective(ctx.journal, userId);
  const state = stateAfter(latest?.action);
  return {
    userId,
    name: latest?.name ?? name,
    state,
    since: latest?.at ?? null,
    workedMinutesToday: workedMinutes(entries, bounds.from, until),
  };
}
