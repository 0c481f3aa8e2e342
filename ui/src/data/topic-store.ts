/**
 * Typed, shared, reference-counted stores of the push topics (modelled on home-assistant-js-
 * websocket's `lib/collection.ts`: getCollection / subscribe / refresh).
 *
 * - `SnapshotOf<T>` and `DeltaOf<T>` narrow the protocol's `TopicSnapshot` and `Delta` to one
 *   topic; `topicHandler` adapts a handler written against them to the PushClient's untyped one,
 *   dropping a message of another shape (what every screen checked by hand before).
 * - `getTopicStore` gives one store per push client, topic and parameters (station, order id):
 *   the first subscriber subscribes over the socket, the last one to leave unsubscribes. The
 *   store keeps the state from the snapshot plus deltas through a `TopicReducer` (the data
 *   classes — KitchenTickets, PickupBoard — wrapped, not rewritten), and tells every subscriber
 *   what changed.
 * - After a reconnect the PushClient resubscribes with `since` (galleyd replays the missed deltas
 *   or sends a fresh snapshot), so the subscribers see fresh state without doing anything;
 *   `refresh()` asks for a fresh snapshot on purpose (a menu loaded again, a refused order).
 * - Per-topic options live here, not in each screen: whole-state deltas (menu, devices, sync)
 *   accept a repeated seq, and device status and the sync backlog are optional for "online".
 *
 * The PushClient (and galleyd's `unsubscribe`) know one subscription per topic, so a screen holds
 * one set of parameters per topic at a time: a second store of the same topic with other
 * parameters takes the socket subscription over.
 *
 * Framework-free: Lit hosts subscribe through controllers/subscribe-controller.ts.
 */
import type { Delta, Topic, TopicSnapshot } from "../../../protocol/index.ts";
import type { PushClient, SubscribeOptions, TopicHandler } from "./push.ts";

/** Which `Delta` kinds each topic carries (galleyd's push topics, README "Live updates"). */
interface TopicDeltaKinds {
  kitchen: "order";
  board: "order";
  order: "order";
  menu: "availability" | "menu_replaced";
  devices: "devices";
  sync: "sync_status";
}

/** The snapshot of topic `T` (`kitchen` and `board` share one shape). */
export type SnapshotOf<T extends Topic> = TopicSnapshot extends infer S
  ? S extends { topic: infer K }
    ? T extends K
      ? S
      : never
    : never
  : never;

/** The deltas of topic `T`. */
export type DeltaOf<T extends Topic> = Extract<Delta, { kind: TopicDeltaKinds[T] }>;

const DELTA_KINDS: { readonly [T in Topic]: readonly TopicDeltaKinds[T][] } = {
  kitchen: ["order"],
  board: ["order"],
  order: ["order"],
  menu: ["availability", "menu_replaced"],
  devices: ["devices"],
  sync: ["sync_status"],
};

/** Deltas that carry the whole state (one that repeats the last seq still applies); topics a screen works without. */
const TOPIC_OPTIONS: { readonly [T in Topic]: Pick<SubscribeOptions, "fullStateDeltas" | "optional"> } = {
  kitchen: {},
  board: {},
  order: {},
  menu: { fullStateDeltas: true },
  devices: { fullStateDeltas: true, optional: true },
  sync: { fullStateDeltas: true, optional: true },
};

export function isSnapshotOf<T extends Topic>(topic: T, data: TopicSnapshot): data is SnapshotOf<T> {
  return data.topic === topic;
}

export function isDeltaOf<T extends Topic>(topic: T, data: Delta): data is DeltaOf<T> {
  return (DELTA_KINDS[topic] as readonly string[]).includes(data.kind);
}

/** A PushClient handler for one topic, with the snapshot and deltas narrowed to it. */
export interface TypedTopicHandler<T extends Topic> {
  snapshot(data: SnapshotOf<T>, seq: number): void;
  delta(data: DeltaOf<T>, seq: number): void;
  ready?(seq: number, replayed: number): void;
  error?(code: string, message: string): void;
}

/** Adapts a typed handler to the PushClient; messages not of topic `T`'s shape are dropped. */
export function topicHandler<T extends Topic>(topic: T, handler: TypedTopicHandler<T>): TopicHandler {
  return {
    snapshot: (data, seq) => {
      if (isSnapshotOf(topic, data)) handler.snapshot(data, seq);
    },
    delta: (data, seq) => {
      if (isDeltaOf(topic, data)) handler.delta(data, seq);
    },
    ...(handler.ready ? { ready: handler.ready.bind(handler) } : {}),
    ...(handler.error ? { error: handler.error.bind(handler) } : {}),
  };
}

/** What a store does with its topic's messages: the state, and what a delta changed (`C`). */
export interface TopicReducer<T extends Topic, S, C = undefined> {
  /** The state before the first snapshot (created once per store). */
  init(): S;
  /** The state a snapshot gives (a mutable state may be reset in place and returned). */
  snapshot(state: S, data: SnapshotOf<T>, seq: number): S;
  /** The state after a delta and what changed, or undefined when it changed nothing (no one is told). */
  delta(state: S, data: DeltaOf<T>, seq: number): { state: S; change: C } | undefined;
}

/** What a subscriber hears: a snapshot (also on joining a store that has one), or a delta's change. */
export type StoreUpdate<C> = { kind: "snapshot"; seq: number } | { kind: "delta"; seq: number; change: C };

