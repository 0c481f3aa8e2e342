/**
 * The screens' live connection to galleyd (`/ws`, README "Live updates").
 *
 * - One socket, many topic subscriptions. Each subscription remembers the last `seq` it applied;
 *   after a reconnect it subscribes again with `since`, and galleyd replays exactly what was
 *   missed (or sends a fresh snapshot when it is too far behind).
 * - Deltas at or below the remembered seq are dropped, so a replay that overlaps what was
 *   already applied cannot double anything. Topics whose deltas carry the whole state
 *   (availability) accept a repeated seq, since galleyd re-sends availability when stock holds
 *   move without an event of their own.
 * - Reconnects back off with jitter. A browser cannot see why an upgrade was refused, so after
 *   a failed attempt the client asks `probe` whether the token is still good; a revoked token
 *   (close code 4401, or a 401 from the probe) stops the client and reports `onUnauthorized`.
 * - While online, `probe` also runs every few seconds: a socket to a galleyd that vanished
 *   without closing it (power cut, cable) would otherwise look alive for minutes.
 * - "Online" means every required topic is current; `optional` ones (device status) don't count.
 *
 * Framework-free: the socket is injected (`browserSocket` uses the global WebSocket, which Node
 * has too), so unit tests run it against a real galleyd.
 */
import {
  PUSH_CLOSE,
  type Delta,
  type ServerMessage,
  type SubscribeMessage,
  type Topic,
  type TopicSnapshot,
} from "../../../protocol/index.ts";

export interface SocketHandlers {
  open(): void;
  message(text: string): void;
  close(code: number, reason: string): void;
}

export interface SocketHandle {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketHandle;

/** A socket over the global WebSocket (browsers, Node ≥ 22). */
export const browserSocket: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => {
    handlers.open();
  };
  socket.onmessage = (event: { data: unknown }) => {
    handlers.message(typeof event.data === "string" ? event.data : "");
  };
  socket.onclose = (event: { code: number; reason: string }) => {
    handlers.close(event.code, event.reason);
  };
  return {
    send: (text) => {
      socket.send(text);
    },
    close: (code, reason) => {
      socket.close(code, reason);
    },
  };
};

export type ConnectionState = "connecting" | "online" | "offline";
export type ProbeResult = "ok" | "unauthorized" | "unreachable";

export interface TopicHandler {
  snapshot(data: TopicSnapshot, seq: number): void;
  delta(data: Delta, seq: number): void;
  /** Current to `seq` (after a snapshot or a replay of `replayed` deltas). */
  ready?(seq: number, replayed: number): void;
  /** galleyd refused the subscription (forbidden, validation). */
  error?(code: string, message: string): void;
}

export interface SubscribeOptions {
  station?: string;
  orderId?: string;
  /** Deltas carry the whole state, so one that repeats the last seq is still applied. */
  fullStateDeltas?: boolean;
  /**
   * The screen works without it (device status on a kiosk): the connection counts as online
   * before this topic is current, and a refused subscription does not hold it back.
   */
  optional?: boolean;
}

export interface PushClientOptions {
  /** The socket URL with the current token; undefined while there is no token. */
  url: () => string | undefined;
  socket: SocketFactory;
  /** Is galleyd reachable, and is the token still good? */
  probe?: () => Promise<ProbeResult>;
  onUnauthorized?: () => void;
  /** First and largest reconnect delay. */
  backoff?: { initialMs: number; maxMs: number };
  /** How often `probe` checks a socket that looks open; 0 turns it off. */
  probeIntervalMs?: number;
  random?: () => number;
}

interface Subscription {
  topic: Topic;
  options: SubscribeOptions;
  handler: TopicHandler;
  lastSeq: number | undefined;
  synced: boolean;
}

