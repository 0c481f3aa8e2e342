/**
 * `galley`: the technician's command line on the board (over ssh or the console).
 *
 *   galley backup            write a checked copy of the journal to <dataDir>/backups
 *   galley backups           list backups, newest last
 *   galley restore FILE      replace the journal with FILE (galleyd must be stopped)
 *   galley check             integrity check of the journal
 *
 * It reads the same configuration as galleyd (GALLEY_CONFIG, GALLEY_DATA_DIR, …).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config/load.ts";
import { journalPath } from "../app.ts";
import { Journal } from "../journal/database.ts";
import { backupJournal, checkCopy, listBackups, restoreJournal } from "../journal/backup.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { createLogger } from "../lib/logger.ts";

const USAGE = `usage: galley <command>

  backup           write a checked copy of the journal to <dataDir>/backups
  backups          list the backups
  restore FILE     replace the journal with FILE (stop galleyd first: systemctl stop galleyd)
  check            run the journal's integrity check
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
    case "backup": {
      const journal = Journal.open({ path, log });
      try {
        const info = backupJournal(journal, config.dataDir, new Date());
        console.log(`backup written: ${info.file}\n  ${info.sizeBytes} bytes, events up to seq ${info.seq}, sha256 ${info.sha256}`);
        return 0;
      } finally {
        journal.close();
      }
    }
    case "backups": {
      const backups = listBackups(config.dataDir);
      if (backups.length === 0) console.log(`no backups in ${join(config.dataDir, "backups")}`);
      for (const b of backups) console.log(`${b.file}  ${b.sizeBytes} bytes  seq ${b.seq}  ${b.createdAt}`);
      return 0;
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
      const result = restoreJournal({ journalPath: path, backupFile: file, newInstanceId: newId(), log, now: new Date() });
      console.log(`journal restored from ${file}\n  new device instance ${result.instanceId}, events up to seq ${result.seq}`);
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
      console.error(`journal ${path} is damaged:\n  ${problems.join("\n  ")}\nrestore the latest good backup with \`galley restore <backup-file>\` (list them with \`galley backups\`)`);
      return 1;
    }
    default:
      console.error(`galley: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function galleydAnswers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/diagnostics/ping`, { signal: AbortSignal.timeout(1_000) });
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
