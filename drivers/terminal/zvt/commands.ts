/**
 * The commands the ZVT driver sends (ECR → PT) and the checks a request passes before one is built:
 * Registration 06 00, Authorisation 06 01, Reversal 06 30, Refund 06 31, End of day 06 50, Repeat
 * receipt 06 20, Status enquiry 05 01, Abort 06 B0. `password` is the encoded ECR password
 * (3 BCD bytes), `currencyCode` the encoded currency (BMP 49, 2 BCD bytes).
 */
import { DriverError } from "../../errors.ts";
import type { TerminalAmountRequest, TerminalOutcome } from "../terminal.ts";
import { apdu, type Apdu } from "./apdu.ts";
import { encodeAmount, encodeBcd } from "./codecs.ts";
import { encodeBerLength, encodeTlv } from "./tlv.ts";

/** Registration config byte (ZVT 06 00). */
const CONFIG_ECR_PRINTS_PAYMENT = 0x02;
const CONFIG_ECR_PRINTS_ADMIN = 0x04;
const CONFIG_INTERMEDIATE_STATUS = 0x08;
const CONFIG_ECR_CONTROLS_PAYMENT = 0x10;
const CONFIG_PRINT_VIA_PRINT_LINE = 0x80;

/**
 * Registration 06 00: password, config byte (intermediate status, amount entry on the PT locked;
 * with `printOnEcr` the ECR prints payment and administration receipts via 06 D1), currency and —
 * with `printOnEcr` — TLV 26 permitting 06 D3.
 */
export function registrationCommand(password: Uint8Array, currencyCode: Uint8Array, printOnEcr: boolean): Apdu {
  let config = CONFIG_INTERMEDIATE_STATUS | CONFIG_ECR_CONTROLS_PAYMENT;
  if (!printOnEcr) return apdu(0x06, 0x00, password, [config], currencyCode);
  config |= CONFIG_ECR_PRINTS_PAYMENT | CONFIG_ECR_PRINTS_ADMIN | CONFIG_PRINT_VIA_PRINT_LINE;
  // TLV 26 "permitted ZVT commands" with 0A = 06 D3: the PT may send whole text blocks.
  const permitted = encodeTlv(0x26, encodeTlv(0x0a, Uint8Array.of(0x06, 0xd3)));
  return apdu(0x06, 0x00, password, [config], currencyCode, [0x06], encodeBerLength(permitted.length), permitted);
}

/** Authorisation 06 01: `04` amount, `49` currency. */
export function authorisationCommand(amount: number, currencyCode: Uint8Array): Apdu {
  return apdu(0x06, 0x01, [0x04], encodeAmount(amount), [0x49], currencyCode);
}

/** Refund 06 31: password, `04` amount. */
export function refundCommand(password: Uint8Array, amount: number): Apdu {
  return apdu(0x06, 0x31, password, [0x04], encodeAmount(amount));
}

/** Reversal 06 30: password, `87` the sale's receipt number (its `transactionId`). */
export function reversalCommand(password: Uint8Array, transactionId: string): Apdu {
  if (!/^\d{1,4}$/.test(transactionId))
    throw new DriverError("encode_failed", `"${transactionId}" is not a ZVT receipt number`);
  return apdu(0x06, 0x30, password, [0x87], encodeBcd(transactionId, 2));
}

export function statusEnquiryCommand(password: Uint8Array): Apdu {
  return apdu(0x05, 0x01, password);
}

export function endOfDayCommand(password: Uint8Array): Apdu {
  return apdu(0x06, 0x50, password);
}

export function repeatReceiptCommand(password: Uint8Array): Apdu {
  return apdu(0x06, 0x20, password);
}

export function abortCommand(): Apdu {
  return apdu(0x06, 0xb0);
}

/** A sale's or refund's amount and currency checked before anything is sent: `not_sent` when wrong. */
export function checkAmountRequest(request: TerminalAmountRequest, currency: string): TerminalOutcome | undefined {
  const { reference, amount } = request;
  if (!Number.isSafeInteger(amount) || amount < 1)
    return { result: "not_sent", reference, reason: `invalid amount ${amount}` };
  if (request.currency.toUpperCase() !== currency)
    return {
      result: "not_sent",
      reference,
      reason: `the terminal is registered for ${currency}, not ${request.currency}`,
    };
  return undefined;
}
