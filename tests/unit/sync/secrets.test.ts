/** Tokens sealed at rest with a key outside the journal (AES-256-GCM). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { AppError } from "../../../appliance/lib/errors.ts";
import { createSecretBox } from "../../../appliance/lib/secret-box.ts";
import { loadOrCreateKey } from "../../../appliance/lib/secret-key.ts";

describe("secrets", () => {
  it("creates the key once, 0600, and reads the same key afterwards", () => {
    const path = join(mkdtempSync(join(tmpdir(), "galley-key-")), "nested", "secrets.key");
    const key = loadOrCreateKey(path);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(loadOrCreateKey(path), key);
    assert.equal(Buffer.from(readFileSync(path, "utf8"), "base64").length, 32);
  });

  it("seals and opens; the sealed text hides the token; another key or a tampered text is refused", () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal(JSON.stringify({ accessToken: "EAAA-secret" }));
    assert.ok(!sealed.includes("EAAA-secret"));
    assert.notEqual(box.seal("same"), box.seal("same"), "a fresh IV every time");
    assert.equal((JSON.parse(box.open(sealed)) as { accessToken: string }).accessToken, "EAAA-secret");
    const other = createSecretBox(randomBytes(32));
    assert.throws(
      () => other.open(sealed),
      (e: unknown) =>
        e instanceof AppError && e.code === "secret_key_unavailable" && /another secret key/.test(e.message),
    );
    const parts = sealed.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    assert.throws(
      () => box.open(parts.join(".")),
      (e: unknown) => e instanceof AppError && e.code === "secret_key_unavailable",
    );
  });

  it("a damaged key file is reported, not replaced", () => {
    const path = join(mkdtempSync(join(tmpdir(), "galley-key-")), "secrets.key");
    writeFileSync(path, "too short");
    assert.throws(
      () => loadOrCreateKey(path),
      (e: unknown) => e instanceof AppError && e.code === "secret_key_unavailable",
    );
    assert.equal(readFileSync(path, "utf8"), "too short");
  });
});
