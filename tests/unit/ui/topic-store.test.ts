/**
 * The topic stores (ui/src/data/topic-store.ts, stores.ts) over a scripted socket: one store per
 * topic and parameters, the socket subscription held from the first subscriber to the last, the
 * state kept through a reconnect (resume by seq) and a refresh, and snapshots and deltas narrowed
 * to the store's topic; the subscribe controller holding a host's subscriptions while it is
 * connected.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClientMessage, Delta, OrderView, ServerMessage, TopicSnapshot } from "../../../protocol/index.ts";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { SubscribeController } from "../../../ui/src/controllers/subscribe-controller.ts";
import { PushClient, type SocketFactory, type SocketHandlers } from "../../../ui/src/data/push.ts";
import { boardStore, devicesStore, kitchenStore, menuStore } from "../../../ui/src/data/stores.ts";
import {
  getTopicStore,
  isDeltaOf,
  topicHandler,
  type DeltaOf,
  type SnapshotOf,
} from "../../../ui/src/data/topic-store.ts";

/** A socket the test drives: what the client sent, and the server's side of the conversation. */
class ScriptedSockets {
  readonly sent: ClientMessage[] = [];
  #handlers: SocketHandlers | undefined;
  opened = 0;

  readonly factory: SocketFactory = (_url, handlers) => {
    this.#handlers = handlers;
    this.opened += 1;
    queueMicrotask(() => {
      handlers.open();
    });
    return {
      send: (text) => {
        this.sent.push(JSON.parse(text) as ClientMessage);
      },
      close: () => undefined,
    };
  };

  server(message: ServerMessage): void {
    this.#handlers?.message(JSON.stringify(message));
  }

  drop(): void {
    this.#handlers?.close(1006, "");
  }

  /** The messages sent since the last call. */
  take(): ClientMessage[] {
    return this.sent.splice(0);
  }
}

