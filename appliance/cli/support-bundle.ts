/**
 * `galley support-bundle [-o FILE|DIR]`: writes the support bundle (.tar.gz) a technician sends
 * for a second look: doctor, configuration without secrets, logs, journal statistics, system
 * facts; no customer data (appliance/diagnostics/support-bundle.ts). Run as root on the board.
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Config } from "../config/schema.ts";
import { configuredBackupDir } from "../diagnostics/doctor.ts";
import { readLocalToken } from "../diagnostics/local-token.ts";
import { galleydClient, localBaseUrl, runTool } from "../diagnostics/probe.ts";
import { buildSupportBundle } from "../diagnostics/support-bundle.ts";
import { doctorFor, type CliEnv } from "./doctor.ts";

export async function supportBundleCommand(
  config: Readonly<Config>,
  args: readonly string[],
  env: CliEnv,
): Promise<number> {
  const outIndex = args.findIndex((a) => a === "-o" || a === "--output");
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (outIndex >= 0 && !out) {
    console.error("galley support-bundle: -o needs a file or folder");
    return 2;
  }
  const token = readLocalToken(config.dataDir);
  const report = await doctorFor(config, env)();
  const configDir = env.configFile ? dirname(env.configFile) : undefined;
  const configFiles = configDir
    ? [join(configDir, "setup-imported.json"), join(configDir, "upstream.json")].filter((f) => existsSync(f))
    : [];
  const bundle = await buildSupportBundle({
    report,
    config,
    dataDir: config.dataDir,
    backupDir: configuredBackupDir(config),
    configFiles,
    api: galleydClient(localBaseUrl(config.server.host, config.server.port), token),
    run: runTool,
    secrets: token ? [token] : [],
  });
  const target = out ? resolve(out) : resolve(bundle.fileName);
  const file = existsSync(target) && statSync(target).isDirectory() ? join(target, bundle.fileName) : target;
  writeFileSync(file, bundle.data, { mode: 0o600 });
  console.log(
    `support bundle written: ${file}\n  ${bundle.data.length} bytes, ${bundle.entries.length} files; doctor verdict ${report.verdict.toUpperCase()}`,
  );
  return 0;
}
