/**
 * ZVT bitmaps (BMPs): the data fields that follow the fixed part of an APDU, each a one-byte
 * number followed by its value. A value's length is fixed per BMP, or carried in front of it as
 * LLVAR (`Fx Fy`) / LLLVAR (`Fx Fy Fz`), or — for the TLV container 06 — in BER-TLV form. A
 * reader cannot skip a BMP it does not know, so parsing stops at the first unknown number and
 * keeps what it read before it.
 *
 * Also here: what the terminal's one-byte codes mean — result codes (BMP 27, abort 06 1E,
 * negative acknowledgement 84 xx), intermediate status codes (04 FF), terminal status (05 01) —
 * and the ZVT card-type numbers (BMP 8A).
 */
import { decodeAmount, decodeBcd, decodeCurrency, decodeVarLength, maskedPanFromBcd } from "./codecs.ts";
import { cleanText, decodeText } from "./text.ts";
import { decodeBerLength, parseTlv, type TlvNode } from "./tlv.ts";

export type BmpLength = { kind: "fixed"; bytes: number } | { kind: "llvar" } | { kind: "lllvar" } | { kind: "tlv" };

export interface BmpDefinition {
  name: string;
  length: BmpLength;
}

const fixed = (name: string, bytes: number): BmpDefinition => ({ name, length: { kind: "fixed", bytes } });
const llvar = (name: string): BmpDefinition => ({ name, length: { kind: "llvar" } });
const lllvar = (name: string): BmpDefinition => ({ name, length: { kind: "lllvar" } });

/** The BMPs of ZVT 13.x a cash register meets (chapter "Summary of utilised BMPs"). */
export const BMP_TABLE: ReadonlyMap<number, BmpDefinition> = new Map<number, BmpDefinition>([
  [0x01, fixed("timeout", 1)],
  [0x02, fixed("max status infos", 1)],
  [0x03, fixed("service byte", 1)],
  [0x04, fixed("amount", 6)],
  [0x05, fixed("pump number", 1)],
  [0x06, { name: "TLV container", length: { kind: "tlv" } }],
  [0x0b, fixed("trace number", 3)],
  [0x0c, fixed("time HHMMSS", 3)],
  [0x0d, fixed("date MMDD", 2)],
  [0x0e, fixed("expiry date YYMM", 2)],
  [0x17, fixed("card sequence number", 2)],
  [0x19, fixed("status byte / payment type", 1)],
  [0x22, llvar("PAN / EF_ID")],
  [0x23, llvar("track 2 data")],
  [0x24, lllvar("track 3 data")],
  [0x27, fixed("result code", 1)],
  [0x29, fixed("terminal id", 4)],
  [0x2a, fixed("VU number", 15)],
  [0x2d, llvar("track 1 data")],
  [0x2e, lllvar("synchronous chip data")],
  [0x37, fixed("trace number of the original transaction", 3)],
  [0x3a, fixed("CVV/CVC", 2)],
  [0x3b, fixed("AID authorisation attribute", 8)],
  [0x3c, lllvar("additional data / text")],
  [0x3d, fixed("password", 3)],
  [0x49, fixed("currency code", 2)],
  [0x60, lllvar("individual totals")],
  [0x87, fixed("receipt number", 2)],
  [0x88, fixed("turnover record number", 3)],
  [0x8a, fixed("card type", 1)],
  [0x8b, llvar("card name")],
  [0x8c, fixed("card type id of the network operator", 1)],
  [0x92, lllvar("additional data ec-Cash offline")],
  [0x9a, lllvar("Geldkarte records")],
  [0xa0, fixed("result code AS", 1)],
  [0xa7, llvar("chip data EF_ID")],
  [0xaa, fixed("date YYMMDD", 3)],
  [0xaf, lllvar("EF_Info")],
  [0xba, fixed("AID parameter", 5)],
  [0xd0, fixed("algorithm key", 1)],
  [0xd1, llvar("card offset / PIN data")],
  [0xd2, fixed("direction", 1)],
  [0xd3, fixed("key position", 1)],
  [0xe0, fixed("min length of input", 1)],
  [0xe9, fixed("max length of input", 1)],
  [0xea, fixed("echo input", 1)],
  [0xeb, fixed("MAC", 8)],
  [0xf0, fixed("display duration", 1)],
  [0xf9, fixed("beep tones", 1)],
  [0xfa, fixed("card reader activation", 1)],
  [0xfb, fixed("confirmation required", 1)],
  [0xfc, fixed("dialog control", 1)],
  [0xfd, fixed("display device", 1)],
  ...[0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8].map((id, i): [number, BmpDefinition] => [
    id,
    llvar(`text2 line ${i + 1}`),
  ]),
  ...[0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8].map((id, i): [number, BmpDefinition] => [
    id,
    llvar(`text1 line ${i + 1}`),
  ]),
]);

export interface ParsedBmps {
  /** Each BMP's value (without its length prefix), by number; the last one wins if repeated. */
  fields: Map<number, Uint8Array>;
  /** The TLV container (BMP 06), parsed; empty when absent or malformed. */
  tlv: TlvNode[];
  /** Where parsing stopped early (unknown BMP or a value cut short), or undefined when all was read. */
  stoppedAt: number | undefined;
}

