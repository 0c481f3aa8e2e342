/**
 * The support bundle: what a technician sends when the board needs a second look. A .tar.gz
 * with the doctor's report, the configuration without secrets, logs (the system journal when
 * there is one, else galleyd's recent in-memory lines), journal statistics and system facts.
 * No journal file, no orders, no customer data: everything passes through redact.ts.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { LogRing } from "../lib/log-ring.ts";
import type { GalleydClient, Runner } from "./probe.ts";
import { collectSecrets, redactValue, scrubLog, scrubText } from "./redact.ts";
import { formatReport, type DoctorReport } from "./report.ts";
import { tarGz, type TarEntry } from "./tar.ts";
import { listBackupFiles } from "./doctor.ts";

export interface SupportBundleOptions {
  report: DoctorReport;
  /** The effective configuration (it is redacted here). */
  config: unknown;
  dataDir: string;
  backupDir?: string | undefined;
  /** Further configuration files to include, redacted (setup receipt, upstream settings). */
  configFiles?: readonly string[];
  api: GalleydClient;
  run: Runner;
  /** galleyd's recent log lines, used when the system journal has nothing. */
  ring?: LogRing | undefined;
  /** Secret values known to the caller (the local token, …) to scrub wherever they appear. */
  secrets?: readonly string[];
  now?: Date;
}

/** What the bundle says about itself. */
const README = `Galley support bundle

doctor.txt / doctor.json   galley doctor at the time the bundle was made
config/                    configuration with secrets redacted
logs/                      system journal excerpts (or galleyd's recent lines without one)
journal/stats.json         journal size, seq, orders count, integrity; backups by name and size
system/                    units, timers, disk, network, versions

Redacted: tokens, PINs and PIN hashes, Wi-Fi keys, upstream credentials, MAC addresses, host
parts of IP addresses. Not included: the journal itself, orders, customer names and notes.
`;

const SYSTEM_FACTS: readonly { name: string; command: string; args: string[] }[] = [
  { name: "system/uname.txt", command: "uname", args: ["-a"] },
  { name: "system/uptime.txt", command: "uptime", args: [] },
  { name: "system/failed-units.txt", command: "systemctl", args: ["--failed", "--no-pager", "--plain"] },
  { name: "system/timers.txt", command: "systemctl", args: ["list-timers", "--all", "--no-pager"] },
  {
    name: "system/galley-units.txt",
    command: "systemctl",
    args: [
      "status",
      "--no-pager",
      "--lines=0",
      "galleyd.service",
      "galley-display.service",
      "galley-failsafe.service",
      "galley-firstboot.service",
      "galley-factory-reset.service",
    ],
  },
  { name: "system/journal-disk-usage.txt", command: "journalctl", args: ["--disk-usage"] },
  { name: "system/df.txt", command: "df", args: ["-h"] },
  { name: "system/mounts.txt", command: "findmnt", args: ["--list", "--output", "TARGET,SOURCE,FSTYPE,OPTIONS"] },
  { name: "system/network.txt", command: "ip", args: ["-brief", "address"] },
  { name: "system/nm-devices.txt", command: "nmcli", args: ["-t", "device", "status"] },
  { name: "system/release.txt", command: "/usr/lib/galley/libexec/galley-release", args: ["status"] },
];

const LOG_SOURCES: readonly { name: string; args: string[] }[] = [
  { name: "logs/galleyd.log", args: ["-u", "galleyd.service", "-n", "3000"] },
  { name: "logs/galley-units.log", args: ["-u", "galley-*", "-n", "1000"] },
  { name: "logs/display.log", args: ["--namespace=display", "-n", "500"] },
  { name: "logs/boot-warnings.log", args: ["-b", "-p", "warning", "-n", "1000"] },
  { name: "logs/previous-boot-tail.log", args: ["-b", "-1", "-n", "300"] },
];

