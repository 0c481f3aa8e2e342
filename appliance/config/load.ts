/**
 * Configuration: file (GALLEY_CONFIG) → environment overrides → validate (every error as
 * `path: message`) → defaults → freeze. Only main.ts and the CLI call this; after start-up nothing
 * reads process.env.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AppError } from "../lib/errors.ts";
import { compileValidator } from "../lib/validate.ts";
import { ConfigSchema, type Config, type RuntimeConfig } from "./schema.ts";

const validateConfig = compileValidator(ConfigSchema);

/** Environment variables galleyd reads, and the config key each overrides. */
export const ENV_OVERRIDES = {
  GALLEY_PORT: "server.port",
  GALLEY_HOST: "server.host",
  GALLEY_DATA_DIR: "dataDir",
  GALLEY_LOG_LEVEL: "log.level",
  GALLEY_MODE: "mode",
  GALLEY_MENU_SEED: "menu.seed",
} as const;

export interface LoadOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** `--dev` on the command line: development defaults even without a file. */
  dev?: boolean;
  cwd?: string;
}

/** Development defaults, used when no config file is named (`npm start`). */
function developmentBase(cwd: string): Record<string, unknown> {
  return {
    mode: "development",
    dataDir: resolve(cwd, "var"),
    server: { host: "127.0.0.1", port: 8080 },
    store: { name: "Galley Demo Kitchen", timezone: localTimeZone() },
    menu: { seed: "demo" },
  };
}

function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function loadConfig(options: LoadOptions): RuntimeConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = options.env.GALLEY_CONFIG;
  let raw: Record<string, unknown>;
  let source: string;
  if (file) {
    source = resolve(cwd, file);
    raw = readConfigFile(source);
  } else {
    source = "development defaults";
    raw = developmentBase(cwd);
  }
  if (options.dev && !file) raw.mode = "development";

  const errors: string[] = [];
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const value = options.env[name];
    if (value === undefined || value === "") continue;
    if (path === "server.port") {
      if (!/^\d+$/.test(value)) {
        errors.push(`${name}: must be a port number, got ${JSON.stringify(value)}`);
        continue;
      }
      setPath(raw, path, Number(value));
    } else {
      setPath(raw, path, path === "dataDir" ? resolve(cwd, value) : value);
    }
  }

  const adminPin = options.env.GALLEY_ADMIN_PIN;
  if (adminPin !== undefined && !/^[0-9]{4,8}$/.test(adminPin)) {
    errors.push("GALLEY_ADMIN_PIN: must be 4 to 8 digits");
  }

  const result = validateConfig(raw);
  if (!result.ok) errors.push(...result.errors);
  if (result.ok) errors.push(...semanticErrors(result.value));
  if (errors.length > 0 || !result.ok) {
    throw new AppError("config_invalid", `invalid configuration (${source}):\n  ${errors.join("\n  ")}`, {
      details: { source, errors },
    });
  }
  const config = result.value;
  if (config.dataDir && !config.dataDir.startsWith("/")) config.dataDir = resolve(cwd, config.dataDir);
  return Object.freeze({ config: deepFreeze(config), adminPin: adminPin || undefined, source });
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new AppError("config_invalid", `cannot read config file ${path}: ${(cause as Error).message}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new AppError("config_invalid", `config file ${path} is not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AppError("config_invalid", `config file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Rules a schema cannot say. */
function semanticErrors(config: Config): string[] {
  const errors: string[] = [];
  try {
    new Intl.DateTimeFormat("en", { timeZone: config.store.timezone });
  } catch {
    errors.push(`store.timezone: unknown time zone ${JSON.stringify(config.store.timezone)}`);
  }
  if (config.orders.numberStart >= config.orders.numberMax) {
    errors.push("orders.numberStart: must be below orders.numberMax");
  }
  for (const [channel, flow] of Object.entries(config.orders.channels)) {
    if (flow.terminalStatuses.includes("pending") || flow.terminalStatuses.includes("in_queue")) {
      errors.push(`orders.channels.${channel}.terminalStatuses: pending and in_queue cannot be terminal`);
    }
  }
  return errors;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Defaults alone, for tests and tools: development mode with everything overridable. */
export function testConfig(overrides: { dataDir: string } & Record<string, unknown>): Readonly<Config> {
  const result = validateConfig({ mode: "development", menu: { seed: "demo" }, ...overrides });
  if (!result.ok) throw new AppError("config_invalid", result.errors.join("; "));
  return deepFreeze(result.value);
}
