/**
 * Staff attendance through the real galleyd: clocking in and out with one's own token or with a
 * PIN on a paired kitchen display, breaks, the state machine, the PIN limiter, managers'
 * corrections kept beside the original, who sees whose hours, and the journal's events.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../../appliance/lib/clock.ts";
import { eventsSince } from "../../appliance/journal/events.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import type { TokenResponse, UserView } from "../../protocol/schemas/auth.ts";
import type { AttendanceEntryView, AttendanceResponse, AttendanceStatusView } from "../../protocol/schemas/cash.ts";

type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };

const MINUTE = 60_000;
// 10:00 in Berlin: store day 2026-11-25 (the day starts at 04:00).
const clock = new ManualClock(Date.UTC(2026, 10, 25, 9, 0));
let t: TestApp;
let kitchen: string;

async function person(name: string, role: string, pin: string): Promise<{ id: string; token: string }> {
  const created = await t.api<UserView>("POST", "/api/users", { token: t.adminToken, body: { name, role, pin } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const login = await t.api<TokenResponse>("POST", "/api/auth/login", { body: { pin } });
  assert.equal(login.status, 200);
  return { id: created.body.id, token: login.body.token };
}

function clockAs(token: string, action: string, pin?: string) {
  return t.api<AttendanceStatusView & Err>("POST", "/api/attendance/clock", {
    token,
    body: pin === undefined ? { action } : { action, pin },
  });
}

function day(token: string, query = "") {
  return t.api<AttendanceResponse & Err>("GET", `/api/attendance${query}`, { token });
}

function rowCount(): number {
  return t.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM attendance")?.n ?? 0;
}

before(async () => {
  t = await startTestApp({ clock, monotonic: () => clock.now(), config: { auth: { loginAttemptsPerMinute: 3 } } });
  kitchen = await t.tokenFor("kitchen");
});
after(() => t.stop());

describe("clocking in and out", () => {
  it("a cashier clocks in and out with their own token; a PIN beside the token is refused", async () => {
    const sam = await person("Sam", "cashier", "2468");
    const withPin = await clockAs(sam.token, "clock_in", "2468");
    assert.equal(withPin.status, 400);
    assert.equal(withPin.body.error.code, "validation_failed");
    assert.equal(rowCount(), 0);

    const inRes = await clockAs(sam.token, "clock_in");
    assert.equal(inRes.status, 201);
    assert.equal(inRes.body.state, "in");
    assert.equal(inRes.body.userId, sam.id);
    assert.equal(inRes.body.since, new Date(clock.now()).toISOString());
    clock.advance(90 * MINUTE);
    const out = await clockAs(sam.token, "clock_out");
    assert.equal(out.status, 201);
    assert.equal(out.body.state, "out");
    assert.equal(out.body.workedMinutesToday, 90);
  });

  it("a kitchen display clocks a cook in with the cook's PIN; the entry's actor is the display", async () => {
    const cook = await person("Kai", "kitchen", "8642");
    const noPin = await clockAs(kitchen, "clock_in");
    assert.equal(noPin.status, 400);
    assert.equal(noPin.body.error.code, "validation_failed");

    const res = await clockAs(kitchen, "clock_in", "8642");
    assert.equal(res.status, 201);
    assert.equal(res.body.userId, cook.id);
    assert.equal(res.body.name, "Kai");
    assert.equal(res.body.state, "in");

    const screen = await day(kitchen);
    assert.equal(screen.status, 200);
    assert.deepEqual(screen.body.entries, [], "a paired screen sees who is in, not the entries");
    const kai = screen.body.people.find((p) => p.userId === cook.id);
    assert.equal(kai?.state, "in");

    const managerView = await day(t.adminToken, `?userId=${cook.id}`);
    const entry = managerView.body.entries.at(-1);
    assert.equal(entry?.by.kind, "device");
    assert.equal(entry.by.name, "kitchen test");
    assert.equal(entry.userId, cook.id);
  });

  it("limits wrong PINs on a paired screen like the sign-in, and refuses a deactivated person", async () => {
    const before = rowCount();
    for (let i = 0; i < 3; i += 1) {
      const wrong = await clockAs(kitchen, "clock_in", "0000");
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, "invalid_pin");
    }
    const locked = await clockAs(kitchen, "clock_out", "8642");
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, "too_many_attempts");
    assert.equal(rowCount(), before, "nothing was written");
    clock.advance(61_000);
    assert.equal((await clockAs(kitchen, "clock_out", "8642")).status, 201);

    const gone = await person("Gone", "kitchen", "1122");
    await t.api("PATCH", `/api/users/${gone.id}`, { token: t.adminToken, body: { status: "deactivated" } });
    const refused = await clockAs(kitchen, "clock_in", "1122");
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, "account_deactivated");
  });

  it("refuses actions that may not follow the state with 409 and writes nothing", async () => {
    const ana = await person("Ana", "cashier", "3579");
    const before = rowCount();
    for (const action of ["clock_out", "break_start", "break_end"]) {
      const res = await clockAs(ana.token, action);
      assert.equal(res.status, 409, action);
      assert.equal(res.body.error.code, "attendance_state");
      assert.deepEqual(res.body.error.details, { state: "out", action });
    }
    assert.equal((await clockAs(ana.token, "clock_in")).status, 201);
    const twice = await clockAs(ana.token, "clock_in");
    assert.equal(twice.status, 409);
    assert.deepEqual(twice.body.error.details, { state: "in", action: "clock_in" });
    assert.equal((await clockAs(ana.token, "break_start")).status, 201);
    const breakAgain = await clockAs(ana.token, "break_start");
    assert.deepEqual(breakAgain.body.error.details, { state: "on_break", action: "break_start" });
    assert.equal(rowCount(), before + 2);
    // Clocking out during a break ends both.
    const out = await clockAs(ana.token, "clock_out");
    assert.equal(out.status, 201);
    assert.equal(out.body.state, "out");
  });

  it("does not count breaks in the minutes worked, and counts an open shift up to now", async () => {
    const ben = await person("Ben", "cashier", "4680");
    await clockAs(ben.token, "clock_in");
    clock.advance(60 * MINUTE);
    const onBreak = await clockAs(ben.token, "break_start");
    assert.equal(onBreak.body.state, "on_break");
    assert.equal(onBreak.body.workedMinutesToday, 60);
    clock.advance(30 * MINUTE);
    const back = await clockAs(ben.token, "break_end");
    assert.equal(back.body.workedMinutesToday, 60, "the break is not worked time");
    clock.advance(45 * MINUTE);
    const mine = await day(ben.token);
    const [self] = mine.body.people;
    assert.equal(self?.state, "in");
    assert.equal(self.workedMinutesToday, 105, "the open shift counts up to now");
  });
});

describe("corrections and who sees what", () => {
  it("a manager's correction keeps the original, superseded, and changes the minutes worked", async () => {
    const mia = await person("Mia", "manager", "1357");
    const cara = await person("Cara", "cashier", "9753");
    await clockAs(cara.token, "clock_in");
    const clockedInAt = clock.now();
    clock.advance(60 * MINUTE);
    const out = await clockAs(cara.token, "clock_out");
    assert.equal(out.body.workedMinutesToday, 60);
    const original = (await day(cara.token)).body.entries.find((e) => e.action === "clock_in");
    assert.ok(original);

    // She forgot to clock in when she came, half an hour earlier.
    const earlier = new Date(clockedInAt - 30 * MINUTE).toISOString();
    const fixed = await t.api<AttendanceEntryView>("POST", "/api/attendance/corrections", {
      token: mia.token,
      body: { entryId: original.id, at: earlier, reason: "forgot to clock in" },
    });
    assert.equal(fixed.status, 201);
    assert.equal(fixed.body.corrects, original.id);
    assert.equal(fixed.body.at, earlier);
    assert.equal(fixed.body.action, "clock_in");
    assert.equal(fixed.body.by.id, mia.id);
    assert.equal(fixed.body.reason, "forgot to clock in");

    const seen = await day(mia.token, `?userId=${cara.id}`);
    const kept = seen.body.entries.find((e) => e.id === original.id);
    assert.equal(kept?.superseded, true, "the original stays, marked superseded");
    assert.equal(kept.at, original.at);
    assert.equal(seen.body.people.find((p) => p.userId === cara.id)?.workedMinutesToday, 90);

    const again = await t.api<Err>("POST", "/api/attendance/corrections", {
      token: mia.token,
      body: { entryId: original.id, at: earlier, reason: "twice" },
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "attendance_state");

    // Removing the corrected clock-in leaves a clock-out alone: nothing worked.
    const removed = await t.api<AttendanceEntryView>("POST", "/api/attendance/corrections", {
      token: mia.token,
      body: { entryId: fixed.body.id, void: true, reason: "was not here" },
    });
    assert.equal(removed.status, 201);
    assert.equal(removed.body.voided, true);
    const after = await day(cara.token);
    assert.equal(after.body.people[0]?.workedMinutesToday, 0);

    // A missing entry added back.
    const added = await t.api<AttendanceEntryView>("POST", "/api/attendance/corrections", {
      token: mia.token,
      body: {
        userId: cara.id,
        action: "clock_in",
        at: new Date(clockedInAt).toISOString(),
        reason: "was here after all",
      },
    });
    assert.equal(added.status, 201);
    assert.equal(added.body.corrects, null);
    assert.equal((await day(cara.token)).body.people[0]?.workedMinutesToday, 60);

    const unknown = await t.api<Err>("POST", "/api/attendance/corrections", {
      token: mia.token,
      body: { entryId: "00000000-0000-4000-8000-000000000000", void: true, reason: "x" },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "attendance_entry_not_found");
  });

  it("a manager cannot correct their own entry; an admin can", async () => {
    const max = await person("Max", "manager", "2244");
    const own = await clockAs(max.token, "clock_in");
    assert.equal(own.status, 201);
    const entry = (await day(max.token, `?userId=${max.id}`)).body.entries.at(-1);
    assert.ok(entry);
    const before = rowCount();
    const refused = await t.api<Err>("POST", "/api/attendance/corrections", {
      token: max.token,
      body: { entryId: entry.id, at: new Date(clock.now() - 60 * MINUTE).toISOString(), reason: "came early" },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "forbidden");
    const addOwn = await t.api<Err>("POST", "/api/attendance/corrections", {
      token: max.token,
      body: { userId: max.id, action: "clock_out", at: new Date(clock.now()).toISOString(), reason: "x" },
    });
    assert.equal(addOwn.status, 403);
    assert.equal(rowCount(), before);
    const byAdmin = await t.api<AttendanceEntryView>("POST", "/api/attendance/corrections", {
      token: t.adminToken,
      body: { entryId: entry.id, at: new Date(clock.now() - 60 * MINUTE).toISOString(), reason: "came early" },
    });
    assert.equal(byAdmin.status, 201);
  });

  it("a cashier sees only their own entries; a manager sees everyone's", async () => {
    const dana = await person("Dana", "cashier", "5566");
    await clockAs(dana.token, "clock_in");
    const mine = await day(dana.token);
    assert.equal(mine.status, 200);
    assert.ok(mine.body.entries.length > 0);
    assert.ok(mine.body.entries.every((e) => e.userId === dana.id));
    assert.deepEqual(
      mine.body.people.map((p) => p.userId),
      [dana.id],
    );
    const someoneElse = await day(dana.token, `?userId=${(await person("Eli", "cashier", "7788")).id}`);
    assert.equal(someoneElse.status, 403);
    const cashierCorrects = await t.api<Err>("POST", "/api/attendance/corrections", {
      token: dana.token,
      body: { userId: dana.id, action: "clock_out", at: new Date(clock.now()).toISOString(), reason: "x" },
    });
    assert.equal(cashierCorrects.status, 403);

    const all = await day(t.adminToken);
    const names = new Set(all.body.entries.map((e) => e.name));
    for (const name of ["Sam", "Kai", "Ana", "Ben", "Cara", "Dana"]) assert.ok(names.has(name), name);
    assert.ok(all.body.entries.some((e) => e.superseded));
  });

  it("writes attendance.clocked and attendance.corrected to the journal with who and when", () => {
    const events = eventsSince(t.app.ctx.journal, 0, 10_000, ["attendance.clocked", "attendance.corrected"]);
    const clocked = events.filter((e) => e.type === "attendance.clocked");
    const corrected = events.filter((e) => e.type === "attendance.corrected");
    assert.ok(clocked.length >= 10);
    assert.equal(corrected.length, 4);
    const byKitchen = clocked.find((e) => e.actor.kind === "device");
    assert.ok(byKitchen?.type === "attendance.clocked");
    assert.equal(byKitchen.payload.name, "Kai");
    assert.equal(byKitchen.aggregateId, byKitchen.payload.userId);
    assert.equal(byKitchen.createdAt, byKitchen.payload.at);
    const first = corrected[0];
    assert.ok(first?.type === "attendance.corrected");
    assert.equal(first.actor.name, "Mia");
    assert.equal(first.payload.reason, "forgot to clock in");
    assert.ok(first.payload.corrects);
  });
});
