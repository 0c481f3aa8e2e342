/** The README is the product's front door: keep its error table and configuration table true. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TSchema } from "typebox";
import { ENV_OVERRIDES } from "../../../appliance/config/load.ts";
import { ConfigSchema } from "../../../appliance/config/schema.ts";
import { ERROR_STATUS } from "../../../appliance/lib/errors.ts";

const README = readFileSync(join(import.meta.dirname, "..", "..", "..", "README.md"), "utf8");

function configKeys(schema: TSchema, prefix = ""): string[] {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  return Object.entries(properties).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const nested = (child as { properties?: unknown }).properties;
    return nested ? configKeys(child, path) : [path];
  });
}

describe("README", () => {
  it("documents every error code with its HTTP status", () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      assert.match(
        README,
        new RegExp(`\\| \`${code}\` \\| ${status} \\|`),
        `README lacks the row for ${code} (${status})`,
      );
    }
  });

  it("documents no error code the appliance does not have", () => {
    const rows = [...README.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => m[1]);
    for (const code of rows) assert.ok(code && code in ERROR_STATUS, `README documents unknown code ${code}`);
  });

  it("documents every configuration key and environment variable", () => {
    for (const key of configKeys(ConfigSchema))
      assert.ok(README.includes(`| \`${key}\` |`), `README lacks config key ${key}`);
    for (const name of [...Object.keys(ENV_OVERRIDES), "GALLEY_CONFIG", "GALLEY_ADMIN_PIN"])
      assert.ok(README.includes(`\`${name}\``), `README lacks ${name}`);
  });

  it("shows the two quick-start commands", () => {
    assert.ok(README.includes("npm install && npm start"));
    assert.ok(README.includes("npm test"));
  });
});
