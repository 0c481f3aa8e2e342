/** Kiosk idle countdown, kitchen key mapping and selection, undo and recall. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  commandForKey,
  moveSelection,
  selectByIndex,
  type ColumnLayout,
} from "../../../ui/src/controllers/bump-keys.ts";
import { IdleCountdown } from "../../../ui/src/controllers/idle-countdown.ts";
import { backStep, KitchenHistory } from "../../../ui/src/controllers/kitchen-history.ts";
import type { OrderStatus } from "../../../protocol/schemas/index.ts";

describe("idle countdown", () => {
  it("warns for the last seconds, then expires; a touch starts over; paused never expires", () => {
    const idle = new IdleCountdown(60_000, 15_000, 0);
    assert.deepEqual(idle.status(44_999), { phase: "active", secondsLeft: 16 });
    assert.deepEqual(idle.status(45_000), { phase: "warning", secondsLeft: 15 });
    assert.deepEqual(idle.status(59_001), { phase: "warning", secondsLeft: 1 });
    assert.deepEqual(idle.status(60_000), { phase: "expired", secondsLeft: 0 });
    idle.touch(59_000);
    assert.equal(idle.status(60_000).phase, "active");
    idle.paused = true;
    assert.equal(idle.status(1_000_000).phase, "active");
    assert.equal(new IdleCountdown(5_000, 30_000, 0).warnMs, 5_000, "the warning is never longer than the timeout");
  });
});

describe("kitchen keys", () => {
  it("maps number keys, arrows, Enter, R, U and S; ignores modified keys", () => {
    assert.deepEqual(commandForKey({ key: "3" }), { kind: "select", index: 2 });
    assert.deepEqual(commandForKey({ key: "ArrowRight" }), { kind: "move", direction: "right" });
    assert.deepEqual(commandForKey({ key: "Enter" }), { kind: "bump" });
    assert.deepEqual(commandForKey({ key: "r" }), { kind: "recall" });
    assert.deepEqual(commandForKey({ key: "Backspace" }), { kind: "undo" });
    assert.deepEqual(commandForKey({ key: "S" }), { kind: "sound" });
    assert.equal(commandForKey({ key: "0" }), undefined);
    assert.equal(commandForKey({ key: "r", ctrlKey: true }), undefined);
  });

  const layout: ColumnLayout = { new: ["a", "b", "c"], cooking: ["d"], ready: ["e", "f"] };

  it("moves within and across columns, keeping the row where it can", () => {
    assert.equal(moveSelection(layout, undefined, "down"), "a");
    assert.equal(moveSelection(layout, "a", "down"), "b");
    assert.equal(moveSelection(layout, "c", "down"), "c");
    assert.equal(moveSelection(layout, "b", "up"), "a");
    assert.equal(moveSelection(layout, "c", "right"), "d");
    assert.equal(moveSelection(layout, "d", "right"), "e");
    assert.equal(moveSelection(layout, "f", "left"), "d");
    assert.equal(moveSelection({ new: ["a"], cooking: [], ready: ["e"] }, "a", "right"), "e", "skips an empty column");
    assert.equal(moveSelection(layout, "e", "right"), "e");
    assert.equal(moveSelection(layout, "d", "last"), "f");
    assert.equal(moveSelection({ new: [], cooking: [], ready: [] }, "x", "down"), undefined);
    assert.equal(selectByIndex(layout, 3), "d");
    assert.equal(selectByIndex(layout, 9), undefined);
  });
});

describe("kitchen undo and recall", () => {
  const view = (status: OrderStatus, next: OrderStatus[]) => ({ status, next });

  it("undoes a bump by moving back when the state machine allows it", () => {
    const history = new KitchenHistory();
    history.record({ kind: "bump", orderId: "a", number: 7, from: "in_progress", to: "ready" });
    assert.deepEqual(
      history.undo(() => view("ready", ["completed", "in_progress", "cancelled"])),
      { kind: "status", orderId: "a", number: 7, status: "in_progress" },
    );
    assert.deepEqual(
      history.undo(() => undefined),
      { kind: "nothing" },
    );
  });

  it("cannot undo a hand-over (completed is final for kiosk orders) and says so", () => {
    const history = new KitchenHistory();
    history.record({ kind: "bump", orderId: "a", number: 7, from: "ready", to: "completed" });
    assert.deepEqual(
      history.undo(() => undefined),
      { kind: "impossible", number: 7 },
    );
  });

  it("undoes an item mark by flipping it", () => {
    const history = new KitchenHistory();
    history.record({ kind: "mark", orderId: "a", number: 7, mark: "l1", done: true });
    assert.deepEqual(
      history.undo(() => undefined),
      { kind: "mark", orderId: "a", number: 7, mark: "l1", done: false },
    );
  });

  it("recalls the last bumped ticket one step back, then the one before", () => {
    const history = new KitchenHistory();
    history.record({ kind: "bump", orderId: "a", number: 1, from: "in_queue", to: "in_progress" });
    history.record({ kind: "mark", orderId: "b", number: 2, mark: "x", done: true });
    history.record({ kind: "bump", orderId: "b", number: 2, from: "in_progress", to: "ready" });
    const find = (id: string) =>
      id === "a"
        ? view("in_progress", ["ready", "in_queue", "cancelled"])
        : view("ready", ["completed", "in_progress", "cancelled"]);
    assert.deepEqual(history.recall(find), { kind: "status", orderId: "b", number: 2, status: "in_progress" });
    assert.deepEqual(history.recall(find), { kind: "status", orderId: "a", number: 1, status: "in_queue" });
    assert.deepEqual(history.recall(find), { kind: "nothing" });
    assert.equal(backStep(view("in_queue", ["in_progress", "cancelled"])), undefined);
  });
});
