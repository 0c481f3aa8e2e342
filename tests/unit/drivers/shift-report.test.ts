/**
 * The X and Z reports on paper, read back from the printer simulator as a cashier reads them:
 * every figure right-aligned in the paper's columns, the difference signed in words, the blind
 * close's hidden expected figure, and a cashier's reason that cannot become printer commands.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  commandBytes,
  createPrinterSimulator,
  encodeDocument,
  renderShiftReport,
  resolveProfile,
  type ShiftReportData,
} from "../../../drivers/index.ts";

const Z_REPORT: ShiftReportData = {
  storeName: "Harbour Grill",
  kind: "z",
  drawer: "main",
  currency: "EUR",
  openedAt: "2026-05-24T08:00:00.000Z",
  openedBy: "Alice",
  closedAt: "2026-05-24T16:30:00.000Z",
  closedBy: "Bob",
  openingFloatMinor: 10_000,
  cashSalesMinor: 4_550,
  cashSalesCount: 3,
  cashRefundsMinor: 500,
  cashRefundsCount: 1,
  cashInMinor: 2_000,
  cashOutMinor: 1_200,
  movements: [
    {
      type: "cash_in",
      amountMinor: 2_000,
      reason: "Change from the bank",
      at: "2026-05-24T09:30:00.000Z",
      by: "Alice",
    },
    { type: "cash_out", amountMinor: 1_200, reason: "Window cleaner", at: "2026-05-24T11:05:00.000Z", by: "Bob" },
  ],
  expectedMinor: 14_850,
  countedMinor: 14_700,
  overShortMinor: -150,
  otherMethods: [{ label: "Card", count: 4, amountMinor: 6_000, tipsMinor: 200 }],
  totalTakenMinor: 10_750,
  orders: 8,
  printedAt: "2026-05-24T16:30:05.000Z",
};

function paper(data: ShiftReportData, profileId: string): string {
  const profile = resolveProfile(profileId);
  const sim = createPrinterSimulator({ profile });
  void sim.receive(commandBytes(encodeDocument(renderShiftReport(data, profile), profile)));
  assert.equal(sim.printedPages.length, 1, "one page, cut");
  return sim.text();
}

describe("shift report", () => {
  for (const [profileId, width] of [
    ["epson-tm-t20", 48],
    ["epson-tm-t88", 42],
    ["generic-58", 32],
  ] as const) {
    it(`lays every figure flush right in ${width} columns (${profileId})`, () => {
      const text = paper(Z_REPORT, profileId);
      const lines = text.split("\n");
      for (const line of lines) assert.ok(Array.from(line).length <= width, `"${line}" fits`);
      const money = lines.filter((l) => /€\d+\.\d\d$/.test(l));
      assert.ok(money.length >= 10, "float, sales, refunds, in, out, movements, expected, counted, card, total");
      for (const line of money) if (!/SHORT/.test(line)) assert.equal(Array.from(line).length, width, `"${line}"`);
    });
  }

  it("prints the Z report's figures as a cashier checks them", () => {
    const text = paper(Z_REPORT, "epson-tm-t88");
    assert.match(text, /Harbour Grill/);
    assert.match(text, /Z REPORT/);
    assert.match(text, /^Drawer +main$/m);
    assert.match(text, /^Opened +24\/05\/2026, 08:00$/m);
    assert.match(text, /^ {2}by +Alice$/m);
    assert.match(text, /^Closed +24\/05\/2026, 16:30$/m);
    assert.match(text, /^ {2}by +Bob$/m);
    assert.match(text, /^Opening float +€100\.00$/m);
    assert.match(text, /^Cash sales \(3\) +€45\.50$/m);
    assert.match(text, /^Cash refunds \(1\) +-€5\.00$/m);
    assert.match(text, /^Cash in +€20\.00$/m);
    assert.match(text, /^ {2}09:30 Change from the bank +€20\.00\n {8}\(Alice\)$/m, "a long reason wraps under itself");
    assert.match(text, /^Cash out +-€12\.00$/m);
    assert.match(text, /^ {2}11:05 Window cleaner \(Bob\) +-€12\.00$/m);
    assert.match(text, /^EXPECTED IN DRAWER +€148\.50$/m);
    assert.match(text, /^Counted +€147\.00$/m);
    assert.match(text, /^Over\/short +SHORT €1\.50$/m);
    assert.match(text, /^For information$/m);
    assert.match(text, /^Card \(4\) +€60\.00$/m);
    assert.match(text, /^ {2}tips +€2\.00$/m);
    assert.match(text, /^Total taken +€107\.50$/m);
    assert.match(text, /^Orders +8$/m);
    assert.match(text, /Printed 24\/05\/2026, 16:30/);
    // The cash rows come before the count, the count before "For information".
    const at = (re: RegExp): number => text.search(re);
    assert.ok(at(/Opening float/) < at(/EXPECTED IN DRAWER/));
    assert.ok(at(/EXPECTED IN DRAWER/) < at(/^Counted/m));
    assert.ok(at(/^Counted/m) < at(/For information/));
  });

  it("says OVER and EXACT in words", () => {
    assert.match(paper({ ...Z_REPORT, overShortMinor: 20 }, "epson-tm-t88"), /^Over\/short +OVER €0\.20$/m);
    assert.match(paper({ ...Z_REPORT, overShortMinor: 0 }, "epson-tm-t88"), /^Over\/short +EXACT$/m);
  });

  it("prints an X report mid-shift: no close, not yet counted, and a blind expected figure hidden", () => {
    const text = paper(
      {
        ...Z_REPORT,
        kind: "x",
        closedAt: undefined,
        closedBy: undefined,
        expectedMinor: null,
        countedMinor: null,
        overShortMinor: null,
      },
      "epson-tm-t88",
    );
    assert.match(text, /X REPORT/);
    assert.doesNotMatch(text, /Z REPORT|^Closed/m);
    assert.match(text, /^EXPECTED IN DRAWER$/m);
    assert.match(text, /hidden until the count/);
    assert.match(text, /^Counted +not yet$/m);
    assert.doesNotMatch(text, /Over\/short|SHORT|OVER|EXACT/);
  });

  it("prints a reason carrying ESC/GS/DLE bytes as plain text: no cut, no drawer pulse, no reset", () => {
    const profile = resolveProfile("epson-tm-t88");
    const sim = createPrinterSimulator({ profile });
    const evil = "Bank\x1bp\x00\x19\xfa cut\x1dV\x00 now\x10\x14\x01\x00\x05\tX\nY\u202e";
    const document = renderShiftReport(
      {
        ...Z_REPORT,
        movements: [{ type: "cash_out", amountMinor: 1_200, reason: evil, at: "2026-05-24T11:05:00.000Z" }],
      },
      profile,
    );
    void sim.receive(commandBytes(encodeDocument(document, profile)));
    assert.equal(sim.printedPages.length, 1, "only the report's own cut");
    assert.equal(sim.pulses.length, 0, "the drawer was not fired");
    const text = sim.text();
    // One "?" per control character, in place: the tab and line feed do not split the reason.
    assert.match(text, /^ {2}11:05 Bank\?p\?\?ú cut\?V\? +-€12\.00\n {8}now\?\?\?\?\?\?X\?Y\?$/m);
    assert.match(text, /Printed/, "the rest of the report printed after the reason");
  });

  it("prints the COPY banner on a reprint", () => {
    assert.match(paper({ ...Z_REPORT, copyBanner: "COPY" }, "epson-tm-t88"), /^ +COPY$/m);
  });
});
