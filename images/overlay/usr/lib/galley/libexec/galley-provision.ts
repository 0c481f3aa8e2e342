/**
 * Board provisioning, run by the image's own Node (which strips the types) as root:
 *
 *   galley-provision.ts firstboot        galley-firstboot.service: import the setup file once
 *   galley-provision.ts import FILE      import a setup file by hand (USB stick, scp)
 *   galley-provision.ts apply-request    galley-setup-request.service: import what the setup page sent
 *   galley-provision.ts factory-reset    galley-factory-reset.service: export, consume, wipe
 *   galley-provision.ts request-reset    technician: set the one-shot flag (then reboot)
 *
 * The setup file (`galley-setup.json` on the FAT boot partition) is documented in
 * docs/technician.md. Its secrets (Wi-Fi key, upstream token, admin PIN hash) land only on the
 * data partition, and the FAT copy is replaced by a redacted `galley-setup.imported.json`.
 * Paths come from the environment so tests can run this against a temporary tree.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";

const DATA = process.env.GALLEY_DATA_ROOT ?? "/data";
const BOOT = process.env.GALLEY_BOOT_DIR ?? "/boot/firmware";
const CONFIG = join(DATA, "config");
const STATE = join(DATA, "galley");
const SERVICE_UID = Number(process.env.GALLEY_UID ?? 970);
const SERVICE_GID = Number(process.env.GALLEY_GID ?? 970);
const SETUP_NAME = "galley-setup.json";
/** Where galleyd's setup page leaves a submitted setup (its data folder, /var/lib/galley). */
const SETUP_REQUEST = join(STATE, "setup-request.json");
const RESET_FLAG = join(DATA, "factory-reset.request");
/** Folders a factory reset keeps: the journal exports it just wrote, and ext4's own. */
const KEEP_ON_RESET = new Set(["exports", "lost+found"]);

interface SetupFile {
  name?: string;
  role?: "hub" | "screen";
  hub?: string;
  display?: string;
  timezone?: string;
  store?: { name?: string; currency?: string };
  wifi?: { ssid: string; psk?: string; country?: string; hidden?: boolean };
  upstream?: Record<string, unknown>;
  adminPinHash?: string;
}

const say = (message: string): void => {
  process.stdout.write(`galley-provision: ${message}\n`);
};

/** Writes a file so that a power cut leaves the old or the new content, never a mix. */
function writeAtomic(path: string, content: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, content, { mode });
  const fd = openSync(temp, "r");
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, path);
  syncDir(dirname(path));
}

function syncDir(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: "inherit", timeout: 60_000 });
  return result.status === 0;
}

/** Checks a setup file and lists every problem as `path: message`. */
export function validateSetup(raw: unknown): { setup: SetupFile; errors: string[] } {
  const errors: string[] = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { setup: {}, errors: ["(root): must be a JSON object"] };
  const setup = raw as SetupFile;
  const known = new Set(["name", "role", "hub", "display", "timezone", "store", "wifi", "upstream", "adminPinHash"]);
  for (const key of Object.keys(setup)) if (!known.has(key)) errors.push(`${key}: unknown key`);
  if (setup.name !== undefined && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(setup.name))
    errors.push("name: lower-case letters, digits and dashes (a host name)");
  if (setup.role !== undefined && !["hub", "screen"].includes(setup.role)) errors.push('role: "hub" or "screen"');
  if (setup.role === "screen" && !setup.hub) errors.push("hub: a screen-only board needs the hub's URL");
  if (setup.hub !== undefined && !/^https?:\/\/[^\s/]+/.test(setup.hub)) errors.push("hub: an http(s) URL");
  if (
    setup.display !== undefined &&
    !/^(\/(kiosk|kitchen|board|counter|admin)([?#].*)?|none|https?:\/\/\S+)$/.test(setup.display)
  )
    errors.push('display: "/kiosk", "/kitchen", "/board", "none" or a URL');
  if (setup.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: setup.timezone });
    } catch {
      errors.push(`timezone: unknown time zone ${JSON.stringify(setup.timezone)}`);
    }
  }
  if (setup.wifi !== undefined) {
    if (typeof setup.wifi.ssid !== "string" || setup.wifi.ssid.length === 0 || setup.wifi.ssid.length > 32)
      errors.push("wifi.ssid: 1 to 32 characters");
    if (setup.wifi.psk !== undefined && (setup.wifi.psk.length < 8 || setup.wifi.psk.length > 63))
      errors.push("wifi.psk: 8 to 63 characters");
    if (setup.wifi.country !== undefined && !/^[A-Z]{2}$/.test(setup.wifi.country))
      errors.push("wifi.country: two capital letters (ISO 3166)");
  }
  if (
    setup.adminPinHash !== undefined &&
    !/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/.test(setup.adminPinHash)
  )
    errors.push("adminPinHash: a scrypt$N$r$p$salt$key hash (make one with `galley pin-hash`)");
  return { setup, errors };
}

