/**
 * Clocking in and out, breaks, and managers' corrections. Each is one journal transaction with
 * its event (`attendance.clocked`, `attendance.corrected`) and its `attendance` row.
 *
 * Who clocks: a signed-in person clocks themself (a PIN would be a second identity, so it is
 * refused); a paired counter or kitchen display has no person, so the PIN says who. Those PINs
 * are guessable like the sign-in's and count in the same kind of limiter (attempt-limiter.ts),
 * reserved before the check. The state check runs inside the transaction, after the PIN's slow
 * hash, so two taps at once cannot both clock in.
 */
import type { AttemptLimiter } from "../commands/attempt-limiter.ts";
import { userOfPin } from "../commands/auth.ts";
import { actorOf, iso, type CommandContext } from "../commands/context.ts";
import { nextAttendanceState, stateAfter } from "../domain/attendance.ts";
import { getUser, type UserRecord } from "../journal/auth-store.ts";
import {
  attendanceOfDay,
  attendancePeople,
  getAttendance,
  insertAttendance,
  latestEffective,
  markSuperseded,
} from "../journal/attendance-store.ts";
import { appendEvent } from "../journal/events.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type {
  AttendanceCorrectionBody,
  AttendanceEntryView,
  AttendanceResponse,
  AttendanceStatusView,
  ClockBody,
} from "../../protocol/schemas/cash.ts";
import { entryView, statusView, storeDateOf } from "./views.ts";

function invalid(message: string, error: string): AppError {
  return new AppError("validation_failed", message, { details: { errors: [error] } });
}

/** The person a clock action is for: the signed-in user, or the owner of the PIN typed on a paired screen. */
async function personFor(
  ctx: CommandContext,
  limiter: AttemptLimiter,
  principal: Principal,
  pin: string | undefined,
): Promise<UserRecord> {
  if (principal.kind === "user") {
    if (pin !== undefined) throw invalid("signed in: you clock yourself, without a PIN", "body/pin: not allowed");
    const user = getUser(ctx.journal, principal.id);
    if (!user) throw new AppError("user_not_found", "unknown user");
    return user;
  }
  if (pin === undefined) throw invalid("type your PIN to clock in or out", "body/pin: required on a paired screen");
  return userOfPin(ctx, limiter, `device:${principal.id}`, pin);
}

/** `POST /api/attendance/clock`. */
export async function clock(
  ctx: CommandContext,
  limiter: AttemptLimiter,
  principal: Principal,
  body: ClockBody,
): Promise<AttendanceStatusView> {
  const user = await personFor(ctx, limiter, principal, body.pin);
  if (user.status !== "active") throw new AppError("account_deactivated", "this account is deactivated");
  ctx.journal.transaction(() => {
    const state = stateAfter(latestEffective(ctx.journal, user.id)?.action);
    if (!nextAttendanceState(state, body.action)) {
      throw new AppError(
        "attendance_state",
        `cannot ${body.action.replace("_", " ")} while ${state.replace("_", " ")}`,
        {
          details: { state, action: body.action },
        },
      );
    }
    const nowMs = ctx.clock.now();
    const at = iso(nowMs);
    const entryId = newId();
    const event = appendEvent(ctx.journal, {
      id: newId(),
      type: "attendance.clocked",
      aggregateId: user.id,
      actor: actorOf(principal),
      payload: { entryId, userId: user.id, name: user.name, action: body.action, at },
      createdAt: at,
    });
    insertAttendance(ctx.journal, {
      seq: event.seq,
      id: entryId,
      userId: user.id,
      name: user.name,
      action: body.action,
      at,
      storeDate: storeDateOf(ctx, nowMs),
      actor: actorOf(principal),
      recordedAt: at,
      corrects: null,
      voided: false,
      reason: null,
    });
  });
  return statusView(ctx, user.id, user.name);
}

/**
 * `POST /api/attendance/corrections`: moves (`entryId` + `at`/`action`), removes (`entryId` +
 * `void`) or adds (`userId` + `action` + `at`) an entry. The corrected row stays, superseded.
 */
