/**
 * ZVT field codecs: BCD numbers (amount, password, currency), LLVAR/LLLVAR lengths and the masked
 * card number.
 *
 * Numbers are BCD (two digits a byte, left-padded with 0): amounts in 6 bytes (BMP 04, minor
 * units), the password in 3, the currency code in 2 (`09 78` is EUR). Variable fields carry their
 * length as `Fx Fy` (LLVAR) or `Fx Fy Fz` (LLLVAR), each `F`-nibble byte holding one decimal digit.
 *
 * Card numbers (BMP 22) arrive masked with `E` nibbles ("474843EEEEEE7743"); the driver keeps only
 * the last four digits.
 */
import { DriverError } from "../../errors.ts";
import { concatBytes, hex2 } from "./apdu.ts";

// ---- BCD ------------------------------------------------------------------------------------

/** Packs a string of decimal digits into `size` BCD bytes, left-padded with zeros. */
export function encodeBcd(digits: string, size: number): Uint8Array {
  if (!/^\d*$/.test(digits) || digits.length > size * 2)
    throw new DriverError("encode_failed", `"${digits}" does not fit ${size} BCD bytes`);
  const padded = digits.padStart(size * 2, "0");
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  return out;
}

/** Unpacks BCD bytes to their digits; undefined when a nibble is not a decimal digit. */
export function decodeBcd(bytes: Uint8Array): string | undefined {
  let out = "";
  for (const byte of bytes) {
    const high = byte >> 4;
    const low = byte & 0x0f;
    if (high > 9 || low > 9) return undefined;
    out += String(high) + String(low);
  }
  return out;
}

/** The largest amount BMP 04 can carry: 12 digits of minor units. */
export const MAX_AMOUNT = 999_999_999_999;

/** BMP 04 value: an amount in minor units as 6 BCD bytes. */
export function encodeAmount(minorUnits: number): Uint8Array {
  if (!Number.isSafeInteger(minorUnits) || minorUnits < 0 || minorUnits > MAX_AMOUNT)
    throw new DriverError("encode_failed", `amount ${minorUnits} cannot be sent to a ZVT terminal`);
  return encodeBcd(String(minorUnits), 6);
}

export function decodeAmount(bytes: Uint8Array): number | undefined {
  const digits = decodeBcd(bytes);
  return digits === undefined ? undefined : Number(digits);
}

/** The ZVT password: exactly six digits, sent as 3 BCD bytes. */
export function encodePassword(password: string): Uint8Array {
  if (!/^\d{6}$/.test(password)) throw new DriverError("config_invalid", "the ZVT password must be 6 digits");
  return encodeBcd(password, 3);
}

/** ISO 4217 numeric codes of the currencies ZVT terminals are set up for. */
export const CURRENCY_CODES: Readonly<Record<string, number>> = {
  EUR: 978,
  CHF: 756,
  GBP: 826,
  USD: 840,
  DKK: 208,
  SEK: 752,
  NOK: 578,
  PLN: 985,
  CZK: 203,
  HUF: 348,
};

/** BMP 49 value: the ISO 4217 numeric code as 2 BCD bytes (`09 78` for EUR). */
export function encodeCurrency(currency: string): Uint8Array {
  const code = CURRENCY_CODES[currency.toUpperCase()];
  if (code === undefined) throw new DriverError("config_invalid", `currency "${currency}" is not supported for ZVT`);
  return encodeBcd(String(code), 2);
}

export function decodeCurrency(bytes: Uint8Array): string | undefined {
  const digits = decodeBcd(bytes);
  if (digits === undefined) return undefined;
  const code = Number(digits);
  return Object.keys(CURRENCY_CODES).find((name) => CURRENCY_CODES[name] === code);
}

// ---- LLVAR / LLLVAR ----------------------------------------------------------------------------

/** `Fx Fy` (digits = 2) or `Fx Fy Fz` (digits = 3) for a length. */
export function encodeVarLength(length: number, digits: 2 | 3): Uint8Array {
  const text = String(length);
  if (!Number.isInteger(length) || length < 0 || text.length > digits)
    throw new DriverError("encode_failed", `length ${length} does not fit ${digits} digits`);
  return Uint8Array.from(text.padStart(digits, "0"), (c) => 0xf0 | Number(c));
}

/** Reads an LLVAR/LLLVAR length at `offset`; undefined when a byte is not `F0`–`F9`. */
export function decodeVarLength(bytes: Uint8Array, offset: number, digits: 2 | 3): number | undefined {
  let length = 0;
  for (let i = 0; i < digits; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined || byte >> 4 !== 0x0f || (byte & 0x0f) > 9) return undefined;
    length = length * 10 + (byte & 0x0f);
  }
  return length;
}

// ---- card number -----------------------------------------------------------------------------

/**
 * BMP 22 (PAN / EF_ID) digits as the terminal sent them: BCD nibbles where `E` marks a masked
 * digit and `F` pads; the result keeps only the last four digits clear ("************1234").
 * Undefined when fewer than four clear digits end the number.
 */
export function maskedPanFromBcd(bytes: Uint8Array): string | undefined {
  let nibbles = "";
  for (const byte of bytes) nibbles += hex2(byte).toUpperCase();
  // Track-2 style values carry a separator (D) and discretionary data: keep the number before it.
  const number = nibbles.split("D")[0]?.replace(/F+$/, "") ?? "";
  if (!/^[0-9E]*$/.test(number)) return undefined;
  return maskPan(number.replace(/E/g, "*"));
}

/** Keeps the last four characters if they are digits, masks everything before them with `*`. */
export function maskPan(pan: string): string | undefined {
  const clean = pan.replace(/[\s-]/g, "");
  const last4 = clean.slice(-4);
  if (!/^\d{4}$/.test(last4)) return undefined;
  return "*".repeat(Math.max(0, clean.length - 4)) + last4;
}

/** BMP 22 value for a simulator: LLVAR of the masked BCD number (first 6 and last 4 digits clear). */
export function encodeMaskedPan(pan: string): Uint8Array {
  if (!/^\d{12,19}$/.test(pan)) throw new DriverError("encode_failed", "a PAN is 12 to 19 digits");
  let nibbles = pan.slice(0, 6) + "E".repeat(pan.length - 10) + pan.slice(-4);
  if (nibbles.length % 2 === 1) nibbles += "F";
  const bytes = Uint8Array.from({ length: nibbles.length / 2 }, (_, i) =>
    Number.parseInt(nibbles.slice(2 * i, 2 * i + 2), 16),
  );
  return concatBytes(encodeVarLength(bytes.length, 2), bytes);
}
