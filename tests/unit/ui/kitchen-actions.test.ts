/** The kitchen display's requests: busy tickets, replies applied at once, the bump-bar key queue, undo and recall. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { OrderStatus, OrderView } from "../../../protocol/schemas/index.ts";
import { ApiClient, type FetchLike } from "../../../ui/src/data/api.ts";
import { KitchenTickets } from "../../../ui/src/data/kitchen-tickets.ts";
import { KitchenActions, MAX_QUEUED_KEYS } from "../../../ui/src/controllers/kitchen-actions.ts";
import { KitchenHistory } from "../../../ui/src/controllers/kitchen-history.ts";
import { errorText, translator } from "../../../ui/src/i18n/index.ts";
import { order } from "./support/orders.ts";

const t = translator("en");

/**
 * A fake galleyd for status changes: each request waits until the test lets it answer (`answer`),
 * then moves the order on like the real state machine (or refuses with `refuse`).
 */
function fakeGalleyd(orders: OrderView[]) {
  const byId = new Map(orders.map((o) => [o.id, o]));
  const log: string[] = [];
  const waiting: (() => void)[] = [];
  let open = 0;
  let mostOpen = 0;
  let refuse = false;
  const fetchLike: FetchLike = async (url, init) => {
    const id = decodeURIComponent(/\/api\/orders\/([^/]+)\//.exec(url)?.[1] ?? "");
    const body = JSON.parse(init.body ?? "{}") as { status?: OrderStatus; mark?: string; done?: boolean };
    log.push(`${init.method} ${id} ${body.status ?? `${body.mark ?? ""}=${String(body.done)}`}`);
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    await new Promise<void>((resolve) => waiting.push(resolve));
    open -= 1;
    const current = byId.get(id);
    const reply = (status: number, json: unknown) => ({
      status,
      ok: status < 400,
      text: () => Promise.resolve(JSON.stringify(json)),
      headers: { get: () => null },
    });
    if (refuse || !current) return reply(409, { error: { code: "invalid_transition", message: "no" } });
    const next: OrderView = body.status
      ? {
          ...current,
          seq: current.seq + 1,
          status: body.status,
          next: order({ id, number: current.number, seq: 0, status: body.status }).next,
        }
      : {
          ...current,
          seq: current.seq + 1,
          doneMarks: body.done
            ? [...current.doneMarks, body.mark ?? ""]
            : current.doneMarks.filter((m) => m !== body.mark),
        };
    byId.set(id, next);
    return reply(200, next);
  };
  return {
    api: new ApiClient({ fetch: fetchLike }),
    log,
    get mostOpen() {
      return mostOpen;
    },
    set refuse(value: boolean) {
      refuse = value;
    },
    /** Lets the oldest waiting request answer, once it has been sent. */
    async answer(): Promise<void> {
      for (let turn = 0; waiting.length === 0; turn += 1) {
        if (turn > 100) throw new Error("no request reached galleyd");
        await new Promise((resolve) => setImmediate(resolve));
      }
      waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function kitchen(orders: OrderView[]) {
  const galleyd = fakeGalleyd(orders);
  const tickets = new KitchenTickets({ cancelLingerMs: 1_000 });
  tickets.applySnapshot(orders);
  const said: string[] = [];
  const busySeen: string[][] = [];
  let selected: string | undefined;
  const actions: KitchenActions = new KitchenActions({
    api: galleyd.api,
    tickets,
    history: new KitchenHistory(),
    station: undefined,
    t,
    selection: {
      get: () => selected,
      set: (id) => {
        selected = id;
      },
    },
    say: (text) => said.push(text),
    applied: () => undefined,
    busyChanged: () => busySeen.push([...actions.busy]),
  });
  return {
    galleyd,
    tickets,
    actions,
    said,
    busySeen,
    get selected() {
      return selected;
    },
    select(id: string | undefined) {
      selected = id;
    },
  };
}

describe("kitchen actions", () => {
  it("runs queued bump-bar keys one after another: Enter, Enter takes a ticket to Ready", async () => {
    const k = kitchen([order({ id: "a", number: 1, seq: 10 })]);
    k.select("a");
    k.actions.press({ kind: "bump" });
    k.actions.press({ kind: "bump" });
    await k.galleyd.answer();
    assert.equal(k.tickets.get("a")?.order.status, "in_progress", "the first reply is applied at once");
    await k.galleyd.answer();
    await k.actions.idle();
    assert.deepEqual(k.galleyd.log, ["PATCH a in_progress", "PATCH a ready"]);
    assert.equal(k.galleyd.mostOpen, 1, "the second key waited for the first answer");
    assert.equal(k.tickets.get("a")?.order.status, "ready");
    assert.deepEqual(k.busySeen, [["a"], [], ["a"], []]);
    assert.deepEqual(k.actions.busy, new Set());
  });

  it("drops key presses beyond the queue limit (a stuck key)", async () => {
    const k = kitchen([order({ id: "a", number: 1, seq: 10, status: "pending" })]);
    k.select("a");
    for (let i = 0; i < MAX_QUEUED_KEYS + 3; i += 1) k.actions.press({ kind: "bump" });
    for (let i = 0; i < MAX_QUEUED_KEYS; i += 1) await k.galleyd.answer();
    await k.actions.idle();
    assert.equal(k.galleyd.log.length, MAX_QUEUED_KEYS);
  });

  it("ignores a touch on a busy ticket; a key bump waits for it and is dropped when it failed", async () => {
    const k = kitchen([order({ id: "a", number: 7, seq: 10 })]);
    const touch = k.actions.bump("a");
    const doubleTap = k.actions.bump("a");
    k.actions.press({ kind: "bump" });
    k.galleyd.refuse = true;
    await k.galleyd.answer();
    await Promise.all([touch, doubleTap, k.actions.idle()]);
    assert.deepEqual(k.galleyd.log, ["PATCH a in_progress"]);
    assert.equal(k.tickets.get("a")?.order.status, "in_queue");
    assert.deepEqual(k.said, [t("kitchen.failed", { number: 7, reason: errorText(t, "invalid_transition") })]);
    await k.actions.run({ kind: "undo" });
    assert.equal(k.said.at(-1), t("kitchen.nothingToUndo"), "a failed bump is not in the history");
  });

  it("runs a key bump pressed during a touch bump of the same ticket after its answer", async () => {
    const k = kitchen([order({ id: "a", number: 8, seq: 10 })]);
    const touch = k.actions.bump("a");
    k.actions.press({ kind: "bump" });
    await k.galleyd.answer();
    await touch;
    await k.galleyd.answer();
    await k.actions.idle();
    assert.deepEqual(k.galleyd.log, ["PATCH a in_progress", "PATCH a ready"]);
    assert.equal(k.galleyd.mostOpen, 1);
  });

  it("selects the ticket in its place when a bump takes one off the screen; undo then says it cannot be taken back", async () => {
    const k = kitchen([
      order({ id: "a", number: 1, seq: 10, status: "ready" }),
      order({ id: "b", number: 2, seq: 20, status: "ready" }),
    ]);
    const bump = k.actions.bump("a");
    await k.galleyd.answer();
    await bump;
    assert.equal(k.tickets.get("a"), undefined, "completed orders leave the screen");
    assert.equal(k.selected, "b");
    await k.actions.run({ kind: "undo" });
    assert.equal(
      k.said.at(-1),
      t("kitchen.cannotUndo", { number: 1 }),
      "an order no longer on the screen cannot be taken back",
    );
  });

  it("recalls the last bumped ticket one step back and says so", async () => {
    const k = kitchen([order({ id: "a", number: 3, seq: 10, status: "in_progress" })]);
    const bump = k.actions.bump("a");
    await k.galleyd.answer();
    await bump;
    const recall = k.actions.run({ kind: "recall" });
    await k.galleyd.answer();
    await recall;
    assert.equal(k.tickets.get("a")?.order.status, "in_progress");
    assert.equal(k.selected, "a");
    assert.equal(k.said.at(-1), t("kitchen.recalled", { number: 3, status: t("status.in_progress") }));
    assert.deepEqual(k.galleyd.log, ["PATCH a ready", "PATCH a in_progress"]);
  });

  it("sends item marks and undoes them", async () => {
    const k = kitchen([order({ id: "a", number: 4, seq: 10, status: "in_progress" })]);
    const mark = k.actions.mark("a", "a-l1", true);
    await k.galleyd.answer();
    await mark;
    assert.deepEqual(k.tickets.get("a")?.order.doneMarks, ["a-l1"]);
    const undo = k.actions.run({ kind: "undo" });
    await k.galleyd.answer();
    await undo;
    assert.deepEqual(k.tickets.get("a")?.order.doneMarks, []);
    assert.equal(k.said.at(-1), t("kitchen.undone", { number: 4 }));
    assert.deepEqual(k.galleyd.log, ["POST a a-l1=true", "POST a a-l1=false"]);
  });
});