export function correct(
  ctx: CommandContext,
  principal: Principal,
  body: AttendanceCorrectionBody,
): AttendanceEntryView {
  const nowMs = ctx.clock.now();
  if (body.at !== undefined && Date.parse(body.at) > nowMs)
    throw invalid("an entry cannot be in the future", "body/at: after now");
  if (body.entryId === undefined) {
    if (body.userId === undefined || body.action === undefined || body.at === undefined || body.void === true)
      throw invalid("to add a missing entry, give userId, action and at", "body: userId, action and at are required");
  } else if (body.void === true) {
    if (body.action !== undefined || body.at !== undefined)
      throw invalid("a removal takes no action or time", "body: void with action or at");
  } else if (body.action === undefined && body.at === undefined) {
    throw invalid("say what changes: at, action, or void", "body: at, action or void is required");
  }
  return ctx.journal.transaction(() => {
    const original = body.entryId === undefined ? undefined : getAttendance(ctx.journal, body.entryId);
    if (body.entryId !== undefined) {
      if (!original) throw new AppError("attendance_entry_not_found", "no such attendance entry");
      if (original.superseded_by !== null)
        throw new AppError("attendance_state", "this entry was already corrected; correct the latest one", {
          details: { entryId: original.id, supersededBy: original.superseded_by },
        });
      if (original.voided === 1)
        throw new AppError("attendance_state", "this is a removal; add the entry again instead", {
          details: { entryId: original.id },
        });
      if (body.userId !== undefined && body.userId !== original.user_id)
        throw invalid("an entry stays with its person", "body/userId: not the entry's person");
    }
    const userId = original?.user_id ?? body.userId ?? "";
    const user = getUser(ctx.journal, userId);
    if (!original && !user) throw new AppError("user_not_found", "unknown user");
    if (userId === principal.id && principal.role !== "admin")
      throw new AppError("forbidden", "a manager cannot correct their own hours; ask another manager or an admin");
    const name = user?.name ?? original?.name ?? "";
    const action = body.action ?? original?.action ?? "clock_in";
    const at = body.at !== undefined ? iso(Date.parse(body.at)) : (original?.at ?? iso(nowMs));
    const voided = body.void === true;
    const recordedAt = iso(nowMs);
    const entryId = newId();
    const event = appendEvent(ctx.journal, {
      id: newId(),
      type: "attendance.corrected",
      aggregateId: userId,
      actor: actorOf(principal),
      payload: { entryId, userId, name, corrects: original?.id ?? null, action, at, voided, reason: body.reason },
      createdAt: recordedAt,
    });
    insertAttendance(ctx.journal, {
      seq: event.seq,
      id: entryId,
      userId,
      name,
      action,
      at,
      storeDate: storeDateOf(ctx, Date.parse(at)),
      actor: actorOf(principal),
      recordedAt,
      corrects: original?.id ?? null,
      voided,
      reason: body.reason,
    });
    if (original) markSuperseded(ctx.journal, original.id, entryId);
    const created = getAttendance(ctx.journal, entryId);
    if (!created) throw new Error("attendance entry vanished inside its transaction");
    return entryView(created);
  });
}

/**
 * `GET /api/attendance`: a store day's entries and people. Managers see everything; a person
 * without `attendance:manage` only themself; a paired screen only who is in (its lock screen).
 */
export function attendanceDay(
  ctx: CommandContext,
  principal: Principal,
  query: { date?: string | undefined; userId?: string | undefined },
): AttendanceResponse {
  const date = query.date ?? storeDateOf(ctx, ctx.clock.now());
  if (principal.kind === "device") {
    const people = attendancePeople(ctx.journal, date).map((p) => statusView(ctx, p.userId, p.name, date));
    return { date, entries: [], people: query.userId ? people.filter((p) => p.userId === query.userId) : people };
  }
  if (!principal.permissions.includes("attendance:manage")) {
    if (query.userId !== undefined && query.userId !== principal.id)
      throw new AppError("forbidden", "you may see only your own hours", { details: { needs: ["attendance:manage"] } });
    const entries = attendanceOfDay(ctx.journal, date, principal.id).map(entryView);
    return { date, entries, people: [statusView(ctx, principal.id, principal.name, date)] };
  }
  const entries = attendanceOfDay(ctx.journal, date, query.userId).map(entryView);
  const people = attendancePeople(ctx.journal, date)
    .filter((p) => query.userId === undefined || p.userId === query.userId)
    .map((p) => statusView(ctx, p.userId, p.name, date));
  return { date, entries, people };
}
