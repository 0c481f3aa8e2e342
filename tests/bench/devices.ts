/**
 * The device layer's figures (issue: Numbers):
 * - the drivers' own (receipt render + encode time, TCP write → simulator), from drivers.ts;
 * - order placed → first byte of its kitchen ticket at the TCP printer (galleyd as a child
 *   process, the production bundle; the printer a TCP simulator in this process);
 * - spooler jobs/s through one TCP printer (journal with synchronous=FULL, as on the board);
 * - memory the device layer adds: RSS of galleyd driving two printers, a drawer and a display,
 *   minus RSS of the same galleyd driving none.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import {
  createPoleDisplaySimulator,
  createPrinter,
  createPrinterSimulator,
  startSimulatorServer,
  type PrinterSimulator,
} from "../../drivers/index.ts";
import { PrintSpooler } from "../../appliance/devices/spooler.ts";
import { Journal } from "../../appliance/journal/database.ts";
import { insertJob, listJobs } from "../../appliance/journal/print-store.ts";
import { newId } from "../../appliance/lib/ids.ts";
import { silentLogger } from "../../appliance/lib/logger.ts";
import { ACTIVE_JOB_STATES } from "../../protocol/schemas/devices.ts";
import { buildAppliance, PRODUCTION_ENV, PRODUCTION_NODE_FLAGS } from "../../scripts/build.ts";
import { ROOT } from "../helpers/galleyd-process.ts";
import { smallMenu } from "../fixtures/small-menu.ts";
import { ticket } from "../unit/devices/spooler-rig.ts";
import { runDriverBench } from "./drivers.ts";
import { median, percentile, round, sleep, type BenchRow } from "./stats.ts";

const ORDERS = Number(process.env.GALLEY_BENCH_DEVICE_ORDERS ?? 200);
const SPOOLER_JOBS = Number(process.env.GALLEY_BENCH_SPOOLER_JOBS ?? 300);
const FAST = { pollIntervalMs: 500, statusTimeoutMs: 500, reconnectInitialMs: 100, reconnectMaxMs: 1_000 };

interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** galleyd from the production bundle, configured by a file, in development mode (so screens self-pair). */
async function startGalleyd(devices: Record<string, unknown>): Promise<Child> {
  const dataDir = mkdtempSync(join(tmpdir(), "galley-bench-devices-"));
  const seed = join(dataDir, "menu.json");
  writeFileSync(seed, JSON.stringify(smallMenu()));
  const configFile = join(dataDir, "galley.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      mode: "development",
      dataDir,
      server: { host: "127.0.0.1", port: 0 },
      menu: { seed },
      log: { level: "warn" },
      devices: { savePrints: false, ...devices },
    }),
  );
  if (!existsSync(join(ROOT, "dist", "galleyd.mjs"))) await buildAppliance();
  const child: ChildProcess = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, join(ROOT, "dist", "galleyd.mjs")], {
    cwd: ROOT,
    env: { ...PRODUCTION_ENV, PATH: process.env.PATH ?? "", GALLEY_CONFIG: configFile, GALLEY_ADMIN_PIN: "1234" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`galleyd did not start:\n${out}`));
    }, 20_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /is serving on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => {
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? "0") / 1024;
}

