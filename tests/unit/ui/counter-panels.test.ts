/**
 * The counter panels' pure parts: counting the drawer in notes and coins, amounts as cashiers
 * type them, which clock actions are offered, and the body of a manager's attendance correction.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../../ui/src/data/api.ts";
import { legalActions, refusedState } from "../../../ui/src/apps/counter/counter-panels-clock-actions.ts";
import { correctionBody } from "../../../ui/src/apps/counter/counter-panels-clock-corrections.ts";
import {
  countedDenominations,
  denominationsOf,
  denominationsTotal,
} from "../../../ui/src/apps/counter/counter-panels-denominations.ts";
import { parseMoney, plainMoney } from "../../../ui/src/apps/counter/counter-panels-money.ts";

describe("counter panels", () => {
  it("counts euro notes and coins, largest first, and refuses counts that are not whole numbers", () => {
    const rows = denominationsOf("EUR");
    assert.equal(rows.length, 15);
    assert.deepEqual(rows[0], { value: 50_000, kind: "note" });
    assert.deepEqual(rows.at(-1), { value: 1, kind: "coin" });
    assert.equal(rows.find((r) => r.value === 500)?.kind, "note");
    assert.equal(rows.find((r) => r.value === 200)?.kind, "coin");
    assert.deepEqual(denominationsOf("USD"), [], "another currency is counted as a plain total");

    const counted = countedDenominations(
      new Map([
        [5_000, "2"],
        [10, " 3 "],
        [1, ""],
        [2_000, "0"],
      ]),
    );
    assert.deepEqual(counted, [
      { value: 5_000, count: 2 },
      { value: 10, count: 3 },
    ]);
    assert.ok(counted);
    assert.equal(denominationsTotal(counted), 10_030);
    assert.equal(countedDenominations(new Map([[100, "1.5"]])), undefined);
    assert.equal(countedDenominations(new Map([[100, "-1"]])), undefined);
  });

  it("reads amounts as cashiers type them", () => {
    assert.equal(parseMoney("12.50", "EUR"), 1250);
    assert.equal(parseMoney("12,5", "EUR"), 1250);
    assert.equal(parseMoney(" € 20 ", "EUR"), 2000);
    assert.equal(parseMoney("1.234,50", "EUR"), undefined, "thousands separators are not guessed");
    assert.equal(parseMoney("abc", "EUR"), undefined);
    assert.equal(parseMoney("-5", "EUR"), undefined);
    assert.equal(parseMoney("500", "JPY"), 500);
    assert.equal(plainMoney(390, "EUR"), "3.90");
    assert.equal(plainMoney(500, "JPY"), "500");
  });

  it("offers the clock actions that fit, and narrows them after a refusal", () => {
    assert.deepEqual(legalActions("out"), ["clock_in"]);
    assert.deepEqual(legalActions("in"), ["break_start", "clock_out"]);
    assert.deepEqual(legalActions("on_break"), ["break_end", "clock_out"]);
    assert.equal(legalActions(undefined).length, 4, "a PIN's state is not known before acting");
    const refusal = new ApiError(409, "attendance_state", "cannot clock in while in", {
      state: "in",
      action: "clock_in",
    });
    assert.equal(refusedState(refusal), "in");
    assert.equal(refusedState(new ApiError(401, "invalid_pin", "wrong PIN")), undefined);
  });

  it("builds a correction's body only when it is complete", () => {
    const entry = {
      id: "0b9c2c52-9a42-4a8e-9c51-0d4f8d1d7a10",
      userId: "6f1c5b8e-3c1e-4d0e-8b8a-9a8e2f9b7c11",
      name: "Kim",
      action: "clock_in" as const,
      at: "2026-12-07T08:00:00.000Z",
      by: { kind: "user" as const, id: "x", name: "Kim" },
      recordedAt: "2026-12-07T08:00:00.000Z",
      corrects: null,
      voided: false,
      reason: null,
      superseded: false,
    };
    const base = { userId: entry.userId, action: "clock_in" as const, at: "2026-12-07T07:30", reason: "" };
    assert.deepEqual(correctionBody({ ...base, kind: "move", entry }), { missing: "reason" });
    const moved = correctionBody({ ...base, kind: "move", entry, reason: " Forgot " });
    assert.ok("body" in moved);
    assert.equal(moved.body.entryId, entry.id);
    assert.equal(moved.body.reason, "Forgot");
    assert.equal(moved.body.action, undefined, "the action is sent only when it changes");
    assert.equal(moved.body.at, new Date("2026-12-07T07:30").toISOString());
    assert.deepEqual(correctionBody({ ...base, kind: "remove", entry, reason: "By mistake" }), {
      body: { entryId: entry.id, void: true, reason: "By mistake" },
    });
    assert.deepEqual(correctionBody({ ...base, kind: "add", userId: "", reason: "Missed" }), { missing: "person" });
    assert.deepEqual(correctionBody({ ...base, kind: "add", at: "", reason: "Missed" }), { missing: "time" });
  });
});
