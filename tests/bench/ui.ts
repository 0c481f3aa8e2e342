/**
 * The screens' figures, measured in Debian's Chromium against the real galleyd:
 *
 * - kiosk entry JavaScript as galleyd sends it (the pre-compressed .gz of the entry chunk and
 *   everything it imports statically), target ≤ 80 KB; the counter's the same way, target ≤ 80 KB
 *   (its panels other than New order load when first opened, so they do not count);
 * - kiosk time to interactive with 4× CPU slowdown: navigation start → the attract loop drawn
 *   with the menu loaded (the app's `galley:interactive` mark), cold cache, a paired kiosk,
 *   median of 5, target ≤ 1.5 s;
 * - kitchen display with 200 open tickets: one update (a push delta) applied — store, render
 *   and layout (`galley:kitchen-apply` measures), p50 and p95 of 40, target ≤ 16 ms; also with
 *   4× CPU slowdown, closer to a Raspberry Pi.
 *
 * `runUiBench()` builds the screens first. Run alone: `node --import tsx tests/bench/ui.ts`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { build } from "vite";
import { waitForExpression } from "../e2e/support/harness.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { formatTable, median, percentile, round, type BenchRow } from "./stats.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const UI = join(ROOT, "ui");
const DIST = join(UI, "dist");
const CHROMIUM = process.env.GALLEY_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

/** Bytes on the wire of a page's entry JavaScript: the entry chunk and its static imports, gzip. */
export function entryGzipBytes(page: string): number {
  const manifest = JSON.parse(readFileSync(join(DIST, ".vite", "manifest.json"), "utf8")) as Record<
    string,
    ManifestChunk
  >;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  visit(`${page}.html`);
  let bytes = 0;
  for (const key of seen) {
    const file = manifest[key]?.file;
    if (file?.endsWith(".js")) bytes += statSync(join(DIST, `${file}.gz`)).size;
  }
  return bytes;
}

async function withBrowser<T>(run: (context: BrowserContext) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), "galley-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    viewport: { width: 1080, height: 1920 },
  });
  try {
    return await run(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function throttle(context: BrowserContext, page: Page, rate: number): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.clearBrowserCache");
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
}

async function kioskTimeToInteractive(app: TestApp, runs: number): Promise<number[]> {
  const token = await app.tokenFor("kiosk");
  return withBrowser(async (context) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const page = await context.newPage();
      await page.addInitScript(`localStorage.setItem("galley.token.kiosk", ${JSON.stringify(token)})`);
      await throttle(context, page, 4);
      await page.goto(`${app.url}/kiosk`, { waitUntil: "commit" });
      await waitForExpression(page, `performance.getEntriesByName("galley:interactive").length > 0`, 30_000);
      samples.push(await page.evaluate<number>(`performance.getEntriesByName("galley:interactive")[0].startTime`));
      await page.close();
    }
    return samples;
  });
}

