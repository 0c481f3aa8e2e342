/**
 * Upstream tokens at rest: AES-256-GCM with a key that is never in the journal, so a copied
 * journal or backup does not leak them. The key is `<dataDir>/secrets.key` (or
 * `sync.secretKeyFile`): 32 random bytes, created on first use with mode 0600. Lose the key and
 * the stored tokens are unreadable: the target is blocked until someone connects it again.
 *
 * Sealed form: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), keyId = first 16 hex of
 * SHA-256(key), so a changed key is recognised instead of producing garbage.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync, fsyncSync } from "node:fs";
import { dirname } from "node:path";
import { AppError } from "../lib/errors.ts";

const KEY_BYTES = 32;

export interface SecretBox {
  readonly keyId: string;
  seal(plain: string): string;
  /** Throws secret_key_unavailable when the text was sealed with another key or is damaged. */
  open(sealed: string): string;
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
  if (key.length !== KEY_BYTES) throw new AppError("secret_key_unavailable", `the secret key ${path} is not ${KEY_BYTES} bytes of base64`);
  return key;
}

function keyError(path: string, cause: unknown): AppError {
  return new AppError("secret_key_unavailable", `cannot read or create the secret key ${path}: ${(cause as Error).message}`, { cause });
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error("secret key must be 32 bytes");
  const keyId = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return {
    keyId,
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(keyId));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", keyId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
    },
    open(sealed: string): string {
      const [version, id, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || iv === undefined || tag === undefined || body === undefined) {
        throw new AppError("secret_key_unavailable", "stored credentials are in an unknown format; connect the integration again");
      }
      if (id !== keyId) throw new AppError("secret_key_unavailable", "stored credentials were sealed with another secret key; connect the integration again");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAAD(Buffer.from(keyId));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
      } catch (cause) {
        throw new AppError("secret_key_unavailable", "stored credentials could not be decrypted; connect the integration again", { cause });
      }
    },
  };
}
