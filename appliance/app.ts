/**
 * createApp(deps) builds galleyd from injected parts; importing this file does nothing.
 * `start()` opens the journal (integrity check, migrations), prepares the first admin and the
 * menu, serves HTTP and WebSocket, and starts housekeeping; `stop()` undoes it in reverse order,
 * letting in-flight requests finish before the journal is closed.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { AttemptLimiter } from "./commands/attempt-limiter.ts";
import { ensureFirstAdmin } from "./commands/auth.ts";
import { Pins } from "./commands/pins.ts";
import { importMenu } from "./commands/catalogue.ts";
import { announceCommits, AppBus, CatalogueCache, SYSTEM_ACTOR, type CommandContext } from "./commands/context.ts";
import { sweepSessions } from "./commands/sessions.ts";
import type { Config } from "./config/schema.ts";
import { buildHttpServer, type GalleyFastify, type HttpPlugin } from "./http/server.ts";
import { withOptions } from "./http/deps.ts";
import { authRoutes } from "./http/routes/auth.ts";
import { pairedScreenRoutes } from "./http/routes/paired-screens.ts";
import { diagnosticsRoutes } from "./http/routes/diagnostics.ts";
import { menuRoutes } from "./http/routes/menu.ts";
import { orderRoutes } from "./http/routes/orders.ts";
import { screenRoutes } from "./http/routes/screens.ts";
import { sessionRoutes } from "./http/routes/sessions.ts";
import { userRoutes } from "./http/routes/users.ts";
import { Journal } from "./journal/database.ts";
import { currentMenu, setOnHand } from "./journal/catalogue-store.ts";
import { headSeq, initDevice } from "./journal/events.ts";
import { orderCount } from "./journal/order-store.ts";
import { monotonicNow, systemClock, type Clock } from "./lib/clock.ts";
import { newId } from "./lib/ids.ts";
import { loadOrCreateKey, secretKeyPath } from "./lib/secret-key.ts";
import { shippedPath } from "./lib/shipped.ts";
import { forModule, type Logger } from "./lib/logger.ts";
import { PushHub } from "./push/hub.ts";
import { resanitizeStoredPictures } from "./pictures/store.ts";
import { startDevicesFeature, type DeviceLayer, type DevicesFeature } from "./devices/plugin.ts";
import { startFieldOps } from "./diagnostics/plugin.ts";
import { startSetup } from "./setup/plugin.ts";
import { startSync, type SyncOverrides, type SyncRuntime, type SyncService } from "./sync/plugin.ts";
import { startPayments, type Payments, type PaymentsFeature, type PaymentsOverrides } from "./payments/plugin.ts";
import { startCash, type CashFeature } from "./cash/plugin.ts";
import { startAttendance } from "./attendance/plugin.ts";
import { createSecretBox, type SecretBox } from "./lib/secret-box.ts";

export const VERSION = "0.1.0";

/** Where the demo menu and its pictures ship. */
export const DEMO_MENU_DIR = shippedPath("demo-menu");

export interface AppDeps {
  config: Readonly<Config>;
  log: Logger;
  clock?: Clock;
  /** Monotonic milliseconds for rate limits (default lib/clock.ts `monotonicNow`); tests drive it to pass a limit's minute. */
  monotonic?: () => number;
  /** First admin's PIN (GALLEY_ADMIN_PIN). */
  adminPin?: string | undefined;
  /** Upstream sync: failpoints, clock-sync probe, jitter (tests and the fault child only). */
  sync?: SyncOverrides;
  /** Card payments: failpoints, an in-process terminal (tests and the fault child only). */
  payments?: PaymentsOverrides;
}

export interface StartInfo {
  url: string;
  port: number;
  host: string;
  /** Set only on the start that created the first admin with a generated PIN. */
  generatedAdminPin?: string;
  instanceId: string;
  menuVersion: number | undefined;
}

export interface App {
  start(): Promise<StartInfo>;
  stop(): Promise<void>;
  /** Available after start (tests, CLI, benchmarks). */
  readonly ctx: CommandContext;
  readonly hub: PushHub;
  readonly http: GalleyFastify;
  /** Printers, drawer, pole display and print spooler (available after start). */
  readonly devices: DeviceLayer | undefined;
  /** The running upstream sync (after start, until stop). */
  readonly sync: SyncRuntime;
  /** Card terminals, checkouts, refunds (after start()). */
  readonly payments: Payments;
}

