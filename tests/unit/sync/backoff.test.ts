/** Full-jitter backoff and Retry-After (docs/architecture.md#retries, RFC 9110 §10.2.3). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { backoffCeiling, fullJitterDelay, nextAttemptDelay, parseRetryAfter } from "../../../appliance/sync/backoff.ts";

const policy = { baseMs: 2_000, capMs: 300_000 };

describe("backoff", () => {
  it("doubles from the base to the cap", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 8, 9, 50].map((a) => backoffCeiling(a, policy)),
      [2_000, 4_000, 8_000, 16_000, 32_000, 256_000, 300_000, 300_000],
    );
    assert.equal(backoffCeiling(0, policy), 2_000);
  });

  it("full jitter spreads uniformly between 0 and the ceiling", () => {
    assert.equal(
      fullJitterDelay(3, policy, () => 0),
      0,
    );
    assert.equal(
      fullJitterDelay(3, policy, () => 0.5),
      4_000,
    );
    assert.equal(
      fullJitterDelay(3, policy, () => 0.999_999),
      7_999,
    );
    const samples = Array.from({ length: 2_000 }, () => fullJitterDelay(4, policy));
    assert.ok(samples.every((s) => s >= 0 && s < 16_000));
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    assert.ok(mean > 6_500 && mean < 9_500, `mean ${mean} near half the ceiling`);
  });

  it("reads Retry-After as seconds or an HTTP-date, and ignores what it cannot read", () => {
    const now = Date.parse("2026-11-25T12:00:00Z");
    assert.equal(parseRetryAfter("7", now), 7_000);
    assert.equal(parseRetryAfter(" 0 ", now), 0);
    assert.equal(parseRetryAfter("Wed, 25 Nov 2026 12:00:07 GMT", now), 7_000);
    assert.equal(parseRetryAfter("Wed, 25 Nov 2026 11:59:00 GMT", now), 0, "a past date means now");
    for (const bad of [undefined, null, "", "soon", "-3", "1.5", "12345678901234567890x"])
      assert.equal(parseRetryAfter(bad, now), undefined, String(bad));
  });

  it("never retries before what the upstream asked", () => {
    assert.equal(
      nextAttemptDelay(1, policy, 7_000, () => 0.1),
      7_000,
    );
    assert.equal(
      nextAttemptDelay(9, policy, 7_000, () => 0.9),
      270_000,
    );
    assert.equal(
      nextAttemptDelay(1, policy, undefined, () => 0.5),
      1_000,
    );
  });
});
