/**
 * The ZVT simulator's script and books: the scripted fates of the next sales and refunds, the
 * transactions it booked (receipt and trace numbers, reversals, settlement at end of day) and the
 * messages made from them — status-information (04 0F), the slips, the end-of-day totals.
 */
import { apdu, concatBytes, type Apdu } from "../terminal/zvt/apdu.ts";
import { TOTALS_BRANDS } from "../terminal/zvt/bmp.ts";
import { encodeAmount, encodeBcd, encodeMaskedPan, encodeVarLength, maskPan } from "../terminal/zvt/codecs.ts";
import { encodeText } from "../terminal/zvt/text.ts";

export interface ZvtSimCard {
  /** The full card number stays inside the simulator; only a masked one goes out. */
  pan: string;
  brand: string;
  /** ZVT card type (BMP 8A): 5 girocard, 6 Mastercard, 10 VISA. */
  cardType: number;
}

export type ZvtScriptedOutcome =
  | { kind: "approve"; card?: ZvtSimCard; receiptText?: string }
  | { kind: "decline"; resultCode?: number }
  | { kind: "customer_cancels" }
  | { kind: "slow_customer"; durationMs: number; card?: ZvtSimCard }
  | { kind: "no_answer" }
  | { kind: "drop_connection" }
  | { kind: "approve_then_drop"; card?: ZvtSimCard };

export interface ZvtSimTransaction {
  kind: "sale" | "refund" | "reversal";
  result: "approved" | "declined";
  resultCode: number;
  amount: number;
  receiptNumber: string;
  traceNumber: string;
  brand: string;
  maskedPan: string;
  authCode: string;
  at: Date;
  /** A sale undone by a reversal since. */
  reversed: boolean;
  /** Counted in an end of day already. */
  settled: boolean;
}

export const DEFAULT_CARD: ZvtSimCard = { pan: "4761739001010119", brand: "VISA", cardType: 10 };

/** The script (outcomes not used yet) and the booked transactions, shared by all connections. */
export class ZvtSimBooks {
  readonly #queue: ZvtScriptedOutcome[] = [];
  readonly #booked: ZvtSimTransaction[] = [];
  #receiptCounter = 0;
  #traceCounter = 0;

  script(outcomes: ZvtScriptedOutcome[]): void {
    this.#queue.push(...outcomes);
  }

  pending(): number {
    return this.#queue.length;
  }

  /** The fate of the next sale or refund: the next scripted outcome, else approve. */
  nextOutcome(): ZvtScriptedOutcome {
    return this.#queue.shift() ?? { kind: "approve" };
  }

  /** Copies of the booked transactions, oldest first. */
  transactions(): ZvtSimTransaction[] {
    return this.#booked.map((t) => ({ ...t }));
  }

  last(): ZvtSimTransaction | undefined {
    return this.#booked.at(-1);
  }

  /** The approved sale with this receipt number. */
  sale(receiptNumber: string | undefined): ZvtSimTransaction | undefined {
    return this.#booked.find((t) => t.kind === "sale" && t.result === "approved" && t.receiptNumber === receiptNumber);
  }

