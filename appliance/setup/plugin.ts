/**
 * The board setup feature's registration (appliance/feature.ts): while the board waits for its
 * setup (config `setup.flagFile`), `/setup` serves the setup page and takes the request; otherwise
 * it adds nothing.
 */
import { join } from "node:path";
import type { CommandContext } from "../commands/context.ts";
import { withOptions } from "../http/deps.ts";
import type { StartedFeature } from "../feature.ts";
import type { Logger } from "../lib/logger.ts";
import { BoardSetup } from "./board-setup.ts";
import { setupRoutes } from "./routes.ts";

export function startSetup(deps: { ctx: CommandContext; log: Logger }): StartedFeature {
  const { config } = deps.ctx;
  if (!config.setup.flagFile) return { routes: [] };
  const setup = new BoardSetup({
    ctx: deps.ctx,
    log: deps.log,
    flagFile: config.setup.flagFile,
    requestFile: join(config.dataDir, "setup-request.json"),
  });
  setup.announce();
  return { routes: [withOptions(setupRoutes, { setup, timezone: config.store.timezone })] };
}
