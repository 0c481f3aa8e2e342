/**
 * galleyd's side of field diagnostics: the local diagnostics token, screen heartbeats, and the
 * doctor, logs and support bundle behind `/api/diagnostics/*` (routes.ts).
 * createApp builds one at start; it writes the token file and keeps everything else in memory.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import type { FastifyRequest } from "fastify";
import type { Config } from "../config/schema.ts";
import type { Logger } from "../lib/logger.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import { configuredBackupDir, runDoctor, upstreamUrlOf } from "./doctor.ts";
import { isLoopback } from "../lib/net.ts";
import { LOCAL_PRINCIPAL, tokenMatches, writeLocalToken } from "./local-token.ts";
import { recentLogs, type LogRing } from "../lib/log-ring.ts";
import { galleydClient, localBaseUrl, runTool, type Runner } from "./probe.ts";
import { scrubLog } from "./redact.ts";
import type { DoctorReport } from "./report.ts";
import { buildSupportBundle } from "./support-bundle.ts";

export interface ConnectedClient {
  name: string;
  role: string;
  kind: string;
  topics: string[];
}

export interface Heartbeat {
  name: string;
  role: string;
  kind: string;
  /** The screen runs on this board (its heartbeat came over loopback): the local display. */
  local: boolean;
  page: string | null;
  lastAt: string;
  ageSeconds: number;
  count: number;
}

/** Where the image keeps the board's configuration (images/, systemd/galleyd.service). */
export const BOARD_CONFIG_FILE = "/data/config/galley.json";

export interface FieldOpsDeps {
  config: Readonly<Config>;
  log: Logger;
  version: string;
  hub: { connected(): ConnectedClient[] };
  /** galleyd's listening address once it listens (port 0 in tests). */
  address: () => AddressInfo | string | null | undefined;
  /** Where the board's configuration files live (setup receipt, upstream settings). */
  configFile?: string | undefined;
  run?: Runner;
  ring?: LogRing;
  now?: () => number;
}

export interface FieldOps {
  /** The guard's hook: the local token from loopback becomes a diagnostics:read principal. */
  readonly localPrincipal: (request: FastifyRequest, token: string) => Principal | undefined;
  heartbeat(principal: Principal, address: string | undefined, page: string | undefined): Heartbeat;
  screens(): { connected: ConnectedClient[]; heartbeats: Heartbeat[] };
  doctor(): Promise<DoctorReport>;
  logs(lines: number): Promise<{ source: "journal" | "memory"; lines: string[] }>;
  supportBundle(): Promise<{ fileName: string; data: Buffer }>;
}

const MAX_HEARTBEAT_CLIENTS = 200;

export function createFieldOps(deps: FieldOpsDeps): FieldOps {
  const token = writeLocalToken(deps.config.dataDir);
  const run = deps.run ?? runTool;
  const ring = deps.ring ?? recentLogs;
  const now = deps.now ?? Date.now;
  const beats = new Map<
    string,
    { name: string; role: string; kind: string; local: boolean; page: string | null; lastMs: number; count: number }
  >();

  const baseUrl = (): string => {
    const address = deps.address();
    const port = typeof address === "object" && address ? address.port : deps.config.server.port;
    return localBaseUrl(deps.config.server.host, port);
  };
  const configDir = deps.configFile ? dirname(deps.configFile) : undefined;
  const configFiles = configDir
    ? [join(configDir, "setup-imported.json"), join(configDir, "upstream.json")].filter((f) => existsSync(f))
    : [];

  const doctor = (): Promise<DoctorReport> =>
    runDoctor({
      dataDir: deps.config.dataDir,
      backupDir: configuredBackupDir(deps.config),
      baseUrl: baseUrl(),
      token,
      version: deps.version,
      run,
      upstreamUrl: upstreamUrlOf(deps.config, configDir),
      expectScreens: deps.config.mode === "production",
    });

  return {
    localPrincipal: (request, presented) => {
      if (!presented.startsWith("gld_")) return undefined;
      if (!isLoopback(request.socket.remoteAddress) || !tokenMatches(presented, token)) return undefined;
      return LOCAL_PRINCIPAL;
    },
    heartbeat(principal, address, page) {
      const key = `${principal.kind}:${principal.id}:${isLoopback(address) ? "local" : "lan"}`;
      const previous = beats.get(key);
      if (!previous && beats.size >= MAX_HEARTBEAT_CLIENTS) {
        const oldest = [...beats].sort((a, b) => a[1].lastMs - b[1].lastMs)[0];
        if (oldest) beats.delete(oldest[0]);
      }
      const entry = {
        name: principal.name,
        role: principal.role,
        kind: principal.kind,
        local: isLoopback(address),
        page: page ?? null,
        lastMs: now(),
        count: (previous?.count ?? 0) + 1,
      };
      beats.set(key, entry);
      return view(entry, now());
    },
    screens() {
      const at = now();
      return { connected: deps.hub.connected(), heartbeats: [...beats.values()].map((b) => view(b, at)) };
    },
    doctor,
    async logs(lines) {
      const result = await run(
        "journalctl",
        ["--no-pager", "-o", "short-iso-precise", "-u", "galleyd.service", "-n", String(lines)],
        { timeoutMs: 4_000 },
      );
      const text = result.stdout.trim();
      if (result.ok && text !== "" && !/^-- No entries --$/.test(text))
        return { source: "journal", lines: scrubLog(text, [token]).split("\n") };
      return {
        source: "memory",
        lines: scrubLog(ring.recent(lines).join("\n"), [token])
          .split("\n")
          .filter((l) => l !== ""),
      };
    },
    async supportBundle() {
      const report = await doctor();
      return buildSupportBundle({
        report,
        config: deps.config,
        dataDir: deps.config.dataDir,
        backupDir: configuredBackupDir(deps.config),
        configFiles,
        api: galleydClient(baseUrl(), token),
        run,
        ring,
        secrets: [token],
      });
    },
  };
}

function view(
  b: { name: string; role: string; kind: string; local: boolean; page: string | null; lastMs: number; count: number },
  at: number,
): Heartbeat {
  return {
    name: b.name,
    role: b.role,
    kind: b.kind,
    local: b.local,
    page: b.page,
    lastAt: new Date(b.lastMs).toISOString(),
    ageSeconds: Math.max(0, Math.round((at - b.lastMs) / 1_000)),
    count: b.count,
  };
}
