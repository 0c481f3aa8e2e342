/**
 * The kiosk's cart on the appliance (cart sessions) against a real galleyd: every change goes
 * through the session and the screen shows the appliance's prices; a line shows at once while it
 * is added; stock held for one kiosk is missing for the next; starting over releases the holds;
 * refusals are explained; a closed cart is replaced; tax added on top is shown as computed.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Availability, Menu, MenuResponse, SessionView } from "../../../protocol/schemas/index.ts";
import { ApiClient, ApiError, type FetchLike } from "../../../ui/src/data/api.ts";
import { CartSession, cartErrorOf } from "../../../ui/src/data/cart-session.ts";
import { createDraft, type LineDraft } from "../../../ui/src/data/line-draft.ts";
import { MenuCatalog } from "../../../ui/src/data/menu-catalog.ts";
import { cartErrorText, taxLabel } from "../../../ui/src/i18n/cart-text.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";
import { waitUntil } from "./support/wait.ts";
import "../../../ui/src/i18n/screens/kiosk.ts";

interface Call {
  method: string;
  path: string;
}

/** fetch that records each request, and can lose the reply of requests `lose` picks (galleyd still carries them out). */
function recordingFetch(lose: (call: Call) => boolean = () => false): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetchLike: FetchLike = async (url, init) => {
    const call = { method: init.method, path: new URL(url).pathname.replace(/[0-9a-f-]{36}/g, ":id") };
    calls.push(call);
    const response = await fetch(url, init);
    if (lose(call)) {
      await response.text();
      throw new TypeError("fetch failed: connection reset");
    }
    return response;
  };
  return { fetch: fetchLike, calls };
}

async function pairKiosk(app: TestApp, name: string): Promise<string> {
  const code = await app.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
    token: app.adminToken,
    body: { role: "kiosk", name },
  });
  return (await app.api<{ token: string }>("POST", "/api/devices/pair", { body: { code: code.body.code } })).body.token;
}

