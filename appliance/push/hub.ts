/**
 * Live push over WebSocket at `/ws` (the only importer of `ws`).
 *
 * - The upgrade is authenticated before it is accepted (bearer token in `?token=` or the
 *   Authorization header); a refused upgrade gets a plain HTTP 401/403 and no socket.
 * - Topics: kitchen (optionally one station), board, one order, menu availability.
 * - Subscribe → snapshot, or with `since` exactly the deltas missed (replayed from the journal,
 *   built by the same function as live deltas), then `ready`; live deltas follow, each with the
 *   seq of its event. A client too far behind gets a fresh snapshot instead.
 * - Ping/pong drops dead clients; a client that cannot keep up is dropped and resumes.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket, type RawData } from "ws";
import { authenticate } from "../commands/auth.ts";
import { availability } from "../commands/catalogue.ts";
import type { CommandContext } from "../commands/context.ts";
import { mayRead, queue } from "../commands/orders.ts";
import { forStation, orderView, orderViewAt, stateInEvent } from "../commands/views.ts";
import { can } from "../domain/permissions.ts";
import { AppError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import { compileValidator } from "../lib/validate.ts";
import { countSince, eventsSince, headSeq, type EventType, type JournalEvent } from "../journal/events.ts";
import { getOrder, type OrderSnapshot } from "../journal/order-store.ts";
import type { Principal } from "../protocol/auth.ts";
import type { OrderView } from "../protocol/orders.ts";
import { ClientMessage, type Delta, type OrderDelta, type ServerMessage, type SubscribeMessage, type Topic } from "../protocol/push.ts";
import type { DevicesStatus } from "../protocol/devices.ts";
import type { SyncStatus } from "../protocol/sync.ts";

const validateClientMessage = compileValidator(ClientMessage);

const ORDER_EVENTS: readonly EventType[] = ["order.placed", "order.status_changed", "order.line_marked"];
const MENU_EVENTS: readonly EventType[] = ["menu.availability_changed", "stock.set", "menu.imported", "order.placed"];

/** WebSocket close codes (4000–4999 are ours). */
export const CLOSE = { goingAway: 1001, revoked: 4401, tooSlow: 4408 } as const;

interface Subscription {
  topic: Topic;
  station?: string;
  orderId?: string;
}

interface Client {
  socket: WebSocket;
  principal: Principal;
  alive: boolean;
  subscriptions: Map<Topic, Subscription>;
}

export interface PushOptions {
  ctx: CommandContext;
  log: Logger;
  heartbeatMs: number;
  replayLimit: number;
  maxBufferedBytes: number;
}

export class PushHub {
  readonly #options: PushOptions;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  readonly #clients = new Set<Client>();
  #heartbeat: NodeJS.Timeout | undefined;
  /** The devices topic (appliance/devices): its snapshot source, and who wants to hear kitchen screens come and go. */
  #devicesSource: (() => DevicesStatus) | undefined;
  /** The sync topic (appliance/sync): the status source. */
  #syncSource: (() => SyncStatus) | undefined;
  readonly #kitchenPresence = new Set<() => void>();

  constructor(options: PushOptions) {
    this.#options = options;
  }

