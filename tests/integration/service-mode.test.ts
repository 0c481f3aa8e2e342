/**
 * Eat in or take away, and the table: what the customer or the cashier chose travels with the
 * order (its view, on every path that makes an order: POST /api/orders, a cart's commit, a card
 * checkout) and is printed large on the cook's ticket and on the receipt, where the people who
 * plate and hand over read it. Bad values are refused at the door and write nothing.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { startZvtSimulator, type ZvtSimulator } from "../../drivers/index.ts";
import type { OrderView } from "../../protocol/schemas/orders.ts";
import type { CheckoutView } from "../../protocol/schemas/payments.ts";
import { BURGER, COLA, FRIES, startDeviceRig, until, type DeviceRig } from "./devices/rig.ts";

type Err = { error: { code: string; message: string } };

let rig: DeviceRig;
let terminal: ZvtSimulator;
before(async () => {
  terminal = await startZvtSimulator({ password: "000000", stepMs: 2 });
  rig = await startDeviceRig(undefined, {
    devices: {
      terminals: [{ id: "t1", name: "Terminal 1", protocol: "zvt", uri: terminal.uri, kiosks: ["*"], counter: true }],
    },
  });
});
after(async () => {
  await rig.stop();
  await terminal.close();
});

/** The kitchen page of this order at this station. */
function ticket(order: { number: number }, station: string): string {
  return rig.kitchen.pages().find((p) => p.includes(station.toUpperCase()) && p.includes(`#${order.number}`)) ?? "";
}

/** The lines of a page, trimmed. */
const lines = (page: string): string[] => page.split("\n").map((l) => l.trim());

async function printed(order: OrderView, kinds: number): Promise<void> {
  await rig.waitJobs(
    "the order's jobs printed",
    `?order=${order.id}`,
    (jobs) => jobs.length === kinds && jobs.every((j) => j.state === "done"),
  );
}