async function post(url: string, path: string, token: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** Marks when a job's first bytes (ESC @, which every document starts with) reach the simulator. */
function watchJobs(simulator: PrinterSimulator): { next(): Promise<number> } {
  let waiter: ((at: number) => void) | undefined;
  const receive = simulator.receive.bind(simulator);
  simulator.receive = (chunk: Uint8Array) => {
    for (let i = 0; i + 1 < chunk.length; i++) {
      if (chunk[i] === 0x1b && chunk[i + 1] === 0x40 && waiter) {
        waiter(performance.now());
        waiter = undefined;
        break;
      }
    }
    return receive(chunk);
  };
  return {
    next: () =>
      new Promise<number>((resolve) => {
        const timer = setTimeout(() => {
          resolve(Number.NaN);
        }, 5_000);
        waiter = (at) => {
          clearTimeout(timer);
          resolve(at);
        };
      }),
  };
}

/** POST /api/orders → the first byte of that order's kitchen ticket at the TCP printer. */
async function orderToFirstByte(): Promise<{ latencies: number[]; rss: number }> {
  const simulator = createPrinterSimulator({ profile: "epson-tm-t20" });
  const server = await startSimulatorServer(simulator);
  const watch = watchJobs(simulator);
  const galleyd = await startGalleyd({
    printers: [{ id: "kitchen", uri: server.uri, kitchenStations: ["*"], ...FAST }],
  });
  const latencies: number[] = [];
  try {
    const kiosk = (
      (await (await post(galleyd.url, "/api/devices/dev-pair", undefined, { role: "kiosk" })).json()) as {
        token: string;
      }
    ).token;
    for (let i = 0; i < ORDERS; i++) {
      const id = randomUUID();
      const printed = watch.next();
      const start = performance.now();
      const res = await post(galleyd.url, "/api/orders", kiosk, { id, items: [{ menuItemId: "fries", quantity: 1 }] });
      if (res.status !== 201) throw new Error(`order refused: ${res.status} ${await res.text()}`);
      const at = await printed;
      if (i >= 10 && Number.isFinite(at)) latencies.push(at - start);
      // Let the job finish (its completion sentinel) so each order starts on an idle printer.
      await sleep(40);
    }
    return { latencies, rss: await rssMb(galleyd.pid) };
  } finally {
    await galleyd.stop();
    await server.close();
  }
}

/** Jobs through one spooler to one TCP printer, on a durable (FULL) journal. */
async function spoolerThroughput(): Promise<number> {
  const journal = Journal.open({
    path: join(mkdtempSync(join(tmpdir(), "galley-bench-spooler-")), "journal.sqlite"),
    log: silentLogger(),
  });
  const simulator = createPrinterSimulator({ profile: "epson-tm-t20" });
  const server = await startSimulatorServer(simulator);
  const printer = createPrinter(server.uri, {
    id: "p1",
    profile: "epson-tm-t20",
    ...{ pollIntervalMs: 500, statusTimeoutMs: 500 },
  });
  const spooler = new PrintSpooler({
    journal,
    printer,
    clock: { now: () => Date.now() },
    log: silentLogger(),
    orderStatus: () => undefined,
  });
  try {
    await printer.start();
    spooler.start();
    const at = new Date().toISOString();
    journal.transaction(() => {
      for (let n = 1; n <= SPOOLER_JOBS; n++) {
        insertJob(journal, {
          id: newId(),
          key: `bench:${n}`,
          kind: "kitchen",
          orderId: null,
          orderNumber: n,
          station: "grill",
          revision: 1,
          printerId: "p1",
          banner: null,
          copyOf: null,
          document: ticket(n),
          expiresAtMs: Date.now() + 3_600_000,
          at,
        });
      }
    });
    const start = performance.now();
    spooler.wake();
    for (let i = 0; i < 6_000 && listJobs(journal, { states: ACTIVE_JOB_STATES, limit: 1 }).length > 0; i++)
      await sleep(10);
    const seconds = (performance.now() - start) / 1_000;
    return SPOOLER_JOBS / seconds;
  } finally {
    await spooler.stop(100);
    await printer.stop();
    await spooler.drain();
    await server.close();
    journal.close();
  }
}

/** RSS of galleyd with two TCP printers, a drawer and a pass-through display, minus with none. */
async function deviceMemory(): Promise<{ without: number; with: number }> {
  const settle = async (pid: number): Promise<number> => {
    await sleep(1_500);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(await rssMb(pid));
      await sleep(200);
    }
    return median(samples);
  };
  const bare = await startGalleyd({ printers: [], requireKitchenRoute: false });
  const without = await settle(bare.pid);
  await bare.stop();
  const kitchen = await startSimulatorServer(createPrinterSimulator({ profile: "epson-tm-t20" }));
  const counter = await startSimulatorServer(
    createPrinterSimulator({ profile: "epson-tm-t88", passThroughDisplay: createPoleDisplaySimulator("epson") }),
  );
  const full = await startGalleyd({
    printers: [
      { id: "kitchen", uri: kitchen.uri, kitchenStations: ["*"], ...FAST },
      { id: "counter", uri: counter.uri, profile: "epson-tm-t88", receipts: true, numberSlips: true, ...FAST },
    ],
    drawer: { printer: "counter" },
    display: { passThrough: "counter" },
  });
  const withDevices = await settle(full.pid);
  await full.stop();
  await kitchen.close();
  await counter.close();
  return { without, with: withDevices };
}

export async function runDeviceBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [...(await runDriverBench())];
  const { latencies, rss } = await orderToFirstByte();
  rows.push(
    {
      group: "devices",
      metric: "order placed → first byte at the TCP printer p50",
      value: round(percentile(latencies, 50)),
      unit: "ms",
      target: "< 100 ms",
      ok: percentile(latencies, 50) < 100,
    },
    {
      group: "devices",
      metric: "order placed → first byte at the TCP printer p99",
      value: round(percentile(latencies, 99)),
      unit: "ms",
      target: "< 250 ms",
      ok: percentile(latencies, 99) < 250,
    },
    { group: "devices", metric: "RSS after the order run (1 printer)", value: round(rss, 1), unit: "MiB" },
  );
  const jobsPerSecond = await spoolerThroughput();
  rows.push({
    group: "devices",
    metric: "spooler jobs/s (one TCP printer, confirmed, FULL journal)",
    value: round(jobsPerSecond, 1),
    unit: "jobs/s",
    target: "> 10 (a thermal printer cuts ~1 ticket/s)",
    ok: jobsPerSecond > 10,
  });
  const memory = await deviceMemory();
  rows.push(
    { group: "devices", metric: "RSS idle, no devices", value: round(memory.without, 1), unit: "MiB" },
    { group: "devices", metric: "RSS idle, 2 printers + drawer + display", value: round(memory.with, 1), unit: "MiB" },
    {
      group: "devices",
      metric: "memory added by the device layer",
      value: round(memory.with - memory.without, 1),
      unit: "MiB",
      target: "< 15 MiB",
      ok: memory.with - memory.without < 15,
    },
  );
  return rows;
}

// Runs alone with `node --import tsx tests/bench/devices.ts`.
if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const { formatTable } = await import("./stats.ts");
  console.log(formatTable(await runDeviceBench()));
}