  /** Handles upgrades to `/ws` on `server`; other paths are refused. */
  attach(server: Server): void {
    server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#upgrade(request, socket, head);
    });
    this.#heartbeat = setInterval(() => {
      this.#beat();
    }, this.#options.heartbeatMs);
    this.#heartbeat.unref();
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Connected clients by role, for diagnostics. */
  connected(): { name: string; role: string; kind: string; topics: string[] }[] {
    return [...this.#clients].map((c) => ({ name: c.principal.name, role: c.principal.role, kind: c.principal.kind, topics: [...c.subscriptions.keys()] }));
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://galleyd");
    if (url.pathname !== "/ws") {
      refuse(socket, 404, "route_not_found", "WebSocket endpoint is /ws");
      return;
    }
    const token = url.searchParams.get("token") ?? /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    let principal: Principal;
    try {
      if (!token) throw new AppError("unauthenticated", "pass the token as ?token= or Authorization: Bearer");
      principal = authenticate(this.#options.ctx, token);
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError("unauthenticated", "authentication failed");
      refuse(socket, e.status, e.code, e.message);
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#accept(ws, principal);
    });
  }

  #accept(socket: WebSocket, principal: Principal): void {
    const client: Client = { socket, principal, alive: true, subscriptions: new Map() };
    this.#clients.add(client);
    socket.on("pong", () => {
      client.alive = true;
    });
    socket.on("message", (data: RawData, isBinary: boolean) => {
      this.#onMessage(client, data, isBinary);
    });
    socket.on("close", () => {
      this.#clients.delete(client);
      if (client.subscriptions.has("kitchen")) this.#kitchenChanged();
    });
    socket.on("error", (error) => {
      this.#options.log.debug({ err: error }, "websocket error");
    });
    this.#send(client, {
      type: "hello",
      seq: headSeq(this.#options.ctx.journal),
      principal: { kind: principal.kind, name: principal.name, role: principal.role },
      heartbeatMs: this.#options.heartbeatMs,
    });
  }

  #onMessage(client: Client, data: RawData, isBinary: boolean): void {
    let parsed: unknown;
    try {
      if (isBinary) throw new Error("binary");
      parsed = JSON.parse(rawToString(data));
    } catch {
      this.#send(client, { type: "error", code: "bad_request", message: "messages are JSON text" });
      return;
    }
    const checked = validateClientMessage(parsed);
    if (!checked.ok) {
      this.#send(client, { type: "error", code: "validation_failed", message: checked.errors.join("; ") });
      return;
    }
    const message = checked.value;
    if (message.type === "unsubscribe") {
      client.subscriptions.delete(message.topic);
      if (message.topic === "kitchen") this.#kitchenChanged();
      return;
    }
    try {
      this.#subscribe(client, message);
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError("internal_error", "subscription failed");
      if (!(error instanceof AppError)) this.#options.log.error({ err: error }, "subscribe failed");
      this.#send(client, { type: "error", code: e.code, message: e.message });
    }
  }

  #subscribe(client: Client, message: SubscribeMessage): void {
    const { ctx } = this.#options;
    const role = client.principal.role;
    const subscription: Subscription = { topic: message.topic, ...(message.station ? { station: message.station } : {}), ...(message.orderId ? { orderId: message.orderId } : {}) };
    switch (message.topic) {
      case "kitchen":
        if (!can(role, "queue:read")) throw new AppError("forbidden", "the kitchen topic needs queue:read");
        break;
      case "board":
        if (!can(role, "board:read") && !can(role, "queue:read")) throw new AppError("forbidden", "the board topic needs board:read");
        break;
      case "menu":
        if (!can(role, "menu:read")) throw new AppError("forbidden", "the menu topic needs menu:read");
        break;
      case "devices":
        // Every screen may see the device state: kiosks need the ordering state, kitchens printer faults. No URIs in it.
        break;
      case "sync":
        if (!can(role, "sync:read")) throw new AppError("forbidden", "the sync topic needs sync:read");
        break;
      case "order": {
        if (!message.orderId) throw new AppError("validation_failed", "the order topic needs orderId");
        const record = getOrder(ctx.journal, message.orderId);
        if (!record || !mayRead(client.principal, record.placedById)) throw new AppError("order_not_found", `no order ${message.orderId}`);
        break;
      }
    }
    client.subscriptions.set(message.topic, subscription);
    if (message.topic === "kitchen") this.#kitchenChanged();
    // Everything below runs in this one tick: no commit can slip between the read and the registration.
    const head = headSeq(ctx.journal);
    const since = message.since;
    const types = message.topic === "menu" ? MENU_EVENTS : ORDER_EVENTS;
    const canReplay = message.topic !== "menu" && message.topic !== "devices" && message.topic !== "sync" && since !== undefined && since <= head && countSince(ctx.journal, since, types) <= this.#options.replayLimit;
    if (!canReplay) {
      this.#send(client, { type: "snapshot", topic: message.topic, seq: head, data: this.#snapshot(client, subscription) });
      this.#send(client, { type: "ready", topic: message.topic, seq: head, replayed: 0 });
      return;
    }
    const snapshots = new Map<string, OrderSnapshot>();
    let replayed = 0;
    for (const event of eventsSince(ctx.journal, since, this.#options.replayLimit + 1, types)) {
      const delta = this.#deltaFor(client, subscription, event, snapshots);
      if (delta) {
        this.#send(client, { type: "delta", topic: message.topic, seq: event.seq, data: delta });
        replayed += 1;
      }
    }
    this.#send(client, { type: "ready", topic: message.topic, seq: head, replayed });
  }

  #snapshot(client: Client, subscription: Subscription): Extract<ServerMessage, { type: "snapshot" }>["data"] {
    const { ctx } = this.#options;
    switch (subscription.topic) {
      case "kitchen":
        return { topic: "kitchen", orders: queue(ctx, subscription.station ? { station: subscription.station } : {}) };
      case "board":
        return { topic: "board", orders: queue(ctx) };
      case "menu":
        return { topic: "menu", availability: availability(ctx) };
      case "devices":
        if (!this.#devicesSource) throw new AppError("device_not_configured", "galleyd runs without its device layer");
        return { topic: "devices", devices: this.#devicesSource() };
      case "sync":
        if (!this.#syncSource) throw new AppError("internal_error", "sync is not running");
        return { topic: "sync", status: this.#syncSource() };
      case "order": {
        const record = getOrder(ctx.journal, subscription.orderId ?? "");
        if (!record || !mayRead(client.principal, record.placedById)) throw new AppError("order_not_found", "no such order");
        return { topic: "order", order: orderView(ctx.config, record) };
      }
    }
  }

  /** The delta `event` means for one subscription, or undefined if it does not concern it. */
  #deltaFor(client: Client, subscription: Subscription, event: JournalEvent, snapshots: Map<string, OrderSnapshot>): Delta | undefined {
    if (subscription.topic === "devices" || subscription.topic === "sync") return undefined;
    if (subscription.topic === "menu") {
      if (!MENU_EVENTS.includes(event.type)) return undefined;
      if (event.type === "menu.imported") return { kind: "menu_replaced" };
      return { kind: "availability", availability: availability(this.#options.ctx) };
    }
    if (!ORDER_EVENTS.includes(event.type) || !event.aggregateId) return undefined;
    if (subscription.topic === "order" && subscription.orderId !== event.aggregateId) return undefined;
    const view = this.#orderViewAtEvent(event, snapshots);
    if (!view) return undefined;
    if (subscription.topic === "order" && !mayRead(client.principal, view.placedBy.id)) return undefined;
    const shown = subscription.topic === "kitchen" && subscription.station ? forStation(view, subscription.station) : view;
    if (!shown) return undefined;
    return { kind: "order", event: event.type as OrderDelta["event"], order: shown };
  }

  #orderViewAtEvent(event: JournalEvent, snapshots: Map<string, OrderSnapshot>): OrderView | undefined {
    const id = event.aggregateId ?? "";
    let snapshot = snapshots.get(id);
    if (!snapshot) {
      snapshot = event.type === "order.placed" ? (event.payload as { order: OrderSnapshot }).order : getOrder(this.#options.ctx.journal, id)?.snapshot;
      if (!snapshot) return undefined;
      snapshots.set(id, snapshot);
    }
    return orderViewAt(this.#options.ctx.config, snapshot, stateInEvent(event.type, event.payload), event.createdAt, event.seq);
  }

  /** Sends the deltas of freshly committed events to every subscriber. Call after COMMIT. */
  publish(events: readonly JournalEvent[]): void {
    if (events.length === 0 || this.#clients.size === 0) return;
    const snapshots = new Map<string, OrderSnapshot>();
    for (const event of events) {
      // Serialise once per distinct message: twenty kitchen screens share one string.
      const encoded = new Map<string, string>();
      for (const client of this.#clients) {
        for (const subscription of client.subscriptions.values()) {
          const delta = this.#deltaFor(client, subscription, event, snapshots);
          if (!delta) continue;
          const key = `${subscription.topic}|${subscription.station ?? ""}|${delta.kind}`;
          let text = encoded.get(key);
          if (text === undefined) {
            text = JSON.stringify({ type: "delta", topic: subscription.topic, seq: event.seq, data: delta } satisfies ServerMessage);
            encoded.set(key, text);
          }
          this.#sendText(client, text);
        }
      }
    }
  }

  /** Stock holds moved without an event of their own: refresh menu subscribers. */
  publishAvailability(): void {
    const subscribers = [...this.#clients].filter((c) => c.subscriptions.has("menu"));
    if (subscribers.length === 0) return;
    const message: ServerMessage = { type: "delta", topic: "menu", seq: headSeq(this.#options.ctx.journal), data: { kind: "availability", availability: availability(this.#options.ctx) } };
    const text = JSON.stringify(message);
    for (const client of subscribers) this.#sendText(client, text);
  }

  // ---- devices topic (appliance/devices) ----------------------------------------------------------
  /** Kitchen screens (role kitchen) subscribed to the kitchen topic now: the ordering gate's second route. */
  kitchenScreens(): number {
    let screens = 0;
    for (const client of this.#clients) if (client.principal.role === "kitchen" && client.subscriptions.has("kitchen")) screens += 1;
    return screens;
  }

  /** Calls `listener` whenever a kitchen subscription comes or goes. */
  onKitchenPresence(listener: () => void): () => void {
    this.#kitchenPresence.add(listener);
    return () => this.#kitchenPresence.delete(listener);
  }

  #kitchenChanged(): void {
    for (const listener of this.#kitchenPresence) {
      try {
        listener();
      } catch (error) {
        this.#options.log.error({ err: error }, "kitchen presence listener failed");
      }
    }
  }

  setDevicesSource(source: () => DevicesStatus): void {
    this.#devicesSource = source;
  }

  /** Sends the device state to every `devices` subscriber (seq = the journal head: it is not an event). */
  publishDevices(status: DevicesStatus): void {
    const subscribers = [...this.#clients].filter((c) => c.subscriptions.has("devices"));
    if (subscribers.length === 0) return;
    const text = JSON.stringify({ type: "delta", topic: "devices", seq: headSeq(this.#options.ctx.journal), data: { kind: "devices", devices: status } } satisfies ServerMessage);
    for (const client of subscribers) this.#sendText(client, text);
  }

  // ---- sync topic (appliance/sync) ----------------------------------------------------------------

  setSyncSource(source: () => SyncStatus): void {
    this.#syncSource = source;
  }

  /** Sends the sync status to every `sync` subscriber (computed only when someone listens). */
  publishSync(): void {
    const source = this.#syncSource;
    const subscribers = [...this.#clients].filter((c) => c.subscriptions.has("sync"));
    if (!source || subscribers.length === 0) return;
    const text = JSON.stringify({ type: "delta", topic: "sync", seq: headSeq(this.#options.ctx.journal), data: { kind: "sync_status", status: source() } } satisfies ServerMessage);
    for (const client of subscribers) this.#sendText(client, text);
  }

  /** Closes the sockets of a user or device that lost access. */
  revoke(kind: "user" | "device", id: string): void {
    for (const client of this.#clients) {
      if (client.principal.kind === kind && client.principal.id === id) client.socket.close(CLOSE.revoked, "access revoked");
    }
  }

  #send(client: Client, message: ServerMessage): void {
    this.#sendText(client, JSON.stringify(message));
  }

  #sendText(client: Client, text: string): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > this.#options.maxBufferedBytes) {
      this.#options.log.warn({ name: client.principal.name }, "push client too slow; dropping it (it will resume)");
      client.socket.terminate();
      this.#clients.delete(client);
      return;
    }
    client.socket.send(text);
  }

  #beat(): void {
    for (const client of this.#clients) {
      if (!client.alive) {
        client.socket.terminate();
        this.#clients.delete(client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  /** Closes every client with "going away" (they reconnect and resume by seq). */
  close(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.socket.close(CLOSE.goingAway, "server shutting down");
    this.#clients.clear();
    this.#wss.close();
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : status === 404 ? "Not Found" : "Error";
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}
