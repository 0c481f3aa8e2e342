/**
 * Finding 1, the API wall: every string a request can carry is constrained — an enum, a pattern,
 * a known format, or one of the two free-text formats (protocol/schemas/text.ts). Walked over the
 * OpenAPI document, so a new route with a bare `Type.String()` in its body fails here.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMultilineText, isText } from "../../protocol/schemas/text.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

type Schema = Record<string, unknown>;
type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema: Schema }[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
};

const CONSTRAINED_FORMATS = new Set(["uuid", "date-time", "date", "binary", "text", "multiline-text"]);

/** Every string schema inside `schema`, with its path. */
function strings(
  schema: unknown,
  path: string,
  out: { path: string; schema: Schema }[] = [],
): { path: string; schema: Schema }[] {
  if (schema === null || typeof schema !== "object") return out;
  const s = schema as Schema;
  const type = s.type;
  if (type === "string" || (Array.isArray(type) && type.includes("string"))) out.push({ path, schema: s });
  for (const [key, value] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {}))
    strings(value, `${path}.${key}`, out);
  if (s.items) strings(s.items, `${path}[]`, out);
  if (s.additionalProperties && typeof s.additionalProperties === "object")
    strings(s.additionalProperties, `${path}{}`, out);
  for (const key of ["anyOf", "oneOf", "allOf"])
    for (const [i, branch] of ((s[key] as unknown[] | undefined) ?? []).entries())
      strings(branch, `${path}<${key}${i}>`, out);
  return out;
}

let t: TestApp;
before(async () => {
  // With a setup flag the board also serves /api/setup, whose body (store name, Wi-Fi) is free text too.
  const dir = mkdtempSync(join(tmpdir(), "galley-free-text-"));
  writeFileSync(join(dir, "setup-pending"), "");
  t = await startTestApp({ config: { setup: { flagFile: join(dir, "setup-pending") } } });
});
after(() => t.stop());

describe("free text in requests", () => {
  it("every string a request may send is an enum, a pattern, a known format or checked free text", async () => {
    const doc = (await t.api<OpenApi>("GET", "/api/openapi.json")).body;
    const loose: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const found = [
          ...Object.values(operation.requestBody?.content ?? {}).flatMap((c) => strings(c.schema, "body")),
          ...(operation.parameters ?? []).flatMap((p) => strings(p.schema, `${p.in}.${p.name}`)),
        ];
        for (const { path: field, schema } of found) {
          checked += 1;
          const constrained =
            schema.enum !== undefined ||
            schema.const !== undefined ||
            typeof schema.pattern === "string" ||
            CONSTRAINED_FORMATS.has(String(schema.format));
          if (!constrained) loose.push(`${method.toUpperCase()} ${path} ${field}`);
        }
      }
    }
    assert.ok(checked > 60, `walked ${checked} request strings`);
    assert.ok(doc.paths["/api/setup"]?.post, "the setup page's body is walked too");
    assert.deepEqual(
      loose,
      [],
      "free text without the text format (use Text()/MultilineText() from protocol/schemas/text.ts)",
    );
  });

  it("the text formats refuse controls, bidi overrides, separators and lone surrogates, and take any script", () => {
    for (const bad of [
      "\u0000",
      "a\u001bp",
      "\u007f",
      "\u0085",
      "\u009b",
      "\u061c",
      "\u200e",
      "\u200f",
      "\u202a",
      "\u202e",
      "\u2066",
      "\u2069",
      "\u2028",
      "\u2029",
      "\ud800",
      "x\udc00",
      "\udfff\ud800",
    ]) {
      assert.equal(isText(bad), false, JSON.stringify(bad));
      assert.equal(isMultilineText(bad), false, JSON.stringify(bad));
    }
    for (const lines of ["two\nlines", "tab\tstop"]) {
      assert.equal(isText(lines), false);
      assert.equal(isMultilineText(lines), true);
    }
    assert.equal(isMultilineText("windows\r\nline"), false, "a carriage return is a printer command (CR)");
    for (const good of ["", "Zoë", "Grüße", "李小龍", "مرحبا", "שלום", "🍔🍟", "👩‍🍳", "naïve café", "100% €5"]) {
      assert.equal(isText(good), true, good);
      assert.equal(isMultilineText(good), true, good);
    }
  });
});
