import assert from "node:assert/strict";
import { describe, it } from "node:test";
import CodepageEncoder from "@point-of-sale/codepage-encoder";
import fc from "fast-check";
import {
  changeFrame,
  createDisplay,
  encodeDocument,
  itemFrame,
  orderReadyFrame,
  renderBootSlip,
  renderKitchenTicket,
  renderNumberSlip,
  renderReceipt,
  renderTestPage,
  resolveProfile,
  totalFrame,
  welcomeFrame,
  type BootSlipData,
  type DisplayCommandSetId,
  type EncodedCommand,
  type KitchenTicketData,
  type NumberSlipData,
  type PrintDocument,
  type PrinterProfile,
  type ReceiptData,
  type TestPageData,
  type TicketItem,
} from "../../../drivers/index.ts";
import { DISPLAY_COMMAND_SETS } from "../../../drivers/display/command-sets.ts";

/**
 * Security property (kiosk text injection): whatever a customer types into a name or a note, the
 * only commands the printer or the pole display receives are the ones the layout emitted.
 *
 * Each document is rendered twice: with hostile strings, and with a benign twin in which every
 * string is replaced by one of the same shape (`benign`), so both lay out and wrap identically.
 * The twin's non-text commands are what the layout emits; the hostile document must produce
 * exactly those.
 */

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const isTextByte = (byte: number): boolean => byte >= 0x20 && byte !== 0x7f;

// Keep the file under ~10 s on a slow 2-core machine (each run encodes 6 documents).
const DOCUMENT_RUNS = 40;
const DISPLAY_RUNS = 100;

const PROFILES: readonly PrinterProfile[] = ["epson-tm-t20", "epson-tm-t88", "oneway-58"].map((id) =>
  resolveProfile(id),
);

// ---- hostile strings --------------------------------------------------------------------------

/** Command sequences a customer might try to smuggle in [Epson ESC/POS APG, DM-D110, CD5220, LCI PD3000]. */
const COMMANDS = [
  "\u001bp0\u0019\u00fa", // ESC p 0 25 250: drawer kick
  "\u001bp\u0000\u0019\u00fa", // the reported pickup name's kick
  "\u001dV\u0000", // GS V 0: full cut
  "\u001dVA\u0003", // GS V A 3: feed and cut
  "\u0010\u0014\u0001\u0000\u0001", // DLE DC4 1: real-time drawer pulse
  "\u0010\u0014\u0002\u0001\u0008", // DLE DC4 2: real-time power off
  "\u0010\u0004\u0001", // DLE EOT 1: real-time status
  "\u001b@", // ESC @: reset
  "\u001d(k\u0003\u00001P0", // GS ( k: QR store with a bogus length
  "\u001d(D\u0005\u0000\u0014\u0001\u0002\u0000", // GS ( D: real-time commands on/off
  "\u001b=\u0002", // ESC = 2: talk to the pole display behind the printer
  "\u001bQA", // CD5220 ESC Q A: write the upper row
  "\u001fC\u0001", // US C 1: display cursor on
  "\u0010\u0000", // LCI: move to position 0
];
const CONTROLS = [
  "\u0000",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "\u000b",
  "\u000c",
  "\u001b",
  "\u001d",
  "\u001c",
  "\u0010",
  "\u007f",
  "\u0080",
  "\u0085",
  "\u009b",
  "\u009f",
];
const BIDI = ["\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"];
const LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ude00\ud83d"];
const ORDINARY = [
  "a",
  "Z",
  "9",
  "_",
  "-",
  " ",
  "   ",
  "é",
  "ß",
  "ŉ",
  "€",
  "·",
  "漢字",
  "😀",
  "👍🏽",
  "\u00a0",
  "\u3000",
  "Crème brûlée",
  "Ελληνικά",
  "Борщ",
];

/**
 * Every glyph the printers' code pages put at a control position (cp437 "←" is 1B, "↔" 1D, "☺" 01,
 * "•" 07, "⌂" 7F …), read from the code-page tables so none is forgotten.
 */
