import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { OrderView } from "../../protocol/schemas/orders.ts";
import type { ServerMessage } from "../../protocol/schemas/push.ts";
import { waitFor } from "../helpers/wait.ts";

let t: TestApp;
let kiosk: string;
let kitchen: string;

before(async () => {
  t = await startTestApp({ config: { push: { heartbeatSeconds: 1, replayLimit: 20, maxBufferedBytes: 4_194_304 } } });
  kiosk = await t.tokenFor("kiosk");
  kitchen = await t.tokenFor("kitchen");
});
after(() => t.stop());

type Delta = Extract<ServerMessage, { type: "delta" }>;
const isDelta = (m: ServerMessage): m is Delta => m.type === "delta";
const orderOf = (m: Delta) => (m.data.kind === "order" ? m.data.order : undefined);

describe("websocket authentication", () => {
  it("refuses the upgrade without a valid token", async () => {
    await assert.rejects(t.socket(""), /upgrade refused: 401/);
    await assert.rejects(t.socket("gly_forged"), /upgrade refused: 401/);
  });

  it("refuses topics the role may not read", async () => {
    const client = await t.greeted(kiosk);
    client.send({ type: "subscribe", topic: "kitchen" });
    const error = await client.waitFor((m) => m.type === "error");
    assert.deepEqual(error.type === "error" && error.code, "forbidden");
    client.send({ type: "subscribe", topic: "nonsense" });
    await client.waitFor((m) => m.type === "error" && m.code === "validation_failed");
  });
});

describe("kitchen topic", () => {
  it("sends a snapshot, then every new order and status change with its seq", async () => {
    const client = await t.greeted(kitchen);
    client.send({ type: "subscribe", topic: "kitchen" });
    const snapshot = await client.waitFor((m) => m.type === "snapshot");
    assert.equal(snapshot.type === "snapshot" && snapshot.data.topic, "kitchen");
    await client.waitFor((m) => m.type === "ready");

    const placed = (await t.placeOrder(kiosk, [{ menuItemId: "burger", quantity: 1 }])).body as OrderView;
    const delta = (await client.waitFor(
      (m) => isDelta(m) && orderOf(m)?.id === placed.id && orderOf(m)?.status === "in_queue",
      1_000,
    )) as Delta;
    assert.equal(delta.seq, placed.seq);
    await t.api("PATCH", `/api/orders/${placed.id}/status`, { token: kitchen, body: { status: "in_progress" } });
    const moved = (await client.waitFor(
      (m) => isDelta(m) && orderOf(m)?.id === placed.id && orderOf(m)?.status === "in_progress",
      1_000,
    )) as Delta;
    assert.ok(moved.seq > delta.seq);
  });

  it("filters by station: the bar does not see a burger-only order", async () => {
    const bar = await t.greeted(kitchen);
    bar.send({ type: "subscribe", topic: "kitchen", station: "bar" });
    await bar.waitFor((m) => m.type === "ready");
    const burger = (await t.placeOrder(kiosk, [{ menuItemId: "burger", quantity: 1 }])).body as OrderView;
    const cola = (
      await t.placeOrder(kiosk, [
        { menuItemId: "cola", quantity: 1 },
        { menuItemId: "fries", quantity: 1 },
      ])
    ).body as OrderView;
    const seen = (await bar.waitFor((m) => isDelta(m) && orderOf(m)?.id === cola.id)) as Delta;
    assert.deepEqual(
      orderOf(seen)?.lines.map((l) => l.menuItemId),
      ["cola"],
    );
    assert.ok(!bar.messages.some((m) => isDelta(m) && orderOf(m)?.id === burger.id));
  });

  it("resumes by seq with exactly the deltas missed, identical to what a connected screen received", async () => {
    const watcher = await t.greeted(kitchen);
    watcher.send({ type: "subscribe", topic: "kitchen" });
    const ready = await watcher.waitFor((m) => m.type === "ready");
    const from = ready.type === "ready" ? ready.seq : 0;

    const placed: OrderView[] = [];
    for (let i = 0; i < 3; i += 1)
      placed.push((await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: i + 1 }])).body);
    await t.api("PATCH", `/api/orders/${placed[0]!.id}/status`, { token: kitchen, body: { status: "in_progress" } });
    await watcher.waitFor(
      (m) => isDelta(m) && orderOf(m)?.id === placed[0]!.id && orderOf(m)?.status === "in_progress",
    );
    const live = watcher.messages.filter(isDelta);

    const resumed = await t.greeted(kitchen);
    resumed.send({ type: "subscribe", topic: "kitchen", since: from });
    const done = await resumed.waitFor((m) => m.type === "ready");
    const replayed = resumed.messages.filter(isDelta);
    assert.equal(done.type === "ready" && done.replayed, replayed.length);
    assert.equal(
      JSON.stringify(replayed),
      JSON.stringify(live),
      "replay equals live byte for byte, in order, without gaps or duplicates",
    );
    const seqs = replayed.map((m) => m.seq);
    assert.deepEqual(
      seqs,
      [...new Set(seqs)].sort((a, b) => a - b),
    );
    assert.equal(replayed.length, 3 * 2 + 1, "placed + queued for each order, plus one status change");
    assert.ok(!resumed.messages.some((m) => m.type === "snapshot"));
  });

  it("sends a fresh snapshot to a client too far behind", async () => {
    // replayLimit is 20 here: 11 orders are 22 events.
    for (let i = 0; i < 11; i += 1) await t.placeOrder(kiosk, [{ menuItemId: "cola", quantity: 1 }]);
    const client = await t.greeted(kitchen);
    client.send({ type: "subscribe", topic: "kitchen", since: 0 });
    const first = await client.waitFor((m) => m.type === "snapshot" || m.type === "ready");
    assert.equal(first.type, "snapshot");
  });
});