async function kitchenUpdateTimes(app: TestApp, tickets: number, updates: number, cpuRate: number): Promise<number[]> {
  const kiosk = await app.tokenFor("kiosk");
  const kitchen = await app.tokenFor("kitchen");
  const menu = [
    [
      { menuItemId: "classic-burger", quantity: 2 },
      { menuItemId: "fries", quantity: 1 },
    ],
    [{ menuItemId: "burger-meal", quantity: 1 }],
    [
      { menuItemId: "chicken-nuggets", quantity: 1 },
      { menuItemId: "cola", quantity: 2 },
    ],
    [{ menuItemId: "falafel-bowl", quantity: 1 }],
  ];
  const ids: string[] = [];
  const queue = await app.api<{ orders: { id: string; status: string }[] }>("GET", "/api/orders/queue", {
    token: kitchen,
  });
  for (const o of queue.body.orders) if (o.status === "in_queue") ids.push(o.id);
  for (let i = queue.body.orders.length; i < tickets; i += 1) {
    const placed = await app.placeOrder(kiosk, menu[i % menu.length]!);
    if (placed.status !== 201) throw new Error(`placing order ${i}: ${JSON.stringify(placed.body)}`);
    ids.push(placed.body.id);
  }
  return withBrowser(async (context) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${app.url}/kitchen`);
    await waitForExpression(
      page,
      `document.querySelector("galley-kitchen-app")?.shadowRoot?.querySelectorAll("galley-ticket-card").length >= ${tickets}`,
      60_000,
    );
    if (cpuRate > 1) await throttle(context, page, cpuRate);
    const count = () => page.evaluate<number>(`performance.getEntriesByName("galley:kitchen-apply").length`);
    const before = await count();
    for (let i = 0; i < updates; i += 1) {
      const id = ids[i % ids.length]!;
      const reply = await app.api("PATCH", `/api/orders/${id}/status`, {
        token: kitchen,
        body: { status: i < ids.length ? "in_progress" : "ready" },
      });
      if (reply.status !== 200) throw new Error(`update ${i}: ${JSON.stringify(reply.body)}`);
      await waitForExpression(
        page,
        `performance.getEntriesByName("galley:kitchen-apply").length > ${before + i}`,
        10_000,
      );
    }
    const all = await page.evaluate<number[]>(
      `performance.getEntriesByName("galley:kitchen-apply").map((e) => e.duration)`,
    );
    return all.slice(before);
  });
}

export async function runUiBench(): Promise<BenchRow[]> {
  await build({ root: UI, configFile: join(UI, "vite.config.ts"), logLevel: "warn" });
  const rows: BenchRow[] = [];
  const kb = entryGzipBytes("kiosk") / 1024;
  rows.push({
    group: "ui",
    metric: "kiosk entry JavaScript, gzip",
    value: round(kb, 1),
    unit: "KB",
    target: "≤ 80",
    ok: kb <= 80,
  });
  const counterKb = entryGzipBytes("counter") / 1024;
  rows.push({
    group: "ui",
    metric: "counter entry JavaScript, gzip",
    value: round(counterKb, 1),
    unit: "KB",
    target: "≤ 80",
    ok: counterKb <= 80,
  });
  for (const page of ["kitchen", "board", "admin"]) {
    rows.push({
      group: "ui",
      metric: `${page} entry JavaScript, gzip`,
      value: round(entryGzipBytes(page) / 1024, 1),
      unit: "KB",
    });
  }

  const app = await startTestApp({ menu: "demo" });
  try {
    const tti = await kioskTimeToInteractive(app, 5);
    const ttiMedian = median(tti);
    rows.push({
      group: "ui",
      metric: "kiosk time to interactive, 4× CPU slowdown (median of 5)",
      value: round(ttiMedian, 0),
      unit: "ms",
      target: "≤ 1500",
      ok: ttiMedian <= 1_500,
    });

    const updates = await kitchenUpdateTimes(app, 200, 40, 1);
    const p50 = percentile(updates, 50);
    const p95 = percentile(updates, 95);
    rows.push({
      group: "ui",
      metric: "kitchen, 200 open tickets: apply one update, p50",
      value: round(p50, 1),
      unit: "ms",
      target: "≤ 16",
      ok: p50 <= 16,
    });
    rows.push({
      group: "ui",
      metric: "kitchen, 200 open tickets: apply one update, p95",
      value: round(p95, 1),
      unit: "ms",
      target: "≤ 16",
      ok: p95 <= 16,
    });
    const slow = await kitchenUpdateTimes(app, 200, 20, 4);
    rows.push({
      group: "ui",
      metric: "kitchen, 200 open tickets, 4× CPU slowdown: apply one update, p50",
      value: round(percentile(slow, 50), 1),
      unit: "ms",
    });
  } finally {
    await app.stop();
  }
  return rows;
}

if (import.meta.main) {
  const rows = await runUiBench();
  process.stdout.write(`${formatTable(rows)}\n`);
}
