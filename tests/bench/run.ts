/**
 * `npm run bench`: every figure measured in one run on this machine, printed as one table.
 * `GALLEY_BENCH_ONLY=core,ui` runs a subset.
 */
import { buildAppliance } from "../../scripts/build.ts";
import { runCoreBench } from "./core.ts";
import { runDeviceBench } from "./devices.ts";
import { runPaymentsBench } from "./payments.ts";
import { runCashBench } from "./cash.ts";
import { formatTable, type BenchRow } from "./stats.ts";
import { runSyncBench } from "./sync.ts";
import { runSecurityBench } from "./security.ts";
import { runUiBench } from "./ui.ts";

const GROUPS: Record<string, () => Promise<BenchRow[]>> = {
  core: runCoreBench,
  devices: runDeviceBench,
  payments: runPaymentsBench,
  cash: runCashBench,
  sync: runSyncBench,
  ui: runUiBench,
  security: runSecurityBench,
};

const only = process.env.GALLEY_BENCH_ONLY?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
await buildAppliance();
const rows: BenchRow[] = [];
for (const [name, run] of Object.entries(GROUPS)) {
  if (only && !only.includes(name)) continue;
  const started = Date.now();
  rows.push(...(await run()));
  console.error(`bench ${name}: ${((Date.now() - started) / 1_000).toFixed(1)} s`);
}
console.log(
  `\nGalley benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${process.platform}/${process.arch}\n`,
);
console.log(formatTable(rows));
const missed = rows.filter((r) => r.ok === false);
if (missed.length > 0)
  console.log(`\n${missed.length} target(s) not met: ${missed.map((r) => `${r.group}/${r.metric}`).join("; ")}`);