describe("other topics", () => {
  it("pushes sold-out changes and cart holds to menu subscribers", async () => {
    const screen = await t.greeted(kiosk);
    screen.send({ type: "subscribe", topic: "menu" });
    await screen.waitFor((m) => m.type === "ready");
    await t.api("PUT", "/api/menu/availability", {
      token: kitchen,
      body: { kind: "item", id: "fries", available: false },
    });
    const off = await screen.waitFor(
      (m) => isDelta(m) && m.data.kind === "availability" && m.data.availability.soldOutItems.includes("fries"),
    );
    assert.ok(off);
    await t.api("PUT", "/api/menu/availability", {
      token: kitchen,
      body: { kind: "item", id: "fries", available: true },
    });
    await screen.waitFor(
      (m) => isDelta(m) && m.data.kind === "availability" && !m.data.availability.soldOutItems.includes("fries"),
    );

    const manager = await t.tokenFor("manager");
    await t.api("PUT", "/api/stock/special", { token: manager, body: { onHand: 4 } });
    const session = await t.api<{ id: string }>("POST", "/api/sessions", { token: kiosk, body: {} });
    await t.api("POST", `/api/sessions/${session.body.id}/lines`, {
      token: kiosk,
      body: { menuItemId: "special", quantity: 3 },
    });
    await screen.waitFor(
      (m) => isDelta(m) && m.data.kind === "availability" && m.data.availability.stock.special === 1,
    );
    await t.api("POST", `/api/sessions/${session.body.id}/abandon`, { token: kiosk });
  });

  it("lets a kiosk follow its own order, and no one else's", async () => {
    const mine = (await t.placeOrder(kiosk, [{ menuItemId: "cola", quantity: 1 }])).body as OrderView;
    const follower = await t.greeted(kiosk);
    follower.send({ type: "subscribe", topic: "order", orderId: mine.id });
    const snap = await follower.waitFor((m) => m.type === "snapshot");
    assert.equal(snap.type === "snapshot" && snap.data.topic === "order" && snap.data.order.status, "in_queue");
    await t.api("PATCH", `/api/orders/${mine.id}/status`, { token: kitchen, body: { status: "in_progress" } });
    await follower.waitFor((m) => isDelta(m) && orderOf(m)?.status === "in_progress");

    const code = await t.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
      token: t.adminToken,
      body: { role: "kiosk", name: "other" },
    });
    const other = (await t.api<{ token: string }>("POST", "/api/devices/pair", { body: { code: code.body.code } })).body
      .token;
    const stranger = await t.greeted(other);
    stranger.send({ type: "subscribe", topic: "order", orderId: mine.id });
    await stranger.waitFor((m) => m.type === "error" && m.code === "order_not_found");
  });

  it("shows the board every order's number and status", async () => {
    const board = await t.greeted(await t.tokenFor("board"));
    board.send({ type: "subscribe", topic: "board" });
    await board.waitFor((m) => m.type === "ready");
    const placed = (await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body as OrderView;
    const seen = (await board.waitFor((m) => isDelta(m) && orderOf(m)?.id === placed.id)) as Delta;
    assert.equal(orderOf(seen)?.number, placed.number);
  });
});

describe("connection health", () => {
  it("closes the socket of a screen that was unpaired", async () => {
    const code = await t.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
      token: t.adminToken,
      body: { role: "kitchen", name: "to revoke" },
    });
    const paired = (
      await t.api<{ token: string; principal: { id: string } }>("POST", "/api/devices/pair", {
        body: { code: code.body.code },
      })
    ).body;
    const client = await t.greeted(paired.token);
    await t.api("POST", `/api/devices/${paired.principal.id}/revoke`, { token: t.adminToken });
    await waitFor(() => client.closed, {
      what: "the unpaired screen's socket to close",
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    assert.equal(client.closed?.code, 4401);
  });

  it("drops a client that stops answering pings", async () => {
    const socket = new WebSocket(`${t.url.replace("http", "ws")}/ws?token=${kitchen}`, { autoPong: false });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const closed = new Promise<number>((resolve) =>
      socket.once("close", (code) => {
        resolve(code);
      }),
    );
    const started = Date.now();
    const code = await Promise.race([
      closed,
      new Promise<number>((_, reject) =>
        setTimeout(() => {
          reject(new Error("still open after 5 s"));
        }, 5_000),
      ),
    ]);
    assert.equal(code, 1006, "terminated, not closed politely");
    assert.ok(Date.now() - started >= 900);
  });
});
