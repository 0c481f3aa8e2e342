/**
 * `startSync`: everything upstream sync needs while galleyd runs, started in app.ts `start()` and
 * stopped by the function it returns. It recovers what a crash left half-done (leased items,
 * half-written or half-deleted backups), registers the outbox hook, starts one worker per target,
 * the scheduler with its recorded jobs (scheduled-jobs.ts), notification delivery, and the `sync` push topic.
 */
import { randomUUID } from "node:crypto";
import type { CommandContext } from "../commands/context.ts";
import { clockSyncProbe, type ClockSyncProbe } from "../jobs/clock-sync.ts";
import { repairJournalBackups, type JournalBackupDeps } from "../jobs/journal-backups.ts";
import { Scheduler } from "../jobs/scheduler.ts";
import { AppError } from "../lib/errors.ts";
import { forModule, type Logger } from "../lib/logger.ts";
import { recoverLeases } from "../journal/outbox-store.ts";
import type { SyncStatus } from "../../protocol/schemas/sync.ts";
import { CentralAdapter } from "./adapters/central.ts";
import { SquareAdapter } from "./adapters/square.ts";
import { ZohoAdapter } from "./adapters/zoho.ts";
import { AuthSession, type Refresher } from "./auth-session.ts";
import { noFailpoint, type Failpoint } from "../lib/failpoints.ts";
import { HttpClient } from "../lib/http-client.ts";
import { Notifier } from "./notifications.ts";
import { registerOutboxHook } from "./outbox.ts";
import { JOBS, lazySecretBox, Roster, type SyncRuntime } from "./runtime.ts";
import { withOptions, type HttpPlugin } from "../http/deps.ts";
import type { StartedFeature } from "../feature.ts";
import { backupRoutes } from "./routes/backups.ts";
import { addJobs, needsRestoreImport } from "./scheduled-jobs.ts";
import { integrationRoutes } from "./routes/integrations.ts";
import { syncRoutes } from "./routes/sync.ts";
import { syncStatus } from "./status.ts";
import { isSyncedEvent, type Adapter } from "./types.ts";
import { TARGETS, type Target } from "../journal/outbox-types.ts";
import { verifyTarget } from "./verify.ts";
import { TargetWorker } from "./worker.ts";

/** What tests and the fault child inject; production uses the defaults. */
export interface SyncOverrides {
  failpoint?: Failpoint;
  /** Whether the wall clock is synchronised (default: `backups.clockSync`, timedatectl). */
  clockSynced?: ClockSyncProbe;
  /** [0, 1) for backoff jitter. */
  random?: () => number;
}

/** The push hub's side of the `sync` topic (appliance/push/hub.ts). */
export interface SyncPush {
  setSyncSource(source: () => SyncStatus): void;
  publishSync(): void;
}

export interface SyncDeps extends SyncOverrides {
  ctx: CommandContext;
  log: Logger;
  push?: SyncPush;
}

/** A started sync: its runtime while it runs (the routes and tests reach it here), its routes, and its stop. */
export interface SyncService extends StartedFeature {
  /** The running sync; `shutting_down` once it has stopped. */
  readonly runtime: () => SyncRuntime;
  /** Its HTTP API, for buildHttpServer: integrations, the backlog and jobs, order and journal backups. */
  readonly routes: readonly HttpPlugin[];
  readonly stop: () => Promise<void>;
}

/** Publishes at most every this many ms (a 10,000-order drain must not compute the status 10,000 times). */
const STATUS_THROTTLE_MS = 250;

