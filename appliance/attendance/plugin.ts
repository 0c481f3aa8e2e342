/**
 * The attendance feature's registration (appliance/feature.ts): its routes, and the limiter for
 * PINs typed on paired screens to clock someone in (as many wrong PINs a minute as the sign-in
 * allows, per screen and for the board).
 */
import { AttemptLimiter } from "../commands/attempt-limiter.ts";
import type { CommandContext } from "../commands/context.ts";
import type { StartedFeature } from "../feature.ts";
import { withOptions } from "../http/deps.ts";
import { attendanceRoutes } from "./routes.ts";

export function startAttendance(deps: { ctx: CommandContext; monotonic: () => number }): StartedFeature {
  const { ctx } = deps;
  const pinLimiter = new AttemptLimiter({
    perKey: ctx.config.auth.loginAttemptsPerMinute,
    total: ctx.config.auth.loginAttemptsPerMinuteTotal,
    what: "wrong PINs",
    now: deps.monotonic,
  });
  return { routes: [withOptions(attendanceRoutes, { ctx, pinLimiter })] };
}
