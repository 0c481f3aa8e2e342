/**
 * Bad input, at random: for every write route of the OpenAPI document, bodies its schema refuses
 * (arbitrary JSON, the route's own keys with wrong values, hostile strings) and requests no route
 * takes (broken JSON, other media types, other charsets). Each must get a 4xx with a JSON error
 * and a code, and leave the journal's seq where it was: rejected input writes nothing.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { exactAjv } from "../../appliance/lib/validate.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

type Schema = Record<string, unknown>;
type Operation = { requestBody?: { content: Record<string, { schema: Schema }> } };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const HOSTILE_STRINGS = [
  "\u001bp\u0000\u0019\u00fa",
  "\u202eevil",
  "\ud800",
  "x".repeat(5_000),
  "",
  "__proto__",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "1e999",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
];
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(
    ...HOSTILE_STRINGS,
    null,
    true,
    -1,
    0,
    1.5,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    [],
    {},
    [null],
    { "": 1 },
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.anything({ maxDepth: 2, maxKeys: 4 }),
);

/** Bodies the schema refuses: anything at all, or the schema's own keys with hostile values. */
function badBodies(schema: Schema): fc.Arbitrary<unknown> {
  const keys = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  const own =
    keys.length > 0
      ? fc.dictionary(fc.constantFrom(...keys), hostileValue, { minKeys: 1, maxKeys: keys.length })
      : fc.constant({ unexpected: 1 });
  // The documented schema, checked by the appliance's own validator (it fills in defaults: hence the clone below).
  const validate = exactAjv.compile(schema);
  return fc
    .oneof(
      fc.anything({ maxDepth: 3, maxKeys: 5 }),
      own,
      own.map((body) => ({ ...body, unexpectedKey: "x" })),
    )
    .map(asSent)
    .filter((body) => !validate(structuredClone(body)));
}

/**
 * A body as the server receives it, after JSON: `{ "": undefined }` arrives as `{}`, `undefined`
 * as the literal null. The schema is checked against this, not the value before it was sent.
 */
function asSent(body: unknown): unknown {
  return body === undefined ? null : JSON.parse(JSON.stringify(body));
}

/** Requests no write route takes, whatever its schema. */
const MALFORMED: { what: string; type: string; body: string }[] = [
  { what: "broken JSON", type: "application/json", body: "{" },
  { what: "JSON with trailing garbage", type: "application/json", body: '{"id":1} x' },
  { what: "plain text", type: "text/plain", body: "hello" },
  { what: "a form", type: "application/x-www-form-urlencoded", body: "a=1&b=2" },
  { what: "JSON in latin1", type: "application/json; charset=latin1", body: "{}" },
];
/** Well-formed JSON that no documented body takes (a route without a body ignores what it is sent). */
const DEEP = { what: "arrays 5,000 deep", type: "application/json", body: `${"[".repeat(5_000)}${"]".repeat(5_000)}` };

let t: TestApp;
let writes: { method: string; path: string; url: string; schema: Schema | undefined }[];
before(async () => {
  t = await startTestApp();
  const order = await t.placeOrder(await t.tokenFor("kiosk"), [{ menuItemId: "fries", quantity: 1 }]);
  const doc = (await t.api<OpenApi>("GET", "/api/openapi.json")).body;
  writes = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!["post", "put", "patch", "delete"].includes(method)) continue;
      const url = path
        .replace("{itemId}", "burger")
        .replace("{name}", "x.svg")
        .replace("{target}", "square")
        .replace("{id}", order.body.id)
        .replace(/\{\w+\}/g, () => randomUUID());
      writes.push({
        method: method.toUpperCase(),
        path,
        url,
        schema: operation.requestBody?.content["application/json"]?.schema,
      });
    }
  }
});
after(() => t.stop());

async function seq(): Promise<number> {
  return (await t.api<{ seq: number }>("GET", "/api/diagnostics/ping")).body.seq;
}

async function assertRefused(method: string, url: string, type: string, body: string, what: string): Promise<void> {
  const res = await fetch(`${t.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${t.adminToken}`, "content-type": type },
    body,
  });
  const text = await res.text();
  assert.ok(
    res.status >= 400 && res.status < 500,
    `${method} ${url} with ${what}: ${res.status} ${text.slice(0, 300)}`,
  );
  const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(typeof parsed.error?.code, "string", `${method} ${url} with ${what}: ${text.slice(0, 300)}`);
  assert.equal(typeof parsed.error?.message, "string");
}

describe("fuzz: every write route refuses bad input and writes nothing", { timeout: 300_000 }, () => {
  it("covers the write routes", () => {
    assert.ok(writes.length > 40, `${writes.length} write routes`);
  });

  it("broken JSON, other media types and charsets", async () => {
    const start = await seq();
    for (const { method, url, schema } of writes) {
      for (const bad of [...MALFORMED, ...(schema ? [DEEP] : [])])
        await assertRefused(method, url, bad.type, bad.body, bad.what);
    }
    assert.equal(await seq(), start);
  });

  it("bodies the route's schema refuses (fast-check)", async () => {
    const start = await seq();
    let sent = 0;
    for (const { method, url, schema } of writes) {
      // No documented body, or one the handler reads itself (a picture's bytes): the malformed cases above cover them.
      if (!schema || schema.properties === undefined) continue;
      await fc.assert(
        fc.asyncProperty(badBodies(schema), async (body) => {
          sent += 1;
          const text = JSON.stringify(body);
          await assertRefused(method, url, "application/json", text, `body ${text.slice(0, 200)}`);
        }),
        { numRuns: 25 },
      );
    }
    assert.ok(sent > 400, `${sent} bodies sent`);
    assert.equal(await seq(), start);
  });
});
