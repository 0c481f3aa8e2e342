/**
 * What the ZVT terminal reports during a command and what it comes to: intermediate status codes
 * (04 FF) as kiosk stages, `TransactionLog` collecting the status-information (04 0F) and the
 * receipts (06 D1 print lines, 06 D3 text blocks) until Completion (06 0F) or Abort (06 1E), and
 * the outcome a completed or aborted transaction maps to.
 */
import type { CardSummary, TerminalOutcome, TerminalProgress, TerminalStage } from "../terminal.ts";
import type { Apdu } from "./apdu.ts";
import { parseBmps, readStatusInformation, resultCodeText, RESULT_ABORTED, type StatusInformation } from "./bmp.ts";
import { decodeVarLength } from "./codecs.ts";
import { cleanLine, cleanText, decodeText } from "./text.ts";
import { findTlv, type TlvNode } from "./tlv.ts";

/** An intermediate status code (04 FF) as a kiosk stage and plain English text. */
export function intermediateStatus(code: number): TerminalProgress {
  const entry = INTERMEDIATE.get(code);
  if (entry !== undefined) return { stage: entry[0], text: entry[1] };
  if (code >= 0x41 && code <= 0x5d) return { stage: "remove_card", text: "Please remove card" };
  return { stage: "other", text: `Terminal status ${code.toString(16).padStart(2, "0").toUpperCase()}` };
}

const INTERMEDIATE: ReadonlyMap<number, [TerminalStage, string]> = new Map<number, [TerminalStage, string]>([
  [0x00, ["other", "Waiting for amount confirmation"]],
  [0x01, ["enter_pin", "Please watch PIN pad"]],
  [0x02, ["enter_pin", "Please watch PIN pad"]],
  [0x03, ["declined", "Not accepted"]],
  [0x04, ["processing", "Waiting for the host"]],
  [0x05, ["processing", "Sending auto-reversal"]],
  [0x06, ["processing", "Sending post-bookings"]],
  [0x07, ["other", "Card not admitted"]],
  [0x08, ["other", "Card unknown"]],
  [0x09, ["other", "Expired card"]],
  [0x0a, ["present_card", "Insert card"]],
  [0x0b, ["remove_card", "Please remove card"]],
  [0x0c, ["other", "Card not readable"]],
  [0x0d, ["other", "Processing error"]],
  [0x0e, ["processing", "Please wait"]],
  [0x0f, ["processing", "Automatic end of day"]],
  [0x10, ["other", "Invalid card"]],
  [0x11, ["other", "Balance display"]],
  [0x12, ["other", "System malfunction"]],
  [0x13, ["declined", "Payment not possible"]],
  [0x14, ["declined", "Credit not sufficient"]],
  [0x15, ["enter_pin", "Incorrect PIN"]],
  [0x16, ["declined", "Limit not sufficient"]],
  [0x17, ["processing", "Please wait"]],
  [0x18, ["declined", "PIN try limit exceeded"]],
  [0x19, ["other", "Card data incorrect"]],
  [0x1a, ["other", "Service mode"]],
  [0x1b, ["approved", "Approved"]],
  [0x1c, ["approved", "Approved, please take goods"]],
  [0x1d, ["declined", "Declined"]],
  [0x28, ["processing", "Currency selection"]],
  [0x29, ["processing", "Language selection"]],
  [0x2a, ["present_card", "Insert card"]],
  [0x2b, ["processing", "Emergency transaction, please wait"]],
  [0x2c, ["processing", "Application selection"]],
  [0x4b, ["remove_card", "Please remove card"]],
  [0x5c, ["approved", "Approved, please remove card"]],
  [0x5d, ["declined", "Declined, please remove card"]],
  [0x68, ["reading_card", "Card detected"]],
  [0x6a, ["enter_pin", "PIN entry"]],
  [0x6b, ["enter_pin", "PIN entry"]],
  [0x6c, ["enter_pin", "PIN entry"]],
  [0x6d, ["processing", "PIN entered"]],
  [0xd2, ["processing", "Connecting"]],
  [0xd3, ["processing", "Connected"]],
  [0xe0, ["processing", "Application selection"]],
  [0xe1, ["processing", "Language selection"]],
  [0xf1, ["other", "Offline"]],
  [0xf2, ["processing", "Online"]],
  [0xf3, ["processing", "Offline transaction"]],
]);

const RECEIPT_CUSTOMER = 0x02;
const RECEIPT_ADMIN = 0x03;

/** How a transaction (or end of day, or repeated receipt) ended. */
export type End = { end: "completion"; data: Uint8Array } | { end: "abort"; resultCode: number };

interface Receipt {
  type: number | undefined;
  lines: string[];
}

/** Collects what the PT reports during a transaction. */
export class TransactionLog {
  status: StatusInformation | undefined;
  readonly receipts: Receipt[] = [];
  #current: string[] = [];
  readonly #onProgress: ((progress: TerminalProgress) => void) | undefined;

  constructor(onProgress: ((progress: TerminalProgress) => void) | undefined) {
    this.#onProgress = onProgress;
  }

