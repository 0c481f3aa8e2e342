/**
 * The screens' push client: resume by seq after a dropped connection against a real galleyd
 * (through a TCP proxy the test cuts), duplicate and stale deltas dropped, revocation.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ServerMessage } from "../../../protocol/schemas/index.ts";
import { KitchenTickets } from "../../../ui/src/data/kitchen-tickets.ts";
import {
  browserSocket,
  PushClient,
  socketUrl,
  type SocketFactory,
  type SocketHandlers,
} from "../../../ui/src/data/push.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";
import { TcpProxy } from "./support/tcp-proxy.ts";
import { portOf, waitUntil } from "./support/wait.ts";

const QUICK = { initialMs: 20, maxMs: 120 };

describe("push client against galleyd", () => {
  let app: TestApp;
  let proxy: TcpProxy;
  let kiosk: string;
  let kitchen: string;

  before(async () => {
    app = await startTestApp({ menu: "demo" });
    proxy = await TcpProxy.start(portOf(app.url));
    kiosk = await app.tokenFor("kiosk");
    kitchen = await app.tokenFor("kitchen");
  });

  after(async () => {
    await proxy.close();
    await app.stop();
  });

  const burger = [{ menuItemId: "classic-burger", quantity: 1 }];

  it("catches up by seq after the connection dropped: every missed change once, none twice", async () => {
    const tickets = new KitchenTickets({ cancelLingerMs: 0 });
    const seqs: number[] = [];
    const readies: { seq: number; replayed: number }[] = [];
    let snapshots = 0;
    const client = new PushClient({
      url: () => socketUrl(proxy.url, kitchen),
      socket: browserSocket,
      backoff: QUICK,
      probeIntervalMs: 0,
    });
    client.subscribe("kitchen", {
      snapshot: (data) => {
        snapshots += 1;
        if (data.topic === "kitchen") tickets.applySnapshot(data.orders);
      },
      delta: (data, seq) => {
        seqs.push(seq);
        if (data.kind === "order") tickets.applyOrder(data.order);
      },
      ready: (seq, replayed) => readies.push({ seq, replayed }),
    });
    client.start();
    try {
      await waitUntil(() => client.state === "online", "online");
      const first = (await app.placeOrder(kiosk, burger)).body;
      await waitUntil(() => tickets.get(first.id) !== undefined, "the first order live");

      proxy.block();
      proxy.drop();
      await waitUntil(() => client.state !== "online", "the drop to be noticed");
      const second = (await app.placeOrder(kiosk, burger)).body;
      const third = (await app.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 2 }])).body;
      const moved = await app.api("PATCH", `/api/orders/${first.id}/status`, {
        token: kitchen,
        body: { status: "in_progress" },
      });
      assert.equal(moved.status, 200);
      const marked = await app.api("POST", `/api/orders/${third.id}/marks`, {
        token: kitchen,
        body: { mark: third.lines[0]!.id, done: true },
      });
      assert.equal(marked.status, 200);
      proxy.unblock();

      await waitUntil(
        () => client.state === "online" && tickets.size >= 3 && tickets.get(third.id)?.order.doneMarks.length === 1,
        "the catch-up",
      );
      assert.equal(snapshots, 1, "resumed with a replay, not a fresh snapshot");
      // Two orders placed (each placed, then queued by autoQueue), one moved, one marked.
      assert.equal(readies.at(-1)?.replayed, 6, "exactly the six missed changes were replayed");
      assert.deepEqual(
        seqs,
        [...new Set(seqs)].sort((a, b) => a - b),
        "every seq once, in order",
      );

      const queue = await app.api<{ orders: { id: string; status: string; seq: number }[] }>(
        "GET",
        "/api/orders/queue",
        { token: kitchen },
      );
      const shown = tickets.ordered().map((t) => ({ id: t.order.id, status: t.order.status, seq: t.order.seq }));
      const expected = queue.body.orders.map((o) => ({ id: o.id, status: o.status, seq: o.seq }));
      assert.deepEqual(new Set(shown.map((s) => JSON.stringify(s))), new Set(expected.map((s) => JSON.stringify(s))));
      assert.equal(tickets.get(first.id)?.order.status, "in_progress");
      assert.ok(tickets.get(second.id));
    } finally {
      client.stop();
    }
  });

  it("reports a revoked screen (close 4401) and stops reconnecting", async () => {
    const code = await app.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
      token: app.adminToken,
      body: { role: "kitchen", name: "doomed" },
    });
    const paired = await app.api<{ token: string; principal: { id: string } }>("POST", "/api/devices/pair", {
      body: { code: code.body.code },
    });
    let unauthorized = 0;
    const client = new PushClient({
      url: () => socketUrl(app.url, paired.body.token),
      socket: browserSocket,
      backoff: QUICK,
      probeIntervalMs: 0,
      onUnauthorized: () => (unauthorized += 1),
    });
    client.subscribe("board", { snapshot: () => undefined, delta: () => undefined });
    client.start();
    await waitUntil(() => client.state === "online", "online");
    const revoked = await app.api("POST", `/api/devices/${paired.body.principal.id}/revoke`, { token: app.adminToken });
    assert.equal(revoked.status, 204);
    await waitUntil(() => unauthorized === 1, "onUnauthorized");
    assert.equal(client.state, "offline");
  });

  it("asks the probe after a refused upgrade, and a 401 there means unpaired", async () => {
    let unauthorized = 0;
    let probes = 0;
    const client = new PushClient({
      url: () => socketUrl(app.url, "gly_not-a-token"),
      socket: browserSocket,
      backoff: QUICK,
      probeIntervalMs: 0,
      probe: () => {
        probes += 1;
        return Promise.resolve("unauthorized");
      },
      onUnauthorized: () => (unauthorized += 1),
    });
    client.subscribe("board", { snapshot: () => undefined, delta: () => undefined });
    client.start();
    await waitUntil(() => unauthorized === 1, "onUnauthorized", 5_000);
    assert.ok(probes >= 1);
    client.stop();
  });
});

/** A socket the test plays the server of. */
function fakeServer() {
  const sent: unknown[] = [];
  let handlers: SocketHandlers | undefined;
  let connects = 0;
  const factory: SocketFactory = (_url, h) => {
    handlers = h;
    connects += 1;
    queueMicrotask(() => {
      h.open();
    });
    return {
      send: (text) => sent.push(JSON.parse(text)),
      close: () => undefined,
    };
  };
  return {
    factory,
    sent,
    get connects() {
      return connects;
    },
    emit(message: ServerMessage) {
      handlers?.message(JSON.stringify(message));
    },
    drop() {
      handlers?.close(1006, "");
    },
  };
}

