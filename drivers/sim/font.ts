import { readFileSync } from "node:fs";

/**
 * A 12×24 bitmap font (Epson font A cell size) for the simulator's PNG rendering: a subset of
 * Terminus Font (SIL OFL 1.1; see font/OFL.txt) covering Latin-1, Latin Extended-A/B, Greek,
 * Cyrillic, box drawing and common punctuation.
 */
export const GLYPH_WIDTH = 12;
export const GLYPH_HEIGHT = 24;

let glyphs: Map<number, Uint16Array> | undefined;

function load(): Map<number, Uint16Array> {
  const text = readFileSync(new URL("./font/glyphs-12x24.txt", import.meta.url), "utf8");
  const map = new Map<number, Uint16Array>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const cp = Number.parseInt(line.slice(0, colon), 16);
    const hex = line.slice(colon + 1);
    const rows = new Uint16Array(GLYPH_HEIGHT);
    for (let y = 0; y < GLYPH_HEIGHT; y++) rows[y] = Number.parseInt(hex.slice(y * 4, y * 4 + 4), 16);
    map.set(cp, rows);
  }
  return map;
}

/** Rows of the glyph for `char` (bit 15 = leftmost dot); a box for characters the font lacks. */
export function glyphRows(char: string): Uint16Array {
  glyphs ??= load();
  const cp = char.codePointAt(0) ?? 0xfffd;
  const found = glyphs.get(cp) ?? glyphs.get(0xfffd);
  if (found !== undefined) return found;
  const box = new Uint16Array(GLYPH_HEIGHT);
  for (let y = 4; y < 20; y++) box[y] = y === 4 || y === 19 ? 0x7fe0 : 0x4020;
  return box;
}

/** True when the font has a glyph of its own for `char`. */
export function hasGlyph(char: string): boolean {
  glyphs ??= load();
  return glyphs.has(char.codePointAt(0) ?? -1);
}
