/**
 * Child process of the sync failpoint test: runs galleyd in-process on a real journal with sync
 * pointed at the parent's fakes, and dies with SIGKILL at the point named in GALLEY_FAILPOINT
 * (appliance/lib/failpoints.ts). Env:
 *   TARGET       central | square            which upstream to connect
 *   UPSTREAM     the fake's URL
 *   MODE         send | backup | backups | retention | idle
 *   PLACE        orders to place (send mode; square orders are paid in cash)
 *   RECONNECT    "access refresh": connect again with these tokens first
 *   CLOCK_OFFSET_MS  shift the clock (retention)
 * Prints READY, then DONE <json> when its work is finished.
 */
import { randomUUID } from "node:crypto";
import { createApp } from "../../appliance/app.ts";
import { devPair } from "../../appliance/commands/auth.ts";
import { placeOrder } from "../../appliance/commands/orders.ts";
import { recordPayment } from "../../appliance/commands/payments.ts";
import { childConfig } from "./child-config.ts";
import { silentLogger } from "../../appliance/lib/logger.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import { applyRetention } from "../../appliance/jobs/journal-backups.ts";
import { connect } from "../../appliance/sync/integrations.ts";
import type { FailpointName } from "../../appliance/lib/failpoints.ts";
import { pollUntil } from "../helpers/wait.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: sync-child.ts <dataDir>");
const env = process.env;
const target = env.TARGET === "square" ? "square" : "central";
const upstream = env.UPSTREAM ?? "http://127.0.0.1:9";
const mode = env.MODE ?? "send";
const offset = Number(env.CLOCK_OFFSET_MS ?? 0);
const armed = env.GALLEY_FAILPOINT;

const config = childConfig(dataDir, {
  sync: {
    retry: { baseMs: 20, capMs: 200, tickMs: 40, offlineProbeMs: 20, leaseSeconds: 5 },
    central: { url: target === "central" ? upstream : "", storeId: "store-1", timeoutMs: 2_000 },
    square: { url: upstream, clientId: "sq-app", timeoutMs: 2_000 },
    verification: { everyMinutes: 0 },
  },
  backups: { everyHours: 0, keep: 1, retentionDays: 1, clockSync: "synced" },
  devices: { printers: [], requireKitchenRoute: false },
  cash: { shifts: "off" },
});
const app = createApp({
  config,
  log: silentLogger(),
  adminPin: "9999",
  clock: { now: () => Date.now() + offset },
  sync: {
    clockSynced: () => Promise.resolve(true),
    failpoint: (name: FailpointName) => {
      if (name === armed) process.kill(process.pid, "SIGKILL");
    },
  },
});
await app.start();
process.stdout.write("READY\n");
const rt = app.sync;
const operator: Principal = { kind: "user", id: randomUUID(), name: "fault test", role: "admin", permissions: [] };

/** Waits until the outbox is drained (true) or the target blocked or `ms` passed (false): the parent reports which. */
async function drained(ms: number): Promise<boolean> {
  const settled = await pollUntil(
    () => {
      const open =
        app.ctx.journal.get<{ n: number }>(
          "SELECT COUNT(*) AS n FROM outbox WHERE state NOT IN ('acked', 'verified', 'dead')",
        )?.n ?? 0;
      rt.roster.refresh();
      return open === 0 ? "drained" : rt.roster.row(target)?.state === "blocked" ? "blocked" : false;
    },
    { what: "the outbox to drain or the target to block", timeoutMs: ms, intervalMs: 20 },
  );
  return settled === "drained";
}

let result: Record<string, unknown> = {};
if (mode === "send") {
  if (env.RECONNECT) {
    const [accessToken = "", refreshToken = ""] = env.RECONNECT.split(" ");
    connect(
      rt,
      target,
      { accessToken, refreshToken, ...(target === "square" ? { locationId: "L-FAKE-1" } : {}) },
      operator,
    );
  } else if (!rt.roster.row(target)) {
    connect(
      rt,
      target,
      target === "square"
        ? { accessToken: "sq-access-1", refreshToken: "sq-refresh-1", locationId: "L-FAKE-1" }
        : { accessToken: "central-device-token" },
      operator,
    );
  }
  const kiosk = devPair(app.ctx, "kiosk", `fault ${randomUUID().slice(0, 4)}`).response.principal;
  const orders: string[] = [];
  for (let i = 0; i < Number(env.PLACE ?? 0); i += 1) {
    const placed = placeOrder(
      app.ctx,
      kiosk,
      { id: randomUUID(), items: [{ menuItemId: "fries", quantity: 1 }] },
      undefined,
    );
    orders.push(placed.body.id);
    if (target === "square") {
      recordPayment(
        app.ctx,
        { ...kiosk, role: "cashier" },
        placed.body.id,
        { id: randomUUID(), method: "cash", amount: placed.body.totals.total, tendered: 5_000 },
        undefined,
      );
    }
    process.stdout.write(`ORDER ${placed.body.id}\n`);
  }
  rt.roster.refresh();
  result = { drained: await drained(20_000), state: rt.roster.row(target)?.state ?? null };
} else if (mode === "backup") {
  const run = await rt.scheduler.runNow("journal-backup", "fault-test");
  result = { state: run.state };
} else if (mode === "backups") {
  for (let i = 0; i < 3; i += 1) await rt.scheduler.runNow("journal-backup", "fault-test");
  result = { made: 3 };
} else if (mode === "retention") {
  result = { deleted: (await applyRetention(rt.backups)).deleted.length };
}
process.stdout.write(`DONE ${JSON.stringify(result)}\n`);
await app.stop();
