import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../../appliance/lib/clock.ts";
import { ADMIN_PIN, startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { TokenResponse, UserView } from "../../protocol/schemas/auth.ts";

let t: TestApp;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 9, 0));

before(async () => {
  t = await startTestApp({ clock, monotonic: () => clock.now(), config: { auth: { loginAttemptsPerMinute: 3 } } });
});
after(() => t.stop());

type Err = { error: { code: string; message: string } };

describe("staff sign-in", () => {
  it("signs the admin in with the PIN from GALLEY_ADMIN_PIN and says who it is", async () => {
    const res = await t.api<TokenResponse>("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } });
    assert.equal(res.status, 200);
    assert.equal(res.body.principal.role, "admin");
    assert.ok(res.body.principal.permissions.includes("users:manage"));
    const me = await t.api<{ role: string }>("GET", "/api/auth/me", { token: res.body.token });
    assert.equal(me.body.role, "admin");
  });

  it("refuses a wrong PIN and locks the address out after too many tries", async () => {
    for (let i = 0; i < 3; i += 1) {
      const res = await t.api<Err>("POST", "/api/auth/login", { body: { pin: "0000" } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "invalid_pin");
    }
    const locked = await t.api<Err>("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, "too_many_attempts");
    clock.advance(61_000);
    assert.equal((await t.api("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } })).status, 200);
  });

  it("expires staff tokens after the configured hours", async () => {
    const login = await t.api<TokenResponse>("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } });
    clock.advance(13 * 3_600_000);
    const res = await t.api<Err>("GET", "/api/auth/me", { token: login.body.token });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_expired");
    t.adminToken = (await t.api<TokenResponse>("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } })).body.token;
  });

  it("refuses a deactivated user on the very next request, and their PIN from then on", async () => {
    const created = await t.api<UserView>("POST", "/api/users", {
      token: t.adminToken,
      body: { name: "Sam", role: "cashier", pin: "2468" },
    });
    assert.equal(created.status, 201);
    const token = (await t.api<TokenResponse>("POST", "/api/auth/login", { body: { pin: "2468" } })).body.token;
    assert.equal((await t.api("GET", "/api/orders/mine", { token })).status, 200);
    const off = await t.api<UserView>("PATCH", `/api/users/${created.body.id}`, {
      token: t.adminToken,
      body: { status: "deactivated" },
    });
    assert.equal(off.body.status, "deactivated");
    const next = await t.api<Err>("GET", "/api/orders/mine", { token });
    assert.equal(next.status, 401);
    const again = await t.api<Err>("POST", "/api/auth/login", { body: { pin: "2468" } });
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, "account_deactivated");
  });

  it("keeps PINs unique and lets managers handle only floor staff", async () => {
    const dup = await t.api<Err>("POST", "/api/users", {
      token: t.adminToken,
      body: { name: "Copy", role: "cashier", pin: ADMIN_PIN },
    });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, "pin_in_use");
    await t.api("POST", "/api/users", { token: t.adminToken, body: { name: "Mia", role: "manager", pin: "1357" } });
    const manager = (await t.api<TokenResponse>("POST", "/api/auth/login", { body: { pin: "1357" } })).body.token;
    const admin = await t.api<Err>("POST", "/api/users", {
      token: manager,
      body: { name: "Eve", role: "admin", pin: "9753" },
    });
    assert.equal(admin.status, 403);
    const cook = await t.api<UserView>("POST", "/api/users", {
      token: manager,
      body: { name: "Cook", role: "kitchen", pin: "8642" },
    });
    assert.equal(cook.status, 201);
  });

  it("revokes a token on logout", async () => {
    const token = (await t.api<TokenResponse>("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } })).body.token;
    assert.equal((await t.api("POST", "/api/auth/logout", { token })).status, 204);
    const res = await t.api<Err>("GET", "/api/auth/me", { token });
    assert.equal(res.body.error.code, "token_revoked");
  });
});

describe("screen pairing", () => {
  it("pairs a screen with a one-time code, typed loosely", async () => {
    const code = await t.api<{ code: string; expiresAt: string }>("POST", "/api/devices/pairing-codes", {
      token: t.adminToken,
      body: { role: "kitchen", name: "Grill screen" },
    });
    assert.equal(code.status, 201);
    assert.match(code.body.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const typed = ` ${code.body.code.toLowerCase().replace("-", " ")} `;
    const paired = await t.api<TokenResponse>("POST", "/api/devices/pair", { body: { code: typed } });
    assert.equal(paired.status, 201, JSON.stringify(paired.body));
    assert.equal(paired.body.principal.role, "kitchen");
    assert.equal(paired.body.expiresAt, null);
    const reused = await t.api<Err>("POST", "/api/devices/pair", { body: { code: code.body.code } });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error.code, "pairing_code_invalid");
  });

  it("refuses an expired code", async () => {
    const code = await t.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
      token: t.adminToken,
      body: { role: "board", name: "Wall" },
    });
    clock.advance(11 * 60_000);
    const res = await t.api<Err>("POST", "/api/devices/pair", { body: { code: code.body.code } });
    assert.equal(res.status, 410);
    assert.equal(res.body.error.code, "pairing_code_expired");
  });

  it("unpairs a screen: its token stops working at once", async () => {
    const code = await t.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
      token: t.adminToken,
      body: { role: "kiosk", name: "Door kiosk" },
    });
    const paired = await t.api<TokenResponse>("POST", "/api/devices/pair", { body: { code: code.body.code } });
    assert.equal((await t.api("GET", "/api/menu", { token: paired.body.token })).status, 200);
    const list = await t.api<{ devices: { id: string; name: string; status: string }[] }>("GET", "/api/devices", {
      token: t.adminToken,
    });
    assert.ok(list.body.devices.some((d) => d.name === "Door kiosk" && d.status === "active"));
    assert.equal(
      (await t.api("POST", `/api/devices/${paired.body.principal.id}/revoke`, { token: t.adminToken })).status,
      204,
    );
    const refused = await t.api<Err>("GET", "/api/menu", { token: paired.body.token });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, "token_revoked");
  });

  it("lets a screen on this machine pair itself in development mode", async () => {
    const res = await t.api<TokenResponse>("POST", "/api/devices/dev-pair", { body: { role: "board" } });
    assert.equal(res.status, 201);
    assert.equal(res.body.principal.role, "board");
  });
});

describe("production mode", () => {
  it("has no self-pairing route", async () => {
    const prod = await startTestApp({ config: { mode: "production" } });
    try {
      const res = await prod.api<Err>("POST", "/api/devices/dev-pair", { body: { role: "kiosk" } });
      assert.equal(res.status, 404);
    } finally {
      await prod.stop();
    }
  });
});
