/**
 * `galley`: the technician's command line on the board (over ssh or the console).
 *
 *   galley backup            write a checked copy of the journal to <dataDir>/backups
 *   galley backups           list backups, newest last
 *   galley restore FILE      replace the journal with FILE (galleyd must be stopped)
 *   galley check             integrity check of the journal
 *   galley prune [--dry-run] journal backup retention (docs/architecture.md#backups-and-retention)
 *   galley sync              what is not yet upstream, per target
 *
 * It reads the same configuration as galleyd (GALLEY_CONFIG, GALLEY_DATA_DIR, …).
 */
import { existsSync } from "node:fs";
import { loadConfig } from "../config/load.ts";
import { journalPath } from "../app.ts";
import { Journal } from "../journal/database.ts";
import { checkCopy, listBackups, restoreJournal } from "../journal/backup.ts";
import { backupRows } from "../journal/backup-store.ts";
import { clockSyncProbe } from "../jobs/clock-sync.ts";
import {
  applyRetention,
  backupFolder,
  planRetention,
  runJournalBackup,
  type JournalBackupDeps,
} from "../jobs/journal-backups.ts";
import { systemClock } from "../lib/clock.ts";
import { noFailpoint } from "../lib/failpoints.ts";
import { backlogLines } from "../sync/status.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { createLogger } from "../lib/logger.ts";
import { doctorCommand } from "./doctor.ts";
import { firstAdminCommand, pinHashCommand } from "./provisioning.ts";
import { supportBundleCommand } from "./support-bundle.ts";

const USAGE = `usage: galley <command>

  backup           write a checked, hashed copy of the journal to the backup folder (recorded in the journal)
  backups          list the backups with their state, seq and sha256
  prune [--dry-run]  delete old backups as retention allows (never the newest, unverified ones, or with an unsynchronised clock)
  sync             what is not yet upstream, per target
  restore FILE     replace the journal with FILE (stop galleyd first: systemctl stop galleyd)
  check            run the journal's integrity check
  doctor           check the board: service, journal, backups, disk, clock, power, network,
                   devices, screens, sync (--json; exit 1 on any failure)
  support-bundle   write a support bundle (.tar.gz, no secrets, no customer data) [-o FILE|DIR]
  pin-hash [PIN]   the adminPinHash for galley-setup.json
  first-admin      --pin-hash-file FILE: first admin from a PIN hash (first boot)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const { config } = loadConfig({ env: process.env, dev: !process.env.GALLEY_CONFIG });
  const log = createLogger({ level: "warn" });
  const path = journalPath(config);
  switch (command) {
    case "backup":
    case "prune":
    case "backups":
    case "sync": {
      // --- sync and backups (appliance/jobs/journal-backups.ts, appliance/sync/status.ts) ---
      const journal = Journal.open({ path, log, skipIntegrityCheck: command !== "backup" });
      const deps: JournalBackupDeps = {
        journal,
        config,
        clock: systemClock,
        log,
        clockSynced: clockSyncProbe(config.backups.clockSync),
        failpoint: noFailpoint,
      };
      try {
        if (command === "backup") {
          const info = await runJournalBackup(deps, "cli");
          console.log(
            `backup written: ${info.file}\n  ${info.sizeBytes} bytes, events up to seq ${info.seq}, integrity ${info.integrity}, sha256 ${info.sha256}`,
          );
        } else if (command === "prune") {
          const dryRun = args.includes("--dry-run");
          const plan = await planRetention(deps);
          const files = new Map(backupRows(journal).map((r) => [r.id, r.file]));
          for (const d of plan.decisions)
            console.log(
              `${d.delete ? (dryRun ? "would delete" : "delete") : "keep"}  ${files.get(d.id) ?? d.id}  (${d.reason})`,
            );
          if (plan.skipped) console.log(`nothing deleted: ${plan.skipped}`);
          else if (!dryRun) console.log(`${(await applyRetention(deps)).deleted.length} backups deleted`);
        } else if (command === "backups") {
          const rows = backupRows(journal).filter((r) => r.state !== "deleted");
          const recorded = new Set(rows.map((r) => r.file));
          const loose = listBackups(config.dataDir).filter((b) => !recorded.has(b.file));
          if (rows.length + loose.length === 0) console.log(`no backups in ${backupFolder(config)}`);
          for (const r of rows)
            console.log(
              `${r.file || "(writing)"}  ${r.state}  ${r.size_bytes ?? 0} bytes  seq ${r.seq ?? "?"}  ${r.created_at}  sha256 ${r.sha256 ?? "-"}${r.error ? `  ${r.error}` : ""}`,
            );
          for (const b of loose)
            console.log(
              `${b.file}  unrecorded  ${b.sizeBytes} bytes  seq ${b.seq}  ${b.createdAt}  sha256 ${b.sha256}`,
            );
        } else {
          for (const line of backlogLines(journal, Date.now())) console.log(line);
        }
        return 0;
      } finally {
        journal.close();
      }
      // --- end sync and backups ---
    }
    case "restore": {
      const file = args[0];
      if (!file) {
        console.error("galley restore: name the backup file (see `galley backups`)");
        return 2;
      }
      if (await galleydAnswers(config.server.port)) {
        console.error("galley restore: galleyd is running; stop it first (systemctl stop galleyd)");
        return 1;
      }
      const result = restoreJournal({
        journalPath: path,
        backupFile: file,
        newInstanceId: newId(),
        log,
        now: new Date(),
      });
      console.log(
        `journal restored from ${file}\n  new device instance ${result.instanceId}, events up to seq ${result.seq}`,
      );
      if (result.keptAs) console.log(`  the previous journal is kept as ${result.keptAs}`);
      console.log("start galleyd again: systemctl start galleyd");
      return 0;
    }
    case "check": {
      if (!existsSync(path)) {
        console.error(`no journal at ${path} (galleyd creates it on first start)`);
        return 1;
      }
      const problems = checkCopy(path);
      if (problems.length === 0) {
        console.log(`journal ${path}: ok`);
        return 0;
      }
      console.error(
        `journal ${path} is damaged:\n  ${problems.join("\n  ")}\nrestore the latest good backup with \`galley restore <backup-file>\` (list them with \`galley backups\`)`,
      );
      return 1;
    }
    case "doctor":
      return doctorCommand(config, args, { configFile: process.env.GALLEY_CONFIG, isTty: process.stdout.isTTY });
    case "support-bundle":
      return supportBundleCommand(config, args, { configFile: process.env.GALLEY_CONFIG, isTty: process.stdout.isTTY });
    case "pin-hash":
      return pinHashCommand(args);
    case "first-admin":
      return firstAdminCommand(config, args);
    default:
      console.error(`galley: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function galleydAnswers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/diagnostics/ping`, {
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`galley: ${error instanceof AppError || error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
