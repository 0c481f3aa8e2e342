/**
 * Order backups' statistics per cash shift: the orders placed while a shift was open count in
 * that shift, those placed while none was open in the "outside any shift" row, and boards that
 * do not work in shifts get no shift rows at all.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../../../appliance/lib/clock.ts";
import type { BackupStats, ShiftStats } from "../../../protocol/schemas/backups.ts";
import type { CashShiftView } from "../../../protocol/schemas/cash.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";

const MINUTE = 60_000;
let t: TestApp | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function place(app: TestApp, kiosk: string, n: number): Promise<number> {
  let amount = 0;
  for (let i = 0; i < n; i += 1) {
    const placed = await app.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }]);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    amount += placed.body.totals.total;
  }
  return amount;
}

async function stats(app: TestApp, query = ""): Promise<BackupStats> {
  const res = await app.api<BackupStats>("GET", `/api/backups/orders/stats${query}`, { token: app.adminToken });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

function summary(row: ShiftStats): [string | null, number, number, boolean, number] {
  return [row.id, row.orders, row.total, row.matches, row.amount];
}

describe("order backups per cash shift", () => {
  it("without shifts (cash.shifts off, none ever opened) there are no shift rows", async () => {
    t = await startTestApp();
    await place(t, await t.tokenFor("kiosk"), 2);
    const body = await stats(t);
    assert.equal(body.orders, 2);
    assert.equal(body.shifts, undefined);
  });

  it("counts the orders placed during each shift, and those placed outside any shift", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 8, 0));
    t = await startTestApp({ clock, config: { cash: { shifts: "required" } } });
    const app = t;
    const kiosk = await app.tokenFor("kiosk");

    // Required shifts, none opened yet: every order is outside.
    const before = await place(app, kiosk, 1);
    const early = await stats(app);
    assert.deepEqual(early.shifts?.map(summary), [[null, 1, 1, true, before]]);

    clock.advance(10 * MINUTE);
    const opened = await app.api<CashShiftView>("POST", "/api/cash/open", {
      token: app.adminToken,
      body: { openingFloat: 10_000 },
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    clock.advance(MINUTE);
    const during = await place(app, kiosk, 2);
    clock.advance(MINUTE);
    const closed = await app.api<{ shift: CashShiftView }>("POST", "/api/cash/close", {
      token: app.adminToken,
      body: { counted: 10_000 },
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    clock.advance(MINUTE);
    const between = await place(app, kiosk, 1);

    clock.advance(MINUTE);
    const second = await app.api<CashShiftView>("POST", "/api/cash/open", { token: app.adminToken, body: {} });
    assert.equal(second.status, 201);
    clock.advance(MINUTE);
    const open = await place(app, kiosk, 3);

    const body = await stats(app);
    assert.equal(body.orders, 7);
    const shifts = body.shifts ?? [];
    assert.deepEqual(shifts.map(summary), [
      [second.body.id, 3, 3, true, open],
      [opened.body.id, 2, 2, true, during],
      [null, 2, 2, true, before + between],
    ]);
    const [newest, first, outside] = shifts;
    assert.equal(newest?.closedAt, null, "the open shift counts up to now");
    assert.equal(newest.drawer, second.body.drawer);
    assert.equal(first?.openedAt, opened.body.openedAt);
    assert.equal(first.closedAt, closed.body.shift.closedAt);
    assert.equal(first.backup, 2, "not yet sent upstream: no target is connected");
    assert.equal(outside?.drawer, null);
    assert.equal(outside.openedAt, null);

    // Backup records lost (cleanup, or an order that never got one) show as a mismatch in their shift.
    app.app.ctx.journal.transaction(() => {
      app.app.ctx.journal.run(
        "DELETE FROM order_backups WHERE order_id = (SELECT order_id FROM order_backups ORDER BY order_seq DESC LIMIT 1)",
      );
    });
    const after = (await stats(app)).shifts?.[0];
    assert.deepEqual([after?.orders, after?.total, after?.matches], [3, 2, false]);

    // A range without orders or shifts lists none; the day's range lists them all.
    assert.deepEqual((await stats(app, "?from=2026-11-26")).shifts, []);
    assert.equal((await stats(app, "?from=2026-11-25&to=2026-11-25")).shifts?.length, 3);
  });

  it("lists a shift without orders, and shifts on a board that has them even with cash.shifts off", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 8, 0));
    t = await startTestApp({ clock });
    const opened = await t.api<CashShiftView>("POST", "/api/cash/open", { token: t.adminToken, body: {} });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const body = await stats(t);
    assert.equal(body.orders, 0);
    assert.deepEqual(body.shifts?.map(summary), [[opened.body.id, 0, 0, true, 0]]);
  });
});
