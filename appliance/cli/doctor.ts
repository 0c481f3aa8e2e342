/**
 * `galley doctor`: what is wrong with this board, in one screen, in under 10 s.
 *
 *   galley doctor            one line per check with a verdict and, when not ok, what to do
 *   galley doctor --json     the same as JSON (what GET /api/diagnostics/doctor returns)
 *   galley doctor --json --quiet   one JSON line with the verdict and the checks that are not ok
 *                            (galley-health.timer records it in the system journal every hour)
 *   galley doctor --serve    the failsafe page: serves the report as a web page on galleyd's port
 *                            while galleyd is down (galley-failsafe.service)
 *
 * Exit code 1 when any check fails, 0 otherwise. Run as root on the board: it reads galleyd's
 * local diagnostics token from <dataDir>/run/doctor.token.
 */
import { createServer } from "node:http";
import { dirname } from "node:path";
import type { Config } from "../config/schema.ts";
import { configuredBackupDir, runDoctor, upstreamUrlOf } from "../diagnostics/doctor.ts";
import { readLocalToken } from "../diagnostics/local-token.ts";
import { localBaseUrl } from "../diagnostics/probe.ts";
import { formatReport, type DoctorReport } from "../diagnostics/report.ts";
import { VERSION } from "../app.ts";

export interface CliEnv {
  /** GALLEY_CONFIG: the config file; its folder holds upstream.json and the setup receipt. */
  configFile: string | undefined;
  isTty: boolean;
}

export function doctorFor(config: Readonly<Config>, env: CliEnv): () => Promise<DoctorReport> {
  const configDir = env.configFile ? dirname(env.configFile) : undefined;
  return () =>
    runDoctor({
      dataDir: config.dataDir,
      backupDir: configuredBackupDir(config),
      baseUrl: localBaseUrl(config.server.host, config.server.port),
      token: readLocalToken(config.dataDir),
      version: VERSION,
      upstreamUrl: upstreamUrlOf(config, configDir),
      expectScreens: config.mode === "production",
    });
}

export async function doctorCommand(config: Readonly<Config>, args: readonly string[], env: CliEnv): Promise<number> {
  const doctor = doctorFor(config, env);
  if (args.includes("--serve")) return serveFailsafe(config, doctor);
  const report = await doctor();
  if (args.includes("--json") && args.includes("--quiet")) {
    const notOk = report.checks
      .filter((c) => c.verdict !== "ok")
      .map((c) => ({ id: c.id, verdict: c.verdict, summary: c.summary }));
    console.log(
      JSON.stringify({ msg: "galley doctor", verdict: report.verdict, durationMs: report.durationMs, notOk }),
    );
  } else if (args.includes("--json")) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    process.stdout.write(formatReport(report, { color: env.isTty }));
    if (!readLocalToken(config.dataDir))
      console.log("\nnote: galleyd's local token was not readable, so galleyd's own checks were limited; run as root.");
  }
  return report.verdict === "fail" ? 1 : 0;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The failsafe page: galleyd is down, the screen shows what the doctor sees. */
export function failsafePage(report: DoctorReport): string {
  const color = { ok: "#2e7d32", warn: "#b26a00", fail: "#c62828", unavailable: "#666" } as const;
  const rows = report.checks
    .map(
      (c) =>
        `<tr><td style="color:${color[c.verdict]};font-weight:bold">${c.verdict.toUpperCase()}</td><td>${escapeHtml(c.title)}</td><td>${escapeHtml(c.summary)}${c.verdict !== "ok" && c.hint ? `<br><small>→ ${escapeHtml(c.hint)}</small>` : ""}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="15"><title>Galley — service stopped</title>
<style>body{font:18px/1.4 sans-serif;margin:2rem;background:#fff;color:#111}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.4rem .6rem;vertical-align:top}h1{color:#c62828}</style></head>
<body><h1>Galley has stopped</h1><p>The order service could not start and has given up for now. A technician can see the details below, on <code>galley doctor</code> at the board, or in <code>journalctl -u galleyd</code>. This page refreshes itself; the normal screen returns when the service runs again.</p>
<p>${escapeHtml(report.host)} · galley ${escapeHtml(report.version)} · ${escapeHtml(report.at)}</p>
<table>${rows}</table></body></html>`;
}

function serveFailsafe(config: Readonly<Config>, doctor: () => Promise<DoctorReport>): Promise<number> {
  let cached: { at: number; report: DoctorReport } | undefined;
  const current = async (): Promise<DoctorReport> => {
    if (!cached || Date.now() - cached.at > 10_000) cached = { at: Date.now(), report: await doctor() };
    return cached.report;
  };
  return new Promise((resolve) => {
    const server = createServer((request, response) => {
      if ((request.url ?? "").startsWith("/api/")) {
        response.writeHead(503, { "content-type": "application/json" }).end(
          JSON.stringify({
            error: {
              code: "shutting_down",
              message: "galleyd is not running; the failsafe diagnostics page answers instead",
            },
            failsafe: true,
          }),
        );
        return;
      }
      current().then(
        (report) =>
          response
            .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
            .end(failsafePage(report)),
        (error: unknown) =>
          response.writeHead(500, { "content-type": "text/plain" }).end(`galley doctor failed: ${String(error)}`),
      );
    });
    const stop = (): void => {
      server.close(() => {
        resolve(0);
      });
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    server.listen(config.server.port, config.server.host, () => {
      console.log(`galley failsafe page on http://${config.server.host}:${config.server.port}/ (galleyd is down)`);
    });
    server.on("error", (error) => {
      console.error(`galley doctor --serve: ${error.message}`);
      resolve(1);
    });
  });
}
