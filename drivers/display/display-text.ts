import CodepageEncoder from "@point-of-sale/codepage-encoder";
import { printableText } from "../escpos/printable-text.ts";

/**
 * Text for a 2×20 display in code page PC437 (the table every emulation starts in). Characters
 * PC437 lacks are transliterated (accents stripped, € → EUR) rather than shown as "?".
 *
 * Text never becomes a display command: control characters turn into "?" (`printableText`), and
 * the table leaves out bytes 00–1F, the displays' command bytes (ESC, US, DLE, CLR …
 * [DM-D110, CD5220, LCI PD3000]), and DEL 7F. PC437 gives those positions glyphs ("←" is 1B,
 * "⌂" is 7F), so a table that kept them would turn such a glyph into a command.
 */
let pc437: Map<number, number> | undefined;

const isTextByte = (byte: number): boolean => byte >= 0x20 && byte !== 0x7f;

function table(): Map<number, number> {
  if (pc437 === undefined) {
    const map = new Map<number, number>();
    const codepoints: readonly (number | undefined)[] = CodepageEncoder.getCodepoints("cp437", true);
    codepoints.forEach((cp, byte) => {
      if (isTextByte(byte) && cp !== undefined && !map.has(cp)) map.set(cp, byte);
    });
    pc437 = map;
  }
  return pc437;
}

const SPECIAL: Readonly<Record<string, string>> = {
  "€": "EUR",
  "–": "-",
  "—": "-",
  "‘": "'",
  "’": "'",
  "“": '"',
  "”": '"',
  "…": "...",
};

/** Replaces what PC437 cannot show with the closest plain text. */
export function transliterate(text: string): string {
  const map = table();
  let out = "";
  for (const ch of printableText(text)) {
    if (map.has(ch.codePointAt(0) ?? -1)) out += ch;
    else if (SPECIAL[ch] !== undefined) out += SPECIAL[ch];
    else {
      const stripped = ch.normalize("NFD").replace(/\p{M}/gu, "");
      out += Array.from(stripped).every((c) => map.has(c.codePointAt(0) ?? -1)) ? stripped : "?";
    }
  }
  return out;
}

/** Exactly `columns` cells: transliterated, then padded or cut. */
export function fitCells(text: string, columns: number): string {
  const cells = Array.from(transliterate(text));
  return cells.length >= columns
    ? cells.slice(0, columns).join("")
    : cells.join("") + " ".repeat(columns - cells.length);
}

/** PC437 bytes for text that `fitCells` produced; never a byte below 0x20 or 0x7F, whatever `text` is. */
export function encodePc437(text: string): Uint8Array {
  const map = table();
  return Uint8Array.from(Array.from(printableText(text)), (ch) => map.get(ch.codePointAt(0) ?? 0x3f) ?? 0x3f);
}
