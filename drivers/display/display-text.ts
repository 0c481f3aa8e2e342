import CodepageEncoder from "@point-of-sale/codepage-encoder";

/**
 * Text for a 2×20 display in code page PC437 (the table every emulation starts in). Characters
 * PC437 lacks are transliterated (accents stripped, € → EUR) rather than shown as "?".
 */
let pc437: Map<number, number> | undefined;

function table(): Map<number, number> {
  if (pc437 === undefined) {
    const map = new Map<number, number>();
    const codepoints: readonly (number | undefined)[] = CodepageEncoder.getCodepoints("cp437", true);
    codepoints.forEach((cp, byte) => {
      if (byte >= 0x20 && cp !== undefined && !map.has(cp)) map.set(cp, byte);
    });
    pc437 = map;
  }
  return pc437;
}

const SPECIAL: Readonly<Record<string, string>> = { "€": "EUR", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..." };

/** Replaces what PC437 cannot show with the closest plain text. */
export function transliterate(text: string): string {
  const map = table();
  let out = "";
  for (const ch of text) {
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
  return cells.length >= columns ? cells.slice(0, columns).join("") : cells.join("") + " ".repeat(columns - cells.length);
}

/** PC437 bytes for text that `fitCells` produced. */
export function encodePc437(text: string): Uint8Array {
  const map = table();
  return Uint8Array.from(Array.from(text), (ch) => map.get(ch.codePointAt(0) ?? 0x3f) ?? 0x3f);
}
