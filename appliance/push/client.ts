/**
 * One connected push socket, apart from the hub that holds them all: what it subscribed to, the
 * messages it sends us (JSON, validated, within its limits from client-limits.ts), the answer to a
 * subscription (a snapshot, or with `since` exactly the deltas missed, replayed from the journal,
 * then `ready`), and sending to it, dropping it when its unsent bytes show it cannot keep up.
 * The hub (hub.ts) accepts it, fans events out to it, and closes it.
 */
import type { WebSocket, RawData } from "ws";
import type { CommandContext } from "../commands/context.ts";
import { AppError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import { compileValidator } from "../lib/validate.ts";
import { countSince, eventsSince, headSeq } from "../journal/events.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import {
  ClientMessage,
  PUSH_CLOSE,
  type ServerMessage,
  type SubscribeMessage,
  type Topic,
} from "../../protocol/schemas/push.ts";
import { ClientLimits, type PushLimits } from "./client-limits.ts";
import {
  deltaFor,
  replayedEvents,
  snapshotFor,
  subscriptionFor,
  type OrderSnapshots,
  type Subscription,
  type TopicSources,
} from "./topics.ts";

const validateClientMessage = compileValidator(ClientMessage);

/** The hub's options a client needs. */
export interface ClientSettings {
  ctx: CommandContext;
  log: Logger;
  replayLimit: number;
  maxBufferedBytes: number;
  /** Monotonic milliseconds for the limits (lib/clock.ts `monotonicNow`). */
  monotonic: () => number;
}

/** What a client needs from its hub. */
export interface ClientHub {
  readonly settings: ClientSettings;
  /** The snapshot sources of the topics owned by other layers, as they are now. */
  topicSources(): TopicSources;
  /** A kitchen subscription came or went. */
  kitchenChanged(): void;
  /** Removes the client from the hub and closes its socket with `code`. */
  drop(client: PushClient, code: number, reason: string): void;
  /** Removes the client from the hub (its socket is already terminated). */
  forget(client: PushClient): void;
}

export class PushClient {
  readonly socket: WebSocket;
  readonly principal: Principal;
  /** The token it connected with, by hash: re-checked on every heartbeat, closed on logout. */
  readonly tokenHash: string;
  readonly connectedAt: number;
  alive = true;
  readonly subscriptions = new Map<Topic, Subscription>();
  readonly #limits: ClientLimits;
  readonly #hub: ClientHub;

  constructor(
    hub: ClientHub,
    socket: WebSocket,
    principal: Principal,
    tokenHash: string,
    limits: PushLimits,
    now: number,
  ) {
    this.#hub = hub;
    this.socket = socket;
    this.principal = principal;
    this.tokenHash = tokenHash;
    this.connectedAt = now;
    this.#limits = new ClientLimits(limits, now);
  }

  onMessage(data: RawData, isBinary: boolean): void {
    const over = this.#limits.message(this.#hub.settings.monotonic());
    if (over) {
      this.#refuseAndClose(over);
      return;
    }
    let parsed: unknown;
    try {
      if (isBinary) throw new Error("binary");
      parsed = JSON.parse(rawToString(data));
    } catch {
      this.send({ type: "error", code: "bad_request", message: "messages are JSON text" });
      return;
    }
    const checked = validateClientMessage(parsed);
    if (!checked.ok) {
      this.send({ type: "error", code: "validation_failed", message: checked.errors.join("; ") });
      return;
    }
    const message = checked.value;
    if (message.type === "unsubscribe") {
      this.subscriptions.delete(message.topic);
      if (message.topic === "kitchen") this.#hub.kitchenChanged();
      return;
    }
    try {
      this.#subscribe(message);
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError("internal_error", "subscription failed");
      if (!(error instanceof AppError)) this.#hub.settings.log.error({ err: error }, "subscribe failed");
      this.send({ type: "error", code: e.code, message: e.message });
    }
  }

  /** Tells the client why (code `rate_limited`) and closes it with 4429. */
  #refuseAndClose(why: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.#hub.settings.log.warn(
      { name: this.principal.name, role: this.principal.role, why },
      "push client over its limits; closing it",
    );
    this.send({ type: "error", code: "rate_limited", message: `${why}: closing this connection` });
    this.#hub.drop(this, PUSH_CLOSE.rateLimited, "rate limited");
  }

  #subscribe(message: SubscribeMessage): void {
    const { ctx, replayLimit, monotonic } = this.#hub.settings;
    const over = this.#limits.subscription(monotonic());
    if (over) {
      this.#refuseAndClose(over);
      return;
    }
    const subscription = subscriptionFor(ctx, this.principal, message);
    this.subscriptions.set(message.topic, subscription);
    if (message.topic === "kitchen") this.#hub.kitchenChanged();
    // Everything below runs in this one tick: no commit can slip between the read and the registration.
    const head = headSeq(ctx.journal);
    const since = message.since;
    const types = replayedEvents(message.topic);
    const canReplay =
      types !== undefined &&
      since !== undefined &&
      since <= head &&
      countSince(ctx.journal, since, types) <= replayLimit;
    if (!canReplay) {
      this.send({
        type: "snapshot",
        topic: message.topic,
        seq: head,
        data: snapshotFor(this.#hub.topicSources(), this.principal, subscription),
      });
      this.send({ type: "ready", topic: message.topic, seq: head, replayed: 0 });
      return;
    }
    const snapshots: OrderSnapshots = new Map();
    let replayed = 0;
    for (const event of eventsSince(ctx.journal, since, replayLimit + 1, types)) {
      const delta = deltaFor(ctx, this.principal, subscription, event, snapshots);
      if (delta) {
        this.send({ type: "delta", topic: message.topic, seq: event.seq, data: delta });
        replayed += 1;
      }
    }
    this.send({ type: "ready", topic: message.topic, seq: head, replayed });
  }

  send(message: ServerMessage): void {
    this.sendText(JSON.stringify(message));
  }

  /** Sends already serialised text; a client with too many unsent bytes is terminated (it will resume). */
  sendText(text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const { log, maxBufferedBytes } = this.#hub.settings;
    if (this.socket.bufferedAmount > maxBufferedBytes) {
      log.warn({ name: this.principal.name }, "push client too slow; dropping it (it will resume)");
      this.socket.terminate();
      this.#hub.forget(this);
      return;
    }
    this.socket.send(text);
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}
