/**
 * `galley doctor` as a library: the CLI, the admin page (`GET /api/diagnostics/doctor`), the
 * failsafe page and the support bundle all run this. Every check runs at once, each bounded in
 * time, so the whole report takes well under 10 s even when galleyd or the network hangs.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Config } from "../config/schema.ts";
import { diskCheck, powerCheck } from "./board-checks.ts";
import type { Check } from "./check.ts";
import { deviceChecks } from "./device-checks.ts";
import { backupCheck, journalCheck, type BackupFacts } from "./journal-checks.ts";
import { screensCheck, syncChecks } from "./link-checks.ts";
import { clockCheck, networkCheck, upstreamChecks } from "./network-checks.ts";
import { galleydClient, runTool, type Runner } from "./probe.ts";
import { overallVerdict, type CheckResult, type DoctorReport } from "./report.ts";
import { displayUnitCheck, serviceCheck, unitState } from "./service-checks.ts";

export interface DoctorOptions {
  /** galleyd's data folder (journal, backups). */
  dataDir: string;
  /** Where journal backups are written, when not `<dataDir>/backups`. */
  backupDir?: string | undefined;
  /** Where galleyd answers on this machine, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** The local diagnostics token (or a technician's token); without it only public facts are read. */
  token: string | undefined;
  /** The version of the code running the doctor. */
  version: string;
  /** Upstream base URL to test DNS and reachability against, when one is configured. */
  upstreamUrl?: string | undefined;
  /** Whether this board should have screens connected (a hub with paired screens). */
  expectScreens?: boolean;
  run?: Runner;
  sysRoot?: string;
  mountsFile?: string;
  now?: () => number;
  /** Longest a single check may take before it is reported as not available. */
  checkTimeoutMs?: number;
}

interface Ping {
  ok: boolean;
  version: string;
  uptimeSeconds: number;
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const started = Date.now();
  const now = options.now ?? Date.now;
  const run = options.run ?? runTool;
  const api = galleydClient(options.baseUrl, options.token);
  const limit = options.checkTimeoutMs ?? 5_000;

  const timed = async (id: string, title: string, work: () => Promise<Check | Check[]>): Promise<CheckResult[]> => {
    const t0 = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Check>((resolve) => {
      timer = setTimeout(() => {
        resolve({
          id,
          title,
          verdict: "unavailable",
          summary: `no answer within ${limit / 1_000} s`,
          hint: "the board is overloaded or a tool hangs; run galley doctor again",
        });
      }, limit);
    });
    try {
      const result = await Promise.race([work(), timeout]);
      return [result].flat().map((c) => ({ ...c, durationMs: Date.now() - t0 }));
    } catch (error) {
      return [
        {
          id,
          title,
          verdict: "unavailable",
          summary: `the check itself failed: ${(error as Error).message}`,
          durationMs: Date.now() - t0,
        },
      ];
    } finally {
      clearTimeout(timer);
    }
  };

  const groups = await Promise.all([
    timed("service", "galleyd service", async () => {
      const [state, ping] = await Promise.all([
        unitState(run, "galleyd.service"),
        api.get<Ping>("/api/diagnostics/ping", 3_000),
      ]);
      return serviceCheck(
        state,
        ping.status === 200 && ping.body
          ? { answers: true, uptimeSeconds: ping.body.uptimeSeconds, version: ping.body.version }
          : { answers: false, ...(ping.error ? { error: ping.error } : { error: `HTTP ${ping.status}` }) },
      );
    }),
    timed("journal", "journal", async () => journalCheck(await api.get("/api/diagnostics/journal", 4_500))),
    timed("backup", "last backup", () => {
      const { backups, error } = listBackupFiles(options.dataDir, options.backupDir);
      return Promise.resolve(backupCheck(backups, now(), error));
    }),
    timed("disk", "free space", () => Promise.resolve(diskCheck(options.dataDir, readMounts(options.mountsFile)))),
    timed("clock", "clock", () => clockCheck(run)),
    timed("power", "power supply", () => powerCheck(run, options.sysRoot)),
    timed("network", "network", () => Promise.resolve(networkCheck())),
    timed("upstream", "upstream", () => upstreamChecks(options.upstreamUrl)),
    timed("devices", "devices", async () => deviceChecks(await api.get("/api/devices/status", 4_000))),
    timed("display", "local display", async () => displayUnitCheck(await unitState(run, "galley-display.service"))),
    timed("screens", "connected screens", async () =>
      screensCheck(await api.get("/api/diagnostics/screens", 3_000), options.expectScreens ?? false),
    ),
    timed("sync", "sync backlog", async () => syncChecks(await api.get("/api/sync/status", 4_000), now())),
  ]);
  const checks = groups.flat();
  return {
    verdict: overallVerdict(checks),
    at: new Date(now()).toISOString(),
    host: hostname(),
    version: options.version,
    durationMs: Date.now() - started,
    checks,
  };
}

/** Backups by name, size and time, without opening or hashing them (that can take minutes on a Pi). */
export function listBackupFiles(dataDir: string, backupDir?: string): { backups?: BackupFacts[]; error?: string } {
  const dir = backupDir ?? join(dataDir, "backups");
  try {
    const names = readdirSync(dir).filter((f) => f.startsWith("journal-") && f.endsWith(".sqlite"));
    return {
      backups: names.map((name) => {
        const stats = statSync(join(dir, name));
        return {
          file: join(dir, name),
          sizeBytes: stats.size,
          seq: Number(/-seq(\d+)\.sqlite$/.exec(name)?.[1] ?? 0),
          createdAt: stats.mtime.toISOString(),
        };
      }),
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { backups: [] };
    return { error: code === "EACCES" ? "permission denied" : (error as Error).message };
  }
}

function readMounts(file = "/proc/self/mounts"): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The upstream the doctor should reach: the central server galleyd syncs to (`sync.central.url`),
 * else the board's upstream settings from its setup file.
 */
export function upstreamUrlOf(config: Readonly<Config>, configDir: string | undefined): string | undefined {
  const central = config.sync.central.url;
  if (central) return central;
  return configDir ? readUpstreamUrl(join(configDir, "upstream.json")) : undefined;
}

/** The upstream base URL from the board's upstream settings (`url`), if there is one. */
export function readUpstreamUrl(file: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { url?: unknown };
    return typeof parsed.url === "string" ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}

/** The backup folder a configuration names (`backups.folder`), if it names one. */
export function configuredBackupDir(config: unknown): string | undefined {
  const folder = (config as { backups?: { folder?: unknown } }).backups?.folder;
  return typeof folder === "string" && folder !== "" ? folder : undefined;
}