export async function buildSupportBundle(
  options: SupportBundleOptions,
): Promise<{ fileName: string; data: Buffer; entries: string[] }> {
  const now = options.now ?? new Date();
  const secrets = [...(options.secrets ?? []), ...collectSecrets(options.config)];
  const configEntries: TarEntry[] = [
    { name: "config/galley.json", content: `${JSON.stringify(redactValue(options.config), null, 2)}\n` },
  ];
  for (const file of options.configFiles ?? []) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      secrets.push(...collectSecrets(parsed));
      configEntries.push({
        name: `config/${basename(file)}`,
        content: `${JSON.stringify(redactValue(parsed), null, 2)}\n`,
      });
    } catch {
      configEntries.push({ name: `config/${basename(file)}`, content: "(not JSON: left out)\n" });
    }
  }

  const entries: TarEntry[] = [
    { name: "README.txt", content: README },
    { name: "doctor.txt", content: formatReport(options.report) },
    { name: "doctor.json", content: `${JSON.stringify(redactValue(options.report), null, 2)}\n` },
    ...configEntries,
  ];

  const journal = await options.api.get("/api/diagnostics/journal", 5_000);
  const { backups, error } = listBackupFiles(options.dataDir, options.backupDir);
  const stats = {
    journal:
      journal.status === 200
        ? journal.body
        : { unavailable: `HTTP ${journal.status}${journal.error ? ` ${journal.error}` : ""}` },
    backups: backups?.map((b) => ({
      name: basename(b.file),
      sizeBytes: b.sizeBytes,
      seq: b.seq,
      createdAt: b.createdAt,
    })) ?? { unavailable: error ?? "unknown" },
  };
  entries.push({ name: "journal/stats.json", content: `${JSON.stringify(redactValue(stats), null, 2)}\n` });

  let journalLogs = 0;
  const logResults = await Promise.all(
    LOG_SOURCES.map(async (source) => ({
      source,
      result: await options.run("journalctl", ["--no-pager", "-o", "short-iso-precise", ...source.args], {
        timeoutMs: 5_000,
        maxBuffer: 16 * 1024 * 1024,
      }),
    })),
  );
  for (const { source, result } of logResults) {
    if (!result.ok || result.stdout.trim() === "" || /^-- No entries --\s*$/.test(result.stdout.trim())) continue;
    journalLogs += 1;
    entries.push({ name: source.name, content: scrubLog(result.stdout, secrets) });
  }
  if (journalLogs === 0 || !logResults[0]?.result.ok) {
    // No system journal (development, tests): galleyd's own ring, in-process or over its API.
    let lines = options.ring?.recent() ?? [];
    if (lines.length === 0) {
      const remote = await options.api.get<{ lines?: string[] }>("/api/diagnostics/logs?lines=2000", 5_000);
      lines = remote.status === 200 ? (remote.body?.lines ?? []) : [];
    }
    entries.push({ name: "logs/galleyd-recent.log", content: `${scrubLog(lines.join("\n"), secrets)}\n` });
  }

  const facts = await Promise.all(
    SYSTEM_FACTS.map(async (fact) => ({
      fact,
      result: await options.run(fact.command, fact.args, { timeoutMs: 3_000 }),
    })),
  );
  for (const { fact, result } of facts) {
    if (result.missing) continue;
    entries.push({
      name: fact.name,
      content: scrubText(`${result.stdout}${result.stderr ? `\n${result.stderr}` : ""}`, secrets),
    });
  }
  try {
    entries.push({ name: "system/os-release.txt", content: readFileSync("/etc/os-release", "utf8") });
  } catch {
    // not every machine has one
  }

  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const fileName = `galley-support-${scrubText(options.report.host).replace(/[^A-Za-z0-9.-]/g, "_")}-${stamp}.tar.gz`;
  const folder = fileName.replace(/\.tar\.gz$/, "");
  const named = entries.map((e) => ({ ...e, name: `${folder}/${e.name}`, mtimeMs: now.getTime() }));
  return { fileName, data: tarGz(named, now.getTime()), entries: entries.map((e) => e.name) };
}
