import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { allowedNext, checkTransition, isTerminal, permissionFor } from "../../../../appliance/domain/order-status.ts";
import { ORDER_STATUSES, type OrderStatus } from "../../../../protocol/schemas/common.ts";

const kiosk = { terminalStatuses: ["completed", "cancelled", "refunded"] as OrderStatus[] };
const counter = { terminalStatuses: ["cancelled", "refunded"] as OrderStatus[] };

describe("order state machine", () => {
  it("walks the forward path pending → … → refunded where completed is not terminal", () => {
    const path: OrderStatus[] = ["pending", "in_queue", "in_progress", "ready", "completed", "refunded"];
    for (let i = 0; i < path.length - 1; i += 1) {
      assert.deepEqual(checkTransition(path[i]!, path[i + 1]!, counter), { ok: true }, `${path[i]} → ${path[i + 1]}`);
    }
  });

  it("allows cancel from every non-terminal state and nothing out of a terminal one", () => {
    for (const status of ORDER_STATUSES) {
      const next = allowedNext(status, kiosk);
      if (isTerminal(status, kiosk)) assert.deepEqual(next, [], status);
      else assert.ok(next.includes("cancelled"), `${status} can be cancelled`);
    }
    assert.deepEqual(allowedNext("completed", kiosk), []);
    assert.deepEqual(allowedNext("completed", counter), ["refunded", "cancelled"]);
  });

  it("treats refunded and cancelled as terminal whatever the channel says", () => {
    const odd = { terminalStatuses: ["completed"] as OrderStatus[] };
    assert.deepEqual(allowedNext("refunded", odd), []);
    assert.deepEqual(allowedNext("cancelled", odd), []);
  });

  it("offers one step back from in_progress and ready (the kitchen's recall)", () => {
    assert.deepEqual(allowedNext("ready", kiosk), ["completed", "in_progress", "cancelled"]);
    assert.deepEqual(allowedNext("in_progress", kiosk), ["ready", "in_queue", "cancelled"]);
    assert.deepEqual(allowedNext("in_queue", kiosk), ["in_progress", "cancelled"]);
  });

  it("names the allowed next states when refusing", () => {
    assert.deepEqual(checkTransition("in_queue", "completed", kiosk), {
      ok: false,
      allowed: ["in_progress", "cancelled"],
    });
    assert.deepEqual(checkTransition("completed", "refunded", kiosk), { ok: false, allowed: [] });
  });

  it("maps each target state to the permission it needs", () => {
    assert.equal(permissionFor("cancelled"), "orders:cancel");
    assert.equal(permissionFor("refunded"), "orders:refund");
    assert.equal(permissionFor("ready"), "orders:progress");
  });
});
