/**
 * The board's local diagnostics credential, for `galley doctor` and the board's own
 * housekeeping (display heartbeat watch, boot slip) that run without a person to sign in.
 *
 * galleyd writes a fresh random token to `<dataDir>/run/doctor.token` at every start (mode
 * 0600, owned by the service user; root reads it). The guard accepts it only on connections
 * from the loopback interface, and only as a principal holding `diagnostics:read` (plus the
 * read-only `devices:read` and `sync:read` the doctor's lines need), so a leaked
 * copy is useless from the network and cannot place orders, pair screens or manage users.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Principal } from "../../protocol/schemas/auth.ts";

export const LOCAL_TOKEN_PREFIX = "gld_";
/** What the local token may do: read diagnostics and the status the doctor shows, nothing else. */
export const LOCAL_PERMISSIONS = ["diagnostics:read", "devices:read", "sync:read"] as const;

export function localTokenPath(dataDir: string): string {
  return join(dataDir, "run", "doctor.token");
}

/** Creates a new token file (atomically: temp file + rename) and returns the token. */
export function writeLocalToken(dataDir: string): string {
  const token = `${LOCAL_TOKEN_PREFIX}${randomBytes(24).toString("base64url")}`;
  const dir = join(dataDir, "run");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = localTokenPath(dataDir);
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return token;
}

/** Reads the token file, or undefined when it is missing or not readable by this user. */
export function readLocalToken(dataDir: string): string | undefined {
  try {
    const token = readFileSync(localTokenPath(dataDir), "utf8").trim();
    return token.startsWith(LOCAL_TOKEN_PREFIX) ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Matches a presented token against the current one in constant time. */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The principal the local token stands for. */
export const LOCAL_PRINCIPAL: Principal = {
  kind: "user",
  id: "00000000-0000-4000-8000-00000000d0c7",
  name: "local diagnostics (galley doctor)",
  role: "technician",
  permissions: [...LOCAL_PERMISSIONS],
};
