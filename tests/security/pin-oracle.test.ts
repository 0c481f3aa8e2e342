/**
 * Finding 3 (medium): setting a cashier's PIN answered `409 pin_in_use` when someone else had it,
 * with no limit, so a manager found the admin's PIN in 30 tries. Now every PIN someone chooses
 * counts toward `auth.pinChoicesPerMinute` whatever the answer, the refusal names nobody, a user
 * never sets or resets the PIN of a role above their own, and by default the appliance chooses
 * the PIN and shows it once.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ADMIN_PIN, startTestApp, type TestApp } from "../helpers/test-app.ts";

type Err = { error: { code: string; message: string } };
type User = { id: string; name: string; role: string; pin?: string };

let t: TestApp;
let manager: string;
let cashier: User;
before(async () => {
  t = await startTestApp();
  manager = await t.tokenFor("manager");
  await t.tokenFor("technician");
  cashier = (await t.api<User>("POST", "/api/users", { token: t.adminToken, body: { name: "Casey", role: "cashier" } }))
    .body;
});
after(() => t.stop());

describe("finding 3: no PIN oracle", () => {
  it("a manager trying 30 PINs on a cashier is stopped after 5, before the admin's PIN can be found", async () => {
    const statuses: number[] = [];
    const tries = Array.from({ length: 30 }, (_, i) => String(246_795 + i));
    tries[20] = ADMIN_PIN; // the admin's PIN sits among the guesses, as in the review
    for (const pin of tries) {
      const res = await t.api<Err>("PATCH", `/api/users/${cashier.id}`, { token: manager, body: { pin } });
      statuses.push(res.status);
      if (res.status === 409) assert.doesNotMatch(res.body.error.message, /admin/i, "the refusal names nobody");
    }
    assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
    assert.deepEqual(new Set(statuses.slice(5)), new Set([429]), JSON.stringify(statuses));
  });

  it("a colliding PIN counts like any other choice and is refused without saying whose", async () => {
    const app = await startTestApp();
    try {
      const admin = app.adminToken;
      const other = (
        await app.api<User>("POST", "/api/users", { token: admin, body: { name: "Kim", role: "cashier" } })
      ).body;
      const taken = await app.api<Err>("PATCH", `/api/users/${other.id}`, { token: admin, body: { pin: ADMIN_PIN } });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error.code, "pin_in_use");
      assert.doesNotMatch(JSON.stringify(taken.body), /Administrator|admin/);
      const created = await app.api<Err>("POST", "/api/users", {
        token: admin,
        body: { name: "Copy", role: "cashier", pin: ADMIN_PIN },
      });
      assert.equal(created.status, 409);
      for (let i = 0; i < 3; i += 1)
        assert.equal(
          (await app.api("PATCH", `/api/users/${other.id}`, { token: admin, body: { pin: `13${i}79` } })).status,
          200,
        );
      assert.equal(
        (await app.api("PATCH", `/api/users/${other.id}`, { token: admin, body: { pin: "24680" } })).status,
        429,
        "the two collisions counted",
      );
      // The appliance's own choice is not a guess: still allowed.
      const reset = await app.api<User>("PATCH", `/api/users/${other.id}`, { token: admin, body: { resetPin: true } });
      assert.equal(reset.status, 200);
      assert.match(reset.body.pin ?? "", /^\d{6}$/);
    } finally {
      await app.stop();
    }
  });

  it("nobody sets or resets the PIN of a role above their own", async () => {
    const users = (await t.api<{ users: User[] }>("GET", "/api/users", { token: t.adminToken })).body.users;
    for (const role of ["admin", "technician", "manager"]) {
      const target = users.find((u) => u.role === role);
      assert.ok(target, role);
      const changes: Record<string, unknown>[] = [{ resetPin: true }, { name: "Renamed" }, { status: "deactivated" }];
      for (const body of changes) {
        const res: { status: number } = await t.api<Err>("PATCH", `/api/users/${target.id}`, { token: manager, body });
        assert.equal(res.status, 403, `manager → ${role} ${JSON.stringify(body)}`);
      }
    }
    for (const role of ["admin", "technician", "manager"])
      assert.equal((await t.api("POST", "/api/users", { token: manager, body: { name: "Up", role } })).status, 403);
    const cashierToken = await t.tokenFor("cashier");
    assert.equal(
      (await t.api("PATCH", `/api/users/${cashier.id}`, { token: cashierToken, body: { resetPin: true } })).status,
      403,
    );
  });

  it("by default the appliance chooses the PIN and shows it once; a reset signs the user out everywhere", async () => {
    const created = await t.api<User>("POST", "/api/users", {
      token: t.adminToken,
      body: { name: "Robin", role: "kitchen" },
    });
    assert.equal(created.status, 201);
    const pin = created.body.pin ?? "";
    assert.match(pin, /^\d{6}$/);
    const listed = await t.api<{ users: User[] }>("GET", "/api/users", { token: t.adminToken });
    assert.ok(!JSON.stringify(listed.body).includes(pin), "never shown again");
    const session = await t.api<{ token: string }>("POST", "/api/auth/login", { body: { pin } });
    assert.equal(session.status, 200);
    const reset = await t.api<User>("PATCH", `/api/users/${created.body.id}`, {
      token: t.adminToken,
      body: { resetPin: true },
    });
    assert.equal(reset.status, 200);
    assert.notEqual(reset.body.pin, pin);
    assert.equal((await t.api<Err>("GET", "/api/auth/me", { token: session.body.token })).status, 401);
    assert.equal((await t.api("POST", "/api/auth/login", { body: { pin: reset.body.pin } })).status, 200);
    assert.equal(
      (
        await t.api("PATCH", `/api/users/${created.body.id}`, {
          token: t.adminToken,
          body: { resetPin: true, pin: "8642" },
        })
      ).status,
      400,
    );
  });
});
