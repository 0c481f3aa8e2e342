/**
 * Child process of the card-payment failpoint test: galleyd in-process on a real journal, with a
 * ZVT terminal at the parent's simulator, dying with SIGKILL at the point named in
 * GALLEY_FAILPOINT (appliance/lib/failpoints.ts). Env:
 *   TERMINAL_URI  the simulator's tcp:// URI
 *   MODE          pay      a kiosk customer pays one burger by card
 *                 recover  only start: the payments feature settles what the kill left
 * Prints READY, CHECKOUT <id> <orderId>, then DONE <json> once no attempt is open.
 */
import { randomUUID } from "node:crypto";
import { createApp } from "../../appliance/app.ts";
import { devPair } from "../../appliance/commands/auth.ts";
import { childConfig } from "./child-config.ts";
import { silentLogger } from "../../appliance/lib/logger.ts";
import type { FailpointName } from "../../appliance/lib/failpoints.ts";
import { pollUntil } from "../helpers/wait.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: payments-child.ts <dataDir>");
const env = process.env;
const armed = env.GALLEY_FAILPOINT;

const config = childConfig(dataDir, {
  devices: {
    printers: [],
    requireKitchenRoute: false,
    terminals: [
      {
        id: "t1",
        protocol: "zvt",
        uri: env.TERMINAL_URI ?? "tcp://127.0.0.1:9",
        kiosks: ["*"],
        paymentTimeoutSeconds: 10,
      },
    ],
  },
  payments: { recheckSeconds: 1 },
});
const app = createApp({
  config,
  log: silentLogger(),
  adminPin: "9999",
  payments: {
    failpoint: (name: FailpointName) => {
      if (name === armed) process.kill(process.pid, "SIGKILL");
    },
  },
});
await app.start();
process.stdout.write("READY\n");

if (env.MODE === "pay") {
  const kiosk = devPair(app.ctx, "kiosk", "fault kiosk").response.principal;
  const ids = { id: randomUUID(), orderId: randomUUID() };
  // Said first: the terminal is asked at once, and a failpoint may kill before this returns.
  process.stdout.write(`CHECKOUT ${ids.id} ${ids.orderId}\n`);
  app.payments.startCheckout(kiosk, { ...ids, items: [{ menuItemId: "burger", quantity: 1 }] });
}
const settled = await pollUntil(
  () =>
    (app.ctx.journal.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM payment_attempts WHERE state IN ('queued', 'presenting', 'uncertain')",
    )?.n ?? 1) === 0,
  { what: "every payment attempt settled", timeoutMs: 30_000, intervalMs: 20 },
);
process.stdout.write(`DONE ${JSON.stringify({ settled: settled === true })}\n`);
await app.stop();
