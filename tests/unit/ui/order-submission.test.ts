/**
 * Placing an order from the kiosk (committing its cart session): one order id per checkout,
 * reused with the same Idempotency-Key on every retry, so a reply lost on the way back cannot
 * become a second order; "placed" only after galleyd said so; a refusal by the ordering gate is
 * definite.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { OrderView, SessionView } from "../../../protocol/schemas/index.ts";
import { ApiClient, type FetchLike } from "../../../ui/src/data/api.ts";
import { newOrderId } from "../../../ui/src/data/ids.ts";
import { OrderSubmission, type SubmissionCart, type SubmissionState } from "../../../ui/src/data/order-submission.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";

const noSleep = { sleep: () => Promise.resolve() };

/** fetch that lets galleyd carry out the first `lose` commits but loses their replies. */
function losingFetch(lose: number): {
  fetch: FetchLike;
  posts: { url: string; body: string; key: string | undefined }[];
} {
  const posts: { url: string; body: string; key: string | undefined }[] = [];
  let lost = 0;
  const fetchLike: FetchLike = async (url, init) => {
    const response = await fetch(url, init);
    if (init.method === "POST" && url.endsWith("/commit")) {
      posts.push({ url, body: init.body ?? "", key: init.headers["idempotency-key"] });
      if (lost < lose) {
        lost += 1;
        await response.text();
        throw new TypeError("fetch failed: connection reset");
      }
    }
    return response;
  };
  return { fetch: fetchLike, posts };
}

/** A kiosk's open cart with `lines` in it, made over plain HTTP. */
async function cartWith(app: TestApp, token: string, lines: unknown[]): Promise<SubmissionCart> {
  const current = await app.api<SessionView>("GET", "/api/sessions/current", { token });
  if (current.status === 200) await app.api("POST", `/api/sessions/${current.body.id}/abandon`, { token });
  const session = (await app.api<SessionView>("POST", "/api/sessions", { token, body: {} })).body;
  let view = session;
  for (const line of lines)
    view = (await app.api<SessionView>("POST", `/api/sessions/${session.id}/lines`, { token, body: line })).body;
  return { sessionId: session.id, signature: view.lines.map((l) => `${l.id}:${l.quantity}`).join() };
}

