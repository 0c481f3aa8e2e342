/** A screen getting going: reach galleyd, pair itself in development, pair with a code, re-pair after a 401. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { browserSocket } from "../../../ui/src/data/push.ts";
import { memoryStore, ScreenSession, tokenKey } from "../../../ui/src/data/screen-session.ts";
import { fetchMenu } from "../../../ui/src/data/endpoints.ts";
import { ApiError } from "../../../ui/src/data/api.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";
import { waitUntil } from "./support/wait.ts";

describe("screen session", () => {
  let app: TestApp;
  let production: TestApp;

  before(async () => {
    app = await startTestApp({ menu: "demo" });
    production = await startTestApp({ menu: "demo", config: { mode: "production" } });
  });
  after(async () => {
    await app.stop();
    await production.stop();
  });

  const session = (url: string, storage = memoryStore()) =>
    new ScreenSession({
      role: "kitchen",
      origin: url,
      fetch: (u, init) => fetch(u, init),
      socket: browserSocket,
      storage,
      backoff: { initialMs: 20, maxMs: 100 },
      probeIntervalMs: 0,
    });

  it("pairs itself in development, learns the mode and the appliance's clock", async () => {
    const storage = memoryStore();
    const screen = session(app.url, storage);
    assert.equal(await screen.start([10]), "ready");
    assert.equal(screen.mode, "development");
    assert.ok(storage.getItem(tokenKey("kitchen"))?.startsWith("gly_"));
    assert.ok(Math.abs(screen.clock.offsetMs) < 1_000);
    const menu = await fetchMenu(screen.api);
    assert.equal(menu.menu.currency, "EUR");
  });

  it("in production asks for a pairing code, and a good code pairs it", async () => {
    const storage = memoryStore();
    const screen = session(production.url, storage);
    assert.equal(await screen.start([10]), "pairing");
    assert.equal(await screen.pair("WRONGCODE"), false);
    assert.equal(screen.pairingError?.code, "pairing_code_invalid");
    const code = await production.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
      token: production.adminToken,
      body: { role: "kitchen", name: "Grill screen" },
    });
    assert.equal(await screen.pair(code.body.code.toLowerCase()), true);
    assert.equal(screen.phase, "ready");
    assert.equal(await screen.probe(), "ok");
  });

  it("forgets a revoked token and pairs again (development), or goes back to pairing (production)", async () => {
    const dev = session(app.url);
    await dev.start([10]);
    const firstToken = dev.token;
    const me = await app.api<{ id: string }>("GET", "/api/auth/me", { token: firstToken });
    await app.api("POST", `/api/devices/${me.body.id}/revoke`, { token: app.adminToken });
    await assert.rejects(fetchMenu(dev.api), (e) => e instanceof ApiError && e.code === "token_revoked");
    await waitUntil(() => dev.phase === "ready" && dev.token !== undefined && dev.token !== firstToken, "a new token");

    const storage = memoryStore();
    const prod = session(production.url, storage);
    await prod.start([10]);
    const code = await production.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
      token: production.adminToken,
      body: { role: "kitchen", name: "x" },
    });
    await prod.pair(code.body.code);
    const prodMe = await production.api<{ id: string }>("GET", "/api/auth/me", { token: prod.token });
    await production.api("POST", `/api/devices/${prodMe.body.id}/revoke`, { token: production.adminToken });
    assert.equal(await prod.probe(), "unauthorized");
    await assert.rejects(fetchMenu(prod.api));
    await waitUntil(() => prod.phase === "pairing", "the pairing screen");
    assert.equal(storage.getItem(tokenKey("kitchen")), null);
  });

  it("keeps trying while galleyd is unreachable", async () => {
    const screen = session("http://127.0.0.1:9");
    const phases: string[] = [];
    screen.onPhase((p) => phases.push(p));
    const started = screen.start([5]);
    await waitUntil(() => phases.includes("unreachable"), "unreachable");
    screen.close();
    assert.equal(await started, "unreachable");
  });
});
