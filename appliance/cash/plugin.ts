/**
 * The cash feature's registration (appliance/feature.ts): counts payments and refunds in the open
 * shift from inside their transactions (payment-hook.ts, an `onAppend` hook removed at stop) and
 * gives app.ts its routes. Drawer kicks and the reports' paper are the devices feature's, from the
 * `cash.*` events.
 */
import type { CommandContext } from "../commands/context.ts";
import type { StartedFeature } from "../feature.ts";
import { withOptions } from "../http/deps.ts";
import { onAppend } from "../journal/events.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import { cashPaymentHook } from "./payment-hook.ts";
import { cashRoutes } from "./routes.ts";

export interface CashFeature extends StartedFeature {
  stop(): Promise<void>;
}

export function startCash(deps: { ctx: CommandContext; log: Logger }): CashFeature {
  const { ctx } = deps;
  const log = forModule(deps.log, "cash");
  const removeHook = onAppend(ctx.journal, cashPaymentHook(ctx));
  log.debug({ shifts: ctx.config.cash.shifts, blindClose: ctx.config.cash.blindClose }, "cash shifts");
  return {
    routes: [withOptions(cashRoutes, { ctx })],
    stop() {
      removeHook();
      return Promise.resolve();
    },
  };
}
