import type { Locale } from "./types.ts";

/** Text layout in fixed-width columns: what every document does to look like a real receipt. */

const cells = (text: string): string[] => Array.from(text);

/** `left … right` in exactly `width` columns; `left` is cut when both do not fit. */
export function leftRight(left: string, right: string, width: number): string {
  const r = cells(right);
  const room = Math.max(0, width - r.length - (right === "" ? 0 : 1));
  const l = cells(left).slice(0, room);
  return l.join("") + " ".repeat(Math.max(0, width - l.length - r.length)) + r.join("");
}

/** Word-wraps `text` into lines of at most `width` columns (long words are split). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    let chars = cells(word);
    while (chars.length > width) {
      if (line.length > 0) {
        lines.push(line.join(""));
        line = [];
      }
      lines.push(chars.slice(0, width).join(""));
      chars = chars.slice(width);
    }
    const needed = line.length === 0 ? chars.length : line.length + 1 + chars.length;
    if (needed > width) {
      lines.push(line.join(""));
      line = [...chars];
    } else {
      if (line.length > 0) line.push(" ");
      line.push(...chars);
    }
  }
  if (line.length > 0 || lines.length === 0) lines.push(line.join(""));
  return lines;
}

/**
 * A line of text with a price flush right. The text starts `lead` columns in; continuation lines
 * are indented by `indent`.
 */
export function priced(text: string, price: string, width: number, indent = 0, lead = 0): string[] {
  const room = Math.max(8, width - lead - cells(price).length - 1);
  const [first = "", ...rest] = wrap(text, room);
  const out = [leftRight(" ".repeat(lead) + first, price, width)];
  for (const line of wrap(rest.join(" "), width - indent)) if (line !== "") out.push(" ".repeat(indent) + line);
  return out;
}

export function rule(width: number, char = "-"): string {
  return char.repeat(width);
}

/** Money from minor units, e.g. 1250 EUR → "€12.50" (en-GB). */
export function formatMoney(minor: number, currency: string, locale: Locale = {}): string {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale.locale ?? "en-GB", { style: "currency", currency }).format(minor / 10 ** digits);
}

/** Date and time of an ISO timestamp, e.g. "24/05/2026 14:03". */
export function formatDateTime(iso: string, locale: Locale = {}): string {
  return new Intl.DateTimeFormat(locale.locale ?? "en-GB", {
    timeZone: locale.timeZone ?? "UTC",
    dateStyle: "short",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** Time of day of an ISO timestamp, e.g. "14:03". */
export function formatTime(iso: string, locale: Locale = {}): string {
  return new Intl.DateTimeFormat(locale.locale ?? "en-GB", {
    timeZone: locale.timeZone ?? "UTC",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}
