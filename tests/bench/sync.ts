/**
 * Sync figures (issue: Numbers), measured in this process against the fake central server on
 * 127.0.0.1 with the default retry policy:
 * 1. network back → first acknowledgement (target ≤ 1 s, where a fixed 5-minute retry would
 *    wait up to 5 min; docs/architecture.md#retries);
 * 2. drain of 10,000 orders queued during an outage (target ≥ 1,000 orders/s);
 * 3. memory during that drain (heap and RSS growth: the worker reads 100 items at a time).
 * The outage test (tests/integration/sync/outage.test.ts) runs the same drain with assertions.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { createApp, type App } from "../../appliance/app.ts";
import { devPair } from "../../appliance/commands/auth.ts";
import { placeOrder } from "../../appliance/commands/orders.ts";
import { testConfig } from "../../appliance/config/load.ts";
import { silentLogger } from "../../appliance/lib/logger.ts";
import { connect } from "../../appliance/sync/integrations.ts";
import { FakeCentral } from "../fakes/fake-central.ts";
import { smallMenu } from "../fixtures/small-menu.ts";
import { median, round, sleep, type BenchRow } from "./stats.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

interface Rig {
  app: App;
  fake: FakeCentral;
  place(n: number): void;
  open(): number;
  acked(): number;
  stop(): Promise<void>;
}

/** galleyd with the central target connected to a fake; `retry` overrides the default policy. */
export async function startRig(
  options: { retry?: Record<string, unknown>; keepPayloads?: boolean } = {},
): Promise<Rig> {
  const fake = new FakeCentral({ keepPayloads: options.keepPayloads ?? false });
  fake.logRequests = false;
  await fake.start();
  const dataDir = mkdtempSync(join(tmpdir(), "galley-sync-bench-"));
  const seed = join(dataDir, "menu.json");
  writeFileSync(seed, JSON.stringify(smallMenu()));
  const config = testConfig({
    dataDir,
    server: { host: "127.0.0.1", port: 0 },
    menu: { seed },
    log: { level: "silent" },
    sync: {
      central: { url: fake.url, storeId: "bench" },
      verification: { everyMinutes: 0 },
      ...(options.retry ? { retry: options.retry } : {}),
    },
    backups: { everyHours: 0, clockSync: "synced" },
    orders: { numberMax: 99_999 },
    // No printers: this measures sync, not the (simulated) kitchen printer working through 10,000 tickets.
    devices: { printers: [], requireKitchenRoute: false },
  });
  const app = createApp({ config, log: silentLogger(), adminPin: "1234" });
  await app.start();
  const rt = app.sync;
  connect(
    rt,
    "central",
    { accessToken: fake.token },
    { kind: "user", id: randomUUID(), name: "bench", role: "admin", permissions: [] },
  );
  const kiosk = devPair(app.ctx, "kiosk", "bench").response.principal;
  const count = (sql: string) => app.ctx.journal.get<{ n: number }>(sql)?.n ?? 0;
  return {
    app,
    fake,
    place(n) {
      for (let i = 0; i < n; i += 1) {
        placeOrder(app.ctx, kiosk, { id: randomUUID(), items: [{ menuItemId: "fries", quantity: 1 }] }, undefined);
        // The kitchen completes orders, so daily numbers never run out in a long run.
      }
    },
    open: () => count("SELECT COUNT(*) AS n FROM outbox WHERE state NOT IN ('acked', 'verified', 'dead')"),
    acked: () => count("SELECT COUNT(*) AS n FROM outbox WHERE state = 'acked'"),
    async stop() {
      await app.stop();
      await fake.stop();
    },
  };
}

/** Upstream goes away, orders queue, it comes back: ms from "listening again" to the first acknowledged item. */
export async function networkBackToFirstAck(rounds: number): Promise<number[]> {
  const rig = await startRig();
  const samples: number[] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      await rig.fake.down();
      const before = rig.acked();
      rig.place(5);
      const worker = rig.app.sync.workers.central;
      for (let i = 0; i < 500 && !worker.offline; i += 1) await sleep(5);
      // The outage lasts a while: the worker has settled into probing.
      await sleep(700 + Math.floor(Math.random() * 600));
      await rig.fake.up();
      const upAt = performance.now();
      const deadline = upAt + 10_000;
      while (rig.acked() === before && performance.now() < deadline) await sleep(1);
      samples.push(performance.now() - upAt);
      while (rig.open() > 0 && performance.now() < deadline) await sleep(5);
    }
  } finally {
    await rig.stop();
  }
  return samples;
}

export interface DrainResult {
  orders: number;
  events: number;
  placeSeconds: number;
  drainSeconds: number;
  ordersPerSecond: number;
  heapBaselineMb: number;
  heapPeakMb: number;
  heapAfterMb: number;
  rssBaselineMb: number;
  rssPeakMb: number;
  created: number;
  outOfOrder: number;
  drained: boolean;
  /** Longest event-loop stall (ms) during a journal backup of the drained journal, and during VACUUM INTO of it. */
  backupLoopMaxMs?: number;
  vacuumLoopMaxMs?: number;
  journalMb?: number;
}

/** The longest event-loop stall while `work` runs (a 1 ms timer keeps the loop observed). */
async function loopStall(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  histogram.enable();
  await work();
  await sleep(5);
  histogram.disable();
  clearInterval(ticker);
  return Math.max(worst, histogram.max / 1e6);
}

