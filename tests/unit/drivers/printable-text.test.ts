import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  commandBytes,
  encodeDocument,
  printableText,
  resolveProfile,
  type EncodedCommand,
} from "../../../drivers/index.ts";
import { encodePc437, fitCells, transliterate } from "../../../drivers/display/display-text.ts";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** Every code point printableText must replace, written out rather than as Unicode properties. */
const UNPRINTABLE: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x001f], // C0
  [0x007f, 0x009f], // DEL and C1
  [0x061c, 0x061c], // ARABIC LETTER MARK
  [0x200e, 0x200f], // LRM, RLM
  [0x202a, 0x202e], // LRE, RLE, PDF, LRO, RLO
  [0x2066, 0x2069], // LRI, RLI, FSI, PDI
  [0xd800, 0xdfff], // surrogates, when unpaired
];
const isUnprintable = (cp: number): boolean => UNPRINTABLE.some(([from, to]) => cp >= from && cp <= to);

describe("printableText", () => {
  it("turns each C0 control (tab and newline too), DEL and each C1 control into ?", () => {
    for (let cp = 0x00; cp <= 0x1f; cp++)
      assert.equal(printableText(`a${String.fromCharCode(cp)}b`), "a?b", `U+${cp.toString(16)}`);
    assert.equal(printableText("\u007f"), "?");
    for (let cp = 0x80; cp <= 0x9f; cp++)
      assert.equal(printableText(String.fromCharCode(cp)), "?", `U+${cp.toString(16)}`);
    assert.equal(printableText("line 1\r\nline\t2"), "line 1??line?2");
  });

  it("turns bidi controls into ?", () => {
    assert.equal(printableText("\u202egpj.exe\u202c"), "?gpj.exe?");
    assert.equal(
      printableText("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
      "?".repeat(12),
    );
  });

  it("turns unpaired surrogates into ? and leaves pairs alone", () => {
    assert.equal(printableText("a\ud800b"), "a?b");
    assert.equal(printableText("a\udfffb"), "a?b");
    assert.equal(printableText("\ud83d"), "?");
    assert.equal(printableText("\ude00\ud83d"), "??", "a pair in the wrong order is two unpaired halves");
    assert.equal(printableText("\ud83d\ude00"), "😀");
  });

  it("leaves ordinary text unchanged: accents, emoji, CJK, €, look-alike glyphs", () => {
    for (const text of [
      "Crème brûlée",
      "Größe",
      "Ελληνικά",
      "Борщ",
      "😀👍🏽",
      "漢字かな",
      "€12.50",
      "← ↔ ☺ ♥ ▲ • ⌂",
      "a\u00a0b\u3000c",
      "",
      "#42 A-Z_0-9 ~!",
    ]) {
      assert.equal(printableText(text), text);
    }
  });

  it("replaces exactly the listed code points, one for one (whole BMP, astral samples)", () => {
    for (let cp = 0; cp <= 0xffff; cp++) {
      const ch = String.fromCharCode(cp);
      assert.equal(printableText(ch), isUnprintable(cp) ? "?" : ch, `U+${cp.toString(16).padStart(4, "0")}`);
    }
    for (const cp of [0x10000, 0x1f600, 0xe0001, 0xe007f, 0x10ffff])
      assert.equal(printableText(String.fromCodePoint(cp)), String.fromCodePoint(cp));
  });
});

describe("encoder: text runs never carry commands", () => {
  const encode = (text: string, profileId = "epson-tm-t20"): EncodedCommand[] =>
    encodeDocument({ blocks: [{ type: "line", text }] }, resolveProfile(profileId));
  const names = (commands: EncodedCommand[]): string[] => commands.map((c) => c.name);

  it("prints the reported pickup name as text, not as a drawer kick and a cut", () => {
    const commands = encode("A\u001bp\u0000\u0019\u00faB\u001dV\u0000");
    assert.deepEqual(names(commands), ["ESC @", "FS .", "ESC M", "ESC t", "text", "LF"]);
    // "A?p??úB?V?" in PC437 (ú is A3).
    assert.equal(hex(commands[4]!.bytes), "413f703f3fa3423f563f");
  });

  it("never encodes a look-alike glyph as a control byte (cp437 ← is 1B, ↔ 1D, ☺ 01, ⌂ 7F)", () => {
    const commands = encode("←p0AB ↔V0 ☺ ⌂");
    assert.deepEqual(names(commands), ["ESC @", "FS .", "ESC M", "ESC t", "text", "LF"]);
    assert.equal(hex(commands[4]!.bytes), "3f70304142203f5630203f203f");
  });

  it("prints a look-alike from another candidate page where it is a printable byte", () => {
    // "•" is 07 (BEL) in cp437 and 95 in windows-1252 (ESC t 16).
    const commands = encode("a • b");
    assert.deepEqual(
      commands.map((c) => `${c.name} ${hex(c.bytes)}`),
      ["ESC @ 1b40", "FS . 1c2e", "ESC M 1b4d00", "ESC t 1b7400", "text 6120", "ESC t 1b7410", "text 952062", "LF 0a"],
    );
  });

  it("cleans span texts too", () => {
    const commands = encodeDocument(
      { blocks: [{ type: "spans", spans: [{ text: "\u0010\u0014\u0001" }, { text: "←", style: { bold: true } }] }] },
      resolveProfile("oneway-58"),
    );
    assert.ok(
      commands.every((c) => c.kind !== "pulse" && c.kind !== "realtime" && c.kind !== "unknown"),
      names(commands).join(" "),
    );
    assert.ok(hex(commandBytes(commands)).includes("3f3f3f"));
  });

  it("leaves QR data byte for byte: it is length-prefixed, not a text run", () => {
    const data = "WIFI:S:a\tb;\n←";
    const commands = encodeDocument({ blocks: [{ type: "qr", data }] }, resolveProfile("epson-tm-t20"));
    const store = commands.filter((c) => c.name === "GS ( k").find((c) => c.bytes[5] === 0x31 && c.bytes[6] === 0x50);
    // GS ( k pL pH 31 50 30 d…: ISO 8859-1 bytes as before, tab and newline included; ← has none, so "?".
    assert.equal(hex(store!.bytes.slice(8)), Buffer.from("WIFI:S:a\tb;\n?", "latin1").toString("hex"));
  });
});

describe("pole display text", () => {
  it("turns control characters and look-alikes into ? and never emits 00–1F or 7F", () => {
    assert.equal(transliterate("A\u001b@B\u2066"), "A?@B?");
    assert.equal(fitCells("\u001fC\u0001←⌂", 8), "?C???   ");
    assert.equal(hex(encodePc437("\u001b←⌂\u007f\u0010")), "3f3f3f3f3f");
  });

  it("still shows what PC437 has, and ☺ (PC437 01) as ?", () => {
    // C r è m e ␠ E U R 1 ␠ ?
    assert.equal(hex(encodePc437(fitCells("Crème €1 ☺", 12))), "43728a6d652045555231203f");
  });
});
