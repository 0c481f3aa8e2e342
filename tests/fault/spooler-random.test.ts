/**
 * 1,000 kitchen tickets through two spoolers while the printers misbehave at random: paper out
 * mid-job, cover open, the link dropped mid-job or between jobs, the printer unplugged and plugged
 * back, a printer that goes silent, and galleyd "restarting" (spooler and printer connection
 * replaced, recovery at start). Afterwards, on the simulated paper, every ticket was printed
 * exactly once, or once plus copies marked REPRINT: never lost, never silently doubled.
 *
 * GALLEY_SPOOLER_JOBS and GALLEY_SPOOLER_SEED reproduce a run. Printers are TCP simulators on
 * 127.0.0.1. The journal runs with synchronous=NORMAL: this test is about the spooler's logic,
 * not the disk (tests/fault/crash.test.ts covers durability).
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  createPrinter,
  createPrinterSimulator,
  renderPageText,
  startSimulatorServer,
  type PrinterSimulator,
  type ReceiptPrinter,
  type SimulatorServer,
} from "../../drivers/index.ts";
import { PrintSpooler } from "../../appliance/devices/spooler.ts";
import { Journal } from "../../appliance/journal/database.ts";
import { insertJob, listJobs, type PrintJobRecord } from "../../appliance/journal/print-store.ts";
import { newId } from "../../appliance/lib/ids.ts";
import { silentLogger } from "../../appliance/lib/logger.ts";
import { ACTIVE_JOB_STATES } from "../../protocol/schemas/devices.ts";
import { ticketCopies } from "../integration/devices/rig.ts";
import { ticket } from "../unit/devices/spooler-rig.ts";
import { pollUntil } from "../helpers/wait.ts";

const JOBS = Number(process.env.GALLEY_SPOOLER_JOBS ?? 1_000);
const SEED = Number(process.env.GALLEY_SPOOLER_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Faults the run injects at the least. */
const MIN_FAULTS = 50;
/** Hard bounds: the whole run, and the drain after the faults stop. */
const RUN_BUDGET_MS = 60_000;
const DRAIN_BUDGET_MS = 20_000;