const mb = (bytes: number) => bytes / 1_048_576;

/** `orders` orders placed while upstream is down, then the drain when it returns. */
export async function drainQueued(
  orders: number,
  retry?: Record<string, unknown>,
  measureBackup = false,
): Promise<DrainResult> {
  const rig = await startRig(retry ? { retry } : {});
  try {
    await rig.fake.down();
    const placeStarted = performance.now();
    for (let i = 0; i < orders; i += 500) {
      rig.place(Math.min(500, orders - i));
      await sleep(0);
    }
    const placeSeconds = (performance.now() - placeStarted) / 1_000;
    const events = rig.open();
    gc();
    const base = process.memoryUsage();
    let heapPeak = base.heapUsed;
    let rssPeak = base.rss;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      heapPeak = Math.max(heapPeak, m.heapUsed);
      rssPeak = Math.max(rssPeak, m.rss);
    }, 10);
    await rig.fake.up();
    const started = performance.now();
    const deadline = started + 120_000;
    while (rig.open() > 0 && performance.now() < deadline) await sleep(5);
    const drainSeconds = (performance.now() - started) / 1_000;
    clearInterval(sampler);
    gc();
    const afterHeap = process.memoryUsage().heapUsed;
    const backup: Partial<DrainResult> = {};
    if (measureBackup) {
      const { journal } = rig.app.ctx;
      backup.journalMb = mb(
        journal.get<{ n: number }>("SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()")
          ?.n ?? 0,
      );
      backup.backupLoopMaxMs = await loopStall(async () => {
        const run = await rig.app.sync.scheduler.runNow("journal-backup", "bench");
        if (run.state !== "ok") throw new Error(`the benchmark's backup failed: ${run.error ?? run.state}`);
      });
      backup.vacuumLoopMaxMs = await loopStall(() => {
        journal.copyTo(join(tmpdir(), `galley-vacuum-${randomUUID()}.sqlite`));
        return Promise.resolve();
      });
    }
    return {
      ...backup,
      orders,
      events,
      placeSeconds,
      drainSeconds,
      ordersPerSecond: orders / drainSeconds,
      heapBaselineMb: mb(base.heapUsed),
      heapPeakMb: mb(heapPeak),
      heapAfterMb: mb(afterHeap),
      rssBaselineMb: mb(base.rss),
      rssPeakMb: mb(rssPeak),
      created: rig.fake.created,
      outOfOrder: rig.fake.outOfOrder,
      drained: rig.open() === 0,
    };
  } finally {
    await rig.stop();
  }
}

export async function runSyncBench(): Promise<BenchRow[]> {
  const back = await networkBackToFirstAck(7);
  const drain = await drainQueued(10_000, undefined, true);
  const rows: BenchRow[] = [
    {
      group: "sync",
      metric: "network back → first ack, median of 7 (default policy)",
      value: median(back),
      unit: "ms",
      target: "≤ 1000",
      ok: median(back) <= 1_000,
    },
    {
      group: "sync",
      metric: "network back → first ack, worst of 7",
      value: Math.max(...back),
      unit: "ms",
      target: "≤ 1000",
      ok: Math.max(...back) <= 1_000,
    },
    {
      group: "sync",
      metric: `drain of ${drain.orders} queued orders (${drain.events} events) to the fake central`,
      value: drain.ordersPerSecond,
      unit: "orders/s",
      target: "≥ 1000",
      ok: drain.ordersPerSecond >= 1_000,
    },
    { group: "sync", metric: "drain time", value: drain.drainSeconds, unit: "s" },
    {
      group: "sync",
      metric: "queueing them while offline (durable placement)",
      value: drain.orders / drain.placeSeconds,
      unit: "orders/s",
    },
    { group: "sync", metric: "heap before the drain (after GC)", value: drain.heapBaselineMb, unit: "MB" },
    {
      group: "sync",
      metric: "heap growth at the drain's peak",
      value: drain.heapPeakMb - drain.heapBaselineMb,
      unit: "MB",
      target: "≤ 64",
      ok: drain.heapPeakMb - drain.heapBaselineMb <= 64,
    },
    {
      group: "sync",
      metric: "heap retained after the drain (after GC; incl. the fake's index)",
      value: drain.heapAfterMb - drain.heapBaselineMb,
      unit: "MB",
    },
    {
      group: "sync",
      metric: "RSS growth at the drain's peak",
      value: drain.rssPeakMb - drain.rssBaselineMb,
      unit: "MB",
    },
    {
      group: "sync",
      metric: "events delivered out of seq order",
      value: drain.outOfOrder,
      unit: "events",
      target: "0",
      ok: drain.outOfOrder === 0,
    },
    {
      group: "sync",
      metric: `longest event-loop stall during a journal backup (${round(drain.journalMb ?? 0, 1)} MB journal)`,
      value: drain.backupLoopMaxMs ?? 0,
      unit: "ms",
    },
    {
      group: "sync",
      metric: "… the same journal copied with VACUUM INTO, for comparison",
      value: drain.vacuumLoopMaxMs ?? 0,
      unit: "ms",
    },
  ];
  return rows.map((r) => ({ ...r, value: round(r.value) }));
}