export function startSync(deps: SyncDeps): SyncService {
  const { ctx } = deps;
  const { journal, config, clock } = ctx;
  const log = forModule(deps.log, "sync");
  const failpoint = deps.failpoint ?? noFailpoint;
  const random = deps.random ?? Math.random;
  const abort = new AbortController();
  const ownerId = randomUUID();
  const policy = { baseMs: config.sync.retry.baseMs, capMs: config.sync.retry.capMs };

  // One process owns the journal: anything still `sending` belongs to a process that is gone.
  const recovered = journal.transaction(() => recoverLeases(journal, clock.now()));
  if (recovered > 0) log.warn({ recovered }, "items left sending by the last stop will be retried with the same keys");

  const backups: JournalBackupDeps = {
    journal,
    config,
    clock,
    log: forModule(deps.log, "backup"),
    failpoint,
    clockSynced: deps.clockSynced ?? clockSyncProbe(config.backups.clockSync),
  };
  repairJournalBackups(backups);

  const roster = new Roster(ctx);
  const notifier = new Notifier({
    journal,
    clock,
    log: forModule(deps.log, "sync:notify"),
    webhookUrl: config.sync.notifications.webhookUrl,
  });
  const http = new HttpClient(failpoint);
  const box = lazySecretBox(ctx);

  let timer: NodeJS.Timeout | undefined;
  let lastPublished = 0;
  const publishNow = () => {
    timer = undefined;
    lastPublished = Date.now();
    deps.push?.publishSync();
  };
  const changed = () => {
    if (timer || !deps.push) return;
    timer = setTimeout(publishNow, Math.max(0, lastPublished + STATUS_THROTTLE_MS - Date.now()));
    timer.unref();
  };

  const sessions = {} as Record<Target, AuthSession>;
  const adapters = {} as Record<Target, Adapter>;
  const refreshers: Partial<Record<Target, () => Refresher>> = {};
  let central: CentralAdapter | undefined;
  for (const target of TARGETS) {
    sessions[target] = new AuthSession({
      target,
      journal,
      box,
      clock,
      failpoint,
      log: forModule(deps.log, `sync:${target}`),
      refreshBeforeMs: target === "square" ? config.sync.square.refreshBeforeDays * 86_400_000 : 5 * 60_000,
      ...(target === "central"
        ? {}
        : {
            refresher: (credentials, signal) =>
              (refreshers[target]?.() ?? (() => Promise.reject(new Error("no refresher"))))(credentials, signal),
          }),
    });
    const adapterCtx = {
      journal,
      config,
      clock,
      log: forModule(deps.log, `sync:${target}`),
      http,
      session: sessions[target],
      settings: () => roster.settings(target),
    };
    if (target === "central") {
      central = new CentralAdapter(adapterCtx);
      adapters.central = central;
    }
    if (target === "square") {
      const square = new SquareAdapter(adapterCtx);
      adapters.square = square;
      refreshers.square = () => square.refresher();
    }
    if (target === "zoho") {
      const zoho = new ZohoAdapter(adapterCtx);
      adapters.zoho = zoho;
      refreshers.zoho = () => zoho.refresher();
    }
  }
  if (!central) throw new Error("the central adapter was not built");

  const scheduler = new Scheduler({ journal, clock, log: forModule(deps.log, "jobs") });
  const workers = {} as Record<Target, TargetWorker>;
  const runtime: SyncRuntime = {
    ctx,
    log,
    roster,
    notifier,
    http,
    adapters,
    central,
    sessions,
    workers,
    scheduler,
    policy,
    random,
    backups,
    box,
    changed,
    signal: abort.signal,
  };

  for (const target of TARGETS) {
    workers[target] = new TargetWorker({
      target,
      journal,
      clock,
      adapter: adapters[target],
      failpoint,
      ownerId,
      onChange: changed,
      log: forModule(deps.log, `sync:${target}`),
      outcome: { journal, clock, notifier, policy, random, notifyAfterFailures: config.sync.retry.notifyAfterFailures },
      tickMs: config.sync.retry.tickMs,
      offlineProbeMs: config.sync.retry.offlineProbeMs,
      leaseMs: config.sync.retry.leaseSeconds * 1_000,
      ...(target === "central"
        ? {
            onGap: (instanceId: string, fromSeq: number, toSeq: number) => {
              void verifyGap(runtime, instanceId, fromSeq, toSeq);
            },
          }
        : {}),
    });
  }

  const unhook = registerOutboxHook(journal, roster, clock);
  const unlisten = ctx.bus.onCommitted((events) => {
    if (!events.some(isSyncedEvent)) return;
    for (const target of roster.autoTargets()) workers[target].wake();
    changed();
  });
  notifier.onRaised = () => {
    changed();
    wakeDelivery();
  };

  addJobs(runtime);
  let running: SyncRuntime | undefined = runtime;
  deps.push?.setSyncSource(() => syncStatus(runtime));

  for (const target of TARGETS) workers[target].start();
  scheduler.start();

  // Notification delivery (webhook): woken on raise, and once a minute for retries.
  let deliveryTimer: NodeJS.Timeout | undefined;
  let delivering = false;
  const deliver = async () => {
    if (delivering || abort.signal.aborted) return;
    delivering = true;
    try {
      await notifier.deliverDue(http, policy, abort.signal);
    } catch (error) {
      log.warn({ err: error }, "notification delivery failed");
    } finally {
      delivering = false;
    }
  };
  function wakeDelivery(): void {
    if (config.sync.notifications.webhookUrl) setImmediate(() => void deliver());
  }
  if (config.sync.notifications.webhookUrl) {
    deliveryTimer = setInterval(() => void deliver(), 60_000);
    deliveryTimer.unref();
  }

  // After a restore, pull the store's orders this instance lacks (docs/architecture.md#backups-and-retention), without blocking the start.
  if (needsRestoreImport(runtime))
    setImmediate(() => void scheduler.runNow(JOBS.restoreImport, "restore").catch(() => undefined));

  log.info(
    { targets: roster.rows().map((r) => `${r.target}:${r.state}`) },
    roster.rows().length === 0 ? "sync idle: no upstream connected" : "sync started",
  );

  const current = (): SyncRuntime => {
    if (!running) throw new AppError("shutting_down", "sync is stopping (or not running)");
    return running;
  };
  return {
    runtime: current,
    routes: [
      withOptions(integrationRoutes, { rt: current }),
      withOptions(syncRoutes, { ctx, rt: current }),
      withOptions(backupRoutes, { ctx, rt: current }),
    ],
    stop: async () => {
      abort.abort();
      unhook();
      unlisten();
      if (timer) clearTimeout(timer);
      if (deliveryTimer) clearInterval(deliveryTimer);
      await Promise.all(TARGETS.map((t) => workers[t].stop()));
      await scheduler.stop();
      http.close();
      running = undefined;
    },
  };
}

async function verifyGap(rt: SyncRuntime, instanceId: string, fromSeq: number, toSeq: number): Promise<void> {
  try {
    const report = await verifyTarget(
      { journal: rt.ctx.journal, clock: rt.ctx.clock, notifier: rt.notifier },
      rt.central,
      { range: { instanceId, fromSeq, toSeq } },
      rt.signal,
    );
    if (report.missing > 0) rt.workers.central.wake();
  } catch (error) {
    if (!rt.signal.aborted) rt.log.warn({ err: error }, "checking the central server's gap failed");
  }
}