  /** Handles one PT message; returns the end (completion or abort) when it is one. */
  take(message: Apdu): End | undefined {
    const key = (message.cls << 8) | message.instr;
    switch (key) {
      case 0x04ff:
        this.#progress(message.data);
        return undefined;
      case 0x040f:
        this.status = readStatusInformation(message.data);
        return undefined;
      case 0x06d1:
        this.#printLine(message.data);
        return undefined;
      case 0x06d3:
        this.#printTextBlock(message.data);
        return undefined;
      case 0x060f:
        return { end: "completion", data: message.data };
      case 0x061e:
        return { end: "abort", resultCode: message.data[0] ?? 0xff };
      default:
        return undefined;
    }
  }

  /** The customer's slip: the receipt marked as customer's, else the last one printed. */
  customerLines(): string[] {
    return this.#linesOf(RECEIPT_CUSTOMER);
  }

  /** The administration receipt (end of day), else the last one printed. */
  adminLines(): string[] {
    return this.#linesOf(RECEIPT_ADMIN);
  }

  #linesOf(type: number): string[] {
    const all =
      this.#current.length > 0 ? [...this.receipts, { type: undefined, lines: this.#current }] : this.receipts;
    return (all.find((r) => r.type === type) ?? all.at(-1))?.lines ?? [];
  }

  #progress(data: Uint8Array): void {
    const code = data[0];
    if (code === undefined || this.#onProgress === undefined) return;
    // `<status> [<timeout>] [06 <TLV>]`: try the TLV right after the status, else after a timeout byte.
    let parsed = parseBmps(data, 1);
    if (parsed.stoppedAt !== undefined || (data.length > 1 && !parsed.fields.has(0x06))) parsed = parseBmps(data, 2);
    const display = findTlv(parsed.tlv, 0x24);
    const texts = (display?.children ?? []).filter((n) => n.tag === 0x07).map((n) => decodeText(n.value));
    const base = intermediateStatus(code);
    const text = cleanText(texts.join(" ").replace(/\s+/g, " "), 80);
    try {
      this.#onProgress({ stage: base.stage, text: text === "" ? base.text : text });
    } catch {
      // onProgress must not throw; a callback that does is ignored.
    }
  }

  #printLine(data: Uint8Array): void {
    const attribute = data[0] ?? 0;
    if (attribute === 0xff) {
      // Line feeds: the count follows.
      const feeds = Math.min(data[1] ?? 1, 10);
      for (let i = 0; i < feeds; i++) this.#current.push("");
      return;
    }
    this.#current.push(cleanLine(decodeText(data.subarray(1))));
    if ((attribute & 0x80) !== 0 && attribute !== 0x80) {
      this.receipts.push({ type: undefined, lines: this.#current });
      this.#current = [];
    }
  }

  #printTextBlock(data: Uint8Array): void {
    const { tlv } = parseBmps(data);
    const type = findTlv(tlv, 0x1f07)?.value[0];
    const texts = findTlv(tlv, 0x25);
    const lines = (texts?.children ?? [])
      .filter((n: TlvNode) => n.tag === 0x07)
      .map((n) => cleanLine(decodeText(n.value)));
    this.receipts.push({ type, lines });
  }
}

/** The outcome of a transaction that ended with Completion or Abort. */
export function endedOutcome(end: End, log: TransactionLog, reference: string, amount: number): TerminalOutcome {
  if (end.end === "abort") {
    if (end.resultCode === RESULT_ABORTED)
      return {
        result: "cancelled",
        reference,
        reason: "cancelled at the terminal (abort key, timeout or abort request)",
      };
    return { result: "declined", reference, reason: resultCodeText(end.resultCode), receiptLines: log.customerLines() };
  }
  const status = log.status;
  if (status === undefined)
    return { result: "unknown", reference, reason: "the terminal completed without reporting the transaction" };
  if (status.resultCode !== undefined && status.resultCode !== 0)
    return {
      result: "declined",
      reference,
      reason: resultCodeText(status.resultCode),
      receiptLines: log.customerLines(),
    };
  return approvedOutcome(reference, status, status.amount ?? amount, log.customerLines());
}

export function approvedOutcome(
  reference: string,
  status: StatusInformation,
  amount: number,
  receiptLines: string[],
): Extract<TerminalOutcome, { result: "approved" }> {
  const card: CardSummary = {};
  if (status.maskedPan !== undefined) card.maskedPan = status.maskedPan;
  if (status.brand !== undefined) card.brand = status.brand;
  return {
    result: "approved",
    reference,
    amount,
    transactionId: status.receiptNumber ?? status.traceNumber ?? "",
    ...(status.authCode !== undefined && { authCode: status.authCode }),
    ...(status.terminalId !== undefined && { terminalId: status.terminalId }),
    ...(Object.keys(card).length > 0 && { card }),
    receiptLines,
  };
}

/** The terminal status byte of a status-enquiry completion: `[<LLL sw-version>] <status> [BMPs]`. */
export function completionTerminalStatus(data: Uint8Array): number | undefined {
  const versionLength = decodeVarLength(data, 0, 3);
  return versionLength === undefined ? data[0] : data[3 + versionLength];
}
