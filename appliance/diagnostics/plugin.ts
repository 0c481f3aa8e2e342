/**
 * The field diagnostics feature's registration (appliance/feature.ts): the local doctor token, the
 * doctor, logs, connected screens and the support bundle (field-ops.ts) and their routes. The
 * board's own configuration file is read only in production, where the image puts it.
 */
import { existsSync } from "node:fs";
import { withOptions } from "../http/deps.ts";
import type { StartedFeature } from "../feature.ts";
import { BOARD_CONFIG_FILE, createFieldOps, type FieldOps, type FieldOpsDeps } from "./field-ops.ts";
import { fieldDiagnosticsRoutes } from "./routes.ts";

export interface FieldOpsFeature extends StartedFeature {
  readonly fieldOps: FieldOps;
}

export function startFieldOps(deps: Omit<FieldOpsDeps, "configFile">): FieldOpsFeature {
  const configFile = deps.config.mode === "production" && existsSync(BOARD_CONFIG_FILE) ? BOARD_CONFIG_FILE : undefined;
  const fieldOps = createFieldOps({ ...deps, configFile });
  return { fieldOps, routes: [withOptions(fieldDiagnosticsRoutes, { fieldOps })] };
}
