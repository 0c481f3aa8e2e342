/**
 * Finding 4 (medium): a WebSocket opened with a token kept receiving deltas after that token
 * logged out. Finding 6 (low): no limits on push sockets — 20,000 invalid messages were all
 * answered, 300 re-subscribes with `since=1` made galleyd send 45.6 MB, and 300 sockets on one
 * board token were accepted. Each closes now with a documented code (protocol/push.ts).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../../appliance/lib/clock.ts";
import { PUSH_CLOSE, type ServerMessage } from "../../protocol/schemas/push.ts";
import { startTestApp, type PushClient, type TestApp } from "../helpers/test-app.ts";
import { waitFor } from "../helpers/wait.ts";

/** Waits until `check` holds (polling every 20 ms), failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await waitFor(check, { what, timeoutMs, intervalMs: 20 });
}

const LIMITS = { heartbeatSeconds: 1, messagesPerSecond: 10, subscribesPerMinute: 20, socketsPerToken: 4 };

let t: TestApp;
const clock = new ManualClock(Date.now());
// The limits' monotonic time runs this far ahead of the real one: the re-subscribe test moves it on instead of pacing in real time.
let monotonicSkewMs = 0;
before(async () => {
  t = await startTestApp({
    clock,
    monotonic: () => performance.now() + monotonicSkewMs,
    config: { push: LIMITS, auth: { staffTokenTtlHours: 1 } },
  });
  // Screens first: the expiry test moves the clock past the admin's own token.
  for (const role of ["kiosk", "kitchen", "board"] as const) await t.tokenFor(role);
});
after(() => t.stop());

async function subscribe(client: PushClient, topic: string): Promise<void> {
  client.send({ type: "subscribe", topic });
  await client.waitFor((m) => m.type === "ready" && m.topic === topic);
}

const isDelta = (m: ServerMessage) => m.type === "delta";

describe("finding 4: a signed-out token's sockets close", () => {
  it("logout closes the sockets of that token at once (4401); another session of the same user keeps its socket", async () => {
    const created = await t.api<{ pin: string }>("POST", "/api/users", {
      token: t.adminToken,
      body: { name: "Cash", role: "cashier" },
    });
    const first = (await t.api<{ token: string }>("POST", "/api/auth/login", { body: { pin: created.body.pin } })).body
      .token;
    const second = (await t.api<{ token: string }>("POST", "/api/auth/login", { body: { pin: created.body.pin } })).body
      .token;
    const gone = await t.greeted(first);
    const stays = await t.greeted(second);
    await subscribe(gone, "kitchen");
    await subscribe(stays, "kitchen");
    assert.equal((await t.api("POST", "/api/auth/logout", { token: first })).status, 204);
    await until("the logged-out socket closed", () => gone.closed !== undefined, 2_000);
    assert.equal(gone.closed?.code, PUSH_CLOSE.revoked);
    const deltasBefore = gone.messages.filter(isDelta).length;
    const order = await t.placeOrder(await t.tokenFor("kiosk"), [{ menuItemId: "fries", quantity: 1 }]);
    assert.equal(order.status, 201);
    await stays.waitFor((m) => m.type === "delta" && m.data.kind === "order" && m.data.order.id === order.body.id);
    assert.equal(gone.messages.filter(isDelta).length, deltasBefore, "no delta after logout");
    assert.equal(stays.closed, undefined);
    await assert.rejects(t.socket(first), /upgrade refused: 401/);
  });

  it("a staff token that expires closes its sockets at the next heartbeat", async () => {
    const created = await t.api<{ pin: string }>("POST", "/api/users", {
      token: t.adminToken,
      body: { name: "Late", role: "cashier" },
    });
    const token = (await t.api<{ token: string }>("POST", "/api/auth/login", { body: { pin: created.body.pin } })).body
      .token;
    const client = await t.greeted(token);
    await subscribe(client, "kitchen");
    clock.advance(61 * 60_000);
    await until("the expired token's socket closed", () => client.closed !== undefined);
    assert.deepEqual(client.closed, { code: PUSH_CLOSE.revoked, reason: "token_expired" });
    // Tokens made from here on are valid again at the new time.
    t.adminToken = (await t.api<{ token: string }>("POST", "/api/auth/login", { body: { pin: "4711" } })).body.token;
  });
});

describe("finding 6: push socket limits", () => {
  it("a flood of invalid messages closes the socket (4429) after its burst, without an answer to each", async () => {
    const client = await t.greeted(await t.tokenFor("kiosk"));
    for (let i = 0; i < 500; i += 1) client.send(`not json ${i}`);
    await until("the flooding socket closed", () => client.closed !== undefined);
    assert.equal(client.closed?.code, PUSH_CLOSE.rateLimited);
    // A burst of 20, plus what the rate refills while a loaded machine reads the rest: far from 500.
    const errors = client.messages.filter((m) => m.type === "error");
    assert.ok(errors.length <= 100, `${errors.length} answers to 500 messages`);
    assert.ok(client.messages.some((m) => m.type === "error" && m.code === "rate_limited"));
    assert.equal((await t.api("GET", "/api/diagnostics/ping")).status, 200);
  });

  it("re-subscribing with since=1 over and over is cut off after the subscriptions a minute allows", async () => {
    const kiosk = await t.tokenFor("kiosk");
    for (let i = 0; i < 30; i += 1)
      assert.equal((await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).status, 201);
    const client = await t.greeted(await t.tokenFor("kitchen"));
    let sent = 0;
    const readies = () => client.messages.filter((m) => m.type === "ready").length;
    // Paced under the message rate (110 ms of the limits' time apart), so only the subscription limit can stop it.
    for (; sent < 300 && client.closed === undefined; sent += 1) {
      const answered = readies();
      client.send({ type: "subscribe", topic: "kitchen", since: 1 });
      await until(
        "the re-subscription answered or the socket closed",
        () => client.closed !== undefined || readies() > answered,
      );
      monotonicSkewMs += 110;
    }
    await until("the re-subscribing socket closed", () => client.closed !== undefined);
    assert.equal(client.closed?.code, PUSH_CLOSE.rateLimited);
    // The close is seen a little after the subscription that crossed the limit (more on a loaded machine).
    assert.ok(sent <= LIMITS.subscribesPerMinute + 15, `cut off after ${sent} subscriptions`);
    assert.ok(client.messages.filter((m) => m.type === "ready").length <= LIMITS.subscribesPerMinute);
  });

  it("one token holds at most socketsPerToken sockets: a newer one replaces the oldest (4409)", async () => {
    const board = await t.tokenFor("board");
    const clients: PushClient[] = [];
    for (let i = 0; i < 10; i += 1) clients.push(await t.greeted(board));
    await until("the oldest sockets replaced", () => clients.slice(0, 6).every((c) => c.closed !== undefined));
    for (const client of clients.slice(0, 6)) assert.equal(client.closed?.code, PUSH_CLOSE.replaced);
    for (const client of clients.slice(6)) assert.equal(client.closed, undefined);
    assert.equal(t.app.hub.connected().filter((c) => c.role === "board").length, LIMITS.socketsPerToken);
    // The newest still works.
    const newest = clients.at(-1);
    assert.ok(newest);
    await subscribe(newest, "board");
  });
});
