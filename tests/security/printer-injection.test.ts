/**
 * Finding 1 (high): a kiosk order's pickup name carried `ESC p` and `GS V` to the counter printer,
 * and the number slip opened the cash drawer and cut the paper. Two walls now: the API refuses
 * control characters, bidi overrides and lone surrogates in every free-text field (one shared
 * format, named in the refusal), and the drivers never let a text run become a command — checked
 * here against TCP printer simulators with text that passes the API (cp437 look-alike glyphs).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { BURGER, startDeviceRig, ticketCopies, until, type DeviceRig } from "../integration/devices/rig.ts";

type Err = { error: { code: string; message: string; details?: { errors?: string[] } } };

let rig: DeviceRig;
before(async () => {
  rig = await startDeviceRig(undefined);
});
after(() => rig.stop());

/** The journal's head: a refused request must not move it. */
async function seq(): Promise<number> {
  return (await rig.app.api<{ seq: number }>("GET", "/api/diagnostics/ping")).body.seq;
}

/** The reproduction from the review: ESC p 0 25 250 (drawer kick), then GS V 0 (cut). */
const DRAWER_AND_CUT = "MARK\u001bp\u0000\u0019\u00fa\u001dV\u0000END";

function assertRefusedField(res: { status: number; body: unknown }, field: string): void {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  const { error } = res.body as Err;
  assert.equal(error.code, "validation_failed");
  assert.ok(
    error.details?.errors?.some((line) => line.startsWith(`${field}: must be plain text`)),
    `refusal names ${field}: ${JSON.stringify(error)}`,
  );
}

describe("finding 1: printer command injection", () => {
  it("refuses control bytes in a kiosk cart's pickup name and note, naming the field, and writes nothing", async () => {
    const cart = await rig.app.api<{ id: string }>("POST", "/api/sessions", { token: rig.kiosk, body: {} });
    assert.equal(
      (
        await rig.app.api("POST", `/api/sessions/${cart.body.id}/lines`, {
          token: rig.kiosk,
          body: { menuItemId: "fries", quantity: 1 },
        })
      ).status,
      201,
    );
    const before = await seq();
    const pulses = rig.counter.simulator.pulses.length;
    assertRefusedField(
      await rig.app.api("POST", `/api/sessions/${cart.body.id}/commit`, {
        token: rig.kiosk,
        body: { id: randomUUID(), pickupName: DRAWER_AND_CUT },
      }),
      "body.pickupName",
    );
    assertRefusedField(
      await rig.app.api("POST", `/api/sessions/${cart.body.id}/commit`, {
        token: rig.kiosk,
        body: { id: randomUUID(), note: "ok\u0010\u0014\u0001" },
      }),
      "body.note",
    );
    assert.equal(await seq(), before);
    assert.equal(rig.counter.simulator.pulses.length, pulses);
    assert.equal(
      (await rig.app.api("POST", `/api/sessions/${cart.body.id}/abandon`, { token: rig.kiosk })).status,
      200,
    );
  });

  it("refuses them in a line note, a status reason and a payment reference too", async () => {
    const before = await seq();
    assertRefusedField(await rig.app.placeOrder(rig.kiosk, [{ ...BURGER, note: "\u001bp0AB" }]), "body.items[0].note");
    assert.equal(await seq(), before);
    const order = await rig.order();
    const afterOrder = await seq();
    assertRefusedField(
      await rig.app.api("PATCH", `/api/orders/${order.id}/status`, {
        token: rig.cashier,
        body: { status: "cancelled", reason: "no\u0000" },
      }),
      "body.reason",
    );
    assertRefusedField(
      await rig.app.api("POST", `/api/orders/${order.id}/payments`, {
        token: rig.cashier,
        body: { id: randomUUID(), method: "card", amount: order.totals.total, reference: "\u202eevil" },
      }),
      "body.reference",
    );
    assert.equal(await seq(), afterOrder);
  });

  it("refuses NUL, ESC, a right-to-left override and a lone surrogate in user and screen names", async () => {
    const before = await seq();
    const users = await rig.app.api<{ users: { id: string; role: string }[] }>("GET", "/api/users", {
      token: rig.app.adminToken,
    });
    const cashier = users.body.users.find((u) => u.role === "cashier");
    assert.ok(cashier);
    for (const name of ["A\u0000B", "A\u001bB", "\u202eevil.exe", "A\ud800B", "line\nbreak"]) {
      assertRefusedField(
        await rig.app.api("PATCH", `/api/users/${cashier.id}`, { token: rig.app.adminToken, body: { name } }),
        "body.name",
      );
      assertRefusedField(
        await rig.app.api("POST", "/api/users", { token: rig.app.adminToken, body: { name, role: "cashier" } }),
        "body.name",
      );
      assertRefusedField(
        await rig.app.api("POST", "/api/devices/pairing-codes", {
          token: rig.app.adminToken,
          body: { role: "kiosk", name },
        }),
        "body.name",
      );
    }
    assert.equal(await seq(), before);
    // Ordinary names in any script still work, emoji (a surrogate pair) included.
    const named = await rig.app.api("PATCH", `/api/users/${cashier.id}`, {
      token: rig.app.adminToken,
      body: { name: "Zoë 李 🍔" },
    });
    assert.equal(named.status, 200, JSON.stringify(named.body));
  });

  it("prints text that passes the API (cp437 look-alikes of ESC and GS) without one command in it: no drawer kick, no extra cut", async () => {
    const pulses = rig.counter.simulator.pulses.length;
    const counterPages = rig.counter.simulator.printedPages.length;
    const kitchenPages = rig.kitchen.simulator.printedPages.length;
    // "←" is 0x1B and "↔" 0x1D in cp437: encoded naively, these spell ESC p 0 … and GS V 0.
    const order = await rig.order([{ ...BURGER, note: "←p0AB ↔V0" }], rig.kiosk, { pickupName: "←p0AB↔V0" });
    await until(
      "the number slip and the kitchen ticket printed",
      () =>
        rig.counter.simulator.printedPages.length > counterPages &&
        rig.kitchen.simulator.printedPages.length > kitchenPages,
    );
    await rig.waitJobs(
      "every job of the order done",
      `?order=${order.id}`,
      (jobs) => jobs.length > 0 && jobs.every((j) => j.state === "done"),
    );
    assert.equal(rig.counter.simulator.pulses.length, pulses, "the drawer was not kicked");
    assert.equal(rig.counter.simulator.printedPages.length, counterPages + 1, "one cut: the slip's own");
    assert.equal(rig.kitchen.simulator.printedPages.length, kitchenPages + 1, "one cut: the ticket's own");
    assert.equal(ticketCopies(rig.kitchen.pages(), order.number).plain, 1);
    const slip = rig.counter.pages().at(-1) ?? "";
    assert.match(slip, /\?p0AB\?V0/, `the look-alikes print as "?": ${slip}`);
  });
});
