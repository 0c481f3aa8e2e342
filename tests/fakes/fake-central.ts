/**
 * A fake central server implementing the device protocol of
 * appliance/sync/adapters/central-protocol.ts field for field: idempotent batch ingest under
 * UNIQUE(event id) and UNIQUE(instance, seq) with per-event created / duplicate / conflict /
 * rejected, `acked_through_seq` from the `prev_seq` chain, the manifest, and the store's orders
 * for the import direction. Scriptable faults come from ScriptedServer; tests can also delete or
 * alter what it holds, or seed orders another device sent.
 */
import { canonicalJson, sha256Hex } from "../../appliance/lib/canonical-json.ts";
import { compileValidator } from "../../appliance/lib/validate.ts";
import {
  BatchRequest,
  MANIFEST_MAX_SPAN,
  type StoreOrder,
  type WireEvent,
} from "../../appliance/sync/adapters/central-protocol.ts";
import { ScriptedServer, type FakeRequest, type FakeResponse } from "./scripted-server.ts";

const validateBatch = compileValidator(BatchRequest);

interface HeldEvent {
  id: string;
  instanceId: string;
  seq: number;
  prevSeq: number;
  type: string;
  hash: string;
  payload?: Record<string, unknown>;
  status: "created" | "rejected";
}

interface DeviceLog {
  bySeq: Map<number, HeldEvent>;
  /** prev_seq → seq, to walk the chain. */
  byPrev: Map<number, number>;
  chainEnd: number;
}

export interface FakeCentralOptions {
  token?: string;
  now?: () => number;
  /** Keep event payloads (false for big benchmarks: ids, hashes and orders only). */
  keepPayloads?: boolean;
}

export class FakeCentral extends ScriptedServer {
  token: string;
  readonly #keepPayloads: boolean;
  readonly #byId = new Map<string, HeldEvent>();
  readonly #devices = new Map<string, DeviceLog>();
  readonly #orders = new Map<string, StoreOrder>();
  readonly #orderList: string[] = [];
  /** How many times each order.placed was *created* (a second creation would be a duplicate order). */
  readonly createdPlaced = new Map<string, number>();
  /** Events answered "created" / "duplicate". */
  created = 0;
  duplicates = 0;
  /** Reject events for which this returns a reason. */
  rejectIf: ((event: WireEvent) => string | undefined) | undefined;
  /** Arrival time of the first created event (for "network back → first ack"). */
  firstCreatedAt: number | undefined;
  /** Created events whose seq was below one already created for their instance (FIFO broken). */
  outOfOrder = 0;
  readonly #lastSeq = new Map<string, number>();

  constructor(options: FakeCentralOptions = {}) {
    super(options.now ? { now: options.now } : {});
    this.token = options.token ?? "central-device-token";
    this.#keepPayloads = options.keepPayloads ?? true;
  }

  protected override handle(request: FakeRequest): FakeResponse {
    if (request.headers.authorization !== `Bearer ${this.token}`)
      return { status: 401, body: { error: "unauthorized" } };
    const batch = /^\/v1\/devices\/([^/]+)\/events:batch$/.exec(request.path);
    if (batch && request.method === "POST") return this.#batch(decodeURIComponent(batch[1] ?? ""), request.body);
    const manifest = /^\/v1\/devices\/([^/]+)\/manifest$/.exec(request.path);
    if (manifest && request.method === "GET")
      return this.#manifest(decodeURIComponent(manifest[1] ?? ""), request.query);
    const orders = /^\/v1\/stores\/([^/]+)\/orders$/.exec(request.path);
    if (orders && request.method === "GET") return this.#storeOrders(request.query);
    return { status: 404, body: { error: "no such route" } };
  }

  #batch(instanceId: string, body: unknown): FakeResponse {
    const checked = validateBatch(body);
    if (!checked.ok) return { status: 400, body: { error: "invalid batch", details: checked.errors } };
    if (checked.value.device.instance_id !== instanceId)
      return { status: 400, body: { error: "device.instance_id does not match the path" } };
    const device = this.#device(instanceId);
    const results = checked.value.events.map((event) => {
      const held = this.#byId.get(event.id);
      if (held) {
        const same = held.hash === event.hash && held.instanceId === instanceId && held.seq === event.seq;
        if (same) this.duplicates += 1;
        return same
          ? { id: event.id, status: "duplicate" as const }
          : { id: event.id, status: "conflict" as const, reason: "this event id is held with different content" };
      }
      const atSeq = device.bySeq.get(event.seq);
      if (atSeq)
        return {
          id: event.id,
          status: "conflict" as const,
          reason: `seq ${event.seq} of ${instanceId} is held by event ${atSeq.id}`,
        };
      const actual = sha256Hex(canonicalJson(event.payload));
      const reason = actual !== event.hash ? "the hash does not match the payload" : this.rejectIf?.(event);
      const stored: HeldEvent = {
        id: event.id,
        instanceId,
        seq: event.seq,
        prevSeq: event.prev_seq,
        type: event.type,
        hash: event.hash,
        ...(this.#keepPayloads ? { payload: event.payload } : {}),
        status: reason ? "rejected" : "created",
      };
      this.#byId.set(event.id, stored);
      device.bySeq.set(event.seq, stored);
      device.byPrev.set(event.prev_seq, event.seq);
      if (reason) return { id: event.id, status: "rejected" as const, reason };
      this.created += 1;
      this.firstCreatedAt ??= this.now();
      if (event.seq < (this.#lastSeq.get(instanceId) ?? 0)) this.outOfOrder += 1;
      else this.#lastSeq.set(instanceId, event.seq);
      this.#fold(instanceId, event);
      return { id: event.id, status: "created" as const };
    });
    this.#advance(device);
    return { status: 200, body: { results, acked_through_seq: device.chainEnd } };
  }

  #device(instanceId: string): DeviceLog {
    let device = this.#devices.get(instanceId);
    if (!device) {
      device = { bySeq: new Map(), byPrev: new Map(), chainEnd: 0 };
      this.#devices.set(instanceId, device);
    }
    return device;
  }

  #advance(device: DeviceLog): void {
    for (let guard = 0; guard < 10_000_000; guard += 1) {
      const next = device.byPrev.get(device.chainEnd);
      if (next === undefined || !device.bySeq.has(next)) return;
      device.chainEnd = next;
    }
  }

