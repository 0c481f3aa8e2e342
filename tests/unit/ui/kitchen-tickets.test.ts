/** The kitchen display's ticket store: columns, stale deltas, cancelled linger, all-day counts, station view. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isTicketDone, KitchenTickets, stationView } from "../../../ui/src/data/kitchen-tickets.ts";
import { comboLine, itemLine, order } from "./support/orders.ts";

describe("kitchen tickets", () => {
  it("sorts tickets into New / Cooking / Ready, oldest first", () => {
    const tickets = new KitchenTickets({ cancelLingerMs: 1_000 });
    tickets.applySnapshot([
      order({ id: "c", number: 3, seq: 30, status: "in_progress" }),
      order({ id: "b", number: 2, seq: 20 }),
      order({ id: "a", number: 1, seq: 10 }),
      order({ id: "d", number: 4, seq: 40, status: "ready" }),
      order({ id: "p", number: 5, seq: 50, status: "pending" }),
    ]);
    const columns = tickets.columns();
    assert.deepEqual(
      columns.new.map((t) => t.order.id),
      ["a", "b", "p"],
    );
    assert.deepEqual(
      columns.cooking.map((t) => t.order.id),
      ["c"],
    );
    assert.deepEqual(
      columns.ready.map((t) => t.order.id),
      ["d"],
    );
    assert.deepEqual(
      tickets.ordered().map((t) => t.order.number),
      [1, 2, 5, 3, 4],
    );
  });

  it("applies newer versions of an order and ignores older or equal ones", () => {
    const tickets = new KitchenTickets({ cancelLingerMs: 1_000 });
    assert.equal(tickets.applyOrder(order({ id: "a", number: 1, seq: 10 })), "added");
    assert.equal(tickets.applyOrder(order({ id: "a", number: 1, seq: 12, status: "in_progress" })), "updated");
    assert.equal(tickets.applyOrder(order({ id: "a", number: 1, seq: 11, status: "in_queue" })), "ignored");
    assert.equal(tickets.applyOrder(order({ id: "a", number: 1, seq: 12, status: "in_queue" })), "ignored");
    assert.equal(tickets.get("a")?.order.status, "in_progress");
    const version = tickets.version;
    assert.equal(tickets.applyOrder(order({ id: "a", number: 1, seq: 13, status: "completed" })), "removed");
    assert.ok(tickets.version > version);
    assert.equal(tickets.size, 0);
    assert.equal(tickets.applyOrder(order({ id: "z", number: 9, seq: 14, status: "completed" })), "ignored");
  });

  it("keeps a cancelled ticket struck through in its column until its time is up", () => {
    let now = 1_000;
    const tickets = new KitchenTickets({ cancelLingerMs: 5_000, now: () => now });
    tickets.applyOrder(order({ id: "a", number: 1, seq: 10, status: "in_progress" }));
    assert.equal(tickets.applyOrder(order({ id: "a", number: 1, seq: 11, status: "cancelled" })), "updated");
    const ticket = tickets.get("a");
    assert.equal(ticket?.cancelledAt, 1_000);
    assert.equal(ticket.column, "cooking");
    now = 5_999;
    assert.equal(tickets.sweep(), false);
    now = 6_000;
    assert.equal(tickets.sweep(), true);
    assert.equal(tickets.size, 0);
  });

  it("counts what is still to make: not ready, not cancelled, not marked done; combos by component", () => {
    const tickets = new KitchenTickets({ cancelLingerMs: 1_000 });
    const meal = comboLine("m1", 2, [
      { slot: "main", item: "classic-burger", station: "grill" },
      { slot: "side", item: "fries", station: "fryer" },
    ]);
    tickets.applySnapshot([
      order({
        id: "a",
        number: 1,
        seq: 1,
        lines: [itemLine("a1", "classic-burger", 3), itemLine("a2", "fries", 1, "fryer")],
      }),
      order({ id: "b", number: 2, seq: 2, status: "in_progress", lines: [meal], doneMarks: ["m1/side"] }),
      order({ id: "c", number: 3, seq: 3, status: "ready", lines: [itemLine("c1", "classic-burger", 5)] }),
      order({ id: "d", number: 4, seq: 4, lines: [itemLine("d1", "fries", 4, "fryer")], doneMarks: ["d1"] }),
    ]);
    assert.deepEqual(
      tickets.allDay().map((c) => [c.itemId, c.count]),
      [
        ["classic-burger", 5],
        ["fries", 1],
      ],
    );
    tickets.applyOrder(
      order({
        id: "a",
        number: 1,
        seq: 5,
        status: "cancelled",
        lines: [itemLine("a1", "classic-burger", 3), itemLine("a2", "fries", 1, "fryer")],
      }),
    );
    assert.deepEqual(
      tickets.allDay().map((c) => [c.itemId, c.count]),
      [["classic-burger", 2]],
    );
  });

  it("knows when every line of a ticket is done (a combo by all its components)", () => {
    const meal = comboLine("m1", 1, [
      { slot: "main", item: "classic-burger", station: "grill" },
      { slot: "side", item: "fries", station: "fryer" },
    ]);
    assert.equal(isTicketDone(order({ id: "a", number: 1, seq: 1, lines: [meal], doneMarks: ["m1/main"] })), false);
    assert.equal(
      isTicketDone(order({ id: "a", number: 1, seq: 1, lines: [meal], doneMarks: ["m1/main", "m1/side"] })),
      true,
    );
    assert.equal(isTicketDone(order({ id: "a", number: 1, seq: 1, lines: [meal], doneMarks: ["m1"] })), true);
  });

  it("filters an order to one station's lines like galleyd's kitchen topic", () => {
    const meal = comboLine("m1", 1, [
      { slot: "main", item: "classic-burger", station: "grill" },
      { slot: "side", item: "fries", station: "fryer" },
    ]);
    const full = order({ id: "a", number: 1, seq: 1, lines: [itemLine("a1", "cola", 1, "bar"), meal] });
    const fryer = stationView(full, "fryer");
    assert.deepEqual(
      fryer?.lines.map((l) => [l.id, l.components.map((c) => c.slot)]),
      [["m1", ["side"]]],
    );
    assert.equal(stationView(full, "cold"), undefined);
    assert.equal(stationView(full, undefined), full);
  });
});