export class PushClient {
  readonly #options: PushClientOptions;
  readonly #subscriptions = new Map<Topic, Subscription>();
  readonly #listeners = new Set<(state: ConnectionState) => void>();
  #socket: SocketHandle | undefined;
  #state: ConnectionState = "offline";
  #running = false;
  #attempts = 0;
  #opened = false;
  /** Has been online before: reconnect attempts then read as "offline", not a fresh "connecting". */
  #everOnline = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #probeTimer: ReturnType<typeof setInterval> | undefined;
  /** Bumped for every socket, so events of a socket we gave up on are ignored. */
  #generation = 0;

  constructor(options: PushClientOptions) {
    this.#options = options;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The seq a topic is current to, or undefined before its first snapshot. */
  seqOf(topic: Topic): number | undefined {
    return this.#subscriptions.get(topic)?.lastSeq;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempts = 0;
    this.#connect();
  }

  /** Closes the socket and stops reconnecting; subscriptions (and their seqs) are kept. */
  stop(): void {
    this.#running = false;
    this.#clearTimers();
    this.#dropSocket();
    this.#setState("offline");
  }

  /** Subscribes (now, and again after every reconnect with `since`). Returns the unsubscribe. */
  subscribe(topic: Topic, handler: TopicHandler, options: SubscribeOptions = {}): () => void {
    const subscription: Subscription = { topic, options, handler, lastSeq: undefined, synced: false };
    this.#subscriptions.set(topic, subscription);
    if (this.#socket && this.#opened) this.#sendSubscribe(subscription);
    return () => {
      if (this.#subscriptions.get(topic) !== subscription) return;
      this.#subscriptions.delete(topic);
      if (this.#socket && this.#opened) this.#socket.send(JSON.stringify({ type: "unsubscribe", topic }));
    };
  }

  /** Forgets a topic's seq and asks for a fresh snapshot. */
  resync(topic: Topic): void {
    const subscription = this.#subscriptions.get(topic);
    if (!subscription) return;
    subscription.lastSeq = undefined;
    subscription.synced = false;
    if (this.#socket && this.#opened) this.#sendSubscribe(subscription);
  }

  /** Drops the socket as if the network had, and reconnects (a probe found galleyd gone). */
  reconnect(): void {
    if (!this.#running) return;
    this.#dropSocket();
    this.#setState("offline");
    this.#scheduleRetry();
  }

  #connect(): void {
    this.#retryTimer = undefined;
    if (!this.#running) return;
    const url = this.#options.url();
    if (!url) {
      this.#setState("offline");
      return;
    }
    this.#setState(this.#everOnline ? "offline" : "connecting");
    const generation = ++this.#generation;
    this.#opened = false;
    const current = () => generation === this.#generation;
    try {
      this.#socket = this.#options.socket(url, {
        open: () => {
          if (!current()) return;
          this.#opened = true;
          this.#attempts = 0;
          for (const subscription of this.#subscriptions.values()) this.#sendSubscribe(subscription);
          this.#startProbing();
          this.#updateOnline();
        },
        message: (text) => {
          if (current()) this.#onMessage(text);
        },
        close: (code) => {
          if (!current()) return;
          this.#onClose(code);
        },
      });
    } catch {
      this.#socket = undefined;
      this.#onClose(1006);
    }
  }

  #sendSubscribe(subscription: Subscription): void {
    subscription.synced = false;
    const message: SubscribeMessage = {
      type: "subscribe",
      topic: subscription.topic,
      ...(subscription.options.station ? { station: subscription.options.station } : {}),
      ...(subscription.options.orderId ? { orderId: subscription.options.orderId } : {}),
      ...(subscription.lastSeq !== undefined ? { since: subscription.lastSeq } : {}),
    };
    this.#socket?.send(JSON.stringify(message));
  }

  #onMessage(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case "hello":
        return;
      case "snapshot": {
        const subscription = this.#subscriptions.get(message.topic);
        if (!subscription) return;
        subscription.lastSeq = message.seq;
        subscription.handler.snapshot(message.data, message.seq);
        return;
      }
      case "delta": {
        const subscription = this.#subscriptions.get(message.topic);
        if (!subscription) return;
        const last = subscription.lastSeq;
        if (
          last !== undefined &&
          (message.seq < last || (message.seq === last && !subscription.options.fullStateDeltas))
        )
          return;
        subscription.lastSeq = message.seq;
        subscription.handler.delta(message.data, message.seq);
        return;
      }
      case "ready": {
        const subscription = this.#subscriptions.get(message.topic);
        if (!subscription) return;
        subscription.lastSeq = Math.max(subscription.lastSeq ?? message.seq, message.seq);
        subscription.synced = true;
        subscription.handler.ready?.(message.seq, message.replayed);
        this.#updateOnline();
        return;
      }
      case "error":
        for (const subscription of this.#subscriptions.values()) {
          if (!subscription.synced) subscription.handler.error?.(message.code, message.message);
        }
        return;
    }
  }

  #onClose(code: number): void {
    const neverOpened = !this.#opened;
    this.#socket = undefined;
    this.#opened = false;
    this.#stopProbing();
    for (const subscription of this.#subscriptions.values()) subscription.synced = false;
    if (!this.#running) return;
    this.#setState("offline");
    if (code === PUSH_CLOSE.revoked) {
      this.#unauthorized();
      return;
    }
    this.#scheduleRetry(neverOpened && this.#attempts > 0);
  }

  #scheduleRetry(probeFirst = false): void {
    if (!this.#running || this.#retryTimer) return;
    const { initialMs, maxMs } = this.#options.backoff ?? { initialMs: 250, maxMs: 5_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** this.#attempts);
    const delay = Math.round(ceiling * (0.5 + (this.#options.random ?? Math.random)() / 2));
    this.#attempts += 1;
    this.#retryTimer = setTimeout(() => {
      if (!probeFirst || !this.#options.probe) {
        this.#connect();
        return;
      }
      void this.#options.probe().then((result) => {
        if (!this.#running) return;
        if (result === "unauthorized") {
          this.#retryTimer = undefined;
          this.#unauthorized();
        } else if (result === "unreachable") {
          this.#retryTimer = undefined;
          this.#scheduleRetry(true);
        } else {
          this.#connect();
        }
      });
    }, delay);
  }

  #startProbing(): void {
    this.#stopProbing();
    const every = this.#options.probeIntervalMs ?? 10_000;
    const probe = this.#options.probe;
    if (!probe || every <= 0) return;
    this.#probeTimer = setInterval(() => {
      void probe().then((result) => {
        if (!this.#running || !this.#socket) return;
        if (result === "unauthorized") this.#unauthorized();
        else if (result === "unreachable") this.reconnect();
      });
    }, every);
  }

  #stopProbing(): void {
    if (this.#probeTimer) clearInterval(this.#probeTimer);
    this.#probeTimer = undefined;
  }

  #unauthorized(): void {
    this.#running = false;
    this.#clearTimers();
    this.#dropSocket();
    this.#setState("offline");
    this.#options.onUnauthorized?.();
  }

  #dropSocket(): void {
    this.#generation += 1;
    const socket = this.#socket;
    this.#socket = undefined;
    this.#opened = false;
    this.#stopProbing();
    for (const subscription of this.#subscriptions.values()) subscription.synced = false;
    try {
      socket?.close(1000, "client closing");
    } catch {
      // already closed
    }
  }

  #clearTimers(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#stopProbing();
  }

  #updateOnline(): void {
    if (!this.#opened) return;
    const synced = [...this.#subscriptions.values()].every((s) => s.synced || s.options.optional === true);
    if (synced) this.#everOnline = true;
    this.#setState(synced ? "online" : "connecting");
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }
}

/** The `/ws` URL for a page served by galleyd (ws: or wss: like the page). */
export function socketUrl(origin: string, token: string): string {
  return `${origin.replace(/^http/, "ws")}/ws?token=${encodeURIComponent(token)}`;
}
