/**
 * Secrets at rest (upstream tokens, card terminals' keys): AES-256-GCM with the board's secret key (lib/secret-key.ts), which is
 * never in the journal, so a copied journal or backup does not leak them. Lose the key and the
 * stored tokens are unreadable: the target is blocked until someone connects it again.
 *
 * Sealed form: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), keyId = first 16 hex of
 * SHA-256(key), so a changed key is recognised instead of producing garbage.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { AppError } from "./errors.ts";
import { KEY_BYTES } from "./secret-key.ts";

export interface SecretBox {
  readonly keyId: string;
  seal(plain: string): string;
  /** Throws secret_key_unavailable when the text was sealed with another key or is damaged. */
  open(sealed: string): string;
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
      return [
        "v1",
        keyId,
        iv.toString("base64url"),
        cipher.getAuthTag().toString("base64url"),
        body.toString("base64url"),
      ].join(".");
    },
    open(sealed: string): string {
      const [version, id, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || iv === undefined || tag === undefined || body === undefined) {
        throw new AppError(
          "secret_key_unavailable",
          "stored credentials are in an unknown format; connect the integration again",
        );
      }
      if (id !== keyId)
        throw new AppError(
          "secret_key_unavailable",
          "stored credentials were sealed with another secret key; connect the integration again",
        );
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAAD(Buffer.from(keyId));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
      } catch (cause) {
        throw new AppError(
          "secret_key_unavailable",
          "stored credentials could not be decrypted; connect the integration again",
          { cause },
        );
      }
    },
  };
}