/** Reads BMPs from `offset` to the end of `data`. Never throws. */
export function parseBmps(data: Uint8Array, offset = 0): ParsedBmps {
  const fields = new Map<number, Uint8Array>();
  let tlv: TlvNode[] = [];
  let at = offset;
  // Each pass consumes at least one byte: bounded by data.length.
  while (at < data.length) {
    const id = data[at] ?? 0;
    const definition = BMP_TABLE.get(id);
    if (definition === undefined) return { fields, tlv, stoppedAt: at };
    let start: number;
    let length: number;
    switch (definition.length.kind) {
      case "fixed":
        start = at + 1;
        length = definition.length.bytes;
        break;
      case "llvar":
      case "lllvar": {
        const digits = definition.length.kind === "llvar" ? 2 : 3;
        const value = decodeVarLength(data, at + 1, digits);
        if (value === undefined) return { fields, tlv, stoppedAt: at };
        start = at + 1 + digits;
        length = value;
        break;
      }
      case "tlv": {
        const ber = decodeBerLength(data, at + 1);
        if (ber === undefined) return { fields, tlv, stoppedAt: at };
        start = at + 1 + ber.size;
        length = ber.length;
        break;
      }
    }
    if (start + length > data.length) return { fields, tlv, stoppedAt: at };
    const value = data.slice(start, start + length);
    fields.set(id, value);
    if (id === 0x06) {
      try {
        tlv = parseTlv(value);
      } catch {
        tlv = [];
      }
    }
    at = start + length;
  }
  return { fields, tlv, stoppedAt: undefined };
}

/** Per-brand totals of an end of day (BMP 60). */
export interface IndividualTotals {
  firstReceipt: string;
  lastReceipt: string;
  byBrand: { brand: string; count: number; total: number }[];
}

/** The card groups of BMP 60, in their order on the wire. */
export const TOTALS_BRANDS = ["girocard", "JCB", "Mastercard", "American Express", "VISA", "Diners", "other"] as const;

/**
 * BMP 60 individual totals: receipt-number range (2 × 2 BCD), then per card group a count (one
 * binary byte) and a turnover (6 BCD). Groups with a zero count are left out.
 */
export function parseIndividualTotals(value: Uint8Array): IndividualTotals | undefined {
  if (value.length < 4) return undefined;
  const firstReceipt = decodeBcd(value.subarray(0, 2)) ?? "";
  const lastReceipt = decodeBcd(value.subarray(2, 4)) ?? "";
  const byBrand: IndividualTotals["byBrand"] = [];
  TOTALS_BRANDS.forEach((brand, i) => {
    const at = 4 + i * 7;
    if (at + 7 > value.length) return;
    const count = value[at] ?? 0;
    const total = decodeAmount(value.subarray(at + 1, at + 7));
    if (count > 0 && total !== undefined) byBrand.push({ brand, count, total });
  });
  return { firstReceipt, lastReceipt, byBrand };
}

/** What a status-information (04 0F) says, typed. Texts are cleaned. */
export interface StatusInformation {
  resultCode: number | undefined;
  amount: number | undefined;
  currency: string | undefined;
  traceNumber: string | undefined;
  receiptNumber: string | undefined;
  terminalId: string | undefined;
  /** HHMMSS (BMP 0C). */
  time: string | undefined;
  /** MMDD (BMP 0D). */
  date: string | undefined;
  cardType: number | undefined;
  /** Card name (8B) or the name of the card type (8A). */
  brand: string | undefined;
  /** Only the last four digits clear. */
  maskedPan: string | undefined;
  /** BMP 3B, the authorisation attribute. */
  authCode: string | undefined;
  /** BMP A0, the authorisation system's own code (ISO 8583 style). */
  hostResultCode: number | undefined;
  totals: IndividualTotals | undefined;
}

/** Reads the BMPs of a 04 0F status-information. */
export function readStatusInformation(data: Uint8Array): StatusInformation {
  const { fields } = parseBmps(data);
  const byte = (id: number): number | undefined => fields.get(id)?.[0];
  const bcd = (id: number): string | undefined => {
    const value = fields.get(id);
    return value === undefined ? undefined : decodeBcd(value);
  };
  const text = (id: number, prefix: number): string | undefined => {
    const value = fields.get(id);
    if (value === undefined) return undefined;
    const clean = cleanText(decodeText(value.subarray(prefix)).replace(/\0+$/g, ""), 40);
    return clean === "" ? undefined : clean;
  };
  const amountValue = fields.get(0x04);
  const currencyValue = fields.get(0x49);
  const panValue = fields.get(0x22);
  const totalsValue = fields.get(0x60);
  const cardType = byte(0x8a);
  return {
    resultCode: byte(0x27),
    amount: amountValue === undefined ? undefined : decodeAmount(amountValue),
    currency: currencyValue === undefined ? undefined : decodeCurrency(currencyValue),
    traceNumber: bcd(0x0b),
    receiptNumber: bcd(0x87),
    terminalId: bcd(0x29),
    time: bcd(0x0c),
    date: bcd(0x0d),
    cardType,
    brand: text(0x8b, 0) ?? (cardType === undefined ? undefined : CARD_TYPES.get(cardType)),
    maskedPan: panValue === undefined ? undefined : maskedPanFromBcd(panValue),
    authCode: text(0x3b, 0),
    hostResultCode: byte(0xa0),
    totals: totalsValue === undefined ? undefined : parseIndividualTotals(totalsValue),
  };
}

