/** The pickup board: preparing / ready, the highlight of a number that just turned ready, clearing. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PickupBoard } from "../../../ui/src/data/board.ts";
import { order } from "./support/orders.ts";

const T0 = Date.parse("2026-11-25T12:00:00.000Z");

describe("pickup board", () => {
  it("shows preparing oldest first and ready newest first", () => {
    const board = new PickupBoard({ clearAfterMs: 600_000, highlightMs: 20_000 });
    board.applySnapshot([
      order({ id: "b", number: 12, seq: 9, status: "in_progress" }),
      order({ id: "a", number: 11, seq: 20, status: "in_queue" }),
      order({ id: "c", number: 13, seq: 3, status: "ready", updatedAt: "2026-11-25T12:00:10.000Z" }),
      order({ id: "d", number: 14, seq: 4, status: "ready", updatedAt: "2026-11-25T12:00:20.000Z" }),
    ]);
    const view = board.view(T0 + 30_000);
    assert.deepEqual(
      view.preparing.map((e) => e.number),
      [11, 12],
    );
    assert.deepEqual(
      view.ready.map((e) => e.number),
      [14, 13],
    );
    assert.ok(
      view.ready.every((e) => !board.isHighlighted(e, 0)),
      "a (re)load highlights nothing",
    );
  });

  it("highlights (and reports for the chime) a number that turns ready while it watches, once", () => {
    const board = new PickupBoard({ clearAfterMs: 600_000, highlightMs: 20_000 });
    board.applySnapshot([order({ id: "a", number: 11, seq: 1, status: "in_progress" })]);
    assert.equal(
      board.applyOrder(
        order({ id: "a", number: 11, seq: 2, status: "ready", updatedAt: "2026-11-25T12:01:00.000Z" }),
        1_000,
      ),
      true,
    );
    assert.equal(
      board.applyOrder(order({ id: "a", number: 11, seq: 2, status: "ready" }), 2_000),
      false,
      "the same seq again",
    );
    assert.equal(
      board.applyOrder(order({ id: "a", number: 11, seq: 3, status: "ready", doneMarks: ["x"] }), 3_000),
      false,
      "a later event while ready",
    );
    const entry = board.view(T0 + 61_000).ready[0]!;
    assert.equal(board.isHighlighted(entry, 20_999), true);
    assert.equal(board.isHighlighted(entry, 21_000), false);
  });

  it("clears a ready number when completed, or after the configured minutes", () => {
    const board = new PickupBoard({ clearAfterMs: 5 * 60_000, highlightMs: 0 });
    board.applySnapshot([
      order({ id: "a", number: 11, seq: 1, status: "ready", updatedAt: "2026-11-25T12:00:00.000Z" }),
      order({ id: "b", number: 12, seq: 2, status: "ready", updatedAt: "2026-11-25T12:04:00.000Z" }),
    ]);
    assert.deepEqual(
      board.view(T0 + 4 * 60_000).ready.map((e) => e.number),
      [12, 11],
    );
    assert.deepEqual(
      board.view(T0 + 5 * 60_000).ready.map((e) => e.number),
      [12],
    );
    board.applyOrder(order({ id: "b", number: 12, seq: 3, status: "completed" }), 0);
    assert.deepEqual(
      board.view(T0 + 5 * 60_000).ready.map((e) => e.number),
      [],
    );
    board.applyOrder(order({ id: "c", number: 13, seq: 4, status: "cancelled" }), 0);
    assert.deepEqual(board.view(T0).preparing, []);
  });
});
