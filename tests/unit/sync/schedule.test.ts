/** Job schedules: every N, daily at HH:MM in the store's zone (DST included), catch-up once. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { dailyAfter, describeSchedule, nextRunAt, zonedToUtc } from "../../../appliance/jobs/schedule.ts";

const at = (iso: string) => Date.parse(iso);

describe("schedules", () => {
  it("every N: from the last start, a missed run catches up once", () => {
    const every = { kind: "every", ms: 6 * 3_600_000 } as const;
    const now = at("2026-11-25T12:00:00Z");
    assert.equal(nextRunAt(every, undefined, now), now + 6 * 3_600_000);
    assert.equal(nextRunAt(every, now - 3_600_000, now), now + 5 * 3_600_000);
    assert.equal(nextRunAt(every, now - 30 * 3_600_000, now), now, "missed while off: once, now");
    assert.equal(
      nextRunAt(every, now + 86_400_000, now),
      now + 6 * 3_600_000,
      "a last run in the future (clock went back) does not stall it",
    );
    assert.equal(nextRunAt({ kind: "off" }, undefined, now), undefined);
  });

  it("daily at HH:MM in the store's zone, across DST changes", () => {
    assert.equal(
      new Date(dailyAfter("03:50", "Europe/Berlin", at("2026-11-25T12:00:00Z"))).toISOString(),
      "2026-11-26T02:50:00.000Z",
    );
    assert.equal(
      new Date(dailyAfter("03:50", "Europe/Berlin", at("2026-07-01T00:00:00Z"))).toISOString(),
      "2026-07-01T01:50:00.000Z",
    );
    assert.equal(
      new Date(dailyAfter("00:00", "UTC", at("2026-11-25T00:00:00Z"))).toISOString(),
      "2026-11-26T00:00:00.000Z",
      "strictly after",
    );
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 local.
    assert.equal(
      new Date(dailyAfter("12:00", "Europe/Berlin", at("2026-10-24T12:00:00Z"))).toISOString(),
      "2026-10-25T11:00:00.000Z",
    );
    assert.equal(new Date(zonedToUtc(2026, 3, 29, 12, 0, "Europe/Berlin")).toISOString(), "2026-03-29T10:00:00.000Z");
    const daily = { kind: "daily", at: "00:00", timeZone: "UTC" } as const;
    const now = at("2026-11-25T12:00:00Z");
    assert.equal(nextRunAt(daily, at("2026-11-23T00:00:00Z"), now), now, "a missed midnight runs once at start");
    assert.equal(nextRunAt(daily, at("2026-11-25T00:00:01Z"), now), at("2026-11-26T00:00:00Z"));
    assert.equal(describeSchedule(daily), "daily at 00:00 (UTC)");
    assert.equal(describeSchedule({ kind: "every", ms: 21_600_000 }), "every 6 h");
  });
});
