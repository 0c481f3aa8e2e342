/**
 * The Square target against the fake Square: CreateOrder/CreatePayment field for field, payments
 * after their order, idempotency-key expiry settled by a lookup instead of a second order, OAuth
 * refresh (single-flight, rotated refresh token persisted), invalid_grant blocking with zero
 * further calls, BatchRetrieveOrders verification in chunks of 100, and 400s going dead.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { getCredentials } from "../../../appliance/journal/sync-target-store.ts";
import type { Credentials } from "../../../appliance/sync/types.ts";
import { FakeSquare, SQUARE_VERSION } from "../../fakes/fake-square.ts";
import { quietWindow } from "../../helpers/wait.ts";
import { BLOCKED_QUIET_MS, openCount, outboxStates, startSyncApp, waitFor, type SyncApp } from "./helpers.ts";

let fake: FakeSquare;
let t: SyncApp | undefined;

async function setup(
  options: { keyTtlMs?: number; keyTtlSeconds?: number; now?: () => number } = {},
): Promise<SyncApp> {
  fake = new FakeSquare({
    ...(options.keyTtlMs ? { keyTtlMs: options.keyTtlMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  await fake.start();
  t = await startSyncApp({
    sync: { square: { url: fake.url, ...(options.keyTtlSeconds ? { keyTtlSeconds: options.keyTtlSeconds } : {}) } },
  });
  const res = await t.api("POST", "/api/integrations/square/connect", {
    accessToken: "sq-access-1",
    refreshToken: "sq-refresh-1",
    locationId: fake.locationId,
    merchantId: "M-FAKE",
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return t;
}

afterEach(async () => {
  await t?.stop();
  t = undefined;
  await fake.stop();
});

const creates = () => fake.requests.filter((r) => r.path === "/v2/orders" && r.method === "POST");

describe("sync: square", () => {
  it("creates the order and its CASH and EXTERNAL payments, field for field", async () => {
    const app = await setup();
    const [order] = app.place(1, [
      {
        menuItemId: "burger",
        quantity: 2,
        options: [
          { group: "doneness", option: "medium" },
          { group: "extras", option: "cheese" },
        ],
      },
      { menuItemId: "cola", quantity: 1 },
    ]);
    assert.ok(order);
    app.pay(order.id, { method: "cash", amount: 1_000, tendered: 2_000 });
    app.pay(order.id, { method: "card", amount: order.totals.total - 1_000, reference: "TERM-778" });
    await waitFor(() => openCount(app, "square") === 0 && fake.payments.size === 2, "order and payments on Square");
    const [created] = fake.ordersWithReference(order.id);
    assert.ok(created);
    assert.equal(fake.ordersWithReference(order.id).length, 1);
    const request = creates()[0];
    assert.equal((request?.body as { idempotency_key: string }).idempotency_key, `ord-${order.id}`);
    assert.equal(request?.headers["square-version"], SQUARE_VERSION, "Square-Version pinned");
    assert.equal(created.reference_id, order.id);
    assert.equal(created.ticket_name, `#${order.number}`);
    assert.equal(created.source?.name, "Galley");
    assert.equal(created.metadata?.kiosk_order_id, order.id);
    assert.equal(created.metadata.order_ref, order.ref);
    assert.ok(Object.keys(created.metadata ?? {}).length <= 10);
    assert.deepEqual(
      created.total_money,
      { amount: order.totals.total, currency: "EUR" },
      "Square's total equals ours",
    );
    assert.equal(created.line_items.length, 2);
    assert.equal(created.line_items[0]?.quantity, "2");
    const payments = [...fake.payments.values()];
    assert.ok(
      payments.every((p) => p.order_id === created.id),
      "payments belong to the Square order",
    );
    const cash = payments.find((p) => p.source_type === "CASH");
    assert.deepEqual(cash?.cash_details, {
      buyer_supplied_money: { amount: 2_000, currency: "EUR" },
      change_back_money: { amount: 1_000, currency: "EUR" },
    });
    const card = payments.find((p) => p.source_type === "EXTERNAL");
    assert.deepEqual(card?.external_details, { type: "CARD", source: "Card terminal", source_id: "TERM-778" });
    const keys = fake.requests
      .filter((r) => r.path === "/v2/payments" && r.method === "POST")
      .map((r) => (r.body as { idempotency_key: string }).idempotency_key);
    assert.ok(keys.every((k) => k.startsWith("pay-") && k.length <= 45));
  });

  it("a payment waits for its order to reach Square", async () => {
    const app = await setup();
    fake.script(
      Array.from({ length: 3 }, () => ({
        kind: "status" as const,
        status: 503,
        body: { errors: [{ category: "API_ERROR", code: "SERVICE_UNAVAILABLE" }] },
      })),
      (r) => r.path === "/v2/orders",
    );
    const [order] = app.place(1);
    assert.ok(order);
    app.pay(order.id, { method: "external", amount: order.totals.total, reference: "VOUCHER-1" });
    await waitFor(() => openCount(app, "square") === 0, "order then payment");
    const paths = fake.requests.filter((r) => r.method === "POST").map((r) => r.path);
    const firstPayment = paths.indexOf("/v2/payments");
    const orderAccepted = fake.requests.findIndex((r) => r.path === "/v2/orders" && !r.fault);
    assert.ok(firstPayment > orderAccepted, "no payment before its order was created");
    assert.equal([...fake.payments.values()][0]?.external_details?.type, "OTHER");
  });

  it("item mapping: a mapped item goes by catalog_object_id, the rest by name", async () => {
    const app = await setup();
    const patch = await app.api("PATCH", "/api/integrations/square", { itemMapping: { fries: "CATALOG-FRIES" } });
    assert.equal(patch.status, 200);
    app.place(1, [
      { menuItemId: "fries", quantity: 1 },
      { menuItemId: "cola", quantity: 1 },
    ]);
    await waitFor(() => openCount(app, "square") === 0, "the order");
    const lines = [...fake.orders.values()][0]?.line_items ?? [];
    assert.equal(lines[0]?.catalog_object_id, "CATALOG-FRIES");
    assert.equal(lines[0].name, undefined);
    assert.equal(lines[1]?.name, "Cola");
  });

  it("idempotency key expired during an unknown outcome: looked up, found, no second order", async () => {
    // The fake's clock runs `skewMs` ahead of the real one, so the control below can move past its key TTL.
    let skewMs = 0;
    const app = await setup({ keyTtlMs: 400, keyTtlSeconds: 1, now: () => Date.now() + skewMs });
    // The create lands but its answer is lost; then Square answers 503 for longer than the key lives.
    const unavailable = {
      kind: "status" as const,
      status: 503,
      body: { errors: [{ category: "API_ERROR", code: "SERVICE_UNAVAILABLE" }] },
    };
    fake.script(
      [{ kind: "commit-then-drop" }, ...Array.from({ length: 60 }, () => unavailable)],
      (r) => r.path === "/v2/orders",
    );
    const [order] = app.place(1);
    assert.ok(order);
    await waitFor(() => openCount(app, "square") === 0, "the item to settle", 10_000);
    fake.clearScript();
    assert.equal(fake.ordersWithReference(order.id).length, 1, "exactly one order on Square");
    assert.ok(fake.requestsTo("/v2/orders/search").length >= 1, "it searched instead of creating again");
    assert.equal(
      creates().filter((r) => r.fault === undefined || r.fault === "commit-then-drop").length,
      1,
      "CreateOrder reached Square's logic once",
    );
    const retriedAfterTtl = creates()
      .filter((r) => r.fault === "status")
      .at(-1);
    assert.ok(retriedAfterTtl, "it kept retrying while the key could still be remembered");
    // The control: after the TTL the fake really would have made a second order with the same key.
    skewMs += 450;
    const replay = await fetch(`${fake.url}/v2/orders`, {
      method: "POST",
      headers: { authorization: "Bearer sq-access-1", "content-type": "application/json" },
      body: JSON.stringify(creates()[0]?.body),
    });
    assert.equal(replay.status, 200);
    assert.equal(fake.ordersWithReference(order.id).length, 2, "without the lookup there would have been a duplicate");
  });

  it("401: one refresh, the rotated refresh token persisted before use, then success", async () => {
    const app = await setup();
    fake.expireAccessToken("sq-access-1");
    const [order] = app.place(1);
    assert.ok(order);
    // Verification races the worker with the same stale token: still one refresh.
    await Promise.all([
      waitFor(() => openCount(app, "square") === 0, "the order after refresh"),
      app.api("POST", "/api/backups/orders/verify", {}),
    ]);
    assert.equal(fake.refreshRequests, 1, "single-flight refresh");
    assert.equal(app.rt().sessions.square.refreshes, 1);
    const sealed = getCredentials(app.app.ctx.journal, "square");
    assert.ok(sealed);
    const stored = JSON.parse(app.rt().box().open(sealed.sealed)) as Credentials;
    assert.notEqual(stored.refreshToken, "sq-refresh-1", "the single-use refresh token was rotated and stored");
    assert.notEqual(stored.accessToken, "sq-access-1");
    assert.ok(!sealed.sealed.includes(stored.refreshToken ?? "x"), "sealed, not plain");
    const view = await app.api<Record<string, unknown>>("GET", "/api/integrations/square");
    assert.ok(!JSON.stringify(view.body).includes(stored.accessToken), "the API never shows a token");
    assert.equal(view.body.hasRefreshToken, true);
  });

  it("invalid_grant: the target blocks, people are told, and no further call is made", async () => {
    const app = await setup();
    fake.expireAccessToken("sq-access-1");
    fake.revokeRefreshTokens();
    app.place(1);
    await waitFor(() => {
      app.rt().roster.refresh();
      return app.rt().roster.row("square")?.state === "blocked";
    }, "the block");
    const calls = fake.requests.length;
    app.place(2);
    await app.api("POST", "/api/sync/now");
    // No call is the assertion: there is no event to wait for, only a window in which none may come.
    await quietWindow(BLOCKED_QUIET_MS, "a blocked target makes no call");
    assert.equal(fake.requests.length, calls, "zero calls after the block");
    const notes = await app.api<{ notifications: { kind: string; severity: string; message: string }[] }>(
      "GET",
      "/api/sync/notifications",
    );
    assert.ok(
      notes.body.notifications.some(
        (n) => n.kind === "target_blocked" && n.severity === "critical" && /invalid_grant/.test(n.message),
      ),
    );
    const view = await app.api<{ state: string; blockedReason: string }>("GET", "/api/integrations/square");
    assert.equal(view.body.state, "blocked");
    assert.equal(openCount(app, "square"), 3, "the orders wait, none lost");
  });

  it("verification: BatchRetrieveOrders in chunks of 100; a changed total alerts without a fix; a deleted order is looked up and recreated once", async () => {
    const app = await setup();
    const orders = app.place(101);
    await waitFor(() => openCount(app, "square") === 0, "101 orders on Square", 15_000);
    const [changed, deleted] = orders;
    assert.ok(changed && deleted);
    const changedRemote = fake.ordersWithReference(changed.id)[0];
    const deletedRemote = fake.ordersWithReference(deleted.id)[0];
    assert.ok(changedRemote && deletedRemote);
    changedRemote.total_money = { amount: changedRemote.total_money.amount + 100, currency: "EUR" };
    fake.orders.delete(deletedRemote.id);
    fake.forgetKeys();
    const verify = await app.api<{
      reports: { target: string; checked: number; missing: number; mismatched: number }[];
    }>("POST", "/api/backups/orders/verify", {});
    assert.deepEqual(
      verify.body.reports.map((r) => [r.target, r.checked, r.missing, r.mismatched]),
      [["square", 101, 1, 1]],
    );
    const chunks = fake
      .requestsTo("/v2/orders/batch-retrieve")
      .map((r) => (r.body as { order_ids: string[] }).order_ids.length);
    assert.deepEqual(chunks, [100, 1]);
    await waitFor(
      () => openCount(app, "square") === 0 && fake.ordersWithReference(deleted.id).length === 1,
      "the missing order recreated",
    );
    assert.ok(fake.requestsTo("/v2/orders/search").length >= 1, "looked up before recreating");
    assert.equal(
      fake.ordersWithReference(changed.id)[0]?.total_money.amount,
      changedRemote.total_money.amount,
      "the changed total is left alone",
    );
    const notes = await app.api<{ notifications: { kind: string; orderId: string }[] }>(
      "GET",
      "/api/sync/notifications",
    );
    assert.ok(notes.body.notifications.some((n) => n.kind === "total_mismatch" && n.orderId === changed.id));
  });

  it("a 400 (value too long) goes dead with the provider's error, and never blocks the others", async () => {
    const app = await setup();
    fake.script(
      {
        kind: "status",
        status: 400,
        body: {
          errors: [
            {
              category: "INVALID_REQUEST_ERROR",
              code: "VALUE_TOO_LONG",
              detail: "ticket_name is too long",
              field: "order.ticket_name",
            },
          ],
        },
      },
      (r) => r.path === "/v2/orders",
    );
    const [bad, good] = app.place(2);
    assert.ok(bad && good);
    await waitFor(
      () => (outboxStates(app, "square").dead ?? 0) === 1 && openCount(app, "square") === 0,
      "one dead, the other through",
    );
    const dead = await app.api<{ logs: { orderId: string; errorCode: string; httpStatus: number }[] }>(
      "GET",
      "/api/integrations/square/history?status=failed",
    );
    assert.deepEqual(
      dead.body.logs.map((l) => [l.orderId, l.errorCode, l.httpStatus]),
      [[bad.id, "VALUE_TOO_LONG", 400]],
    );
    assert.equal(fake.ordersWithReference(good.id).length, 1);
  });
});