describe("the kiosk's cart on the appliance", () => {
  let app: TestApp;
  let catalog: MenuCatalog;
  let manager: string;

  before(async () => {
    app = await startTestApp({ menu: "demo" });
    manager = await app.tokenFor("manager");
    catalog = new MenuCatalog((await app.api<MenuResponse>("GET", "/api/menu", { token: manager })).body);
  });
  after(() => app.stop());

  const draft = (id: string, quantity = 1): LineDraft => {
    const product = catalog.product(id);
    assert.ok(product, id);
    return { ...createDraft(catalog, product), quantity };
  };
  const kiosk = async (name: string, lose?: (call: Call) => boolean) => {
    const token = await pairKiosk(app, name);
    const recorder = recordingFetch(lose);
    const cart = new CartSession(new ApiClient({ baseUrl: app.url, fetch: recorder.fetch, token: () => token }));
    return { token, cart, calls: recorder.calls };
  };
  const serverCart = async (token: string): Promise<SessionView | undefined> => {
    const res = await app.api<SessionView>("GET", "/api/sessions/current", { token });
    return res.status === 200 ? res.body : undefined;
  };
  const stockOf = async (item: string): Promise<number | undefined> =>
    (await app.api<{ availability: Availability }>("GET", "/api/menu", { token: manager })).body.availability.stock[
      item
    ];
  const setStock = async (item: string, onHand: number) => {
    const res = await app.api("PUT", `/api/stock/${item}`, { token: manager, body: { onHand } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  it("adds, changes and removes lines through the session; the screen shows the appliance's prices", async () => {
    const { token, cart, calls } = await kiosk("kiosk add-change-remove");
    // Read afresh each time (the cart's lines are a new array after every change).
    const line = (i: number) => cart.lines[i];
    await cart.start();
    assert.equal(cart.view?.state, "open");
    assert.equal(cart.totals?.total, 0);

    const adding = cart.add(draft("classic-burger"));
    // Shown at once, before the appliance answers.
    assert.equal(cart.lines.length, 1);
    assert.equal(line(0)?.pending, "adding");
    assert.equal(line(0)?.line, undefined);
    assert.equal(cart.count, 1);
    assert.equal(cart.busy, true);
    await adding;
    const burger = line(0)!;
    assert.equal(burger.pending, undefined);
    assert.equal(burger.line?.total, 990);
    assert.equal(cart.totals.total, 990);

    await cart.add(draft("fries"));
    await cart.add(draft("fries"));
    assert.equal(cart.lines.length, 2, "an identical line raises the quantity instead");
    assert.equal(line(1)?.line?.quantity, 2);

    // Three quick taps on + are one or two changes, and end at the right quantity.
    const taps = [cart.setQuantity(burger.key, 2), cart.setQuantity(burger.key, 3), cart.setQuantity(burger.key, 4)];
    assert.equal(line(0)?.draft.quantity, 4, "the wanted quantity shows at once");
    assert.equal(line(0)?.pending, "updating");
    assert.equal(line(0)?.line?.total, 990, "the price stays the appliance's until it answers");
    await Promise.all(taps);
    assert.equal(line(0)?.line?.quantity, 4);
    assert.equal(line(0)?.line?.total, 4 * 990);
    assert.ok(calls.filter((c) => c.method === "PATCH").length <= 3, JSON.stringify(calls));

    const withCheese = {
      ...draft("classic-burger", 1),
      options: [
        { group: "doneness", option: "well-done" },
        { group: "burger-extras", option: "extra-cheese" },
      ],
    };
    await cart.replace(burger.key, withCheese);
    assert.equal(line(0)?.line?.total, 990 + 100);
    assert.deepEqual(
      line(0)
        ?.draft.options.map((o) => o.option)
        .sort(),
      ["extra-cheese", "well-done"],
    );

    await cart.remove(line(1)!.key);
    assert.deepEqual(
      cart.lines.map((l) => l.draft.productId),
      ["classic-burger"],
    );
    const server = await serverCart(token);
    assert.deepEqual(
      server?.lines.map((l) => [l.menuItemId, l.quantity]),
      [["classic-burger", 1]],
    );
    assert.deepEqual(cart.totals, server.totals);
    const sent = calls.map((c) => `${c.method} ${c.path}`);
    assert.deepEqual(sent.slice(0, 3), [
      "POST /api/sessions",
      "POST /api/sessions/:id/lines",
      "POST /api/sessions/:id/lines",
    ]);
    assert.deepEqual(
      new Set(sent.slice(3, -1)),
      new Set(["PATCH /api/sessions/:id/lines/:id"]),
      "the merge, the taps and the change",
    );
    assert.equal(sent.at(-1), "DELETE /api/sessions/:id/lines/:id");
    await cart.abandon();
    assert.equal(await serverCart(token), undefined, "abandoned");
  });

  it("holds counted items for this kiosk: a second kiosk can add only what is left, until the first starts over", async () => {
    await setStock("brownie", 3);
    const a = await kiosk("kiosk A");
    const b = await kiosk("kiosk B");
    await a.cart.start();
    await a.cart.add(draft("brownie", 2));
    const held = a.cart.lines[0]?.line;
    assert.ok(held?.holdExpiresAt, "reserved, with the time the hold runs out");
    assert.ok(Date.parse(held.holdExpiresAt) > Date.now() + 14 * 60_000);
    assert.equal(await stockOf("brownie"), 1, "what the second kiosk sees as left");

    await b.cart.start();
    await b.cart.add(draft("brownie", 2));
    assert.equal(b.cart.lines.length, 0, "the refused line is gone from the screen");
    assert.deepEqual(
      { code: b.cart.error?.code, available: b.cart.error?.available, itemId: b.cart.error?.itemId },
      { code: "out_of_stock", available: 1, itemId: "brownie" },
    );
    assert.equal(cartErrorText(catalog, b.cart.error!, "en"), "Sorry, only 1 left of Homemade Walnut Brownie.");
    assert.equal(
      cartErrorText(catalog, b.cart.error!, "de"),
      "Leider gibt es nur noch 1 × Hausgemachter Walnuss-Brownie.",
    );
    await b.cart.add(draft("brownie", 1));
    assert.equal(b.cart.error, undefined);
    assert.equal(b.cart.lines[0]?.line?.quantity, 1);
    assert.equal(await stockOf("brownie"), 0);

    // B's cart got the third: A asking for it too is refused, in words.
    await a.cart.setQuantity(a.cart.lines[0]!.key, 3);
    assert.equal(a.cart.error?.code, "out_of_stock");
    assert.equal(a.cart.lines[0]?.line?.quantity, 2, "back to what the appliance has");
    assert.equal(cartErrorText(catalog, a.cart.error, "en"), "Sorry, only 2 left of Homemade Walnut Brownie.");
    const c = await kiosk("kiosk C");
    await c.cart.add(draft("brownie"));
    assert.equal(cartErrorText(catalog, c.cart.error!, "en"), "Sorry, Homemade Walnut Brownie has just sold out.");

    await a.cart.abandon();
    assert.equal(a.cart.lines.length, 0);
    assert.equal(await stockOf("brownie"), 2, "starting over released A's two");
    await b.cart.abandon();
    assert.equal(await stockOf("brownie"), 3);
  });

  it("starts every customer empty: a leftover cart with lines (a reload) is abandoned and its holds released", async () => {
    await setStock("cheesecake", 2);
    const { token, cart } = await kiosk("kiosk reloaded");
    const leave = async () => {
      const left = await app.api<SessionView>("POST", "/api/sessions", { token, body: {} });
      await app.api("POST", `/api/sessions/${left.body.id}/lines`, {
        token,
        body: { menuItemId: "cheesecake", quantity: 2 },
      });
      assert.equal(await stockOf("cheesecake"), 0);
      return left;
    };
    // As soon as the kiosk comes up…
    const first = await leave();
    await cart.releaseLeftover();
    assert.equal(await stockOf("cheesecake"), 2);
    assert.equal(await serverCart(token), undefined);
    await cart.releaseLeftover();
    assert.equal(cart.error, undefined, "nothing left: nothing to do");
    assert.equal(
      (await app.api<SessionView>("GET", `/api/sessions/${first.body.id}`, { token })).body.state,
      "abandoned",
    );
    // …or at the latest when the next customer starts.
    const left = await leave();
    await cart.start();
    assert.notEqual(cart.sessionId, left.body.id);
    assert.equal(cart.lines.length, 0);
    assert.equal(await stockOf("cheesecake"), 2);
    const old = await app.api<SessionView>("GET", `/api/sessions/${left.body.id}`, { token });
    assert.equal(old.body.state, "abandoned");
    await cart.abandon();
  });

  it("starting over while a line is on its way: the line lands, then the abandon releases it; the next customer starts empty", async () => {
    await setStock("cheesecake", 2);
    const { token, cart, calls } = await kiosk("kiosk impatient");
    await cart.start();
    const adding = cart.add(draft("cheesecake", 2));
    await waitUntil(() => calls.some((call) => call.path.endsWith("/lines")), "the line on its way");
    const abandoning = cart.abandon();
    assert.equal(cart.lines.length, 0, "the screen forgets at once");
    await Promise.all([adding, abandoning]);
    assert.equal(await stockOf("cheesecake"), 2);
    assert.equal(await serverCart(token), undefined);
    await cart.start();
    assert.equal(cart.lines.length, 0);
    assert.equal(cart.error, undefined);
    await cart.abandon();
  });

  it("replaces a cart the appliance closed behind its back, and says so", async () => {
    const { token, cart } = await kiosk("kiosk expired");
    await cart.start();
    await cart.add(draft("cola"));
    const first = cart.sessionId!;
    await app.api("POST", `/api/sessions/${first}/abandon`, { token });
    await cart.add(draft("fries"));
    assert.equal(cart.error?.code, "session_closed");
    assert.equal(
      cartErrorText(catalog, cart.error, "en"),
      "Your order had timed out, so we started a new one. Please add your dishes again.",
    );
    assert.notEqual(cart.sessionId, first);
    assert.equal(cart.view?.state, "open");
    assert.equal(cart.lines.length, 0);
    await cart.add(draft("fries"));
    assert.equal(cart.error, undefined, "the next change clears the message");
    assert.equal(cart.lines.length, 1);
    await cart.abandon();
  });

  it("reads the cart again after a change with no answer, so the screen shows what the appliance has", async () => {
    let lost = false;
    const { cart } = await kiosk("kiosk lossy", (call) => {
      if (lost || call.method !== "POST" || !call.path.endsWith("/lines")) return false;
      lost = true;
      return true;
    });
    await cart.start();
    await cart.add(draft("cola"));
    assert.equal(cart.error?.code, "network_error");
    assert.equal(cartErrorText(catalog, cart.error, "en"), "Can't reach the kitchen right now.");
    assert.deepEqual(
      cart.lines.map((l) => [l.draft.productId, l.pending]),
      [["cola", undefined]],
      "the appliance did add it",
    );
    await cart.abandon();
  });
});

describe("refusals in words", () => {
  const catalog = new MenuCatalog({
    menu: JSON.parse(readFileSync(join(import.meta.dirname, "../../../appliance/demo-menu/menu.json"), "utf8")) as Menu,
    availability: { soldOutItems: [], soldOutOptions: [], stock: {} },
  });
  const error = (code: string, details: Record<string, unknown> = {}, name?: LineDraft["name"]) =>
    cartErrorOf(new ApiError(409, code, "raw server text", details), name);

  it("names the dish and what is left, in the customer's language; never the server's own message", () => {
    const say = (e: ReturnType<typeof error>, lang = "en") => cartErrorText(catalog, e, lang);
    assert.equal(
      say(error("out_of_stock", { menuItemId: "brownie", requested: 2, available: 1 })),
      "Sorry, only 1 left of Homemade Walnut Brownie.",
    );
    assert.equal(
      say(error("out_of_stock", { menuItemId: "brownie", requested: 2, available: 0 })),
      "Sorry, Homemade Walnut Brownie has just sold out.",
    );
    assert.equal(say(error("item_sold_out", { menuItemId: "cola" })), "Sorry, Cola has just sold out.");
    assert.equal(say(error("item_sold_out", { menuItemId: "cola" }), "de"), "Leider ist Cola gerade ausverkauft.");
    assert.equal(
      say(error("option_sold_out", { menuItemId: "fries", option: "dip-mayo" })),
      "Sorry, Mayonnaise is no longer available for Fries.",
    );
    assert.equal(
      say(error("hold_expired", { menuItemId: "cheesecake", requested: 2, available: 1 })),
      "We could no longer keep New York Cheesecake for you, and only 1 left now. Please change your order.",
    );
    assert.equal(
      say(error("session_closed")),
      "Your order had timed out, so we started a new one. Please add your dishes again.",
    );
    assert.equal(
      say(error("kitchen_unreachable")),
      "The kitchen can't take orders right now. Please order at the counter.",
    );
    assert.equal(
      say(error("item_sold_out", {}, { en: "Fries" })),
      "Sorry, Fries has just sold out.",
      "the dish the change was about when the appliance names none",
    );
    assert.equal(say(error("some_new_code")), "Something went wrong. Please try again.");
  });
});

describe("the kiosk's cart with tax added on top (pricing.taxMode exclusive)", () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ menu: "demo", config: { pricing: { taxMode: "exclusive" } } });
  });
  after(() => app.stop());

  it("shows the appliance's subtotal, one tax line per class and the total", async () => {
    const token = await pairKiosk(app, "kiosk US");
    const catalog = new MenuCatalog((await app.api<MenuResponse>("GET", "/api/menu", { token })).body);
    const cart = new CartSession(
      new ApiClient({ baseUrl: app.url, fetch: (url, init) => fetch(url, init), token: () => token }),
    );
    await cart.start();
    for (const id of ["fries", "cola"]) await cart.add(createDraft(catalog, catalog.product(id)!));
    const totals = cart.totals!;
    assert.equal(totals.taxIncluded, false);
    assert.equal(totals.subtotal, 390 + 290);
    assert.deepEqual(
      totals.taxes.map((t) => [t.taxClass, t.amount]),
      [
        ["drinks", 55],
        ["food", 27],
      ],
      "19 % of 2.90 and 7 % of 3.90, rounded half up",
    );
    assert.equal(totals.total, totals.subtotal + 55 + 27);
    assert.deepEqual(
      totals.taxes.map((t) => taxLabel(catalog, t, "en")),
      ["Drinks 19 %", "Food (take-away) 7 %"],
    );
    assert.equal(
      taxLabel(catalog, { taxClass: "unknown", rateBasisPoints: 825, net: 0, amount: 0 }, "en"),
      "Tax 8.25%",
    );
    await cart.abandon();
  });
});
