import CodepageEncoder, { type Codepage, type CodepageEncoding } from "@point-of-sale/codepage-encoder";

let installed = false;

/**
 * Byte positions a text run must never produce: C0 `00`–`1F` (in ESC/POS each one starts or is a
 * command, e.g. `1B` ESC, `1D` GS, `10` DLE [Epson ESC/POS APG]) and DEL `7F`. The OEM code pages
 * give most of them glyphs — in cp437 `1B` is "←", `1D` "↔", `07` "•", `7F` "⌂" — so without this a
 * customer's "←p0AB" is encoded as `1B 70 30 41 42`, ESC p: a drawer kick, with no control
 * character anywhere in the string.
 */
const isControlByte = (byte: number): boolean => byte < 0x20 || byte === 0x7f;

/** Put at a control position of a text table: no code point is -1, so no character maps there. */
const NO_CODEPOINT = -1;

function memoise(load: (codepage: Codepage) => CodepageEncoding): (codepage: Codepage) => CodepageEncoding {
  const cache = new Map<string, CodepageEncoding>();
  return (codepage) => {
    let definition = cache.get(codepage);
    if (definition === undefined) {
      definition = load(codepage);
      cache.set(codepage, definition);
    }
    return definition;
  };
}

/**
 * Patches @point-of-sale/codepage-encoder 3.0.2 (a process-wide singleton) twice. Idempotent.
 *
 * Performance: `getEncoding()` returns a `structuredClone` of a 256-entry table on every call, and
 * `autoEncode()` (used by the receipt encoder's automatic code-page switching) calls it once per
 * character per candidate page — about 30 ms for one receipt. `autoEncode()` and `encode()` only
 * read the table, so they get one cached copy per code page (measured: ~1.4 ms per receipt).
 * `getCodepoints()` writes into the table it gets for an "extends" page, so it keeps calling the
 * original, cloning `getEncoding()`.
 *
 * Safety: `autoEncode()` is the path of every text run (the encoder always selects code page
 * "auto"), and it reads its own cached tables in which the control positions (`isControlByte`)
 * hold no character. A character that only a control position has ("←" in every candidate page)
 * is printed from another candidate page where it is a printable byte, or becomes "?".
 * `encode()` keeps the complete tables: the library uses it for QR and barcode data, which is
 * length-prefixed or terminated and must stay byte for byte what the caller gave.
 * Golden tests cover the result byte for byte; text-injection.property.test.ts covers the safety.
 */
export function installCodepageCache(): void {
  if (installed) return;
  installed = true;
  const original = CodepageEncoder.getEncoding.bind(CodepageEncoder);
  CodepageEncoder.getCodepoints = CodepageEncoder.getCodepoints.bind({ getEncoding: original });
  const complete = memoise((codepage) => Object.freeze(original(codepage)));
  const printable = memoise((codepage) => {
    const definition = complete(codepage);
    // `map` keeps the holes of a sparse table (positions with no character) as holes.
    const codepoints = definition.codepoints.map((codepoint, byte) => (isControlByte(byte) ? NO_CODEPOINT : codepoint));
    return Object.freeze({ ...definition, codepoints });
  });
  CodepageEncoder.getEncoding = complete;
  // `autoEncode` reaches its tables only through `this.getEncoding`.
  CodepageEncoder.autoEncode = CodepageEncoder.autoEncode.bind({ getEncoding: printable });
}
