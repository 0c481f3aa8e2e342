/**
 * Which clock actions a person may take now (the same rules as appliance/domain/attendance.ts:
 * out → clock in; in → start a break or clock out; on a break → end it or clock out), shared by
 * the counter's clock panel and the kitchen display's clock dialog. On a paired screen the state
 * of the person behind a PIN is not known before they act: every action is offered, and a refusal
 * (`attendance_state`, whose details name the state) narrows them to the legal ones.
 */
import type { AttendanceAction, AttendanceState } from "../../../../protocol/index.ts";
import { ApiError } from "../../data/api.ts";

export const CLOCK_ACTIONS: readonly AttendanceAction[] = ["clock_in", "break_start", "break_end", "clock_out"];

export function legalActions(state: AttendanceState | undefined): readonly AttendanceAction[] {
  switch (state) {
    case "out":
      return ["clock_in"];
    case "in":
      return ["break_start", "clock_out"];
    case "on_break":
      return ["break_end", "clock_out"];
    case undefined:
      return CLOCK_ACTIONS;
  }
}

/** The state a refused clock action names in its details, if it is one. */
export function refusedState(error: unknown): AttendanceState | undefined {
  if (!(error instanceof ApiError) || error.code !== "attendance_state") return undefined;
  const state = (error.details as { state?: unknown } | undefined)?.state;
  return state === "out" || state === "in" || state === "on_break" ? state : undefined;
}
