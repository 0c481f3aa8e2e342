/**
 * Amounts as cashiers type them ("12,50", "€ 20") in minor units of the store's currency, and
 * back as a field prefills them. No thousands separators are guessed: "1.234,50" is refused.
 */
import { minorUnitsPer } from "../../data/format.ts";

/** "3.90", "3,90", "€ 3.90", "3" → minor units; undefined when it is not an amount. */
export function parseMoney(text: string, currency: string): number | undefined {
  const cleaned = text
    .trim()
    .replace(/[\s€$£]/g, "")
    .replace(",", ".");
  if (!/^\d+(\.\d{1,3})?$/.test(cleaned)) return undefined;
  const minor = Math.round(Number(cleaned) * minorUnitsPer(currency));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** An amount as a field prefills it: plain digits, no currency sign ("3.90"). */
export function plainMoney(minor: number, currency: string): string {
  const per = minorUnitsPer(currency);
  return per === 1 ? String(minor) : (minor / per).toFixed(Math.round(Math.log10(per)));
}