function order(id: string, seq: number, status: OrderView["status"], number = 1): OrderView {
  const at = new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString();
  return { id, seq, status, number, createdAt: at, updatedAt: at, lines: [], doneMarks: [] } as unknown as OrderView;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function client(sockets: ScriptedSockets): PushClient {
  return new PushClient({
    url: () => "ws://galley.test/ws",
    socket: sockets.factory,
    backoff: { initialMs: 1, maxMs: 2 },
    probeIntervalMs: 0,
    random: () => 0,
  });
}

describe("topic stores", () => {
  it("are one per push client, topic and parameters", () => {
    const push = client(new ScriptedSockets());
    const a = kitchenStore(push, { station: "grill", cancelLingerMs: 0 });
    assert.equal(kitchenStore(push, { station: "grill", cancelLingerMs: 0 }), a);
    assert.notEqual(kitchenStore(push, { station: "fryer", cancelLingerMs: 0 }), a);
    assert.notEqual(kitchenStore(client(new ScriptedSockets()), { station: "grill", cancelLingerMs: 0 }), a);
    assert.equal(devicesStore(push), devicesStore(push));
  });

  it("subscribe over the socket with the first subscriber and unsubscribe when the last leaves", async () => {
    const sockets = new ScriptedSockets();
    const push = client(sockets);
    push.start();
    await tick();
    const store = kitchenStore(push, { station: "grill", cancelLingerMs: 0 });
    const first = store.subscribe(() => undefined);
    const second = store.subscribe(() => undefined);
    assert.deepEqual(
      sockets.take(),
      [{ type: "subscribe", topic: "kitchen", station: "grill" }],
      "one socket subscription for two subscribers",
    );
    assert.equal(store.subscribers, 2);

    first();
    first();
    assert.deepEqual(sockets.take(), [], "one leaving (even twice) keeps the subscription");
    second();
    assert.deepEqual(sockets.take(), [{ type: "unsubscribe", topic: "kitchen" }], "the last one leaving unsubscribes");
    assert.equal(store.subscribers, 0);

    store.subscribe(() => undefined);
    assert.deepEqual(
      sockets.take(),
      [{ type: "subscribe", topic: "kitchen", station: "grill" }],
      "a new first subscriber subscribes afresh",
    );
    push.stop();
  });

  it("keep the state from snapshot and deltas, and share it with a late subscriber", async () => {
    const sockets = new ScriptedSockets();
    const push = client(sockets);
    push.start();
    await tick();
    const store = kitchenStore(push, { cancelLingerMs: 0 });
    const heard: string[] = [];
    store.subscribe((_tickets, update) => heard.push(update.kind === "snapshot" ? "snapshot" : update.change.result));
    sockets.server({
      type: "snapshot",
      topic: "kitchen",
      seq: 3,
      data: { topic: "kitchen", orders: [order("a", 3, "in_queue")] },
    });
    sockets.server({ type: "ready", topic: "kitchen", seq: 3, replayed: 0 });
    sockets.server({
      type: "delta",
      topic: "kitchen",
      seq: 4,
      data: { kind: "order", event: "order.placed", order: order("b", 4, "in_queue", 2) },
    });
    sockets.server({
      type: "delta",
      topic: "kitchen",
      seq: 5,
      data: { kind: "order", event: "order.status_changed", order: order("a", 5, "in_progress") },
    });
    sockets.server({
      type: "delta",
      topic: "kitchen",
      seq: 6,
      data: { kind: "order", event: "order.status_changed", order: order("b", 4, "ready", 2) },
    });
    assert.deepEqual(heard, ["snapshot", "added", "updated"], "a stale order changes nothing and is not told");
    assert.equal(store.loaded, true);
    assert.deepEqual(
      store.state.ordered().map((t) => [t.order.id, t.column]),
      [
        ["b", "new"],
        ["a", "cooking"],
      ],
      "KitchenTickets keeps its ordering",
    );

    const late: string[] = [];
    store.subscribe((tickets, update) => late.push(`${update.kind}@${update.seq}:${tickets.size}`));
    assert.deepEqual(late, ["snapshot@6:2"], "a late subscriber hears the current state at once");
    push.stop();
  });

  it("resume after a reconnect: the missed deltas reach the subscribers, and refresh asks for a fresh snapshot", async () => {
    const sockets = new ScriptedSockets();
    const push = client(sockets);
    const store = boardStore(push, { clearAfterMs: 60_000, highlightMs: 1_000 });
    const heard: string[] = [];
    store.subscribe((_board, update) =>
      heard.push(
        update.kind === "snapshot"
          ? `snapshot@${update.seq}`
          : `${update.change.order.number}${update.change.turnedReady ? " ready" : ""}`,
      ),
    );
    push.start();
    await tick();
    assert.deepEqual(sockets.take(), [{ type: "subscribe", topic: "board" }]);
    sockets.server({
      type: "snapshot",
      topic: "board",
      seq: 10,
      data: { topic: "board", orders: [order("a", 10, "in_progress", 7)] },
    });
    sockets.server({ type: "ready", topic: "board", seq: 10, replayed: 0 });
    assert.equal(push.state, "online");

    sockets.drop();
    assert.equal(push.state, "offline");
    await tick();
    assert.equal(sockets.opened, 2, "reconnected");
    assert.deepEqual(
      sockets.take(),
      [{ type: "subscribe", topic: "board", since: 10 }],
      "resumes from the seq the store is at",
    );
    sockets.server({
      type: "delta",
      topic: "board",
      seq: 11,
      data: { kind: "order", event: "order.status_changed", order: order("a", 11, "ready", 7) },
    });
    sockets.server({ type: "ready", topic: "board", seq: 11, replayed: 1 });
    assert.deepEqual(heard, ["snapshot@10", "7 ready"], "the replayed delta reaches the subscriber");
    assert.deepEqual(
      store.state.view(Date.parse(order("a", 11, "ready").updatedAt)).ready.map((e) => e.number),
      [7],
    );

    store.refresh();
    assert.deepEqual(sockets.take(), [{ type: "subscribe", topic: "board" }], "refresh subscribes again without since");
    sockets.server({ type: "snapshot", topic: "board", seq: 12, data: { topic: "board", orders: [] } });
    assert.deepEqual(heard.at(-1), "snapshot@12");
    assert.equal(
      store.state.view(0).ready.length + store.state.view(0).preparing.length,
      0,
      "the fresh snapshot replaces the state",
    );
    push.stop();
  });

  it("ignore messages of another topic's shape and keep whole-state topics' repeated seq", async () => {
    const sockets = new ScriptedSockets();
    const push = client(sockets);
    push.start();
    await tick();
    const menu = menuStore(push);
    const heard: string[] = [];
    menu.subscribe((availability, update) =>
      heard.push(
        `${update.kind === "snapshot" ? "snapshot" : update.change}:${availability?.soldOutItems.join() ?? "-"}`,
      ),
    );
    const availability = (soldOut: string[]) => ({ soldOutItems: soldOut, soldOutOptions: [], stock: {} });
    sockets.server({ type: "snapshot", topic: "menu", seq: 1, data: { topic: "board", orders: [] } });
    sockets.server({
      type: "snapshot",
      topic: "menu",
      seq: 1,
      data: { topic: "menu", availability: availability([]) },
    });
    sockets.server({
      type: "delta",
      topic: "menu",
      seq: 2,
      data: { kind: "order", event: "order.placed", order: order("a", 2, "in_queue") },
    });
    sockets.server({
      type: "delta",
      topic: "menu",
      seq: 2,
      data: { kind: "availability", availability: availability(["fries"]) },
    });
    sockets.server({
      type: "delta",
      topic: "menu",
      seq: 2,
      data: { kind: "availability", availability: availability(["fries", "cola"]) },
    });
    sockets.server({ type: "delta", topic: "menu", seq: 3, data: { kind: "menu_replaced" } });
    assert.deepEqual(heard, ["snapshot:", "availability:fries", "availability:fries,cola", "menu_replaced:fries,cola"]);
    push.stop();
  });

  it("narrow snapshots and deltas to the topic (types and checks)", () => {
    const snapshot: SnapshotOf<"kitchen"> = { topic: "kitchen", orders: [] };
    const devicesDelta: DeltaOf<"devices">["kind"] = "devices";
    // @ts-expect-error a board delta is an order, never availability
    const wrong: DeltaOf<"board">["kind"] = "availability";
    // @ts-expect-error a devices snapshot has no orders
    const wrongSnapshot: SnapshotOf<"devices"> = { topic: "devices", orders: [] };
    assert.deepEqual(
      [snapshot.topic, devicesDelta, wrong, wrongSnapshot.topic],
      ["kitchen", "devices", "availability", "devices"],
    );

    const availability: Delta = {
      kind: "availability",
      availability: { soldOutItems: [], soldOutOptions: [], stock: {} },
    };
    assert.equal(isDeltaOf("menu", availability), true);
    assert.equal(isDeltaOf("kitchen", availability), false);

    const seen: string[] = [];
    const handler = topicHandler("sync", {
      snapshot: (data) => seen.push(`snapshot ${Object.keys(data.status).length >= 0 ? "sync" : ""}`),
      delta: (data) => seen.push(data.kind),
    });
    handler.snapshot({ topic: "devices" } as TopicSnapshot, 1);
    handler.delta(availability, 1);
    handler.snapshot({ topic: "sync", status: {} } as unknown as TopicSnapshot, 1);
    assert.deepEqual(seen, ["snapshot sync"]);
  });

  it("take the first caller's reducer", () => {
    const push = client(new ScriptedSockets());
    let made = 0;
    const reducer = () => {
      made += 1;
      return { init: () => 0, snapshot: () => 1, delta: () => undefined };
    };
    const a = getTopicStore(push, "order", reducer, { orderId: "x" });
    assert.equal(getTopicStore(push, "order", reducer, { orderId: "x" }), a);
    assert.equal(made, 1);
  });
});

/** A host element's lifecycle, without a DOM. */
class FakeHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  readonly updateComplete = Promise.resolve(true);
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {
    // never removed here
  }
  requestUpdate(): void {
    // no rendering here
  }
  connect(): void {
    for (const c of this.controllers) c.hostConnected?.();
  }
  update(): void {
    for (const c of this.controllers) c.hostUpdated?.();
  }
  disconnect(): void {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
}

describe("subscribe controller", () => {
  it("subscribes when the host connects (once there is something to follow) and unsubscribes when it disconnects", async () => {
    const sockets = new ScriptedSockets();
    const push = client(sockets);
    push.start();
    await tick();
    const host = new FakeHost();
    let ready = false;
    const store = devicesStore(push);
    const controller = new SubscribeController(host, () => (ready ? [store.subscribe(() => undefined)] : undefined));
    host.connect();
    assert.equal(controller.subscribed, false, "nothing to follow yet");
    ready = true;
    host.update();
    assert.equal(controller.subscribed, true, "follows after the update that made it ready");
    host.update();
    assert.deepEqual(sockets.take(), [{ type: "subscribe", topic: "devices" }], "once");
    host.disconnect();
    assert.deepEqual(sockets.take(), [{ type: "unsubscribe", topic: "devices" }]);
    assert.equal(store.subscribers, 0);
    host.connect();
    controller.reset();
    assert.deepEqual(
      sockets.take(),
      [
        { type: "subscribe", topic: "devices" },
        { type: "unsubscribe", topic: "devices" },
        { type: "subscribe", topic: "devices" },
      ],
      "reconnected, then reset",
    );
    push.stop();
  });
});
