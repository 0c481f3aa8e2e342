/** `npm run bench`: every figure measured in one run, printed as one table. */
import { buildAppliance } from "../../scripts/build.ts";
import { runCoreBench } from "./core.ts";
import { formatTable, type BenchRow } from "./stats.ts";

await buildAppliance();
const rows: BenchRow[] = [];
rows.push(...(await runCoreBench()));
console.log(`\nGalley benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${process.platform}/${process.arch}\n`);
console.log(formatTable(rows));