/** ZVT card-type numbers (BMP 8A) of the common brands. */
export const CARD_TYPES: ReadonlyMap<number, string> = new Map([
  [2, "ec-card"],
  [5, "girocard"],
  [6, "Mastercard"],
  [8, "American Express"],
  [10, "VISA"],
  [11, "VISA Electron"],
  [12, "Diners"],
  [13, "V PAY"],
  [14, "JCB"],
  [46, "Maestro"],
]);

/** Result codes (BMP 27, 06 1E, 84 xx) in plain words. 01–63 are the authorisation system's own. */
const RESULT_CODES: ReadonlyMap<number, string> = new Map([
  [0x00, "no error"],
  [0x64, "card not readable"],
  [0x65, "card data not present"],
  [0x66, "processing error"],
  [0x67, "function not permitted for girocard and Maestro cards"],
  [0x68, "function not permitted for credit and fuel cards"],
  [0x6a, "turnover file full"],
  [0x6b, "function deactivated (terminal not registered)"],
  [0x6c, "aborted (timeout or abort key)"],
  [0x6e, "card on the blocked list"],
  [0x6f, "wrong currency"],
  [0x71, "credit not sufficient"],
  [0x72, "chip error"],
  [0x73, "card data incorrect"],
  [0x77, "end of day not possible"],
  [0x78, "card expired"],
  [0x79, "card not yet valid"],
  [0x7a, "card unknown"],
  [0x7d, "communication error"],
  [0x83, "function not possible"],
  [0x85, "key missing"],
  [0x89, "PIN pad defective"],
  [0x9a, "ZVT protocol error"],
  [0x9b, "error from dial-up / communication fault"],
  [0x9c, "please wait"],
  [0xa0, "receiver not ready"],
  [0xa1, "remote station does not respond"],
  [0xa3, "no connection"],
  [0xb1, "memory full"],
  [0xb2, "merchant journal full"],
  [0xb4, "already reversed"],
  [0xb5, "reversal not possible"],
  [0xb7, "pre-authorisation incorrect"],
  [0xc2, "diagnosis required"],
  [0xc3, "maximum amount exceeded"],
  [0xc5, "payment method not supported"],
  [0xc6, "currency not applicable"],
  [0xc8, "amount too small"],
  [0xcc, "printer not ready"],
  [0xdc, "card inserted"],
  [0xe0, "remote maintenance activated"],
  [0xe2, "card reader defective"],
  [0xe4, "terminal activation required"],
  [0xec, "PIN processing not possible"],
  [0xf0, "open end of day batch present"],
  [0xfc, "necessary device not present or defective"],
  [0xff, "system error"],
]);

/** A result code as a plain reason, e.g. "card expired (ZVT 78)". */
export function resultCodeText(code: number): string {
  const hex = code.toString(16).padStart(2, "0").toUpperCase();
  if (code >= 0x01 && code <= 0x63) return `declined by the card issuer (code ${String(code).padStart(2, "0")})`;
  return `${RESULT_CODES.get(code) ?? "unknown error"} (ZVT ${hex})`;
}

/** The result code of "aborted via timeout or the abort key": cancelled, not declined. */
export const RESULT_ABORTED = 0x6c;

/** Terminal status codes of a status enquiry (05 01 → 06 0F). */
const TERMINAL_STATUS: ReadonlyMap<number, string> = new Map([
  [0x00, "ready"],
  [0x51, "initialisation required"],
  [0x62, "date/time incorrect"],
  [0x9c, "please wait (e.g. software update)"],
  [0x9d, "partial issue of goods"],
  [0xb1, "memory full"],
  [0xb2, "merchant journal full"],
  [0xbf, "voltage supply too low"],
  [0xc0, "card locking mechanism defective"],
  [0xc1, "merchant card locked"],
  [0xc2, "diagnosis required"],
  [0xc4, "card profile invalid"],
  [0xcc, "printer not ready"],
  [0xdc, "card inserted"],
  [0xdf, "out of order"],
  [0xe0, "remote maintenance activated"],
  [0xe1, "card not completely removed"],
  [0xe2, "card reader defective"],
  [0xe3, "shutter closed"],
  [0xe4, "terminal activation required"],
  [0xf0, "end of day required"],
  [0xf6, "OPT data not available"],
]);

export function terminalStatusText(code: number): string {
  return `${TERMINAL_STATUS.get(code) ?? "unknown status"} (ZVT ${code.toString(16).padStart(2, "0").toUpperCase()})`;
}
