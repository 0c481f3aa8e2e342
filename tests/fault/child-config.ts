/**
 * The configuration every fault-test child starts galleyd with: its own data folder, any free
 * port on loopback, the small menu written beside the journal as the seed, no logging; each child
 * adds what its faults need (terminals, upstream targets).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { testConfig } from "../../appliance/config/load.ts";
import type { Config } from "../../appliance/config/schema.ts";
import { smallMenu } from "../fixtures/small-menu.ts";

export function childConfig(dataDir: string, overrides: Record<string, unknown> = {}): Readonly<Config> {
  const seed = join(dataDir, "menu.json");
  writeFileSync(seed, JSON.stringify(smallMenu()));
  return testConfig({
    dataDir,
    server: { host: "127.0.0.1", port: 0 },
    menu: { seed },
    log: { level: "silent" },
    ...overrides,
  });
}
