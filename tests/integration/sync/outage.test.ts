/**
 * A long outage (docs/architecture.md#fault-tests): 10,000 orders queue while the central server is
 * unreachable, then drain when it returns — every event delivered once, in seq order, with memory
 * bounded (the worker reads 100 items at a time, never the whole backlog).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { drainQueued } from "../../bench/sync.ts";

const ORDERS = Number(process.env.GALLEY_OUTAGE_ORDERS ?? 10_000);

describe("sync: a long outage", () => {
  it(
    `${ORDERS} orders queued while upstream is down drain in order, once each, with bounded memory`,
    { timeout: 180_000 },
    async () => {
      const result = await drainQueued(ORDERS, { baseMs: 20, capMs: 200, offlineProbeMs: 20, tickMs: 40 });
      process.stdout.write(
        `# ${ORDERS} orders: drained in ${result.drainSeconds.toFixed(2)} s (${Math.round(result.ordersPerSecond)} orders/s); heap ${result.heapBaselineMb.toFixed(1)} MB → peak +${(result.heapPeakMb - result.heapBaselineMb).toFixed(1)} MB → after GC +${(result.heapAfterMb - result.heapBaselineMb).toFixed(1)} MB; RSS peak +${(result.rssPeakMb - result.rssBaselineMb).toFixed(1)} MB\n`,
      );
      assert.ok(result.drained, "the backlog drained");
      assert.equal(result.events, ORDERS * 2, "each order is two events (placed, queued)");
      assert.equal(result.created, result.events, "every event delivered exactly once");
      assert.equal(result.outOfOrder, 0, "in seq order");
      // The peak depends on when the collector happens to run (31–66 MB over a day's runs on a busy
      // machine); a worker that read the whole backlog would peak far above 96 MB. What stays is below.
      assert.ok(
        result.heapPeakMb - result.heapBaselineMb < 96,
        `heap growth during the drain stays bounded (+${(result.heapPeakMb - result.heapBaselineMb).toFixed(1)} MB)`,
      );
      // What is retained is the fake server's own index of 20,000 events (~10 MB), not the worker's.
      assert.ok(
        result.heapAfterMb - result.heapBaselineMb < 24,
        `nothing of the backlog is kept (+${(result.heapAfterMb - result.heapBaselineMb).toFixed(1)} MB after GC)`,
      );
    },
  );
});