const CONTROL_POSITIONS = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f];
const LOOK_ALIKES = [
  ...new Set(
    PROFILES.flatMap((profile) => profile.codePageCandidates).flatMap((page) => {
      const table: readonly (number | undefined)[] = CodepageEncoder.getCodepoints(page, true);
      return CONTROL_POSITIONS.flatMap((byte) => {
        const cp = table[byte];
        return cp !== undefined && cp >= 0xa0 ? [String.fromCodePoint(cp)] : [];
      });
    }),
  ),
];

const piece = fc.oneof(
  fc.string({ unit: "binary", maxLength: 3 }),
  fc.string({ unit: "binary-ascii", maxLength: 3 }), // U+0000–U+00FF: C0 and C1 included
  fc.constantFrom(...COMMANDS),
  fc.constantFrom(...CONTROLS, ...BIDI, ...LONE_SURROGATES),
  fc.constantFrom(...LOOK_ALIKES),
  fc.constantFrom(...ORDINARY),
);

/** A hostile string, sometimes longer than a line so that it wraps. */
const hostile = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.array(piece, { maxLength: 14 }).map((pieces) => pieces.join("")),
);

/**
 * A hostile string for a field that is also QR data. Bounded so the QR stays one raster slice
 * (≤ 255 rows) for both the string and its twin: the number of slices depends on the data, not on
 * the layout. 24 UTF-16 units are at most 72 UTF-8 bytes, version ≤ 5 at ECC M.
 */
const hostileUrl = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join("").slice(0, 24));

// ---- the benign twin --------------------------------------------------------------------------

/**
 * A benign string of the same shape: one code point for each code point and one UTF-16 unit for
 * each unit (the documents count code points, the library's wrapping counts units), whitespace
 * where the documents' `wrap` sees whitespace (`\s`), but a space only where the library's wrapping
 * sees one (a tab is "?" by then), "-" kept and ASCII word characters kept as word characters
 * (the library breaks after "-" before a word character).
 */
function benign(text: string): string {
  let out = "";
  for (const ch of text) {
    if (ch === " " || ch === "-") out += ch;
    else if (/^\s$/u.test(ch)) out += "\u00a0";
    else if (/^\w$/.test(ch)) out += "x";
    else if (ch.length === 2) out += "😀";
    else out += "?";
  }
  return out;
}

/** Fields that hold no free text (times, codes, ids, a string union). */
const NOT_TEXT = new Set([
  "placedAt",
  "printedAt",
  "bootedAt",
  "codesExpireAt",
  "currency",
  "timeZone",
  "locale",
  "key",
  "kind",
]);
/** The kitchen ticket prints these upper-cased, which can change their length ("ß" → "SS"). */
const UPPER_CASED = new Set(["station", "stationLabel"]);

function twinOf(value: unknown, key: string): unknown {
  if (typeof value === "string")
    return NOT_TEXT.has(key) ? value : benign(UPPER_CASED.has(key) ? value.toUpperCase() : value);
  if (Array.isArray(value)) return value.map((item: unknown) => twinOf(item, key));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, twinOf(v, k)]));
  return value;
}

/** The same data with every free-text string replaced by its benign twin. */
const benignTwin = <T>(data: T): T => twinOf(data, "") as T;

// ---- the check ---------------------------------------------------------------------------------

/**
 * The commands that are not text, in order, as the layout decides them. `ESC t` is left out: which
 * code page prints a character depends on the character. Image and QR data depend on the QR's
 * contents, so they are compared by command only.
 */
function layoutCommands(commands: readonly EncodedCommand[]): string[] {
  return commands
    .filter((c) => c.kind !== "text" && c.name !== "ESC t")
    .map((c) => (c.kind === "image" || c.kind === "qr" ? c.name : `${c.name} ${hex(c.bytes)}`));
}

