/** A spooler on a real journal and a real printer actor wired in memory to a printer simulator. */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import {
  attachToMemory,
  createDrawer,
  createMemoryPair,
  createPrinter,
  createPrinterSimulator,
  DriverError,
  renderPageText,
  type ByteTransport,
  type KitchenTicketData,
  type PrinterSimulatorOptions,
  type ReceiptData,
} from "../../../drivers/index.ts";
import { PrintSpooler, type SpoolerOptions } from "../../../appliance/devices/spooler.ts";
import { Journal } from "../../../appliance/journal/database.ts";
import { getJob, insertJob, listJobs, type PrintJobRecord } from "../../../appliance/journal/print-store.ts";
import type { Clock } from "../../../appliance/lib/clock.ts";
import { newId } from "../../../appliance/lib/ids.ts";
import { silentLogger } from "../../../appliance/lib/logger.ts";
import type { OrderStatus } from "../../../protocol/schemas/common.ts";
import type { PrintBanner, PrintJobKind, PrintJobState } from "../../../protocol/schemas/devices.ts";
import { SAMPLE_RECEIPT, SAMPLE_TICKET_NEW } from "../../fixtures/escpos/sample-documents.ts";
import { waitFor } from "../../helpers/wait.ts";

/** Waits until `check` holds (polling every 10 ms), failing with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 3_000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}

export const FAST_SPOOLER: SpoolerOptions = {
  tickMs: 50,
  retryInitialMs: 20,
  retryMaxMs: 60,
  completionTimeoutMs: 600,
};

export interface RigOptions {
  profile?: string;
  sim?: PrinterSimulatorOptions;
  clock?: Clock;
  spooler?: SpoolerOptions;
  journal?: Journal;
  /** Wraps the host transport (fault injection before bytes leave). */
  wrap?: (transport: ByteTransport) => ByteTransport;
  start?: boolean;
}

export function openJournal(): Journal {
  const dir = mkdtempSync(join(tmpdir(), "galley-spooler-"));
  return Journal.open({ path: join(dir, "journal.sqlite"), log: silentLogger() });
}

export function ticket(number: number, station = "grill"): KitchenTicketData {
  return {
    ...SAMPLE_TICKET_NEW,
    orderNumber: String(number),
    station,
    items: SAMPLE_TICKET_NEW.items.map((i) => ({ ...i, station })),
  };
}

export function receipt(number: number): ReceiptData {
  const { logo: _logo, ...rest } = SAMPLE_RECEIPT;
  return { ...rest, orderNumber: String(number) };
}

export async function spoolerRig(t: TestContext, options: RigOptions = {}) {
  const profile = options.profile ?? "epson-tm-t20";
  const journal = options.journal ?? openJournal();
  const simulator = createPrinterSimulator({ profile, ...options.sim });
  const pair = createMemoryPair({ description: "memory:spooler-test" });
  attachToMemory(simulator, pair.device);
  const transport = options.wrap ? options.wrap(pair.host) : pair.host;
  const printer = createPrinter("sim:", {
    id: "p1",
    profile,
    transport,
    pollIntervalMs: 40,
    statusTimeoutMs: 100,
    reconnect: { initialMs: 20, maxMs: 40 },
  });
  const drawer = createDrawer(printer, { pollOpenMs: 30, kickWindowMs: 300 });
  const clock = options.clock ?? { now: () => Date.now() };
  const statuses = new Map<string, OrderStatus>();
  const changes: string[] = [];
  const spooler = new PrintSpooler({
    journal,
    printer,
    clock,
    log: silentLogger(),
    orderStatus: (id) => statuses.get(id),
    kickDrawer: () => drawer.kick(),
    onChange: (id) => {
      const job = getJob(journal, id);
      if (job) changes.push(`${job.key}:${job.state}`);
    },
    options: { ...FAST_SPOOLER, ...options.spooler },
  });
  t.after(async () => {
    await spooler.stop(100);
    drawer.stop();
    await printer.stop();
    await spooler.drain();
    journal.close();
  });
  if (options.start !== false) {
    await printer.start();
    drawer.start();
    spooler.start();
  }
  let n = 0;
  const enqueue = (
    kind: PrintJobKind,
    document: unknown,
    extra: {
      orderId?: string;
      revision?: number;
      state?: PrintJobState;
      key?: string;
      expiresAtMs?: number;
      banner?: PrintBanner;
    } = {},
  ): PrintJobRecord => {
    n += 1;
    const nowMs = clock.now();
    const job = insertJob(journal, {
      id: newId(),
      key: extra.key ?? `${kind}:${n}`,
      kind,
      orderId: extra.orderId ?? null,
      orderNumber: null,
      station: kind === "kitchen" ? "grill" : null,
      revision: extra.revision ?? 1,
      printerId: "p1",
      banner: extra.banner ?? null,
      copyOf: null,
      document,
      expiresAtMs: extra.expiresAtMs ?? nowMs + 600_000,
      at: new Date(nowMs).toISOString(),
      ...(extra.state ? { state: extra.state } : {}),
    });
    assert.ok(job);
    return job;
  };
  const job = (id: string): PrintJobRecord => {
    const found = getJob(journal, id);
    assert.ok(found, `job ${id}`);
    return found;
  };
  const all = (): PrintJobRecord[] => listJobs(journal, { limit: 1_000 }).reverse();
  /** Each printed page as text (one per cut). */
  const pages = (): string[] => simulator.printedPages.map((p) => renderPageText(p));
  return { journal, simulator, pair, printer, drawer, spooler, statuses, changes, enqueue, job, all, pages, clock };
}

/** A transport whose next job-sized write fails before a byte leaves (a write error the driver reports as failed-before-send). */
export function failingNextJobWrite(transport: ByteTransport): ByteTransport & { failNext: () => void } {
  let fail = false;
  const wrapped = Object.create(transport) as ByteTransport & { failNext: () => void };
  Object.defineProperty(wrapped, "write", {
    value: (bytes: Uint8Array, options?: { timeoutMs?: number }) => {
      if (fail && bytes.length > 16) {
        fail = false;
        return Promise.reject(new DriverError("write_failed", "injected write error"));
      }
      return transport.write(bytes, options);
    },
  });
  Object.defineProperty(wrapped, "failNext", {
    value: () => {
      fail = true;
    },
  });
  return wrapped;
}
