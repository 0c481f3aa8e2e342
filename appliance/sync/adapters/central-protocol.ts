/**
 * The device → central server protocol (docs/architecture.md#targets), one schema for the adapter
 * and for the fake server in tests/fakes. All paths are under the configured base URL; every
 * request carries `Authorization: Bearer <device token>`.
 *
 * - `POST /v1/devices/{instance}/events:batch` — up to 100 events of one device instance in seq
 *   order. Each carries `prev_seq`, the seq of the previous event of this instance's central
 *   stream (0 for the first), so the server can tell a gap from events that are simply not synced
 *   (kitchen marks, menu edits). The server stores events under UNIQUE(event id) and
 *   UNIQUE(instance, seq) and answers per event: `created`, `duplicate` (same id, same hash),
 *   `conflict` (same id or seq, different hash) or `rejected` (stored as rejected, acknowledged).
 *   `acked_through_seq` is the last seq of the unbroken `prev_seq` chain it holds.
 * - `GET /v1/devices/{instance}/manifest?from_seq=&to_seq=` — `{seq, id, hash}` of the events it
 *   holds in [from_seq, to_seq] (at most 1000 seqs per request): verification compares them.
 * - `GET /v1/stores/{store}/orders?cursor=&limit=` — the store's orders, folded from every device
 *   instance's events, in the order the server received them; `next_cursor` is opaque and null at
 *   the end. The import of orders the journal lacks (after a restore) pages through it.
 */
import { Type, type Static } from "typebox";

export const MANIFEST_MAX_SPAN = 1_000;

export const WireEvent = Type.Object({
  id: Type.String({ minLength: 1 }),
  seq: Type.Integer({ minimum: 1 }),
  prev_seq: Type.Integer({ minimum: 0 }),
  type: Type.String(),
  aggregate_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  /** SHA-256 of the canonical JSON of payload. */
  hash: Type.String({ pattern: "^[0-9a-f]{64}$" }),
});
export type WireEvent = Static<typeof WireEvent>;

export const BatchRequest = Type.Object({
  device: Type.Object({ instance_id: Type.String({ minLength: 1 }), store_id: Type.String() }),
  events: Type.Array(WireEvent, { minItems: 1, maxItems: 100 }),
});
export type BatchRequest = Static<typeof BatchRequest>;

export const EventResult = Type.Object({
  id: Type.String(),
  status: Type.Enum(["created", "duplicate", "rejected", "conflict"]),
  reason: Type.Optional(Type.String()),
});
export type EventResult = Static<typeof EventResult>;

export const BatchResponse = Type.Object({
  results: Type.Array(EventResult),
  acked_through_seq: Type.Integer({ minimum: 0 }),
});
export type BatchResponse = Static<typeof BatchResponse>;

export const ManifestResponse = Type.Object({
  events: Type.Array(Type.Object({ seq: Type.Integer(), id: Type.String(), hash: Type.String() })),
});
export type ManifestResponse = Static<typeof ManifestResponse>;

export const StoreOrder = Type.Object({
  id: Type.String({ format: "uuid" }),
  instance_id: Type.String(),
  seq: Type.Integer(),
  /** The order.placed snapshot, as the placing device hashed it. */
  snapshot: Type.Record(Type.String(), Type.Unknown()),
  snapshot_hash: Type.String(),
  status: Type.String(),
  business_date: Type.String(),
});
export type StoreOrder = Static<typeof StoreOrder>;

export const StoreOrdersResponse = Type.Object({
  orders: Type.Array(StoreOrder),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export type StoreOrdersResponse = Static<typeof StoreOrdersResponse>;