describe("eat in / take away and the table", () => {
  it("keeps an eat-in order's table in its view and prints it under the number on the ticket and the receipt", async () => {
    const order = await rig.order([BURGER, COLA], rig.cashier, { serviceMode: "eat_in", table: "12" });
    assert.equal(order.serviceMode, "eat_in");
    assert.equal(order.table, "12");
    const read = await rig.app.api<OrderView>("GET", `/api/orders/${order.id}`, { token: rig.cashier });
    assert.equal(read.status, 200);
    assert.equal(read.body.serviceMode, "eat_in");
    assert.equal(read.body.table, "12");

    await printed(order, 2);
    for (const station of ["grill", "bar"]) {
      const page = lines(ticket(order, station));
      const number = page.indexOf(`#${order.number}`);
      assert.ok(number >= 0, `${station} ticket printed`);
      assert.equal(page[number + 1], "EAT IN · TABLE 12", `${station}: right under the number`);
    }

    await rig.pay(order, "cash", 5_000);
    await printed(order, 4); // + receipt and drawer kick
    const receipt = rig.counter.pages().find((p) => p.includes("ORDER") && p.includes(order.ref)) ?? "";
    const page = lines(receipt);
    assert.equal(page[page.indexOf(String(order.number)) + 1], "EAT IN · TABLE 12");
  });

  it("prints TAKE AWAY for a kiosk cart committed to take away (and no table)", async () => {
    const session = await rig.app.api<{ id: string }>("POST", "/api/sessions", { token: rig.kiosk, body: {} });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    const line = await rig.app.api("POST", `/api/sessions/${session.body.id}/lines`, { token: rig.kiosk, body: FRIES });
    assert.equal(line.status, 201, JSON.stringify(line.body));
    const commit = await rig.app.api<OrderView>("POST", `/api/sessions/${session.body.id}/commit`, {
      token: rig.kiosk,
      body: { id: randomUUID(), serviceMode: "take_away" },
    });
    assert.equal(commit.status, 201, JSON.stringify(commit.body));
    assert.equal(commit.body.serviceMode, "take_away");
    assert.equal(commit.body.table, undefined);
    await printed(commit.body, 2); // ticket and number slip
    const page = lines(ticket(commit.body, "fryer"));
    assert.equal(page[page.indexOf(`#${commit.body.number}`) + 1], "TAKE AWAY");
  });

  it("carries them through a card checkout into the order the terminal approved", async () => {
    const started = await rig.app.api<CheckoutView>("POST", "/api/checkouts", {
      token: rig.kiosk,
      body: { id: randomUUID(), orderId: randomUUID(), items: [COLA], serviceMode: "eat_in", table: "T4" },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    let view = started.body;
    await until("the terminal approved", async () => {
      const next = await rig.app.api<CheckoutView>("GET", `/api/checkouts/${view.id}`, { token: rig.kiosk });
      view = next.body;
      return view.done;
    });
    assert.equal(view.state, "approved", view.reason ?? "");
    const order = view.order;
    assert.ok(order, "the approved checkout carries its order");
    assert.equal(order.serviceMode, "eat_in");
    assert.equal(order.table, "T4");
    await rig.waitJobs("receipt printed", `?order=${order.id}&kind=receipt`, (j) => j[0]?.state === "done");
    const receipt = lines(rig.counter.pages().find((p) => p.includes("ORDER") && p.includes(order.ref)) ?? "");
    assert.equal(receipt[receipt.indexOf(String(order.number)) + 1], "EAT IN · TABLE T4");
  });

  it("returns the same order for a retry, and refuses the same id with another service mode", async () => {
    const id = randomUUID();
    const body = { id, items: [FRIES], serviceMode: "eat_in", table: "3" };
    const first = await rig.app.api<OrderView>("POST", "/api/orders", { token: rig.cashier, body });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const again = await rig.app.api<OrderView>("POST", "/api/orders", { token: rig.cashier, body });
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body, "the same reply, byte for byte");
    for (const changed of [
      { ...body, serviceMode: "take_away" },
      { ...body, table: "4" },
      { id, items: [FRIES] },
    ]) {
      const other = await rig.app.api<Err>("POST", "/api/orders", { token: rig.cashier, body: changed });
      assert.equal(other.status, 409, JSON.stringify(changed));
      assert.equal(other.body.error.code, "idempotency_conflict");
    }
    const read = await rig.app.api<OrderView>("GET", `/api/orders/${id}`, { token: rig.cashier });
    assert.equal(read.body.serviceMode, "eat_in");
    assert.equal(read.body.table, "3");
  });

  it("refuses a bad service mode or table with 400 on every path and writes nothing", async () => {
    const bad: Record<string, unknown>[] = [
      { serviceMode: "dine_in" },
      { serviceMode: "" },
      { serviceMode: null },
      { table: "" },
      { table: "1234567890123" },
      { table: 12 },
      { table: "12\x1bp\x00\x19" },
      { table: "12\n" },
      { table: "\u202e21" },
    ];
    const jobsBefore = (await rig.jobs()).length;
    for (const extra of bad) {
      const id = randomUUID();
      const placed = await rig.app.api<Err>("POST", "/api/orders", {
        token: rig.cashier,
        body: { id, items: [FRIES], ...extra },
      });
      assert.equal(placed.status, 400, `orders ${JSON.stringify(extra)}: ${JSON.stringify(placed.body)}`);
      assert.equal(placed.body.error.code, "validation_failed");
      const read = await rig.app.api("GET", `/api/orders/${id}`, { token: rig.cashier });
      assert.equal(read.status, 404, "no order was written");

      const commit = await rig.app.api<Err>("POST", `/api/sessions/${randomUUID()}/commit`, {
        token: rig.kiosk,
        body: { id, ...extra },
      });
      assert.equal(commit.status, 400, `commit ${JSON.stringify(extra)}`);
      const checkout = await rig.app.api<Err>("POST", "/api/checkouts", {
        token: rig.kiosk,
        body: { id: randomUUID(), orderId: id, items: [COLA], ...extra },
      });
      assert.equal(checkout.status, 400, `checkout ${JSON.stringify(extra)}`);
      assert.equal((await rig.app.api("GET", `/api/orders/${id}`, { token: rig.cashier })).status, 404);
    }
    assert.equal((await rig.jobs()).length, jobsBefore, "nothing was printed");
  });
});