  book(
    kind: ZvtSimTransaction["kind"],
    amount: number,
    result: ZvtSimTransaction["result"],
    resultCode: number,
    card: ZvtSimCard,
  ): ZvtSimTransaction {
    this.#receiptCounter = (this.#receiptCounter % 9999) + 1;
    const trace = this.#nextTrace();
    const transaction: ZvtSimTransaction = {
      kind,
      result,
      resultCode,
      amount,
      receiptNumber: String(this.#receiptCounter).padStart(4, "0"),
      traceNumber: String(trace).padStart(6, "0"),
      brand: card.brand,
      maskedPan: maskPan(card.pan) ?? "****",
      authCode: result === "approved" ? String(100_000 + trace * 7).slice(-6) : "",
      at: new Date(),
      reversed: false,
      settled: false,
    };
    this.#booked.push(transaction);
    return transaction;
  }

  /**
   * The end of day's status-information (04 0F: `04` total, `0B` trace, `60` totals per brand) over
   * the approved transactions not settled yet; `settle()` marks them settled once it went out.
   */
  settlement(): { message: Apdu; count: number; total: number; settle: () => void } {
    const open = this.#booked.filter((t) => !t.settled && t.result === "approved");
    const sign = (t: ZvtSimTransaction): number =>
      t.kind === "sale" ? (t.reversed ? 0 : 1) : t.kind === "refund" ? -1 : 0;
    const counted = open.filter((t) => sign(t) !== 0);
    const sum = (ts: ZvtSimTransaction[]): number =>
      Math.max(
        0,
        ts.reduce((total, t) => total + sign(t) * t.amount, 0),
      );
    const total = sum(counted);
    const groups = TOTALS_BRANDS.map((brand) => {
      const inGroup = counted.filter(
        (t) => (TOTALS_BRANDS.includes(t.brand as (typeof TOTALS_BRANDS)[number]) ? t.brand : "other") === brand,
      );
      return { count: inGroup.length, total: sum(inGroup) };
    });
    const receipts = open.map((t) => Number(t.receiptNumber));
    const totals = concatBytes(
      encodeBcd(String(receipts.length > 0 ? Math.min(...receipts) : 0), 2),
      encodeBcd(String(receipts.length > 0 ? Math.max(...receipts) : 0), 2),
      ...groups.map((g) => concatBytes([Math.min(g.count, 255)], encodeAmount(g.total))),
    );
    const message = apdu(
      0x04,
      0x0f,
      [0x27, 0x00, 0x04],
      encodeAmount(total),
      [0x0b],
      encodeBcd(String(this.#nextTrace()), 3),
      [0x60],
      encodeVarLength(totals.length, 3),
      totals,
    );
    const settle = (): void => {
      for (const t of open) t.settled = true;
    };
    return { message, count: counted.length, total, settle };
  }

  #nextTrace(): number {
    this.#traceCounter = (this.#traceCounter % 999_999) + 1;
    return this.#traceCounter;
  }
}

const two = (n: number): string => String(n).padStart(2, "0");

/** The status-information (04 0F) of a booked transaction, as the terminal `terminalId` reports it. */
export function statusInformation(t: ZvtSimTransaction, card: ZvtSimCard, terminalId: string): Apdu {
  const at = t.at;
  const auth = new Uint8Array(8);
  auth.set(encodeText(t.authCode));
  return apdu(
    0x04,
    0x0f,
    [0x27, t.resultCode, 0x04],
    encodeAmount(t.amount),
    [0x0b],
    encodeBcd(t.traceNumber, 3),
    [0x0c],
    encodeBcd(two(at.getHours()) + two(at.getMinutes()) + two(at.getSeconds()), 3),
    [0x0d],
    encodeBcd(two(at.getMonth() + 1) + two(at.getDate()), 2),
    [0x22],
    encodeMaskedPan(card.pan),
    [0x29],
    encodeBcd(terminalId, 4),
    [0x3b],
    auth,
    [0x49],
    encodeBcd("978", 2),
    [0x87],
    encodeBcd(t.receiptNumber, 2),
    [0x8a, card.cardType, 0x8b],
    encodeVarLength(card.brand.length, 2),
    encodeText(card.brand),
  );
}

/** A slip of a booked transaction: `copy` marks a repeated one ("DUPLIKAT"), `extra` adds a line. */
export function slip(
  t: ZvtSimTransaction,
  terminalId: string,
  title: string,
  copy: boolean,
  extra: string | undefined,
): string[] {
  const euros = `${Math.floor(t.amount / 100)},${two(t.amount % 100)}`;
  const what = { sale: "Zahlung", refund: "Gutschrift", reversal: "Storno" }[t.kind];
  return [
    `   ** ${title} **`,
    ...(copy ? ["      DUPLIKAT"] : []),
    `${what} ${t.brand}`,
    `Terminal-ID: ${terminalId}`,
    `Beleg-Nr.: ${t.receiptNumber}  Trace: ${t.traceNumber}`,
    `Datum: ${two(t.at.getDate())}.${two(t.at.getMonth() + 1)}.${t.at.getFullYear()} ${two(t.at.getHours())}:${two(t.at.getMinutes())}`,
    `Karte: ${t.maskedPan}`,
    ...(t.result === "approved" ? [`Autorisierung: ${t.authCode}`] : []),
    `Betrag: EUR ${euros}`,
    ...(extra === undefined ? [] : [extra]),
    t.result === "approved" ? `${what} erfolgt` : `${what} nicht erfolgt`,
  ];
}