describe("push client dedupe", () => {
  it("drops deltas at or below the seq it has, and resubscribes with since", async () => {
    const server = fakeServer();
    const applied: number[] = [];
    const client = new PushClient({
      url: () => "ws://x/ws",
      socket: server.factory,
      backoff: { initialMs: 1, maxMs: 2 },
      probeIntervalMs: 0,
    });
    client.subscribe("board", { snapshot: () => undefined, delta: (_d, seq) => applied.push(seq) });
    client.start();
    await waitUntil(() => server.sent.length === 1, "subscribe");
    assert.deepEqual(server.sent[0], { type: "subscribe", topic: "board" });
    const delta = (seq: number): ServerMessage => ({
      type: "delta",
      topic: "board",
      seq,
      data: { kind: "menu_replaced" },
    });
    server.emit({ type: "snapshot", topic: "board", seq: 10, data: { topic: "board", orders: [] } });
    server.emit({ type: "ready", topic: "board", seq: 10, replayed: 0 });
    assert.equal(client.state, "online");
    server.emit(delta(11));
    server.emit(delta(11));
    server.emit(delta(9));
    server.emit(delta(12));
    assert.deepEqual(applied, [11, 12]);

    server.drop();
    assert.equal(client.state, "offline");
    await waitUntil(() => server.sent.length === 2, "the resubscribe");
    assert.deepEqual(server.sent[1], { type: "subscribe", topic: "board", since: 12 });
    server.emit(delta(12));
    server.emit(delta(13));
    server.emit({ type: "ready", topic: "board", seq: 15, replayed: 1 });
    assert.deepEqual(applied, [11, 12, 13]);
    assert.equal(client.seqOf("board"), 15);
    client.stop();
  });

  it("applies a full-state delta that repeats the last seq (availability re-sent)", async () => {
    const server = fakeServer();
    const applied: number[] = [];
    const client = new PushClient({ url: () => "ws://x/ws", socket: server.factory, probeIntervalMs: 0 });
    client.subscribe(
      "menu",
      { snapshot: () => undefined, delta: (_d, seq) => applied.push(seq) },
      { fullStateDeltas: true },
    );
    client.start();
    await waitUntil(() => server.sent.length === 1, "subscribe");
    const availability = { soldOutItems: [], soldOutOptions: [], stock: {} };
    server.emit({ type: "snapshot", topic: "menu", seq: 5, data: { topic: "menu", availability } });
    server.emit({ type: "delta", topic: "menu", seq: 5, data: { kind: "availability", availability } });
    server.emit({ type: "delta", topic: "menu", seq: 4, data: { kind: "availability", availability } });
    assert.deepEqual(applied, [5]);
    client.stop();
  });
});
