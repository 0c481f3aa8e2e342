/**
 * Finding 2 (medium): 100 concurrent wrong PINs got 98 × 401 and no 429, because the limit was
 * checked before the asynchronous scrypt work and counted only after it; and each attempt
 * scrypt-checked every user. Now an attempt is reserved before the check, per address and for
 * everyone together, and a sign-in finds its user by a keyed index: one scrypt check at most.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { startTestApp, ADMIN_PIN, type TestApp } from "../helpers/test-app.ts";

type Err = { error: { code: string; details?: { retryAfterSeconds?: number } } };

/** A login from a chosen loopback address (127.0.0.0/8 is all loopback on Linux). */
function loginFrom(url: string, localAddress: string, pin: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({ pin });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path: "/api/auth/login",
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { auth: { loginAttemptsPerMinute: 5 } } });
});
after(() => t.stop());

/** Wrong PINs: none of the users below has 0000xx. */
const wrong = (i: number) => String(i).padStart(6, "0");

describe("finding 2: PIN sign-in limits", () => {
  it("100 concurrent wrong PINs from one address: at most 5 are checked, the rest get 429 with Retry-After", async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.api<Err>("POST", "/api/auth/login", { body: { pin: wrong(i) } })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 5, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 429).length, 95);
    const refused = results.find((r) => r.status === 429);
    assert.ok(refused);
    assert.equal(refused.body.error.code, "too_many_attempts");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1, "Retry-After header");
    assert.equal(refused.headers.get("retry-after"), String(refused.body.error.details?.retryAfterSeconds));
    // The right PIN is refused too while the address is locked: no way to tell right from wrong.
    assert.equal((await t.api("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } })).status, 429);
  });

  it("other addresses are limited together: the total limit holds however many addresses there are", async () => {
    const app = await startTestApp({
      config: { auth: { loginAttemptsPerMinute: 5, loginAttemptsPerMinuteTotal: 12 } },
    });
    try {
      const statuses: number[] = [];
      // 5 addresses × 5 wrong PINs, all at once: each address is within its own 5, the board's 12 stops them.
      await Promise.all(
        Array.from({ length: 5 }, async (_, a) => {
          const results = await Promise.all(
            Array.from({ length: 5 }, (_, i) => loginFrom(app.url, `127.0.0.${a + 2}`, wrong(100 + a * 10 + i))),
          );
          statuses.push(...results);
        }),
      );
      assert.equal(statuses.filter((s) => s === 401).length, 12, JSON.stringify(statuses));
      assert.equal(statuses.filter((s) => s === 429).length, 13);
    } finally {
      await app.stop();
    }
  });
});

describe("finding 2: one sign-in is one scrypt check", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.stop());

  it("with 17 users a right PIN costs one scrypt check and a wrong one none", async () => {
    const pins: string[] = [];
    for (let i = 0; i < 16; i += 1) {
      const created = await app.api<{ pin: string }>("POST", "/api/users", {
        token: app.adminToken,
        body: { name: `Staff ${i}`, role: "cashier" },
      });
      assert.equal(created.status, 201);
      pins.push(created.body.pin);
    }
    const stats = app.app.ctx.pins.stats;
    const before = stats.scryptRuns;
    const right = await app.api("POST", "/api/auth/login", { body: { pin: pins[11] } });
    assert.equal(right.status, 200);
    assert.equal(stats.scryptRuns - before, 1);
    const wrongPin = await app.api("POST", "/api/auth/login", { body: { pin: "13579135" } });
    assert.equal(wrongPin.status, 401);
    assert.equal(stats.scryptRuns - before, 1);
  });

  it("a user from before the index (or from a setup file's hash) is found by scrypt once, then indexed", async () => {
    const created = await app.api<{ id: string; pin: string }>("POST", "/api/users", {
      token: app.adminToken,
      body: { name: "Old timer", role: "cashier" },
    });
    app.app.ctx.journal.run("UPDATE users SET pin_index = NULL, pin_index_key = NULL WHERE id = ?", [created.body.id]);
    assert.equal((await app.api("POST", "/api/auth/login", { body: { pin: created.body.pin } })).status, 200);
    const row = app.app.ctx.journal.get<{ pin_index: string | null }>("SELECT pin_index FROM users WHERE id = ?", [
      created.body.id,
    ]);
    assert.ok(row?.pin_index, "indexed after the first sign-in");
    const stats = app.app.ctx.pins.stats;
    const before = stats.scryptRuns;
    assert.equal((await app.api("POST", "/api/auth/login", { body: { pin: created.body.pin } })).status, 200);
    assert.equal(stats.scryptRuns - before, 1);
  });

  it("keeps no PIN in the journal: only scrypt hashes and an index keyed outside it", async () => {
    const created = await app.api<{ id: string; pin: string }>("POST", "/api/users", {
      token: app.adminToken,
      body: { name: "Plain", role: "cashier" },
    });
    const row = app.app.ctx.journal.get<Record<string, unknown>>("SELECT * FROM users WHERE id = ?", [created.body.id]);
    assert.ok(row);
    for (const value of Object.values(row))
      assert.ok(!String(value).includes(created.body.pin), "the PIN is not stored in clear");
    assert.match(String(row.pin_hash), /^scrypt\$/);
  });
});
