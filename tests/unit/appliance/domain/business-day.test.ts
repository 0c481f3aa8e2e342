import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { businessDate, formatDate, nextOrderNumber, orderRef } from "../../../../appliance/domain/business-day.ts";

describe("business day", () => {
  it("starts the day at the configured hour in the store's time zone", () => {
    // 2026-11-25 02:30 in Berlin (UTC+1) is 01:30 UTC: still the 24th's business day with a 04:00 start.
    assert.equal(businessDate(Date.UTC(2026, 10, 25, 1, 30), "Europe/Berlin", 4), "2026-11-24");
    assert.equal(businessDate(Date.UTC(2026, 10, 25, 3, 30), "Europe/Berlin", 4), "2026-11-25");
    assert.equal(businessDate(Date.UTC(2026, 10, 25, 1, 30), "Europe/Berlin", 0), "2026-11-25");
    assert.equal(businessDate(Date.UTC(2026, 10, 25, 23, 30), "America/New_York", 4), "2026-11-25");
  });

  it("formats references as ORD-{date}-{random} with a configurable date format", () => {
    assert.equal(orderRef("ORD-", "yyyyMMdd", "2026-11-25", "7QK2MD"), "ORD-20261125-7QK2MD");
    assert.equal(orderRef("PED-", "yy.MM.dd", "2026-01-05", "AB12"), "PED-26.01.05-AB12");
    assert.equal(formatDate("2026-03-09", "dd/MM/yyyy"), "09/03/2026");
  });
});

const none = () => false;
const taken = (numbers: number[]) => (n: number) => numbers.includes(n);

describe("nextOrderNumber", () => {
  it("counts up from the start", () => {
    assert.equal(nextOrderNumber(null, 1, 999, none), 1);
    assert.equal(nextOrderNumber(41, 1, 999, none), 42);
  });

  it("wraps after the maximum and skips numbers still on the board", () => {
    assert.equal(nextOrderNumber(999, 1, 999, none), 1);
    assert.equal(nextOrderNumber(999, 1, 999, taken([1, 2, 3])), 4);
    assert.equal(nextOrderNumber(5, 1, 999, taken([6, 7])), 8);
  });

  it("never returns a number in use, even when every number is taken", () => {
    const all = new Set(Array.from({ length: 10 }, (_, i) => i + 1));
    const n = nextOrderNumber(3, 1, 10, (x) => all.has(x));
    assert.ok(!all.has(n));
    assert.equal(n, 11);
  });
});