const count = (commands: readonly EncodedCommand[], kind: EncodedCommand["kind"]): number =>
  commands.filter((c) => c.kind === kind).length;

function assertOnlyLayoutCommands(render: (profile: PrinterProfile, twin: boolean) => PrintDocument | null): void {
  for (const profile of PROFILES) {
    const hostileDocument = render(profile, false);
    const benignDocument = render(profile, true);
    assert.equal(hostileDocument === null, benignDocument === null, "both print or neither");
    if (hostileDocument === null || benignDocument === null) continue;
    const actual = encodeDocument(hostileDocument, profile);
    const expected = encodeDocument(benignDocument, profile);
    for (const command of actual) {
      if (command.kind !== "text") continue;
      assert.ok(command.bytes.every(isTextByte), `${profile.id}: text run with a control byte: ${hex(command.bytes)}`);
    }
    for (const kind of ["pulse", "cut", "realtime", "status", "unknown"] as const) {
      assert.equal(count(actual, kind), count(expected, kind), `${profile.id}: ${kind} commands`);
    }
    assert.deepEqual(
      layoutCommands(actual),
      layoutCommands(expected),
      `${profile.id}: commands other than the layout's`,
    );
  }
}

// ---- document data -----------------------------------------------------------------------------

const PLACED_AT = "2026-05-24T12:03:00Z";
const minor = fc.integer({ min: 0, max: 99_999 });