export type StoreListener<S, C> = (state: S, update: StoreUpdate<C>) => void;

export interface TopicStoreParams {
  /** kitchen: one station's tickets. */
  station?: string;
  /** order: the order to follow. */
  orderId?: string;
}

export class TopicStore<T extends Topic, S, C = undefined> {
  readonly topic: T;
  readonly params: TopicStoreParams;
  readonly #push: PushClient;
  readonly #reducer: TopicReducer<T, S, C>;
  readonly #listeners = new Set<StoreListener<S, C>>();
  #state: S;
  /** The seq of the state, once a snapshot arrived since the socket subscription began. */
  #seq: number | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(push: PushClient, topic: T, reducer: TopicReducer<T, S, C>, params: TopicStoreParams = {}) {
    this.#push = push;
    this.topic = topic;
    this.params = params;
    this.#reducer = reducer;
    this.#state = reducer.init();
  }

  /** The current state (what `init` gave until the first snapshot). */
  get state(): S {
    return this.#state;
  }

  /** Has a snapshot arrived since the socket subscription began? */
  get loaded(): boolean {
    return this.#seq !== undefined;
  }

  /** How many subscribers hold the socket subscription open. */
  get subscribers(): number {
    return this.#listeners.size;
  }

  /**
   * Listens to the state; the first subscriber subscribes over the socket. A subscriber joining a
   * store that already has a snapshot hears it at once. Returns the unsubscribe; the last one to
   * leave unsubscribes from the topic.
   */
  subscribe(listener: StoreListener<S, C>): () => void {
    // A wrapper per call, so the same function subscribed twice counts twice.
    const entry: StoreListener<S, C> = (state, update) => {
      listener(state, update);
    };
    this.#listeners.add(entry);
    if (this.#listeners.size === 1) this.#open();
    else if (this.#seq !== undefined) listener(this.#state, { kind: "snapshot", seq: this.#seq });
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#listeners.delete(entry);
      if (this.#listeners.size === 0) this.#close();
    };
  }

  /** Asks galleyd for a fresh snapshot (the PushClient forgets the topic's seq). */
  refresh(): void {
    if (this.#unsubscribe) this.#push.resync(this.topic);
  }

  #open(): void {
    this.#seq = undefined;
    const handler = topicHandler(this.topic, {
      snapshot: (data: SnapshotOf<T>, seq: number) => {
        this.#state = this.#reducer.snapshot(this.#state, data, seq);
        this.#seq = seq;
        this.#notify({ kind: "snapshot", seq });
      },
      delta: (data: DeltaOf<T>, seq: number) => {
        const result = this.#reducer.delta(this.#state, data, seq);
        // Current to this seq even when the delta changed nothing.
        if (this.#seq !== undefined) this.#seq = seq;
        if (result === undefined) return;
        this.#state = result.state;
        this.#notify({ kind: "delta", seq, change: result.change });
      },
    });
    const { station, orderId } = this.params;
    this.#unsubscribe = this.#push.subscribe(this.topic, handler, {
      ...TOPIC_OPTIONS[this.topic],
      ...(station ? { station } : {}),
      ...(orderId ? { orderId } : {}),
    });
  }

  #close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    // The state stays readable (a mutable one may be held by others), but it is no longer current:
    // a new subscriber waits for the snapshot the next socket subscription brings.
    this.#seq = undefined;
  }

  #notify(update: StoreUpdate<C>): void {
    for (const listener of [...this.#listeners]) listener(this.#state, update);
  }
}

const stores = new WeakMap<PushClient, Map<string, TopicStore<Topic, unknown, unknown>>>();

/** The key of a store: its topic and parameters. */
export function storeKey(topic: Topic, params: TopicStoreParams = {}): string {
  return [topic, params.station ?? "", params.orderId ?? ""].join("|");
}

/**
 * The one store of `topic` (and `params`) on `push`, created with `reducer` by its first caller;
 * later callers get the same store (their reducer is not used), like HA's `getCollection`.
 */
export function getTopicStore<T extends Topic, S, C = undefined>(
  push: PushClient,
  topic: T,
  reducer: () => TopicReducer<T, S, C>,
  params: TopicStoreParams = {},
): TopicStore<T, S, C> {
  let byKey = stores.get(push);
  if (!byKey) {
    byKey = new Map();
    stores.set(push, byKey);
  }
  const key = storeKey(topic, params);
  const existing = byKey.get(key);
  // The key fixes the topic; state and change types are the first caller's, as for HA's collections.
  if (existing) return existing as unknown as TopicStore<T, S, C>;
  const store = new TopicStore(push, topic, reducer(), params);
  byKey.set(key, store as unknown as TopicStore<Topic, unknown, unknown>);
  return store;
}

/** A reducer for topics whose snapshot and deltas each carry the whole state (devices, sync). */
export function wholeStateReducer<T extends Topic, S>(pick: {
  snapshot: (data: SnapshotOf<T>) => S;
  delta: (data: DeltaOf<T>) => S | undefined;
}): TopicReducer<T, S | undefined> {
  return {
    init: () => undefined,
    snapshot: (_state, data) => pick.snapshot(data),
    delta: (_state, data) => {
      const next = pick.delta(data);
      return next === undefined ? undefined : { state: next, change: undefined };
    },
  };
}
