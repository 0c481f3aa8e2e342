/** Money, ages and counts as people read them, through Intl for the menu's currency and language. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    moneyFormats.set(key, format);
  }
  return format;
}

/** Minor units per major unit of `currency` (EUR 100, JPY 1, BHD 1000), from Intl. */
export function minorUnitsPer(currency: string): number {
  return 10 ** (moneyFormat(currency, "en").resolvedOptions().maximumFractionDigits ?? 2);
}

/** `1290` EUR in `de` → "12,90 €"; in `en` → "€12.90". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return moneyFormat(currency, locale).format(minor / minorUnitsPer(currency));
}

/** A price change: "+€1.50"; zero is empty (an option that costs nothing shows no price). */
export function formatPriceDelta(minor: number, currency: string, locale: string): string {
  if (minor === 0) return "";
  return `${minor > 0 ? "+" : "−"}${formatMoney(Math.abs(minor), currency, locale)}`;
}

/** A ticket's age: "0:42", "12:05", "1:02:09". */
export function formatAge(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1_000));
  const hours = Math.floor(total / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

/** A wall-clock time in the screen's language: "14:05" / "2:05 PM". */
export function formatClock(epochMs: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).format(epochMs);
}