const receiptData: fc.Arbitrary<ReceiptData> = fc
  .record(
    {
      store: fc.record(
        { name: hostile, addressLines: fc.array(hostile, { maxLength: 2 }), phone: hostile, taxId: hostile },
        { requiredKeys: ["name"] },
      ),
      orderNumber: hostile,
      channel: hostile,
      serviceMode: hostile,
      lines: fc.array(
        fc.record(
          {
            quantity: fc.integer({ min: 1, max: 3 }),
            name: hostile,
            totalMinor: minor,
            unitPriceMinor: minor,
            options: fc.array(fc.record({ name: hostile, priceMinor: minor }, { requiredKeys: ["name"] }), {
              maxLength: 2,
            }),
          },
          { requiredKeys: ["quantity", "name", "totalMinor"] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      discounts: fc.array(fc.record({ label: hostile, amountMinor: minor }), { maxLength: 1 }),
      taxes: fc.array(
        fc.record({ label: hostile, baseMinor: minor, taxMinor: minor }, { requiredKeys: ["label", "taxMinor"] }),
        { maxLength: 2 },
      ),
      taxesIncluded: fc.boolean(),
      payments: fc.array(
        fc.record(
          { method: hostile, amountMinor: minor, reference: hostile },
          { requiredKeys: ["method", "amountMinor"] },
        ),
        { maxLength: 2 },
      ),
      changeMinor: minor,
      statusUrl: hostileUrl,
      footerLines: fc.array(hostile, { maxLength: 2 }),
      copyBanner: hostile,
    },
    { requiredKeys: ["store", "orderNumber", "lines", "taxes", "taxesIncluded", "payments"] },
  )
  .map((data) => ({
    ...data,
    placedAt: PLACED_AT,
    timeZone: "Europe/Paris",
    currency: "EUR",
    subtotalMinor: 4560,
    totalMinor: 4360,
  }));

const ticketItems = fc.array(
  fc.record(
    {
      quantity: fc.integer({ min: 0, max: 3 }),
      name: hostile,
      options: fc.array(hostile, { maxLength: 2 }),
      note: hostile,
    },
    { requiredKeys: ["quantity", "name"] },
  ),
  { minLength: 1, maxLength: 3 },
);

/**
 * How an item looked when last sent to the kitchen. Every edit stays an edit in the twin (an
 * appended "!" is "?" there), so both versions diff alike.
 */
const EDITS = ["same", "quantity", "name", "note", "new"] as const;

const kitchenTicketData: fc.Arbitrary<KitchenTicketData> = fc
  .record(
    {
      station: hostile,
      stationLabel: hostile,
      kind: fc.constantFrom("new", "changed", "cancelled"),
      orderNumber: hostile,
      serviceMode: hostile,
      channel: hostile,
      items: ticketItems,
      edits: fc.array(fc.constantFrom(...EDITS), { minLength: 3, maxLength: 3 }),
      orderNote: hostile,
      banner: hostile,
    },
    { requiredKeys: ["station", "kind", "orderNumber", "items", "edits"] },
  )
  .map(({ edits, items: raw, ...data }) => {
    const items: TicketItem[] = raw.map((item, i) => ({ ...item, key: `k${i}`, station: data.station }));
    const previousItems = items.flatMap((item, i): TicketItem[] => {
      switch (edits[i] ?? "same") {
        case "same":
          return [item];
        case "quantity":
          return [{ ...item, quantity: item.quantity + 1 }];
        case "name":
          return [{ ...item, name: `${item.name}!` }];
        case "note":
          return [{ ...item, note: `${item.note ?? ""}!` }];
        case "new":
          return [];
      }
    });
    return {
      ...data,
      items,
      previousItems,
      placedAt: PLACED_AT,
      printedAt: "2026-05-24T12:09:00Z",
      timeZone: "Europe/Paris",
    };
  });

const numberSlipData: fc.Arbitrary<NumberSlipData> = fc
  .record(
    { storeName: hostile, orderNumber: hostile, serviceMode: hostile, message: hostile, statusUrl: hostileUrl },
    { requiredKeys: ["storeName", "orderNumber"] },
  )
  .map((data) => ({ ...data, placedAt: PLACED_AT }));

const bootSlipData: fc.Arbitrary<BootSlipData> = fc
  .record({
    boardName: hostile,
    storeName: hostile,
    version: hostile,
    addresses: fc.array(hostile, { maxLength: 2 }),
    adminUrl: hostileUrl,
    pairingCodes: fc.array(fc.record({ label: hostile, code: hostile }), { maxLength: 2 }),
  })
  .map((data) => ({ ...data, bootedAt: PLACED_AT, codesExpireAt: "2026-05-24T12:33:00Z" }));

const testPageData: fc.Arbitrary<TestPageData> = fc
  .record(
    { printerName: hostile, uri: hostile, pulseDrawer: fc.boolean() },
    { requiredKeys: ["printerName", "pulseDrawer"] },
  )
  .map((data) => ({ ...data, printedAt: PLACED_AT }));

/** Renders `data` or its benign twin for a profile. */
const twinRender =
  <T>(data: T, render: (data: T, profile: PrinterProfile) => PrintDocument | null) =>
  (profile: PrinterProfile, twin: boolean): PrintDocument | null =>
    render(twin ? benignTwin(data) : data, profile);

// ---- properties --------------------------------------------------------------------------------

describe("text injection: hostile text in documents prints as text", () => {
  it("the generators really are hostile (a test that cannot fail is a defect)", () => {
    for (const glyph of ["←", "↔", "☺", "♥", "▲", "•", "⌂"]) assert.ok(LOOK_ALIKES.includes(glyph), glyph);
    assert.equal(benign("a-b\tc😀\u001b\ud800 é"), "x-x\u00a0x😀?? ?");
  });

  /** Every document of `data`, rendered for each profile, carries only the commands of its benign twin. */
  function documentProperty<T>(
    data: fc.Arbitrary<T>,
    render: (data: T, profile: PrinterProfile) => PrintDocument | null,
    examples: [T][] = [],
  ): void {
    fc.assert(
      fc.property(data, (value) => {
        assertOnlyLayoutCommands(twinRender(value, render));
      }),
      { numRuns: DOCUMENT_RUNS, examples },
    );
  }

  it("renderReceipt", () => {
    documentProperty(receiptData, renderReceipt);
  });

  it("renderKitchenTicket", () => {
    documentProperty(kitchenTicketData, renderKitchenTicket);
  });

  it("renderNumberSlip (with the reported pickup names)", () => {
    documentProperty(numberSlipData, renderNumberSlip, [
      [{ storeName: "Galley", orderNumber: "A\u001bp\u0000\u0019\u00faB", placedAt: PLACED_AT }],
      [{ storeName: "Galley", orderNumber: "42", message: "←p0AB ↔V0", placedAt: PLACED_AT }],
    ]);
  });

  it("renderBootSlip", () => {
    documentProperty(bootSlipData, renderBootSlip);
  });

  it("renderTestPage", () => {
    documentProperty(testPageData, renderTestPage);
  });
});

describe("text injection: hostile text on the pole display shows as text", () => {
  const COLUMNS = 20;

  /**
   * Where a frame's cells are: the command set writes rows around the cells, so the bytes that
   * differ between a frame of 00 cells and one of FF cells are the cells; the rest are commands.
   */
  function frameTemplate(commandSet: DisplayCommandSetId): { commands: Uint8Array; isCell: boolean[] } {
    const set = DISPLAY_COMMAND_SETS[commandSet];
    const low = set.writeRows([new Uint8Array(COLUMNS), new Uint8Array(COLUMNS)]);
    const high = set.writeRows([new Uint8Array(COLUMNS).fill(0xff), new Uint8Array(COLUMNS).fill(0xff)]);
    return { commands: low, isCell: Array.from(low, (byte, i) => byte !== high[i]) };
  }

  for (const commandSet of ["epson", "cd5220", "logic-controls"] as const) {
    it(`every frame builder and display helper (${commandSet})`, async () => {
      const writes: Uint8Array[] = [];
      const host = {
        writePassThrough: (bytes: Uint8Array): Promise<void> => {
          writes.push(bytes);
          return Promise.resolve();
        },
      };
      const display = createDisplay({ passThrough: host }, { commandSet, columns: COLUMNS, throttleMs: 0 });
      await display.clear(); // the first write carries the initialisation
      const template = frameTemplate(commandSet);
      assert.equal(template.isCell.filter(Boolean).length, 2 * COLUMNS);

      await fc.assert(
        fc.asyncProperty(hostile, hostile, fc.integer({ min: 0, max: 99 }), async (a, b, quantity) => {
          const screens: ReadonlyArray<readonly [string, () => Promise<void>]> = [
            ["show", () => display.show([a, b])],
            ["welcome", () => display.welcome(a, b)],
            ["itemAdded", () => display.itemAdded(a, quantity, b)],
            ["total", () => display.total(a)],
            ["changeDue", () => display.changeDue(a, b)],
            ["orderReady", () => display.orderReady(a)],
            ["welcomeFrame", () => display.show(welcomeFrame(a, b, COLUMNS))],
            ["itemFrame", () => display.show(itemFrame(a, quantity, b, COLUMNS))],
            ["totalFrame", () => display.show(totalFrame(a, b, COLUMNS))],
            ["changeFrame", () => display.show(changeFrame(a, b, COLUMNS))],
            ["orderReadyFrame", () => display.show(orderReadyFrame(a, COLUMNS, b))],
          ];
          for (const [name, screen] of screens) {
            writes.length = 0;
            await screen();
            assert.equal(writes.length, 1, `${name}: one write`);
            const bytes = writes[0]!;
            assert.equal(bytes.length, template.commands.length, `${name}: frame length`);
            bytes.forEach((byte, i) => {
              if (template.isCell[i] === true)
                assert.ok(isTextByte(byte), `${name}: cell byte ${i} is ${hex(bytes.subarray(i, i + 1))}`);
              else assert.equal(byte, template.commands[i], `${name}: command byte ${i}`);
            });
          }
        }),
        // "⌂" is PC437 7F; the rest are display commands (ESC @, US C 1, LCI 10 00).
        { numRuns: DISPLAY_RUNS, examples: [["⌂ \u001b@ ←", "\u001fC\u0001\u0010\u0000 ☺", 2]] },
      );
    });
  }
});
