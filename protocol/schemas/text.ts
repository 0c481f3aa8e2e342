/**
 * Free text that people type (names, notes, reasons, menu texts, the store's name) is untrusted:
 * it travels to receipt printers, the pole display, the kitchen's screens and terminals. Every
 * such field in a request is one of the two schemas below, checked by the JSON-Schema formats
 * `text` and `multiline-text` (registered on every validator in appliance/lib/validate.ts), so
 * a field cannot forget the check and a refusal names the field.
 *
 * Refused: C0 controls (ESC, GS and DLE start printer commands; NUL ends strings in C), DEL, C1
 * controls (U+0080–U+009F, 8-bit command introducers in some terminals), the bidi controls that
 * reorder what a reader sees (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069: "Trojan Source",
 * CVE-2021-42574), the line and paragraph separators, and lone UTF-16 surrogates (not text at
 * all; they turn into U+FFFD or worse on the way to SQLite, JSON and code pages). Multi-line
 * fields also take tab and line feed.
 */
import { Type, type TString } from "typebox";

/**
 * Characters no single-line field takes: controls (Cc: U+0000–U+001F, U+007F–U+009F), bidi
 * controls, line and paragraph separators, and (with the u flag, Cs matches only an unpaired
 * half) lone surrogates.
 */
const UNSAFE_LINE = /[\p{Cc}\p{Bidi_Control}\p{Zl}\p{Zp}\p{Cs}]/u;
/** The same minus tab and line feed. */
const UNSAFE_MULTILINE = /[^\P{Cc}\t\n]|[\p{Bidi_Control}\p{Zl}\p{Zp}\p{Cs}]/u;

/** True when `value` is one line of text a person could have typed. */
export function isText(value: string): boolean {
  return !UNSAFE_LINE.test(value);
}

/** True when `value` is text that may also hold tabs and new lines. */
export function isMultilineText(value: string): boolean {
  return !UNSAFE_MULTILINE.test(value);
}

/** The format names, and what a refusal says about each. */
export const TEXT_FORMATS = {
  text: {
    check: isText,
    message: "must be plain text: no control characters, bidi overrides, line breaks or lone surrogates",
  },
  "multiline-text": {
    check: isMultilineText,
    message:
      "must be plain text: no control characters (other than tab and new line), bidi overrides or lone surrogates",
  },
} as const;

interface TextOptions {
  minLength?: number;
  maxLength: number;
  description?: string;
  default?: string;
}

/** One line of free text (a name, a reason). Every free-text request field uses this or `MultilineText`. */
export function Text(options: TextOptions): TString {
  return Type.String({ ...options, format: "text" });
}

/** Free text that may span lines (an order's note, a menu description). */
export function MultilineText(options: TextOptions): TString {
  return Type.String({ ...options, format: "multiline-text" });
}
