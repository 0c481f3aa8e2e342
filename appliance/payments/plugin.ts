/**
 * The payments feature's registration (appliance/feature.ts): starts each configured card
 * terminal's queue (recovering what a crash left), hands `POST /api/orders/:id/payments` the
 * provider tokens (`ctx.tokenPayments`), runs each terminal's end of day at
 * `payments.endOfDayAt`, and gives app.ts its routes.
 */
import type { PaymentTerminal } from "../../drivers/index.ts";
import type { CommandContext } from "../commands/context.ts";
import type { StartedFeature } from "../feature.ts";
import { withOptions } from "../http/deps.ts";
import { noFailpoint, type Failpoint } from "../lib/failpoints.ts";
import type { Logger } from "../lib/logger.ts";
import { forModule } from "../lib/logger.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import { resolveTerminals, type TerminalConfig } from "./config-schema.ts";
import { createProviders } from "./providers/index.ts";
import { sealedCredentials } from "../journal/terminal-store.ts";
import { paymentRoutes } from "./routes.ts";
import { Payments } from "./service.ts";

export type { Payments };

export interface PaymentsFeature extends StartedFeature {
  readonly payments: Payments;
  stop(): Promise<void>;
}

export interface PaymentsOverrides {
  failpoint?: Failpoint;
  /** Tests: drive a terminal in-process instead of over its URI. */
  driverFor?: (config: TerminalConfig) => PaymentTerminal;
}

export async function startPayments(
  deps: { ctx: CommandContext; log: Logger; box: () => SecretBox } & PaymentsOverrides,
): Promise<PaymentsFeature> {
  const { ctx } = deps;
  const log = forModule(deps.log, "payments");
  const payments = new Payments({
    ctx,
    terminals: resolveTerminals(ctx.config),
    config: ctx.config.payments,
    box: deps.box,
    providers: () =>
      createProviders(ctx.config.payments.providers, {
        box: deps.box,
        log,
        sealed: (name) => sealedCredentials(ctx.journal, `provider:${name}`),
      }),
    log: deps.log,
    failpoint: deps.failpoint ?? noFailpoint,
    ...(deps.driverFor ? { driverFor: deps.driverFor } : {}),
  });
  ctx.tokenPayments = payments;
  await payments.start();
  const endOfDay = scheduleEndOfDay(ctx, payments, log);
  return {
    payments,
    routes: [withOptions(paymentRoutes, { payments })],
    async stop() {
      clearInterval(endOfDay);
      await payments.stop();
    },
  };
}

/** Once a day at `payments.endOfDayAt` (store time): every terminal closes its day and is compared with the journal. */
function scheduleEndOfDay(ctx: CommandContext, payments: Payments, log: Logger): NodeJS.Timeout | undefined {
  const at = ctx.config.payments.endOfDayAt;
  if (at === "" || payments.terminals.ids().length === 0) return undefined;
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: ctx.config.store.timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  let lastDay = "";
  const tick = (): void => {
    const parts = Object.fromEntries(format.formatToParts(ctx.clock.now()).map((p) => [p.type, p.value]));
    const day = `${parts.year ?? ""}-${parts.month ?? ""}-${parts.day ?? ""}`;
    const time = `${parts.hour ?? ""}:${parts.minute ?? ""}`;
    if (time < at || day === lastDay) return;
    if (lastDay === "") {
      // First tick after start: a close that already ran today (before a restart) is not repeated.
      lastDay = day;
      const done = payments.terminals
        .closings(payments.terminals.ids().length)
        .some((c) => c.closedAt.slice(0, 10) === day);
      if (done) return;
    }
    lastDay = day;
    for (const id of payments.terminals.ids()) {
      payments.terminals.endOfDay(id).catch((error: unknown) => {
        log.error({ err: error, terminal: id }, "end of day failed");
      });
    }
  };
  const timer = setInterval(tick, 30_000);
  timer.unref();
  return timer;
}
