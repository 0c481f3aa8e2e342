/**
 * Characters that must never reach a printer or a display inside a text run, and what stands in
 * for them.
 *
 * Free text from a public kiosk (a pickup name, a line note) ends up in text runs. A device
 * cannot tell text from commands: in ESC/POS every byte below 0x20 starts or is a command
 * (`ESC p` fires the drawer, `GS V` cuts, `ESC @` resets) [Epson ESC/POS APG], and `DLE EOT` /
 * `DLE DC4` are real-time commands the printer executes as soon as they arrive, even in the
 * middle of another command (TM-T88III spec). Pole displays use the same bytes
 * (`ESC`, `US`, `DLE`) for cursor and mode commands. So:
 *
 * - `\p{Cc}`: C0 controls U+0000–U+001F (tab and newline too: documents lay out their own lines),
 *   DEL U+007F, and C1 controls U+0080–U+009F (some code pages or devices read them as 8-bit
 *   controls; none is a printable character).
 * - `\p{Bidi_Control}`: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069. A printer has no
 *   bidi algorithm; they only disguise what a string is when it is logged or shown on a screen.
 * - `\p{Cs}` with the `u` flag: unpaired UTF-16 surrogates only (a well-formed pair is one astral
 *   code point and is left alone). They are not characters and have no encoding.
 */
const UNPRINTABLE = /[\p{Cc}\p{Bidi_Control}\p{Cs}]/gu;

/** What an unprintable character becomes: one column, like the character it replaces. */
const REPLACEMENT = "?";

/**
 * `text` with every control character (C0, DEL, C1), bidi control and unpaired surrogate
 * replaced by "?". Everything else — accents, CJK, emoji, € — is left as it is; one character
 * in is one character out, so layouts keep their widths.
 *
 * The drivers apply it themselves to every text run they print or display; it is exported for
 * the appliance to clean a string the same way before it stores or shows it.
 */
export function printableText(text: string): string {
  return text.replace(UNPRINTABLE, REPLACEMENT);
}

/**
 * `text` with the same characters removed instead of replaced: text a device sent us (a card
 * terminal's display and slip lines), which has no layout to keep.
 */
export function withoutControls(text: string): string {
  return text.replace(UNPRINTABLE, "");
}