export function journalPath(config: Readonly<Config>): string {
  return join(config.dataDir, "journal.sqlite");
}

export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const clock = deps.clock ?? systemClock;
  const log = deps.log;
  let ctx: CommandContext | undefined;
  let hub: PushHub | undefined;
  let http: GalleyFastify | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let devices: DevicesFeature | undefined;
  let sync: SyncService | undefined;
  let payments: PaymentsFeature | undefined;
  let cash: CashFeature | undefined;
  const startedAt = clock.now();

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is available after start()`);
    return value;
  };

  return {
    get ctx() {
      return need(ctx, "ctx");
    },
    get hub() {
      return need(hub, "hub");
    },
    get http() {
      return need(http, "http");
    },
    get devices() {
      return devices?.layer;
    },
    get sync() {
      return need(sync, "sync").runtime();
    },
    get payments() {
      return need(payments, "payments").payments;
    },

    async start(): Promise<StartInfo> {
      const journal = Journal.open({ path: journalPath(config), log: forModule(log, "journal") });
      const device = initDevice(journal, newId, new Date(clock.now()).toISOString());
      const bus = new AppBus((error, event) => {
        log.error({ err: error, event }, "a listener failed after commit");
      });
      // Every transaction's events go out on the bus after its COMMIT (commands/context.ts).
      announceCommits(journal, bus);
      const monotonic = deps.monotonic ?? monotonicNow;
      const pins = new Pins(loadOrCreateKey(secretKeyPath(config)), {
        choicesPerMinute: config.auth.pinChoicesPerMinute,
        now: monotonic,
      });
      const context: CommandContext = {
        journal,
        config,
        clock,
        log: forModule(log, "commands"),
        bus,
        catalogue: new CatalogueCache(journal),
        pins,
      };
      ctx = context;

      const admin = await ensureFirstAdmin(context, deps.adminPin);
      seedMenu(context, log);
      // Pictures uploaded before uploads were sanitised get the same treatment before anything serves them.
      await resanitizeStoredPictures(join(config.dataDir, "pictures"), forModule(log, "pictures"));

      const pushHub = new PushHub({
        ctx: context,
        log: forModule(log, "push"),
        heartbeatMs: config.push.heartbeatSeconds * 1_000,
        replayLimit: config.push.replayLimit,
        maxBufferedBytes: config.push.maxBufferedBytes,
        limits: {
          messagesPerSecond: config.push.messagesPerSecond,
          subscribesPerMinute: config.push.subscribesPerMinute,
          socketsPerToken: config.push.socketsPerToken,
        },
        monotonic,
      });
      hub = pushHub;
      bus.onCommitted((events) => {
        pushHub.publish(events);
      });
      bus.onAvailability(() => {
        pushHub.publishAvailability();
      });
      bus.onRevoked((kind, id) => {
        pushHub.revoke(kind, id);
      });

      // The features, each started through its folder's plugin.ts (feature.ts): what they serve and how they stop.
      const devicesFeature = await startDevicesFeature({ ctx: context, push: pushHub, log, version: VERSION });
      devices = devicesFeature;
      const syncService = startSync({ ctx: context, log, push: pushHub, ...deps.sync });
      sync = syncService;
      let box: SecretBox | undefined;
      const paymentsFeature = await startPayments({
        ctx: context,
        log,
        box: () => (box ??= createSecretBox(loadOrCreateKey(secretKeyPath(config)))),
        ...deps.payments,
      });
      payments = paymentsFeature;
      const cashFeature = startCash({ ctx: context, log });
      cash = cashFeature;
      const attendance = startAttendance({ ctx: context, monotonic });
      const fieldOps = startFieldOps({
        config,
        log: forModule(log, "diagnostics"),
        version: VERSION,
        hub: pushHub,
        address: () => http?.server.address(),
      });
      const setup = startSetup({ ctx: context, log: forModule(log, "setup") });
      // The routes: the core's, then each feature's (server.ts names none of them); one plugin each,
      // given only what it uses. The order is the route table's and the OpenAPI document's.
      const plugins: HttpPlugin[] = [
        withOptions(authRoutes, {
          ctx: context,
          loginLimiter: new AttemptLimiter({
            perKey: config.auth.loginAttemptsPerMinute,
            total: config.auth.loginAttemptsPerMinuteTotal,
            what: "wrong PINs",
            now: monotonic,
          }),
        }),
        withOptions(pairedScreenRoutes, { ctx: context }),
        withOptions(userRoutes, { ctx: context }),
        withOptions(menuRoutes, {
          ctx: context,
          pictureDirs: [join(config.dataDir, "pictures"), join(DEMO_MENU_DIR, "pictures")],
        }),
        withOptions(sessionRoutes, { ctx: context }),
        withOptions(orderRoutes, { ctx: context }),
        withOptions(diagnosticsRoutes, {
          diagnostics: () => ({
            ok: true,
            service: "galleyd",
            version: VERSION,
            mode: config.mode,
            uptimeSeconds: Math.round((clock.now() - startedAt) / 1_000),
            seq: headSeq(journal),
            instanceId: device.instanceId,
            time: new Date(clock.now()).toISOString(),
            journal: () => {
              const pragmas = journal.pragmas();
              return {
                path: journal.path,
                schemaVersion: journal.schemaVersion(),
                seq: headSeq(journal),
                orders: orderCount(journal),
                sizeBytes: fileSize(journal.path) + fileSize(`${journal.path}-wal`),
                journalMode: pragmas.journalMode,
                synchronous: pragmas.synchronous === 2 ? "FULL" : String(pragmas.synchronous),
                integrity: journal.integrityCheck(),
              };
            },
          }),
        }),
        ...syncService.routes,
        ...paymentsFeature.routes,
        ...cashFeature.routes,
        ...attendance.routes,
        ...devicesFeature.routes,
        ...fieldOps.routes,
        withOptions(screenRoutes, {}),
        ...setup.routes,
      ];
      const server = await buildHttpServer(
        {
          ctx: context,
          log: forModule(log, "http"),
          version: VERSION,
          localPrincipal: fieldOps.fieldOps.localPrincipal,
        },
        plugins,
      );
      http = server;
      await server.ready();
      pushHub.attach(server.server);
      await server.listen({ host: config.server.host, port: config.server.port });
      const address = server.server.address() as AddressInfo;
      for (const feature of [devicesFeature, syncService, fieldOps, setup]) feature.listening?.(address);

      sweeper = setInterval(() => {
        try {
          sweepSessions(context);
        } catch (error) {
          log.error({ err: error }, "session sweep failed");
        }
      }, 30_000);
      sweeper.unref();

      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      const shownHost = host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host;
      return {
        url: `http://${shownHost}:${address.port}`,
        port: address.port,
        host: address.address,
        ...(admin.generatedPin ? { generatedAdminPin: admin.generatedPin } : {}),
        instanceId: device.instanceId,
        menuVersion: currentMenu(journal)?.version,
      };
    },

    async stop(): Promise<void> {
      if (sweeper) clearInterval(sweeper);
      hub?.close();
      await sync?.stop();
      // Stops accepting, answers in-flight requests (their commits are synchronous and already done or not begun).
      await http?.close();
      await payments?.stop();
      await cash?.stop();
      await devices?.stop();
      ctx?.journal.close();
    },
  };
}

/** Portions the demo gives each stock-counted item, so the demo can sell them at once. */
const DEMO_STOCK = 12;

/** Loads the configured menu into a journal that has none yet. */
function seedMenu(ctx: CommandContext, log: Logger): void {
  const seed = ctx.config.menu.seed;
  if (seed === "none" || currentMenu(ctx.journal)) return;
  const file = seed === "demo" ? join(DEMO_MENU_DIR, "menu.json") : seed;
  const document = JSON.parse(readFileSync(file, "utf8")) as unknown;
  const { version } = importMenu(ctx, SYSTEM_ACTOR, document);
  if (seed === "demo") {
    const at = new Date(ctx.clock.now()).toISOString();
    const counted = ctx.catalogue.get()?.menu.items.filter((i) => i.tracksStock) ?? [];
    ctx.journal.transaction(() => {
      for (const item of counted) setOnHand(ctx.journal, item.id, DEMO_STOCK, at);
    });
  }
  log.info({ file, version }, "menu loaded into an empty journal");
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
