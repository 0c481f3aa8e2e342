/**
 * Child process of the crash test: runs galleyd in-process on a real journal file and places
 * orders through its own HTTP API in a loop, printing `SEND <id> <key> <body>` before each request
 * and `ACK <id> <sha256 of response>` only after the 201 arrived. The parent kills it with
 * SIGKILL at random moments.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "../../appliance/app.ts";
import { devPair } from "../../appliance/commands/auth.ts";
import { childConfig } from "./child-config.ts";
import { silentLogger } from "../../appliance/lib/logger.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: crash-child.ts <dataDir>");
const config = childConfig(dataDir);
const app = createApp({ config, log: silentLogger(), adminPin: "9999" });
const info = await app.start();
// Like a real kiosk, keep the device token across restarts so retries come from the same principal.
const tokenFile = join(dataDir, "kiosk-token");
let token: string;
if (existsSync(tokenFile)) token = readFileSync(tokenFile, "utf8");
else {
  token = devPair(app.ctx, "kiosk", "crash kiosk").response.token;
  writeFileSync(tokenFile, token);
}
process.stdout.write(`READY ${info.url}\n`);

const items = [
  [{ menuItemId: "fries", quantity: 1 }],
  [
    { menuItemId: "burger", quantity: 2 },
    { menuItemId: "cola", quantity: 1 },
  ],
  [{ menuItemId: "meal", quantity: 1, slots: [{ slot: "drink", item: "shake" }] }],
];
for (let i = 0; i < 100_000; i += 1) {
  const id = randomUUID();
  const body = JSON.stringify({ id, items: items[i % items.length] });
  process.stdout.write(`SEND ${id} key-${id} ${body}\n`);
  const response = await fetch(`${info.url}/api/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": `key-${id}` },
    body,
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`order refused: ${response.status} ${text}`);
  process.stdout.write(`ACK ${id} ${createHash("sha256").update(text).digest("hex")}\n`);
}
