/**
 * Counting the drawer at close: the notes and coins of the store's currency, largest first, a
 * count per row and the total they make. The euro's are built in (500 € … 1 ct); another currency
 * is counted as a plain total.
 */
import type { Denomination } from "../../../../protocol/index.ts";

/** Euro notes and coins in cents, largest first. */
const EUR = [50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1] as const;

/** Notes start at 5 €: the rest are coins (the table says which is which). */
const EUR_SMALLEST_NOTE = 500;

export interface DenominationRow {
  value: number;
  kind: "note" | "coin";
}

/** The rows to count for `currency`; empty when only a plain total can be typed. */
export function denominationsOf(currency: string): DenominationRow[] {
  if (currency !== "EUR") return [];
  return EUR.map((value) => ({ value, kind: value >= EUR_SMALLEST_NOTE ? "note" : "coin" }));
}

/** Counts as typed (value → text) → the denominations sent, only rows with a count; undefined if one is not a whole number. */
export function countedDenominations(counts: ReadonlyMap<number, string>): Denomination[] | undefined {
  const result: Denomination[] = [];
  for (const [value, text] of counts) {
    const trimmed = text.trim();
    if (trimmed === "") continue;
    if (!/^\d{1,6}$/.test(trimmed)) return undefined;
    const count = Number(trimmed);
    if (count > 0) result.push({ value, count });
  }
  return result.sort((a, b) => b.value - a.value);
}

export function denominationsTotal(denominations: readonly Denomination[]): number {
  return denominations.reduce((sum, d) => sum + d.value * d.count, 0);
}
