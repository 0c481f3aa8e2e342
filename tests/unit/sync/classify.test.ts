/** Classifying upstream answers into what the worker does (docs/architecture.md#retries), per adapter. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classifySquare, classifyStatus, classifyZoho, networkOutcome } from "../../../appliance/sync/classify.ts";
import type { HttpResult } from "../../../appliance/lib/http-client.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const answer = (
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): Extract<HttpResult, { ok: true }> => ({
  ok: true,
  status,
  headers,
  text: JSON.stringify(json),
  json,
  jsonError: undefined,
  durationMs: 1,
});
const sq = (code: string, category = "INVALID_REQUEST_ERROR") => ({ errors: [{ category, code, detail: "x" }] });

describe("classification", () => {
  it("the generic status table", () => {
    const table: [number, string][] = [
      [200, "acked"],
      [201, "acked"],
      [408, "transient"],
      [429, "rate_limited"],
      [500, "transient"],
      [502, "transient"],
      [503, "transient"],
      [504, "transient"],
      [401, "auth"],
      [403, "blocked"],
      [404, "blocked"],
      [409, "transient"],
      [400, "rejected"],
      [422, "rejected"],
      [413, "rejected"],
    ];
    for (const [status, kind] of table)
      assert.equal(classifyStatus(status, undefined, "c", "d").kind, kind, String(status));
    assert.equal(
      classifyStatus(404, undefined, "c", "d", false).kind,
      "rejected",
      "a 404 on a lookup is not a configuration problem",
    );
    const unknown = classifyStatus(503, 2_000, "c", "d");
    assert.ok(unknown.kind === "transient" && unknown.unknown && unknown.retryAfterMs === 2_000);
  });

  it("network failures: refused means nothing was sent; a drop or timeout means unknown", () => {
    const refused = networkOutcome({ ok: false, failure: "connect", code: "ECONNREFUSED", detail: "", durationMs: 1 });
    assert.ok(refused.kind === "transient" && refused.network && !refused.unknown);
    for (const failure of ["timeout", "dropped", "aborted"] as const) {
      const o = networkOutcome({ ok: false, failure, code: "E", detail: "", durationMs: 1 });
      assert.ok(o.kind === "transient" && !o.network && o.unknown, failure);
    }
  });

  it("Square error codes decide before the status", () => {
    const table: [number, unknown, string][] = [
      [400, sq("IDEMPOTENCY_KEY_REUSED"), "lookup"],
      [401, sq("UNAUTHORIZED", "AUTHENTICATION_ERROR"), "auth"],
      [401, sq("ACCESS_TOKEN_EXPIRED", "AUTHENTICATION_ERROR"), "auth"],
      [401, sq("ACCESS_TOKEN_REVOKED", "AUTHENTICATION_ERROR"), "blocked"],
      [403, sq("INSUFFICIENT_SCOPES", "AUTHENTICATION_ERROR"), "blocked"],
      [400, sq("LOCATION_MISMATCH"), "blocked"],
      [400, sq("API_VERSION_INCOMPATIBLE"), "blocked"],
      [429, sq("RATE_LIMITED", "RATE_LIMIT_ERROR"), "rate_limited"],
      [409, sq("CONFLICT"), "transient"],
      [400, sq("VALUE_TOO_LONG"), "rejected"],
      [400, sq("INVALID_VALUE"), "rejected"],
      [404, sq("NOT_FOUND"), "blocked"],
      [500, sq("INTERNAL_SERVER_ERROR", "API_ERROR"), "transient"],
      [503, { no: "errors" }, "transient"],
    ];
    for (const [status, body, kind] of table)
      assert.equal(classifySquare(answer(status, body), NOW).kind, kind, `${status} ${JSON.stringify(body)}`);
    const limited = classifySquare(answer(429, sq("RATE_LIMITED", "RATE_LIMIT_ERROR"), { "retry-after": "7" }), NOW);
    assert.ok(limited.kind === "rate_limited" && limited.retryAfterMs === 7_000);
  });

  it("Zoho: code 0 is success, 1001 a number we already used (look it up), the rest by status", () => {
    assert.equal(classifyZoho(answer(201, { code: 0, message: "ok" }), NOW).kind, "acked");
    assert.equal(classifyZoho(answer(400, { code: 1001, message: "exists" }), NOW).kind, "lookup");
    assert.equal(classifyZoho(answer(401, { code: 57, message: "no" }), NOW).kind, "auth");
    assert.equal(classifyZoho(answer(400, { code: 4, message: "bad" }), NOW).kind, "rejected");
    assert.equal(classifyZoho(answer(200, { code: 9, message: "logical error with 200" }), NOW).kind, "rejected");
    assert.equal(classifyZoho(answer(429, { code: 44, message: "rate" }), NOW).kind, "rate_limited");
  });
});
