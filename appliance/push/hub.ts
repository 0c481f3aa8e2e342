/**
 * Live push over WebSocket at `/ws`: the hub that accepts sockets and fans events out to them
 * (with client.ts, one socket's side, the only importers of `ws`).
 *
 * - The upgrade is authenticated before it is accepted (bearer token in `?token=` or the
 *   Authorization header); a refused upgrade gets a plain HTTP 401/403 and no socket.
 * - Topics: kitchen (optionally one station), board, one order, menu availability, devices, sync;
 *   what each one means (access, snapshot, deltas) is topics.ts.
 * - Subscribe (client.ts) → snapshot, or with `since` exactly the deltas missed (replayed from the journal,
 *   built by the same function as live deltas), then `ready`; live deltas follow, each with the
 *   seq of its event. A client too far behind gets a fresh snapshot instead.
 * - Ping/pong drops dead clients; a client that cannot keep up is dropped and resumes.
 * - Each heartbeat re-checks every socket's token: a token that logged out, expired or lost its
 *   user or device closes its sockets with 4401 (logout and revocations also close them at once).
 * - Limits (client-limits.ts): too many messages or subscriptions close a socket with 4429; a
 *   token holds at most `push.socketsPerToken` sockets, and a newer one replaces the oldest (4409).
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { authenticateHash, tokenHash } from "../commands/auth.ts";
import { availability } from "../commands/catalogue.ts";
import { bearerToken } from "../http/auth.ts";
import { AppError } from "../lib/errors.ts";
import { headSeq, type JournalEvent } from "../journal/events.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import { PUSH_CLOSE, type Delta, type ServerMessage, type Topic } from "../../protocol/schemas/push.ts";
import type { DevicesStatus } from "../../protocol/schemas/devices.ts";
import type { SyncStatus } from "../../protocol/schemas/sync.ts";
import type { PushLimits } from "./client-limits.ts";
import { PushClient, type ClientHub, type ClientSettings } from "./client.ts";
import { deltaFor, type OrderSnapshots } from "./topics.ts";

export interface PushOptions extends ClientSettings {
  heartbeatMs: number;
  limits: PushLimits;
}

export class PushHub {
  readonly #options: PushOptions;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  readonly #clients = new Set<PushClient>();
  #heartbeat: NodeJS.Timeout | undefined;
  /** The devices topic (appliance/devices): its snapshot source, and who wants to hear kitchen screens come and go. */
  #devicesSource: (() => DevicesStatus) | undefined;
  /** The sync topic (appliance/sync): the status source. */
  #syncSource: (() => SyncStatus) | undefined;
  readonly #kitchenPresence = new Set<() => void>();

  /** The hub as its clients see it. */
  readonly #clientHub: ClientHub;

  constructor(options: PushOptions) {
    this.#options = options;
    this.#clientHub = {
      settings: options,
      topicSources: () => ({ ctx: options.ctx, devices: this.#devicesSource, sync: this.#syncSource }),
      kitchenChanged: () => {
        this.#kitchenChanged();
      },
      drop: (client, code, reason) => {
        this.#drop(client, code, reason);
      },
      forget: (client) => {
        this.#clients.delete(client);
      },
    };
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
    return [...this.#clients].map((c) => ({
      name: c.principal.name,
      role: c.principal.role,
      kind: c.principal.kind,
      topics: [...c.subscriptions.keys()],
    }));
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://galleyd");
    if (url.pathname !== "/ws") {
      refuse(socket, 404, "route_not_found", "WebSocket endpoint is /ws");
      return;
    }
    const token = url.searchParams.get("token") ?? bearerToken(request.headers.authorization);
    let principal: Principal;
    let hash: string;
    try {
      if (!token) throw new AppError("unauthenticated", "pass the token as ?token= or Authorization: Bearer");
      hash = tokenHash(token);
      principal = authenticateHash(this.#options.ctx, hash);
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError("unauthenticated", "authentication failed");
      refuse(socket, e.status, e.code, e.message);
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#accept(ws, principal, hash);
    });
  }

  #accept(socket: WebSocket, principal: Principal, hash: string): void {
    const now = this.#options.monotonic();
    const { limits } = this.#options;
    // A screen that reconnects before its old socket was noticed dead must get in: the oldest goes.
    const sameToken = [...this.#clients]
      .filter((c) => c.tokenHash === hash)
      .sort((a, b) => a.connectedAt - b.connectedAt);
    for (const old of sameToken.slice(0, Math.max(0, sameToken.length - limits.socketsPerToken + 1)))
      this.#drop(old, PUSH_CLOSE.replaced, "replaced by a newer connection with this token");
    const client = new PushClient(this.#clientHub, socket, principal, hash, limits, now);
    this.#clients.add(client);
    socket.on("pong", () => {
      client.alive = true;
    });
    socket.on("message", (data, isBinary) => {
      client.onMessage(data, isBinary);
    });
    socket.on("close", () => {
      if (this.#clients.delete(client) && client.subscriptions.has("kitchen")) this.#kitchenChanged();
    });
    socket.on("error", (error) => {
      this.#options.log.debug({ err: error }, "websocket error");
    });
    client.send({
      type: "hello",
      seq: headSeq(this.#options.ctx.journal),
      principal: { kind: principal.kind, name: principal.name, role: principal.role },
      heartbeatMs: this.#options.heartbeatMs,
    });
  }

  #drop(client: PushClient, code: number, reason: string): void {
    this.#clients.delete(client);
    if (client.subscriptions.has("kitchen")) this.#kitchenChanged();
    client.socket.close(code, reason);
  }

  /** Sends the deltas of freshly committed events to every subscriber. Call after COMMIT. */
  publish(events: readonly JournalEvent[]): void {
    if (events.length === 0 || this.#clients.size === 0) return;
    const snapshots: OrderSnapshots = new Map();
    for (const event of events) {
      // Serialise once per distinct message: twenty kitchen screens share one string.
      const encoded = new Map<string, string>();
      for (const client of this.#clients) {
        for (const subscription of client.subscriptions.values()) {
          const delta = deltaFor(this.#options.ctx, client.principal, subscription, event, snapshots);
          if (!delta) continue;
          const key = `${subscription.topic}|${subscription.station ?? ""}|${delta.kind}`;
          let text = encoded.get(key);
          if (text === undefined) {
            text = JSON.stringify({
              type: "delta",
              topic: subscription.topic,
              seq: event.seq,
              data: delta,
            } satisfies ServerMessage);
            encoded.set(key, text);
          }
          client.sendText(text);
        }
      }
    }
  }

  /** Stock holds moved without an event of their own: refresh menu subscribers. */
  publishAvailability(): void {
    this.#broadcast("menu", () => ({ kind: "availability", availability: availability(this.#options.ctx) }));
  }

  /**
   * Sends state that is not an event to every subscriber of `topic`, with the journal head as its
   * seq; `data` is computed only when someone listens, and serialised once for all of them.
   */
  #broadcast(topic: Topic, data: () => Delta): void {
    const subscribers = [...this.#clients].filter((c) => c.subscriptions.has(topic));
    if (subscribers.length === 0) return;
    const text = JSON.stringify({
      type: "delta",
      topic,
      seq: headSeq(this.#options.ctx.journal),
      data: data(),
    } satisfies ServerMessage);
    for (const client of subscribers) client.sendText(text);
  }

  // ---- devices topic (appliance/devices) ----------------------------------------------------------
  /** Kitchen screens (role kitchen) subscribed to the kitchen topic now: the ordering gate's second route. */
  kitchenScreens(): number {
    let screens = 0;
    for (const client of this.#clients)
      if (client.principal.role === "kitchen" && client.subscriptions.has("kitchen")) screens += 1;
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
    this.#broadcast("devices", () => ({ kind: "devices", devices: status }));
  }

  // ---- sync topic (appliance/sync) ----------------------------------------------------------------

  setSyncSource(source: () => SyncStatus): void {
    this.#syncSource = source;
  }

  /** Sends the sync status to every `sync` subscriber (computed only when someone listens). */
  publishSync(): void {
    const source = this.#syncSource;
    if (source) this.#broadcast("sync", () => ({ kind: "sync_status", status: source() }));
  }

  /** Closes the sockets of a user, a device or one token (by hash) that lost access. */
  revoke(kind: "user" | "device" | "token", id: string): void {
    for (const client of this.#clients) {
      const match =
        kind === "token" ? client.tokenHash === id : client.principal.kind === kind && client.principal.id === id;
      if (match) this.#drop(client, PUSH_CLOSE.revoked, "access revoked");
    }
  }

  #beat(): void {
    for (const client of this.#clients) {
      if (!client.alive) {
        client.socket.terminate();
        this.#clients.delete(client);
        continue;
      }
      if (!this.#stillAuthorised(client)) continue;
      client.alive = false;
      client.socket.ping();
    }
  }

  /** Whether the client's token still works (an expired staff token closes its sockets here). */
  #stillAuthorised(client: PushClient): boolean {
    try {
      authenticateHash(this.#options.ctx, client.tokenHash);
      return true;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.#drop(client, PUSH_CLOSE.revoked, error.code);
      return false;
    }
  }

  /** Closes every client with "going away" (they reconnect and resume by seq). */
  close(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.socket.close(PUSH_CLOSE.goingAway, "server shutting down");
    this.#clients.clear();
    this.#wss.close();
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason =
    status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : status === 404 ? "Not Found" : "Error";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
