/**
 * The board's secret key: `<dataDir>/secrets.key` (or `sync.secretKeyFile`), 32 random bytes
 * created on first use with mode 0600 and never stored in the journal or its backups, so a copied
 * journal reveals neither upstream tokens (sealed with it, secret-box.ts) nor staff PINs (their
 * lookup index is keyed with it, commands/pins.ts). Each use derives its own key with HKDF.
 */
import { hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync, fsyncSync } from "node:fs";
import { dirname, join } from "node:path";
import { AppError } from "./errors.ts";

export const KEY_BYTES = 32;

/** Where the key file is for this configuration. */
export function secretKeyPath(config: { dataDir: string; sync: { secretKeyFile: string } }): string {
  return config.sync.secretKeyFile || join(config.dataDir, "secrets.key");
}

/** A key for one purpose, derived from the board's key (RFC 5869 HKDF-SHA256, `info` = purpose). */
export function deriveKey(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), purpose, KEY_BYTES));
}

/** Reads the key file, creating it (0600) on first use. */
export function loadOrCreateKey(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const key = randomBytes(KEY_BYTES);
    let fd: number;
    try {
      // "wx": never overwrite a key another process created a moment ago.
      fd = openSync(path, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw keyError(path, error);
      return readKey(path);
    }
    try {
      writeSync(fd, key.toString("base64"));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(path, 0o600);
    return key;
  }
  return readKey(path);
}

function readKey(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw keyError(path, error);
  }
  const key = Buffer.from(text, "base64");
  if (key.length !== KEY_BYTES)
    throw new AppError("secret_key_unavailable", `the secret key ${path} is not ${KEY_BYTES} bytes of base64`);
  return key;
}

function keyError(path: string, cause: unknown): AppError {
  return new AppError(
    "secret_key_unavailable",
    `cannot read or create the secret key ${path}: ${(cause as Error).message}`,
    { cause },
  );
}
