/**
 * Terminal text: ASCII with code page 437 above 0x7F (ZVT's default character set). Text from the
 * terminal is untrusted: `cleanText` and `cleanLine` drop control characters.
 */
import { withoutControls } from "../../escpos/printable-text.ts";

/** Code page 437, 0x80–0xFF: ZVT's default character set for texts above ASCII. */
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

/** Decodes terminal text (ASCII with code page 437 above 0x7F). Control bytes stay: clean after. */
export function decodeText(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte < 0x80 ? String.fromCharCode(byte) : (CP437_HIGH[byte - 0x80] ?? "?");
  return out;
}

/**
 * Encodes text as a terminal would (simulator): ASCII as is — control bytes too, a hostile
 * terminal's text is what the driver must cope with — code page 437 letters, else "?".
 */
export function encodeText(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0x3f;
    if (code < 0x80) out.push(code);
    else {
      const index = CP437_HIGH.indexOf(char);
      out.push(index >= 0 ? 0x80 + index : 0x3f);
    }
  }
  return Uint8Array.from(out);
}

/** Untrusted terminal text made safe to show or print: control characters removed, trimmed, capped. */
export function cleanText(text: string, maxLength = 80): string {
  const clean = withoutControls(text).trim();
  return clean.length > maxLength ? clean.slice(0, maxLength) : clean;
}

/** A receipt line from the terminal: control characters removed, its indentation kept, capped. */
export function cleanLine(text: string, maxLength = 80): string {
  const clean = withoutControls(text).trimEnd();
  return clean.length > maxLength ? clean.slice(0, maxLength) : clean;
}
