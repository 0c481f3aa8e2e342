import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { OrderDetail, OrderView } from "../../protocol/schemas/orders.ts";

let t: TestApp;
let kiosk: string;
let kitchen: string;

before(async () => {
  t = await startTestApp();
  kiosk = await t.tokenFor("kiosk");
  kitchen = await t.tokenFor("kitchen");
});
after(() => t.stop());

const burgerWithCheese = {
  menuItemId: "burger",
  quantity: 2,
  options: [
    { group: "doneness", option: "medium" },
    { group: "extras", option: "cheese" },
  ],
};

describe("placing orders", () => {
  it("prices on the appliance, numbers the order and queues it for the kitchen", async () => {
    const res = await t.placeOrder(kiosk, [burgerWithCheese, { menuItemId: "cola", quantity: 1 }]);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const order = res.body as OrderView;
    assert.equal(order.lines[0]?.unitPrice, 1_000);
    assert.equal(order.totals.subtotal, 2_000 + 300);
    assert.equal(order.totals.total, 2_300);
    assert.equal(order.totals.tax, 131 + 48);
    assert.equal(order.status, "in_queue");
    assert.equal(order.channel, "kiosk");
    assert.match(order.ref, /^ORD-\d{8}-[0-9A-Z]{6}$/);
    assert.ok(order.number >= 1);
    assert.deepEqual(order.next, ["in_progress", "cancelled"]);
    assert.equal(order.placedBy.role, "kiosk");
  });

  it("gives consecutive short numbers", async () => {
    const a = (await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body as OrderView;
    const b = (await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body as OrderView;
    assert.equal(b.number, a.number + 1);
    assert.notEqual(a.ref, b.ref);
  });

  it("ignores nothing silently: a client-sent price is an unknown key and nothing is written", async () => {
    const before = (await t.api<{ orders: OrderView[] }>("GET", "/api/orders/mine", { token: kiosk })).body.orders
      .length;
    const res = await t.api("POST", "/api/orders", {
      token: kiosk,
      body: { id: randomUUID(), items: [{ menuItemId: "fries", quantity: 1, price: 1 }] },
    });
    assert.equal(res.status, 400);
    assert.equal((res.body as { error: { code: string } }).error.code, "validation_failed");
    assert.match(JSON.stringify(res.body), /items\[0\]\.price: unknown key/);
    const afterCount = (await t.api<{ orders: OrderView[] }>("GET", "/api/orders/mine", { token: kiosk })).body.orders
      .length;
    assert.equal(afterCount, before);
  });

  it("returns the stored order on a retry with the same key, and 409 for the same key with another body", async () => {
    const id = randomUUID();
    const body = { id, items: [{ menuItemId: "fries", quantity: 3 }] };
    const first = await t.api<OrderView>("POST", "/api/orders", {
      token: kiosk,
      body,
      headers: { "idempotency-key": `k-${id}` },
    });
    const again = await t.api<OrderView>("POST", "/api/orders", {
      token: kiosk,
      body,
      headers: { "idempotency-key": `k-${id}` },
    });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(first.headers.get("idempotent-replayed"), "false");

    const conflict = await t.api("POST", "/api/orders", {
      token: kiosk,
      body: { id, items: [{ menuItemId: "fries", quantity: 4 }] },
      headers: { "idempotency-key": `k-${id}` },
    });
    assert.equal(conflict.status, 409);
    assert.equal((conflict.body as { error: { code: string } }).error.code, "idempotency_conflict");

    const sameIdOtherKey = await t.api("POST", "/api/orders", {
      token: kiosk,
      body: { id, items: [{ menuItemId: "cola", quantity: 1 }] },
      headers: { "idempotency-key": `other-${id}` },
    });
    assert.equal(sameIdOtherKey.status, 409);

    const mine = (await t.api<{ orders: OrderView[] }>("GET", "/api/orders/mine", { token: kiosk })).body.orders;
    assert.equal(mine.filter((o) => o.id === id).length, 1);
  });

  it("still returns the stored body after the order moved on", async () => {
    const id = randomUUID();
    const body = { id, items: [{ menuItemId: "cola", quantity: 1 }] };
    const first = await t.api<OrderView>("POST", "/api/orders", {
      token: kiosk,
      body,
      headers: { "idempotency-key": `late-${id}` },
    });
    await t.api("PATCH", `/api/orders/${id}/status`, { token: kitchen, body: { status: "in_progress" } });
    const retry = await t.api<OrderView>("POST", "/api/orders", {
      token: kiosk,
      body,
      headers: { "idempotency-key": `late-${id}` },
    });
    assert.deepEqual(retry.body, first.body);
  });
});

describe("order states", () => {
  it("moves through the kitchen, records who did it, and names allowed states on an illegal move", async () => {
    const order = (await t.placeOrder(kiosk, [burgerWithCheese])).body as OrderView;
    const progress = await t.api<OrderView>("PATCH", `/api/orders/${order.id}/status`, {
      token: kitchen,
      body: { status: "in_progress" },
    });
    assert.equal(progress.status, 200);
    assert.equal(progress.body.status, "in_progress");

    const illegal = await t.api<{ error: { code: string; details: { allowed: string[] } } }>(
      "PATCH",
      `/api/orders/${order.id}/status`,
      { token: kitchen, body: { status: "completed" } },
    );
    assert.equal(illegal.status, 409);
    assert.equal(illegal.body.error.code, "illegal_transition");
    assert.deepEqual(illegal.body.error.details.allowed, ["ready", "in_queue", "cancelled"]);

    await t.api("PATCH", `/api/orders/${order.id}/status`, { token: kitchen, body: { status: "ready" } });
    const detail = await t.api<OrderDetail>("GET", `/api/orders/${order.id}`, { token: kitchen });
    assert.deepEqual(
      detail.body.history.map((h) => h.to),
      ["pending", "in_queue", "in_progress", "ready"],
    );
    assert.equal(detail.body.history[2]?.actor.role, "kitchen");
    assert.equal(detail.body.history[1]?.actor.kind, "system");
    assert.ok(detail.body.history.every((h, i, all) => i === 0 || h.seq > all[i - 1]!.seq));
  });

  it("keeps permissions per target state: the kitchen cannot cancel, a kiosk cannot move orders", async () => {
    const order = (await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body as OrderView;
    const kitchenCancel = await t.api<{ error: { code: string } }>("PATCH", `/api/orders/${order.id}/status`, {
      token: kitchen,
      body: { status: "cancelled" },
    });
    assert.equal(kitchenCancel.status, 403);
    const kioskMove = await t.api("PATCH", `/api/orders/${order.id}/status`, {
      token: kiosk,
      body: { status: "in_progress" },
    });
    assert.equal(kioskMove.status, 403);
    const cashier = await t.tokenFor("cashier");
    const cancel = await t.api<OrderView>("PATCH", `/api/orders/${order.id}/status`, {
      token: cashier,
      body: { status: "cancelled", reason: "customer left" },
    });
    assert.equal(cancel.status, 200);
    assert.deepEqual(cancel.body.next, []);
    const again = await t.api("PATCH", `/api/orders/${order.id}/status`, {
      token: cashier,
      body: { status: "in_queue" },
    });
    assert.equal(again.status, 409);
  });

  it("lets a kiosk read its own orders only", async () => {
    const otherKiosk = (
      await t.api<{ token: string }>("POST", "/api/devices/pair", {
        body: {
          code: (
            await t.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
              token: t.adminToken,
              body: { role: "kiosk", name: "kiosk 2" },
            })
          ).body.code,
        },
      })
    ).body.token;
    const mine = (await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body as OrderView;
    assert.equal((await t.api("GET", `/api/orders/${mine.id}`, { token: kiosk })).status, 200);
    assert.equal((await t.api("GET", `/api/orders/${mine.id}`, { token: otherKiosk })).status, 404);
    const progress = await t.api<{ orders: { id: string }[]; missing: string[] }>("POST", "/api/orders/bulk-progress", {
      token: otherKiosk,
      body: { ids: [mine.id] },
    });
    assert.deepEqual(progress.body, { orders: [], missing: [mine.id] });
  });
});

describe("queue", () => {
  it("lists open orders oldest first and filters by station", async () => {
    const order = (
      await t.placeOrder(kiosk, [
        burgerWithCheese,
        { menuItemId: "cola", quantity: 1 },
        { menuItemId: "meal", quantity: 1, slots: [{ slot: "drink", item: "shake" }] },
      ])
    ).body as OrderView;
    const all = await t.api<{ seq: number; orders: OrderView[] }>("GET", "/api/orders/queue", { token: kitchen });
    assert.equal(all.status, 200);
    assert.ok(all.body.seq >= order.seq);
    const ids = all.body.orders.map((o) => o.id);
    assert.ok(ids.includes(order.id));
    const created = all.body.orders.map((o) => o.createdAt);
    assert.deepEqual([...created].sort(), created);

    const bar = await t.api<{ orders: OrderView[] }>("GET", "/api/orders/queue?station=bar", { token: kitchen });
    const ticket = bar.body.orders.find((o) => o.id === order.id);
    assert.ok(ticket);
    // The bar sees the cola and only the shake of the meal.
    assert.deepEqual(
      ticket.lines.map((l) => l.menuItemId),
      ["cola", "meal"],
    );
    assert.deepEqual(
      ticket.lines[1]?.components.map((c) => c.item),
      ["shake"],
    );

    const grill = await t.api<{ orders: OrderView[] }>("GET", "/api/orders/queue?station=grill", { token: kitchen });
    assert.deepEqual(
      grill.body.orders.find((o) => o.id === order.id)?.lines.map((l) => l.menuItemId),
      ["burger", "meal"],
    );
  });

  it("reports progress of several orders at once", async () => {
    const a = (await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body as OrderView;
    const b = (await t.placeOrder(kiosk, [{ menuItemId: "cola", quantity: 1 }])).body as OrderView;
    await t.api("PATCH", `/api/orders/${b.id}/status`, { token: kitchen, body: { status: "in_progress" } });
    const unknown = randomUUID();
    const res = await t.api<{ orders: { id: string; status: string; number: number }[]; missing: string[] }>(
      "POST",
      "/api/orders/bulk-progress",
      { token: kitchen, body: { ids: [a.id, b.id, unknown] } },
    );
    assert.deepEqual(
      res.body.orders.map((o) => [o.id, o.status, o.number]),
      [
        [a.id, "in_queue", a.number],
        [b.id, "in_progress", b.number],
      ],
    );
    assert.deepEqual(res.body.missing, [unknown]);
  });
});

describe("every response", () => {
  it("carries X-Request-ID (echoed when sent) and X-Response-Time-ms", async () => {
    const echoed = await t.api("GET", "/api/diagnostics/ping", { headers: { "x-request-id": "tech-check-42" } });
    assert.equal(echoed.headers.get("x-request-id"), "tech-check-42");
    assert.match(echoed.headers.get("x-response-time-ms") ?? "", /^\d+(\.\d+)?$/);
    const generated = await t.api("GET", "/api/nope");
    assert.match(generated.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(generated.status, 404);
    assert.deepEqual(generated.body, { error: { code: "route_not_found", message: "no route GET /api/nope" } });
  });

  it("publishes an OpenAPI document built from the validating schemas", async () => {
    const res = await t.api<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }
        >
      >;
    }>("GET", "/api/openapi.json");
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, "3.1.0");
    for (const path of [
      "/api/menu",
      "/api/orders",
      "/api/orders/{id}/status",
      "/api/orders/queue",
      "/api/orders/bulk-progress",
      "/api/sessions/{id}/lines",
      "/api/auth/login",
      "/api/devices/pair",
      "/api/diagnostics/ping",
    ]) {
      assert.ok(res.body.paths[path], `missing ${path}`);
    }
    const placeSchema = res.body.paths["/api/orders"]?.post?.requestBody?.content["application/json"]?.schema;
    assert.ok(placeSchema?.properties.items, "POST /api/orders documents its items");
  });
});