  #fold(instanceId: string, event: WireEvent): void {
    if (event.type === "order.placed") {
      const snapshot = event.payload.order as Record<string, unknown>;
      const id = String(snapshot.id);
      this.createdPlaced.set(id, (this.createdPlaced.get(id) ?? 0) + 1);
      if (!this.#orders.has(id)) this.#orderList.push(id);
      this.#orders.set(id, {
        id,
        instance_id: instanceId,
        seq: event.seq,
        snapshot: this.#keepPayloads ? snapshot : { id },
        snapshot_hash: sha256Hex(canonicalJson(snapshot)),
        status: typeof event.payload.status === "string" ? event.payload.status : "pending",
        business_date: typeof snapshot.businessDate === "string" ? snapshot.businessDate : "",
      });
    } else if (event.type === "order.status_changed" && event.aggregate_id) {
      const order = this.#orders.get(event.aggregate_id);
      if (order) order.status = String(event.payload.to);
    }
  }

  #manifest(instanceId: string, query: URLSearchParams): FakeResponse {
    const from = Number(query.get("from_seq"));
    const to = Number(query.get("to_seq"));
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from || to - from >= MANIFEST_MAX_SPAN)
      return { status: 400, body: { error: "bad range" } };
    const device = this.#devices.get(instanceId);
    const events = [];
    for (let seq = from; seq <= to && device; seq += 1) {
      const held = device.bySeq.get(seq);
      if (held) events.push({ seq, id: held.id, hash: held.hash });
    }
    return { status: 200, body: { events } };
  }

  #storeOrders(query: URLSearchParams): FakeResponse {
    const start = Number(query.get("cursor") ?? 0);
    const limit = Math.min(Number(query.get("limit") ?? 100), 500);
    const ids = this.#orderList.slice(start, start + limit);
    const next = start + ids.length < this.#orderList.length ? String(start + ids.length) : null;
    return { status: 200, body: { orders: ids.flatMap((id) => this.#orders.get(id) ?? []), next_cursor: next } };
  }

  // ---- what tests look at and do ----

  /** Order ids the server holds, in the order it received them. */
  orderIds(): string[] {
    return this.#orderList.filter((id) => this.#orders.has(id));
  }

  order(id: string): StoreOrder | undefined {
    return this.#orders.get(id);
  }

  eventIds(): string[] {
    return [...this.#byId.keys()];
  }

  holds(eventId: string): boolean {
    return this.#byId.has(eventId);
  }

  /** Seqs of one device instance's held events, ascending. */
  seqsOf(instanceId: string): number[] {
    return [...(this.#devices.get(instanceId)?.bySeq.keys() ?? [])].sort((a, b) => a - b);
  }

  instances(): string[] {
    return [...this.#devices.keys()];
  }

  chainEnd(instanceId: string): number {
    return this.#devices.get(instanceId)?.chainEnd ?? 0;
  }

  /** The server "loses" an event (and, for order.placed, the order). */
  deleteEvent(eventId: string): void {
    const held = this.#byId.get(eventId);
    if (!held) return;
    this.#byId.delete(eventId);
    const device = this.#device(held.instanceId);
    device.bySeq.delete(held.seq);
    device.byPrev.delete(held.prevSeq);
    if (held.type === "order.placed" && held.payload) this.#orders.delete((held.payload.order as { id: string }).id);
    device.chainEnd = 0;
    this.#advance(device);
  }

  /** The order.placed event id of an order the server holds. */
  placedEventOf(orderId: string): string | undefined {
    const order = this.#orders.get(orderId);
    return order ? this.#devices.get(order.instance_id)?.bySeq.get(order.seq)?.id : undefined;
  }

  /** The server holds different content for an event (its hash changes). */
  alterEvent(eventId: string): void {
    const held = this.#byId.get(eventId);
    if (held) held.hash = sha256Hex(`altered:${held.hash}`);
  }

  /** An order another device instance of the store sent (the import direction). */
  seedOrder(order: StoreOrder): void {
    if (!this.#orders.has(order.id)) this.#orderList.push(order.id);
    this.#orders.set(order.id, order);
  }
}
