import { performance } from "node:perf_hooks";
import {
  createPrinterSimulator,
  encodeDocument,
  renderReceipt,
  resolveProfile,
  startSimulatorServer,
} from "../../drivers/index.ts";
import { createTcpTransport } from "../../drivers/transport/tcp.ts";
import { SAMPLE_RECEIPT } from "../fixtures/escpos/sample-documents.ts";

/** One benchmark result row (the harness in tests/bench/run.ts prints these). */
export type BenchRow = { group: string; metric: string; value: number; unit: string; target?: string };

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** Receipt render + encode time for the 48-column sample receipt (logo, 5 lines, taxes, QR). */
function benchEncode(iterations: number, budgetMs: number): number[] {
  const profile = resolveProfile("epson-tm-t20");
  for (let i = 0; i < 20; i++) encodeDocument(renderReceipt(SAMPLE_RECEIPT, profile), profile);
  const samples: number[] = [];
  const stop = performance.now() + budgetMs;
  for (let i = 0; i < iterations && performance.now() < stop; i++) {
    const start = performance.now();
    encodeDocument(renderReceipt(SAMPLE_RECEIPT, profile), profile);
    samples.push((performance.now() - start) * 1000);
  }
  return samples;
}

/** Time from a TCP write to the simulator having consumed the bytes, over loopback. */
async function benchTcpLatency(iterations: number, budgetMs: number): Promise<number[]> {
  const simulator = createPrinterSimulator({ profile: "epson-tm-t20" });
  const server = await startSimulatorServer(simulator);
  const transport = createTcpTransport({ host: server.host, port: server.port });
  const samples: number[] = [];
  try {
    await transport.open();
    const line = new TextEncoder().encode("latency probe line ........................\n");
    let consumed: (() => void) | undefined;
    simulator.onConsumed(() => consumed?.());
    const stop = performance.now() + budgetMs;
    for (let i = 0; i < iterations && performance.now() < stop; i++) {
      const arrived = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        consumed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      const start = performance.now();
      await transport.write(line);
      await arrived;
      if (i >= 20) samples.push((performance.now() - start) * 1000);
    }
  } finally {
    await transport.close();
    await server.close();
  }
  return samples;
}

export async function runDriverBench(): Promise<BenchRow[]> {
  const encode = benchEncode(500, 5_000);
  const latency = await benchTcpLatency(1000, 5_000);
  return [
    {
      group: "drivers",
      metric: "receipt render+encode p50",
      value: round(percentile(encode, 50)),
      unit: "µs",
      target: "< 5000 µs on a Pi 4",
    },
    { group: "drivers", metric: "receipt render+encode p99", value: round(percentile(encode, 99)), unit: "µs" },
    { group: "drivers", metric: "TCP write→simulator received p50", value: round(percentile(latency, 50)), unit: "µs" },
    { group: "drivers", metric: "TCP write→simulator received p99", value: round(percentile(latency, 99)), unit: "µs" },
  ];
}

// Runs alone with `node --import tsx tests/bench/drivers.ts`.
if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  for (const row of await runDriverBench()) console.log(`${row.group}\t${row.metric}\t${row.value} ${row.unit}`);
}
