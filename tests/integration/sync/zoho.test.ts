/**
 * Zoho Inventory against the fake: our own sales order number (no idempotency keys exist), a
 * lookup by number before anything is sent again after an unknown outcome, token refresh, and a
 * refused refresh blocking the target.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { FakeZoho } from "../../fakes/fake-zoho.ts";
import { quietWindow } from "../../helpers/wait.ts";
import { BLOCKED_QUIET_MS, openCount, startSyncApp, waitFor, type SyncApp } from "./helpers.ts";

let fake: FakeZoho;
let t: SyncApp | undefined;

async function setup(): Promise<SyncApp> {
  fake = new FakeZoho();
  await fake.start();
  t = await startSyncApp({ sync: { zoho: { url: `${fake.url}/inventory/v1`, accountsUrl: fake.url } } });
  const res = await t.api("POST", "/api/integrations/zoho/connect", {
    accessToken: "zoho-access-1",
    refreshToken: fake.refreshToken,
    clientSecret: "zoho-secret",
    organizationId: fake.organizationId,
    customerId: "CUST-9",
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return t;
}

afterEach(async () => {
  await t?.stop();
  t = undefined;
  await fake.stop();
});

describe("sync: zoho", () => {
  it("creates sales orders under our own number with ignore_auto_number_generation", async () => {
    const app = await setup();
    const [order] = app.place(1, [{ menuItemId: "fries", quantity: 3 }]);
    assert.ok(order);
    await waitFor(() => openCount(app, "zoho") === 0, "the sales order");
    const [created] = [...fake.salesOrders.values()];
    assert.equal(created?.salesorder_number, `GL-${order.ref}`);
    assert.equal(created.reference_number, order.id);
    assert.equal(created.customer_id, "CUST-9");
    assert.equal(created.total, order.totals.total / 100);
    const request = fake.requestsTo("/salesorders").find((r) => r.method === "POST");
    assert.equal(request?.query.get("ignore_auto_number_generation"), "true");
    assert.equal(request.headers.authorization, "Zoho-oauthtoken zoho-access-1");
  });

  it("commit-then-drop: looked up by number before any resend; exactly one sales order", async () => {
    const app = await setup();
    fake.script({ kind: "commit-then-drop" }, (r) => r.method === "POST" && r.path.endsWith("/salesorders"));
    const [order] = app.place(1);
    assert.ok(order);
    await waitFor(() => openCount(app, "zoho") === 0, "the item to settle");
    assert.equal(fake.salesOrders.size, 1);
    const posts = fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/salesorders"));
    assert.equal(posts.length, 1, "no second create");
    assert.ok(
      fake.requests.some((r) => r.method === "GET" && r.query.get("salesorder_number") === `GL-${order.ref}`),
      "looked up by our number",
    );
  });

  it("an expired token is refreshed; a refused refresh blocks with no further calls", async () => {
    const app = await setup();
    fake.expireTokens();
    app.place(1);
    await waitFor(() => openCount(app, "zoho") === 0, "the sales order after a refresh");
    assert.equal(fake.requestsTo("/oauth/v2/token").length, 1);
    fake.expireTokens();
    fake.refreshToken = "rotated-elsewhere";
    app.place(1);
    await waitFor(() => {
      app.rt().roster.refresh();
      return app.rt().roster.row("zoho")?.state === "blocked";
    }, "the block");
    const calls = fake.requests.length;
    app.place(1);
    // No call is the assertion: there is no event to wait for, only a window in which none may come.
    await quietWindow(BLOCKED_QUIET_MS, "a blocked target makes no call");
    assert.equal(fake.requests.length, calls);
    assert.equal(fake.salesOrders.size, 1);
  });
});
