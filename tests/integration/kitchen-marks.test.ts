import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { OrderView } from "../../protocol/schemas/orders.ts";
import type { ServerMessage } from "../../protocol/schemas/push.ts";

let t: TestApp;
let kiosk: string;
let kitchen: string;

before(async () => {
  t = await startTestApp();
  kiosk = await t.tokenFor("kiosk");
  kitchen = await t.tokenFor("kitchen");
});
after(() => t.stop());

type Err = { error: { code: string } };

describe("kitchen item marks", () => {
  it("marks a line and one combo component done, shows them to every kitchen screen, and replays them", async () => {
    const watcher = await t.socket(kitchen);
    watcher.send({ type: "subscribe", topic: "kitchen" });
    const ready = await watcher.waitFor((m) => m.type === "ready");
    const since = ready.type === "ready" ? ready.seq : 0;

    const order = (
      await t.placeOrder(kiosk, [
        { menuItemId: "cola", quantity: 1 },
        { menuItemId: "meal", quantity: 1, slots: [{ slot: "drink", item: "shake" }] },
      ])
    ).body;
    const [cola, meal] = order.lines;
    assert.ok(cola && meal);
    const first = await t.api<OrderView>("POST", `/api/orders/${order.id}/marks`, {
      token: kitchen,
      body: { mark: cola.id, done: true },
    });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.doneMarks, [cola.id]);
    const second = await t.api<OrderView>("POST", `/api/orders/${order.id}/marks`, {
      token: kitchen,
      body: { mark: `${meal.id}/drink`, done: true },
    });
    assert.deepEqual(second.body.doneMarks, [cola.id, `${meal.id}/drink`].sort());
    const undone = await t.api<OrderView>("POST", `/api/orders/${order.id}/marks`, {
      token: kitchen,
      body: { mark: cola.id, done: false },
    });
    assert.deepEqual(undone.body.doneMarks, [`${meal.id}/drink`]);

    const isMark = (m: ServerMessage) =>
      m.type === "delta" &&
      m.data.kind === "order" &&
      m.data.event === "order.line_marked" &&
      m.data.order.id === order.id;
    await watcher.waitFor(
      (m) =>
        isMark(m) &&
        m.type === "delta" &&
        m.data.kind === "order" &&
        m.data.order.doneMarks.length === 1 &&
        m.data.order.doneMarks[0] === `${meal.id}/drink`,
    );
    const live = watcher.messages.filter((m) => m.type === "delta");

    const resumed = await t.socket(kitchen);
    resumed.send({ type: "subscribe", topic: "kitchen", since });
    await resumed.waitFor((m) => m.type === "ready");
    assert.equal(
      JSON.stringify(resumed.messages.filter((m) => m.type === "delta")),
      JSON.stringify(live),
      "marks replay exactly as they were pushed",
    );
    watcher.terminate();
    resumed.terminate();

    const queue = await t.api<{ orders: OrderView[] }>("GET", "/api/orders/queue", { token: kitchen });
    assert.deepEqual(queue.body.orders.find((o) => o.id === order.id)?.doneMarks, [`${meal.id}/drink`]);
  });

  it("refuses unknown marks and marks on orders that left the kitchen", async () => {
    const order = (await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body;
    const unknown = await t.api<Err>("POST", `/api/orders/${order.id}/marks`, {
      token: kitchen,
      body: { mark: `${order.lines[0]!.id}/drink`, done: true },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "line_not_found");
    const cashier = await t.tokenFor("cashier");
    await t.api("PATCH", `/api/orders/${order.id}/status`, { token: cashier, body: { status: "cancelled" } });
    const late = await t.api<Err>("POST", `/api/orders/${order.id}/marks`, {
      token: kitchen,
      body: { mark: order.lines[0]!.id, done: true },
    });
    assert.equal(late.status, 409);
    const kioskTry = await t.api<Err>("POST", `/api/orders/${order.id}/marks`, {
      token: kiosk,
      body: { mark: order.lines[0]!.id, done: true },
    });
    assert.equal(kioskTry.status, 403);
  });
});