/** The setup file without its secrets: what stays on the FAT partition as a receipt. */
export function redactSetup(setup: SetupFile): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(setup)) as Record<string, unknown> & SetupFile;
  if (copy.wifi?.psk !== undefined) copy.wifi.psk = "[imported]";
  if (copy.adminPinHash !== undefined) copy.adminPinHash = "[imported]";
  if (copy.upstream !== undefined) copy.upstream = { imported: true };
  return copy;
}

function nmKeyfile(wifi: NonNullable<SetupFile["wifi"]>): string {
  const lines = [
    "[connection]",
    "id=galley-wifi",
    "type=wifi",
    "autoconnect=true",
    "",
    "[wifi]",
    "mode=infrastructure",
    `ssid=${wifi.ssid}`,
  ];
  if (wifi.hidden) lines.push("hidden=true");
  if (wifi.psk) lines.push("", "[wifi-security]", "key-mgmt=wpa-psk", `psk=${wifi.psk}`);
  lines.push("", "[ipv4]", "method=auto", "", "[ipv6]", "method=auto", "addr-gen-mode=stable-privacy", "");
  return lines.join("\n");
}

/** Applies a validated setup to the data partition. Never writes the boot partition. */
function applySetup(setup: SetupFile): void {
  mkdirSync(CONFIG, { recursive: true });
  const configPath = join(CONFIG, "galley.json");
  const config = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>)
    : defaultConfig();
  const store = { ...(config.store as Record<string, unknown> | undefined) };
  if (setup.store?.name) store.name = setup.store.name;
  if (setup.store?.currency) store.currency = setup.store.currency;
  if (setup.timezone) store.timezone = setup.timezone;
  config.store = store;
  writeAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`, 0o640);
  chownTo(configPath, 0, SERVICE_GID);

  if (setup.name) writeAtomic(join(CONFIG, "hostname"), `${setup.name}\n`, 0o644);
  if (setup.timezone) {
    rmSync(join(CONFIG, "localtime"), { force: true });
    run("ln", ["-s", `/usr/share/zoneinfo/${setup.timezone}`, join(CONFIG, "localtime")]);
  }
  const display =
    setup.display ?? (setup.role === "screen" ? `${String(setup.hub).replace(/\/$/, "")}/kitchen` : "/kitchen");
  if (display === "none") writeAtomic(join(CONFIG, "headless"), "no local screen\n", 0o644);
  else
    writeAtomic(
      join(CONFIG, "display-url"),
      `${display.startsWith("/") ? `http://127.0.0.1:8080${display}` : display}\n`,
      0o644,
    );
  if (setup.role === "screen") writeAtomic(join(CONFIG, "screen-only"), `${String(setup.hub)}\n`, 0o644);
  if (setup.wifi) {
    writeAtomic(join(DATA, "system", "nm-connections", "galley-wifi.nmconnection"), nmKeyfile(setup.wifi), 0o600);
    if (setup.wifi.country) writeAtomic(join(CONFIG, "wifi-country"), `${setup.wifi.country}\n`, 0o644);
  }
  if (setup.upstream) {
    // Read by galleyd's sync layer; only root and the service group can read it.
    writeAtomic(join(CONFIG, "upstream.json"), `${JSON.stringify(setup.upstream, null, 2)}\n`, 0o640);
    chownTo(join(CONFIG, "upstream.json"), 0, SERVICE_GID);
  }
  if (setup.adminPinHash) {
    mkdirSync(join(STATE, "run"), { recursive: true, mode: 0o700 });
    const hashFile = join(STATE, "run", "first-admin.pin-hash");
    writeAtomic(hashFile, `${setup.adminPinHash}\n`, 0o600);
    chownTo(hashFile, SERVICE_UID, SERVICE_GID);
    const cli = spawnSync("/usr/lib/galley/libexec/galley", ["first-admin", "--pin-hash-file", hashFile], {
      stdio: "inherit",
      uid: SERVICE_UID,
      gid: SERVICE_GID,
      timeout: 120_000,
    });
    rmSync(hashFile, { force: true });
    if (cli.status !== 0)
      say("could not create the first admin from adminPinHash; galleyd will generate a PIN on its first start");
  }
  rmSync(join(CONFIG, "needs-setup"), { force: true });
}

function defaultConfig(): Record<string, unknown> {
  // setup.flagFile: galleyd serves the setup page while this board waits for its setup.
  return {
    mode: "production",
    dataDir: "/var/lib/galley",
    server: { host: "0.0.0.0", port: 8080 },
    setup: { flagFile: join(CONFIG, "needs-setup") },
  };
}

function chownTo(path: string, uid: number, gid: number): void {
  spawnSync("chown", [`${uid}:${gid}`, path]);
}

function importFile(file: string, fromBoot: boolean): number {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    say(`${file} is not readable JSON: ${(error as Error).message}`);
    return 1;
  }
  const { setup, errors } = validateSetup(raw);
  if (errors.length > 0) {
    say(`${file} has problems, nothing imported:\n  ${errors.join("\n  ")}`);
    writeAtomic(join(CONFIG, "setup-errors.txt"), `${errors.join("\n")}\n`, 0o644);
    return 1;
  }
  applySetup(setup);
  writeAtomic(
    join(CONFIG, "setup-imported.json"),
    `${JSON.stringify({ at: new Date().toISOString(), from: file, setup: redactSetup(setup) }, null, 2)}\n`,
    0o644,
  );
  if (fromBoot) removeFromBoot(file, setup);
  say(`imported ${file}`);
  return 0;
}

/** Replaces the setup file on the FAT partition by its redacted receipt (temp file + rename). */
function removeFromBoot(file: string, setup: SetupFile): void {
  const remount = isReadOnlyMount(BOOT);
  if (remount) run("mount", ["-o", "remount,rw", BOOT]);
  try {
    writeAtomic(join(BOOT, "galley-setup.imported.json"), `${JSON.stringify(redactSetup(setup), null, 2)}\n`, 0o644);
    unlinkSync(file);
    syncDir(BOOT);
  } finally {
    if (remount) run("mount", ["-o", "remount,ro", BOOT]);
  }
}

function isReadOnlyMount(path: string): boolean {
  try {
    const mounts = readFileSync("/proc/self/mounts", "utf8").split("\n");
    return mounts.some((line) => {
      const [, where, , options] = line.split(" ");
      return where === path && (options ?? "").split(",").includes("ro");
    });
  } catch {
    return false;
  }
}

function firstboot(): number {
  mkdirSync(CONFIG, { recursive: true });
  const configPath = join(CONFIG, "galley.json");
  if (!existsSync(configPath)) {
    writeAtomic(configPath, `${JSON.stringify(defaultConfig(), null, 2)}\n`, 0o640);
    chownTo(configPath, 0, SERVICE_GID);
  }
  const file = join(BOOT, SETUP_NAME);
  let code = 0;
  if (existsSync(file)) code = importFile(file, true);
  else {
    say(`no ${SETUP_NAME} on the boot partition: opening the setup hotspot`);
    writeAtomic(join(CONFIG, "needs-setup"), "no setup file at first boot\n", 0o644);
  }
  persistMachineId();
  // Marked provisioned even when the file was wrong: the board still starts (setup-errors.txt
  // says what to fix), and a corrected file is imported with `galley-provision import`.
  if (code !== 0) writeAtomic(join(CONFIG, "needs-setup"), "the setup file had errors (see setup-errors.txt)\n", 0o644);
  writeAtomic(join(CONFIG, "provisioned"), `${new Date().toISOString()}\n`, 0o644);
  return 0;
}

/**
 * The system partition is read-only, so the machine id systemd made up on this first boot
 * would change on every boot (new DHCP client id, a new journal folder each time). Pin it on
 * the kernel command line (cmdline.txt on the FAT partition, written once, atomically).
 */
function persistMachineId(): void {
  const cmdline = join(BOOT, "cmdline.txt");
  let id: string;
  let line: string;
  try {
    id = readFileSync(process.env.GALLEY_MACHINE_ID_FILE ?? "/etc/machine-id", "utf8").trim();
    line = readFileSync(cmdline, "utf8").trim();
  } catch {
    return;
  }
  if (!/^[0-9a-f]{32}$/.test(id) || /(^|\s)systemd\.machine_id=/.test(line)) return;
  const remount = isReadOnlyMount(BOOT);
  if (remount) run("mount", ["-o", "remount,rw", BOOT]);
  try {
    writeAtomic(cmdline, `${line} systemd.machine_id=${id}\n`, 0o644);
  } finally {
    if (remount) run("mount", ["-o", "remount,ro", BOOT]);
  }
}

/** Copies the journal into exports/ with SQLite's VACUUM INTO and checks the copy. */
function exportJournal(): string | undefined {
  const journal = join(STATE, "journal.sqlite");
  if (!existsSync(journal)) return undefined;
  mkdirSync(join(DATA, "exports"), { recursive: true, mode: 0o700 });
  const target = join(DATA, "exports", `journal-before-reset-${new Date().toISOString().replace(/[:.]/g, "-")}.sqlite`);
  const source = new DatabaseSync(journal);
  try {
    source.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
  } finally {
    source.close();
  }
  const copy = new DatabaseSync(target, { readOnly: true });
  try {
    const rows = copy.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
    if (rows.length !== 1 || rows[0]?.integrity_check !== "ok")
      throw new Error(`the export ${target} failed its integrity check`);
  } finally {
    copy.close();
  }
  const fd = openSync(target, "r");
  fsyncSync(fd);
  closeSync(fd);
  syncDir(join(DATA, "exports"));
  return target;
}

/**
 * The setup page's submission (galleyd wrote it; the admin PIN is already in the journal):
 * imported like a setup file from the boot partition, then consumed either way. Success leaves
 * setup-imported.json and removes needs-setup (the unit then restarts the board); problems land
 * in setup-errors.txt, which the page shows.
 */
function applyRequest(): number {
  if (!existsSync(SETUP_REQUEST)) {
    say("no setup request; nothing to do");
    return 0;
  }
  const code = importFile(SETUP_REQUEST, false);
  rmSync(SETUP_REQUEST, { force: true });
  if (code === 0) rmSync(join(CONFIG, "setup-errors.txt"), { force: true });
  return code;
}

function factoryReset(): number {
  if (!existsSync(RESET_FLAG)) {
    say("no factory-reset request; nothing to do");
    return 0;
  }
  let exported: string | undefined;
  try {
    exported = exportJournal();
  } catch (error) {
    // Without a good export nothing is wiped: the flag stays for the technician to see.
    say(`journal export failed, nothing wiped: ${(error as Error).message}`);
    renameSync(RESET_FLAG, `${RESET_FLAG}.failed`);
    syncDir(DATA);
    return 1;
  }
  say(exported ? `journal exported to ${exported}` : "no journal to export");
  // Consume the flag before anything is wiped: a crash during the wipe cannot wipe again.
  unlinkSync(RESET_FLAG);
  syncDir(DATA);
  for (const entry of readdirSync(DATA)) {
    if (KEEP_ON_RESET.has(entry)) continue;
    rmSync(join(DATA, entry), { recursive: true, force: true });
  }
  syncDir(DATA);
  say("data partition wiped (exports/ kept); first boot runs again");
  return 0;
}

function requestReset(): number {
  if (!statSync(DATA).isDirectory()) return 1;
  writeAtomic(RESET_FLAG, `${JSON.stringify({ requestedAt: new Date().toISOString() })}\n`, 0o600);
  say(`factory reset requested: it runs on the next boot (systemctl reboot); cancel with rm ${RESET_FLAG}`);
  return 0;
}

function main(argv: string[]): number {
  const [command, file] = argv;
  switch (command) {
    case "firstboot":
      return firstboot();
    case "import":
      if (!file) {
        say("name the setup file");
        return 2;
      }
      return importFile(file, false);
    case "apply-request":
      return applyRequest();
    case "factory-reset":
      return factoryReset();
    case "request-reset":
      return requestReset();
    case undefined:
    default:
      say("usage: galley-provision.ts firstboot | import FILE | apply-request | factory-reset | request-reset");
      return 2;
  }
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
