/** Deterministic keys within provider limits, and a Square order body the fake would accept. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { testConfig } from "../../../appliance/config/load.ts";
import { silentLogger } from "../../../appliance/lib/logger.ts";
import { SquareAdapter } from "../../../appliance/sync/adapters/square.ts";
import {
  cut,
  METADATA_KEY,
  SQUARE_LIMITS,
  majorUnits,
  squareMetadata,
  squareOrderKey,
  squarePaymentKey,
  squareReferenceId,
  squareTicketName,
  zohoSalesOrderNumber,
} from "../../../appliance/sync/keys.ts";
import type { WorkItem } from "../../../appliance/sync/types.ts";

describe("idempotency keys and field limits", () => {
  it("keys are pure functions of stored ids and fit Square's limits", () => {
    const id = randomUUID();
    assert.equal(squareOrderKey(id), squareOrderKey(id));
    assert.equal(squareOrderKey(id).length, 40);
    assert.ok(squareOrderKey(id).length <= SQUARE_LIMITS.orderKey);
    assert.equal(squarePaymentKey(id).length, 40);
    assert.ok(squarePaymentKey(id).length <= SQUARE_LIMITS.paymentKey);
    assert.equal(squareReferenceId(id), id);
    assert.throws(() => squareReferenceId("x".repeat(41)), /limit is 40/);
    assert.equal(zohoSalesOrderNumber("GL-", "ORD-20261125-7QK2MD"), "GL-ORD-20261125-7QK2MD");
  });

  it("ticket names and metadata values are cut by code point, at most 10 metadata entries", () => {
    assert.equal(squareTicketName(42), "#42");
    assert.equal(squareTicketName(42, "Sam"), "#42 Sam");
    assert.equal(Array.from(squareTicketName(7, "Ä".repeat(50))).length, 30);
    assert.equal(cut("🍔🍟🥤", 2), "🍔🍟");
    const meta = squareMetadata(Array.from({ length: 14 }, (_, i) => [`k_${i}`, "v".repeat(300)] as const));
    assert.equal(Object.keys(meta).length, 10);
    assert.ok(Object.values(meta).every((v) => v.length === 255));
    assert.ok(Object.keys(meta).every((k) => METADATA_KEY.test(k)));
    assert.throws(() => squareMetadata([["bad key!", "x"]]), /Square's rules/);
    assert.deepEqual(
      squareMetadata([
        ["a", undefined],
        ["b", 3],
      ]),
      { b: "3" },
    );
  });

  it("major units follow the currency's digits", () => {
    assert.equal(majorUnits(1_250, "EUR"), 12.5);
    assert.equal(majorUnits(1_250, "JPY"), 1_250);
    assert.equal(majorUnits(1_250, "BHD"), 1.25);
  });

  it("a Square CreateOrder body keeps every field within the spec's limits", () => {
    const config = testConfig({ dataDir: "/tmp/unused" });
    const adapter = new SquareAdapter({
      journal: undefined as never,
      config,
      clock: { now: () => 0 },
      log: silentLogger(),
      http: undefined as never,
      session: undefined as never,
      settings: () => ({ locationId: "L1", itemMapping: { fries: "CAT-1" } }),
    });
    const orderId = randomUUID();
    const line = (id: string, menuItemId: string, name: string) => ({
      id,
      menuItemId,
      kind: "item" as const,
      name: { en: name },
      quantity: 2,
      unitPrice: 450,
      total: 900,
      taxClass: "food",
      options: [{ group: "g", option: "o", name: { en: "Extra" }, price: 50 }],
      components: [],
      note: "n".repeat(3_000),
    });
    const work: WorkItem = {
      item: {
        id: 1,
        eventSeq: 9,
        eventId: "e",
        target: "square",
        operation: "create_order",
        orderId,
        dependsOn: null,
        idempotencyKey: squareOrderKey(orderId),
        state: "sending",
        attempted: true,
        attempts: 1,
        outcomeUnknown: false,
        createdAtMs: 0,
        firstAttemptAtMs: 0,
        lastAttemptAtMs: 0,
        nextAttemptAtMs: 0,
        remoteId: null,
        remoteVersion: null,
        importRequested: false,
      },
      event: {
        seq: 9,
        id: "e",
        instanceId: "instance-1",
        type: "order.placed",
        aggregateId: orderId,
        actor: { kind: "device", id: "d", name: "kiosk" },
        hash: "h",
        createdAt: "2026-11-25T12:00:00Z",
        payload: {
          order: {
            id: orderId,
            ref: "ORD-1",
            number: 42,
            businessDate: "2026-11-25",
            channel: "kiosk",
            pickupName: "A very long pickup name for a ticket",
            lines: [line(randomUUID(), "burger", "B".repeat(600)), line(randomUUID(), "fries", "Fries")],
            totals: {
              currency: "EUR",
              taxIncluded: false,
              subtotal: 1_800,
              tax: 126,
              total: 1_926,
              taxes: [{ taxClass: "food", rateBasisPoints: 700, net: 1_800, amount: 126 }],
            },
            placedBy: { kind: "device", id: "d", name: "k" },
            createdAt: "2026-11-25T12:00:00Z",
          },
          status: "pending",
        },
      },
      dependencyRemoteId: null,
      prevSeq: 0,
    };
    const body = adapter.orderBody(work) as {
      idempotency_key: string;
      order: {
        reference_id: string;
        ticket_name: string;
        metadata: Record<string, string>;
        line_items: {
          name?: string;
          catalog_object_id?: string;
          note?: string;
          quantity: string;
          applied_taxes?: unknown[];
        }[];
        taxes: { percentage: string; type: string }[];
      };
    };
    assert.equal(body.idempotency_key, `ord-${orderId}`);
    assert.ok(body.order.reference_id.length <= 40);
    assert.ok(Array.from(body.order.ticket_name).length <= 30);
    assert.ok(Object.keys(body.order.metadata).length <= 10);
    assert.equal(Array.from(body.order.line_items[0]?.name ?? "").length, 512);
    assert.equal(body.order.line_items[1]?.catalog_object_id, "CAT-1");
    assert.ok(
      body.order.line_items.every(
        (l) => Array.from(l.note ?? "").length <= 2_000 && l.quantity === "2" && l.applied_taxes?.length === 1,
      ),
    );
    assert.deepEqual(
      body.order.taxes.map((t) => [t.percentage, t.type]),
      [["7", "ADDITIVE"]],
    );
  });
});
