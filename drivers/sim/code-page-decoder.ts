import CodepageEncoder from "@point-of-sale/codepage-encoder";
import type { CodePageName } from "../printer/profiles.ts";

const tables = new Map<string, readonly (number | undefined)[]>();

function table(page: CodePageName): readonly (number | undefined)[] {
  let found = tables.get(page);
  if (found === undefined) {
    found = CodepageEncoder.getCodepoints(page, true);
    tables.set(page, found);
  }
  return found;
}

/** Decodes single-byte text printed with `page` (unknown bytes become U+FFFD, as a printer shows a box). */
export function decodeCodePage(bytes: Uint8Array, page: CodePageName): string {
  const codepoints = table(page);
  let out = "";
  for (const byte of bytes) {
    const cp = codepoints[byte] ?? (byte < 0x80 ? byte : undefined);
    out += String.fromCodePoint(cp === undefined || cp === 0 ? 0xfffd : cp);
  }
  return out;
}
