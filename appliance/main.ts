/**
 * galleyd's entry point: the only file that reads the environment, installs signal handlers,
 * talks to systemd and exits. Exit codes: 0 clean stop, 1 unexpected failure, 65 damaged
 * journal (EX_DATAERR), 78 invalid configuration (EX_CONFIG).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp, VERSION } from "./app.ts";
import { loadConfig } from "./config/load.ts";
import { AppError } from "./lib/errors.ts";
import { createLogger, forModule } from "./lib/logger.ts";
import { createSdNotifier } from "./lib/sd-notify.ts";
import { SCREENS } from "../protocol/core/screens.ts";

export const EXIT = { ok: 0, failure: 1, journalCorrupt: 65, configInvalid: 78 } as const;

async function main(): Promise<number> {
  const dev = process.argv.includes("--dev");
  let runtime;
  try {
    runtime = loadConfig({ env: process.env, dev });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return EXIT.configInvalid;
  }
  const { config } = runtime;
  const log = createLogger({ level: config.log.level });
  const notifier = createSdNotifier(process.env, forModule(log, "systemd"));

  let adminPin = runtime.adminPin;
  const devPinFile = join(config.dataDir, "dev-admin-pin");
  if (config.mode === "development" && !adminPin && existsSync(devPinFile))
    adminPin = readFileSync(devPinFile, "utf8").trim();

  // Signal handlers go in before anything starts: a SIGTERM during start-up waits for the start
  // to finish and then stops cleanly, instead of killing the process mid-migration.
  let signalled: string | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (signal: string) => {
    signalled ??= signal;
    wake?.();
  };
  process.on("SIGTERM", () => {
    onSignal("SIGTERM");
  });
  process.on("SIGINT", () => {
    onSignal("SIGINT");
  });

  const app = createApp({ config, log, adminPin });
  let info;
  try {
    info = await app.start();
  } catch (error) {
    if (error instanceof AppError && error.code === "journal_corrupt") {
      log.fatal({ err: error }, "journal damaged");
      console.error(`galleyd: ${error.message}`);
      return EXIT.journalCorrupt;
    }
    log.fatal({ err: error }, "start failed");
    console.error(`galleyd: could not start: ${error instanceof Error ? error.message : String(error)}`);
    await app.stop().catch(() => undefined);
    return EXIT.failure;
  }

  if (info.generatedAdminPin && config.mode === "development") {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(devPinFile, `${info.generatedAdminPin}\n`, { mode: 0o600 });
    chmodSync(devPinFile, 0o600);
  }
  const pinToShow = info.generatedAdminPin ?? (config.mode === "development" ? adminPin : undefined);
  printBanner(info.url, config.mode, pinToShow, Boolean(info.generatedAdminPin));
  log.info(
    { url: info.url, version: VERSION, mode: config.mode, source: runtime.source, instanceId: info.instanceId },
    "galleyd serving",
  );

  await notifier.ready(`serving on ${info.url}`);
  notifier.startWatchdog();

  await new Promise<void>((resolve) => {
    wake = resolve;
    if (signalled) resolve();
  });
  log.info({ signal: signalled }, "stopping: no new requests, finishing the ones in flight, closing the journal");
  await notifier.stopping();
  notifier.close();
  try {
    await app.stop();
    log.info("stopped cleanly");
    return EXIT.ok;
  } catch (error) {
    log.error({ err: error }, "stop failed");
    return EXIT.failure;
  }
}

function printBanner(url: string, mode: string, pin: string | undefined, generated: boolean): void {
  const lines = [
    "",
    `  Galley ${VERSION} (${mode}) is serving on ${url}`,
    "",
    ...SCREENS.map((s) => `  ${s.title.padEnd(16)} ${url}${s.path}`),
    `  ${"API (OpenAPI)".padEnd(16)} ${url}/api/openapi.json`,
    "",
  ];
  if (pin)
    lines.push(
      `  Admin PIN: ${pin}${generated ? "   (generated now; shown once in production, kept in var/dev-admin-pin in development)" : ""}`,
      "",
    );
  console.log(lines.join("\n"));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = EXIT.failure;
  },
);
