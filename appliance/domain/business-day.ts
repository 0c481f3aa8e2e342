/**
 * Business dates, order references and short daily numbers. Pure: the caller supplies the
 * time, the random part and the numbers still in use.
 */

// Building an Intl.DateTimeFormat costs far more than using one: keep one per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The business date (YYYY-MM-DD) of instant `ms` in `timeZone`, a day starting at `dayStartHour`. */
export function businessDate(ms: number, timeZone: string, dayStartHour: number): string {
  const shifted = new Date(ms - dayStartHour * 3_600_000);
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(shifted);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Formats a YYYY-MM-DD date with the tokens yyyy, yy, MM, dd (config `orders.refDateFormat`). */
export function formatDate(isoDate: string, format: string): string {
  const [yyyy = "", mm = "", dd = ""] = isoDate.split("-");
  return format.replace(/yyyy|yy|MM|dd/g, (token) => {
    switch (token) {
      case "yyyy":
        return yyyy;
      case "yy":
        return yyyy.slice(2);
      case "MM":
        return mm;
      default:
        return dd;
    }
  });
}

/** `ORD-20261125-7QK2MD`. */
export function orderRef(prefix: string, dateFormat: string, isoDate: string, random: string): string {
  return `${prefix}${formatDate(isoDate, dateFormat)}-${random}`;
}

/**
 * The next short order number after `last`: wraps from `max` back to `start`, and skips numbers
 * still held by active orders so two orders on the board never share one. When every number is
 * taken it continues above `max` rather than collide.
 */
export function nextOrderNumber(
  last: number | null,
  start: number,
  max: number,
  inUse: (n: number) => boolean,
): number {
  let candidate = last === null || last >= max ? start : Math.max(last + 1, start);
  for (let tries = 0; tries <= max - start; tries += 1) {
    if (!inUse(candidate)) return candidate;
    candidate = candidate >= max ? start : candidate + 1;
  }
  let beyond = max + 1;
  while (inUse(beyond)) beyond += 1;
  return beyond;
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at instant `ms`. */
export function localParts(
  ms: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = wallFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Milliseconds `timeZone` is ahead of UTC at instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1_000) * 1_000;
}

/** The UTC instant of a local wall-clock time (day may overflow; Date.UTC normalises it). */
export function zonedToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetAt(guess, timeZone);
  // Near a DST change the offset at the result can differ from the guess's: settle it once more.
  return guess - offsetAt(first, timeZone);
}