/** mulberry32: small, seedable, good enough to pick faults. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The fault schedule's random pauses (when a fault strikes, how long it lasts, the gaps between
 * bursts of tickets). Real time is the point here: faults must land in the middle of the drivers'
 * and the spooler's own timers, at moments no condition could pick.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Station {
  id: string;
  profile: string;
  simulator: PrinterSimulator;
  server: SimulatorServer;
  port: number;
  up: boolean;
  printer: ReceiptPrinter;
  spooler: PrintSpooler;
}

describe("spooler under random faults", () => {
  it(`${JOBS} kitchen tickets: each printed exactly once, or once plus copies marked REPRINT (seed ${SEED})`, async (t) => {
    const random = prng(SEED);
    const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const journal = Journal.open({
      path: join(mkdtempSync(join(tmpdir(), "galley-spooler-random-")), "journal.sqlite"),
      log: silentLogger(),
      synchronous: "NORMAL",
    });
    const started = Date.now();
    const faults: Record<string, number> = {};
    const count = (name: string) => {
      faults[name] = (faults[name] ?? 0) + 1;
    };

    const connect = (station: Pick<Station, "id" | "profile" | "server">) => {
      const printer = createPrinter(station.server.uri, {
        id: station.id,
        profile: station.profile,
        pollIntervalMs: 30,
        statusTimeoutMs: 80,
        unresponsiveLimit: 3,
        reconnect: { initialMs: 10, maxMs: 40 },
      });
      const spooler = new PrintSpooler({
        journal,
        printer,
        clock: { now: () => Date.now() },
        log: silentLogger(),
        orderStatus: () => undefined,
        options: { tickMs: 50, retryInitialMs: 10, retryMaxMs: 40, completionTimeoutMs: 400 },
      });
      return { printer, spooler };
    };
    const stations: Station[] = [];
    for (const [id, profile] of [
      ["grill", "epson-tm-t20"],
      ["fryer", "generic-80"],
    ] as const) {
      const simulator = createPrinterSimulator({ profile });
      const server = await startSimulatorServer(simulator);
      const { printer, spooler } = connect({ id, profile, server });
      stations.push({ id, profile, simulator, server, port: server.port, up: true, printer, spooler });
      await printer.start();
      spooler.start();
    }
    t.after(async () => {
      for (const s of stations) {
        await s.spooler.stop(50);
        await s.printer.stop();
        if (s.up) await s.server.close();
      }
      journal.close();
    });

    const restore: Promise<void>[] = [];
    const later = (ms: number, fn: () => Promise<void> | void) => {
      restore.push(sleep(ms).then(fn));
    };
    async function injectFault(s: Station): Promise<void> {
      const roll = random();
      if (roll < 0.2) {
        count("paper out mid-job");
        s.simulator.setFaults({ paperOutAtByte: between(40, 1_500) });
        later(between(20, 150), () => {
          s.simulator.setPaper("ok");
        });
      } else if (roll < 0.32) {
        count("cover open");
        s.simulator.setCoverOpen(true);
        later(between(20, 120), () => {
          s.simulator.setCoverOpen(false);
        });
      } else if (roll < 0.55) {
        count("disconnect mid-job");
        s.simulator.setFaults({ disconnectAtByte: between(20, 2_000) });
      } else if (roll < 0.68) {
        count("link dropped");
        s.server.dropClients();
      } else if (roll < 0.78 && s.up) {
        count("unplugged");
        s.up = false;
        await s.server.close();
        later(between(30, 200), async () => {
          s.server = await startSimulatorServer(s.simulator, { port: s.port });
          s.up = true;
        });
      } else if (roll < 0.86) {
        count("silent printer");
        s.simulator.setFaults({ silent: true });
        later(between(40, 200), () => {
          s.simulator.setFaults({});
        });
      } else if (roll < 0.9) {
        count("galleyd restarted mid-run");
        // Like a crash: the connection goes, nothing is written on the way out; the new spooler recovers.
        await s.spooler.stop(0);
        await s.printer.stop();
        await s.spooler.drain();
        const next = connect(s);
        s.printer = next.printer;
        s.spooler = next.spooler;
        await s.printer.start();
        s.spooler.start();
      }
      // else: a quiet moment
    }

    // Orders arrive in small bursts while faults strike both printers.
    let inserted = 0;
    const injected = (): number => Object.values(faults).reduce((a, b) => a + b, 0);
    // Faults keep coming while tickets arrive, and until MIN_FAULTS struck however fast the
    // tickets went in (a quick machine queues them all before the faults add up).
    const faultLoop = (async () => {
      while ((inserted < JOBS || injected() < MIN_FAULTS) && Date.now() - started < RUN_BUDGET_MS) {
        await sleep(between(15, 60));
        await injectFault(stations[between(0, stations.length - 1)] as Station);
      }
    })();
    while (inserted < JOBS && Date.now() - started < RUN_BUDGET_MS) {
      const burst = Math.min(between(1, 6), JOBS - inserted);
      for (let i = 0; i < burst; i++) {
        inserted += 1;
        const station = stations[inserted % stations.length] as Station;
        insertJob(journal, {
          id: newId(),
          key: `kitchen:order-${inserted}:${station.id}:r1:${station.id}`,
          kind: "kitchen",
          orderId: `order-${inserted}`,
          orderNumber: inserted,
          station: station.id,
          revision: 1,
          printerId: station.id,
          banner: null,
          copyOf: null,
          document: ticket(inserted, station.id),
          expiresAtMs: Date.now() + 3_600_000,
          at: new Date().toISOString(),
        });
      }
      for (const s of stations) s.spooler.wake();
      await sleep(between(2, 12));
    }
    await faultLoop;
    await Promise.all(restore);

    // Faults stop: every printer healthy and reachable; the queues must drain.
    for (const s of stations) {
      s.simulator.setFaults({});
      s.simulator.setPaper("ok");
      s.simulator.setCoverOpen(false);
      if (!s.up) {
        s.server = await startSimulatorServer(s.simulator, { port: s.port });
        s.up = true;
      }
    }
    const active = (): PrintJobRecord[] => listJobs(journal, { states: ACTIVE_JOB_STATES, limit: 10_000 });
    // A timeout falls through to the assertion below, which lists every job left unsettled.
    await pollUntil(
      () => {
        if (active().length === 0) return true;
        for (const s of stations) s.spooler.wake();
        return false;
      },
      { what: "the queues to drain", timeoutMs: DRAIN_BUDGET_MS, intervalMs: 50 },
    );
    assert.equal(inserted, JOBS, "all jobs were queued within the time budget");
    assert.deepEqual(
      active().map((j) => `${j.key} ${j.state} ${j.lastError ?? ""}`),
      [],
      "every job settled",
    );

    // On paper: exactly once, or once plus REPRINT copies.
    const jobs = listJobs(journal, { limit: 100_000 });
    const pages = new Map(stations.map((s) => [s.id, s.simulator.printedPages.map((p) => renderPageText(p))]));
    const problems: string[] = [];
    const spread: Record<string, number> = {};
    for (let n = 1; n <= JOBS; n++) {
      const station = (stations[n % stations.length] as Station).id;
      const copies = ticketCopies(pages.get(station) ?? [], n, station);
      spread[`${copies.plain} plain + ${copies.reprint} REPRINT`] =
        (spread[`${copies.plain} plain + ${copies.reprint} REPRINT`] ?? 0) + 1;
      if (copies.plain > 1) problems.push(`#${n} printed ${copies.plain} times without a REPRINT banner`);
      if (copies.plain + copies.reprint === 0) problems.push(`#${n} never printed`);
    }
    // In the journal: a REPRINT only ever follows an unknown outcome, and every ticket ends printed.
    const byId = new Map(jobs.map((j) => [j.id, j]));
    for (const job of jobs.filter((j) => j.banner === "REPRINT")) {
      assert.equal(byId.get(job.copyOf ?? "")?.state, "uncertain", `REPRINT ${job.key} follows an uncertain job`);
    }
    const originals = jobs.filter((j) => j.banner === null);
    const finalState = (job: PrintJobRecord): string => {
      let current = job;
      for (let hops = 0; hops < 10 && current.followedBy !== null; hops++)
        current = byId.get(current.followedBy) ?? current;
      return current.state;
    };
    const endings: Record<string, number> = {};
    for (const job of originals) endings[finalState(job)] = (endings[finalState(job)] ?? 0) + 1;

    t.diagnostic(`seed ${SEED}; ${JOBS} tickets in ${Date.now() - started} ms; faults ${JSON.stringify(faults)}`);
    t.diagnostic(
      `on paper: ${JSON.stringify(spread)}; ticket chains ended ${JSON.stringify(endings)}; REPRINT jobs ${jobs.filter((j) => j.banner === "REPRINT").length}`,
    );
    assert.deepEqual(problems, [], `seed ${SEED}`);
    assert.equal(originals.length, JOBS);
    assert.ok(injected() >= MIN_FAULTS, `enough faults were injected: ${JSON.stringify(faults)}`);
    assert.ok(
      (faults["disconnect mid-job"] ?? 0) > 0 && (faults["paper out mid-job"] ?? 0) > 0,
      "the interesting faults happened",
    );
    assert.equal(
      (endings.failed ?? 0) + (endings.expired ?? 0) + (endings.cancelled ?? 0),
      0,
      `every ticket chain ended printed: ${JSON.stringify(endings)}`,
    );
  });
});