describe("order submission (cart commit) against galleyd", () => {
  let app: TestApp;
  let kiosk: string;
  let kitchen: string;

  before(async () => {
    app = await startTestApp({ menu: "demo" });
    kiosk = await app.tokenFor("kiosk");
    kitchen = await app.tokenFor("kitchen");
  });
  after(() => app.stop());

  const burger = { menuItemId: "classic-burger", quantity: 2, options: [{ group: "doneness", option: "medium" }] };

  async function queueCount(): Promise<number> {
    return (await app.api<{ orders: OrderView[] }>("GET", "/api/orders/queue", { token: kitchen })).body.orders.length;
  }

  it("retries a lost reply with the same id and key and gets the one stored order back", async () => {
    const { fetch: lossy, posts } = losingFetch(2);
    const api = new ApiClient({ baseUrl: app.url, fetch: lossy, token: () => kiosk });
    const before = await queueCount();
    const cart = await cartWith(app, kiosk, [burger]);
    const submission = new OrderSubmission(api, cart);
    const states: SubmissionState["phase"][] = [];
    submission.onChange((s) => states.push(s.phase));
    const result = await submission.submit({ retryDelaysMs: [0, 0], ...noSleep });
    assert.ok(result.phase === "placed", "placed");
    assert.ok(result.replayed, "the stored reply came back");
    assert.equal(result.order.id, submission.id);
    assert.equal(result.order.totals.total, 2 * 990);
    assert.equal(posts.length, 3);
    assert.ok(posts.every((p) => p.url.endsWith(`/api/sessions/${cart.sessionId}/commit`)));
    assert.equal(new Set(posts.map((p) => p.body)).size, 1, "every attempt sent the same body");
    assert.deepEqual(JSON.parse(posts[0]!.body), { id: submission.id });
    assert.deepEqual(
      posts.map((p) => p.key),
      [submission.id, submission.id, submission.id],
    );
    assert.equal(await queueCount(), before + 1, "exactly one order");
    assert.deepEqual(states, ["sending", "sending", "sending", "placed"]);
    const session = await app.api<SessionView>("GET", `/api/sessions/${cart.sessionId}`, { token: kiosk });
    assert.equal(session.body.state, "committed");
    assert.equal(session.body.orderId, submission.id);
  });

  it("never says placed without galleyd's answer: out of retries it fails as uncertain, and the same submission resolves later", async () => {
    const { fetch: lossy } = losingFetch(2);
    const api = new ApiClient({ baseUrl: app.url, fetch: lossy, token: () => kiosk });
    const before = await queueCount();
    const submission = new OrderSubmission(api, await cartWith(app, kiosk, [burger]));
    const failed = await submission.submit({ retryDelaysMs: [0], ...noSleep });
    assert.ok(failed.phase === "failed", "failed");
    assert.ok(failed.uncertain && failed.error.code === "network_error");
    assert.equal(submission.uncertain, true);
    const retried = await submission.submit({ retryDelaysMs: [], ...noSleep });
    assert.equal(retried.phase, "placed");
    assert.equal(await queueCount(), before + 1);
  });

  it("a refusal is definite: nothing was written, and a changed cart gets a new id", async () => {
    const api = new ApiClient({ baseUrl: app.url, fetch: (url, init) => fetch(url, init), token: () => kiosk });
    const manager = await app.tokenFor("manager");
    const cart = await cartWith(app, kiosk, [
      { menuItemId: "onion-rings", quantity: 1, options: [{ group: "dips", option: "dip-ketchup" }] },
    ]);
    await app.api("PUT", "/api/menu/availability", {
      token: manager,
      body: { kind: "item", id: "onion-rings", available: false },
    });
    try {
      const submission = new OrderSubmission(api, cart);
      const result = await submission.submit({ retryDelaysMs: [0, 0], ...noSleep });
      assert.ok(
        result.phase === "failed" &&
          !result.uncertain &&
          result.error.code === "item_sold_out" &&
          result.error.status === 409,
      );
      assert.equal(submission.matches(cart), true, "the same cart: a retry keeps the id");
      assert.equal(submission.matches({ ...cart, signature: `${cart.signature},changed` }), false);
      assert.notEqual(new OrderSubmission(api, cart).id, submission.id);
    } finally {
      await app.api("PUT", "/api/menu/availability", {
        token: manager,
        body: { kind: "item", id: "onion-rings", available: true },
      });
    }
  });

  it("shares one request between a double tap", async () => {
    const { fetch: counting, posts } = losingFetch(0);
    const api = new ApiClient({ baseUrl: app.url, fetch: counting, token: () => kiosk });
    const submission = new OrderSubmission(api, await cartWith(app, kiosk, [burger]));
    const [a, b] = await Promise.all([submission.submit(noSleep), submission.submit(noSleep)]);
    assert.equal(a, b);
    assert.equal(posts.length, 1);
  });
});

describe("order submission while the appliance pauses ordering", () => {
  let app: TestApp;

  before(async () => {
    // No printer and no kitchen screen: no kitchen route works.
    app = await startTestApp({
      menu: "demo",
      config: { devices: { printers: [], requireKitchenRoute: true, savePrints: false } },
    });
  });
  after(() => app.stop());

  it("is refused with 503 kitchen_unreachable, definitely: nothing written, the cart still open", async () => {
    const kiosk = await app.tokenFor("kiosk");
    const api = new ApiClient({ baseUrl: app.url, fetch: (url, init) => fetch(url, init), token: () => kiosk });
    const cart = await cartWith(app, kiosk, [{ menuItemId: "cola", quantity: 1 }]);
    const submission = new OrderSubmission(api, cart);
    const result = await submission.submit({ retryDelaysMs: [0, 0], ...noSleep });
    assert.ok(result.phase === "failed");
    assert.equal(result.error.status, 503);
    assert.equal(result.error.code, "kitchen_unreachable");
    assert.equal(result.uncertain, false, "the gate refuses before anything is written");
    const session = await app.api<SessionView>("GET", `/api/sessions/${cart.sessionId}`, { token: kiosk });
    assert.equal(session.body.state, "open");
  });
});

describe("order ids", () => {
  it("are RFC 9562 version-4 UUIDs without crypto.randomUUID", () => {
    const ids = new Set(Array.from({ length: 200 }, () => newOrderId()));
    assert.equal(ids.size, 200);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(
      newOrderId((bytes) => bytes.fill(0xff)),
      "ffffffff-ffff-4fff-bfff-ffffffffffff",
    );
  });
});
