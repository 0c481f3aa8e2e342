import CodepageEncoder from "@point-of-sale/codepage-encoder";

let installed = false;

/**
 * Performance fix for @point-of-sale/codepage-encoder 3.0.2: `getEncoding()` returns a
 * `structuredClone` of a 256-entry table on every call, and `autoEncode()` (used by the receipt
 * encoder's automatic code-page switching) calls it once per character per candidate page — about
 * 30 ms for one receipt. `autoEncode()` and `encode()` only read the table, so they get one cached
 * copy per code page (measured: ~1.4 ms per receipt). `getCodepoints()` writes into the table it
 * gets for an "extends" page, so it keeps calling the original, cloning `getEncoding()`.
 * Golden tests cover the result byte for byte. Idempotent.
 */
export function installCodepageCache(): void {
  if (installed) return;
  installed = true;
  const original = CodepageEncoder.getEncoding.bind(CodepageEncoder);
  const getCodepoints = CodepageEncoder.getCodepoints.bind({ getEncoding: original });
  CodepageEncoder.getCodepoints = getCodepoints;
  const cache = new Map<string, ReturnType<typeof original>>();
  CodepageEncoder.getEncoding = (codepage) => {
    let definition = cache.get(codepage);
    if (definition === undefined) {
      definition = Object.freeze(original(codepage));
      cache.set(codepage, definition);
    }
    return definition;
  };
}
