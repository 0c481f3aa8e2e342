/**
 * What the terminal's service responses mean for `PaymentTerminal`: a Payment/ReversalResponse as a
 * `TerminalOutcome` (approval with card and receipt, or which kind of failure), a
 * TransactionStatusResponse as a `TransactionStatus`, a DiagnosisResponse as a problem or none, and
 * a ReconciliationResponse as `TerminalTotals` with a summary slip. Pure functions over the
 * decrypted, unchecked JSON, built on the field readers of `nexo-read.ts`.
 */
import type { CardSummary, TerminalOutcome, TerminalTotals, TransactionStatus } from "../terminal.ts";
import {
  arrayAt,
  brandName,
  cleanText,
  currencyExponent,
  maskPan,
  numberAt,
  path,
  readResult,
  receiptLines,
  stringAt,
  toMinor,
  type NexoResult,
} from "./nexo-read.ts";

/** "Cancel: Customer cancelled", or `fallback` when the terminal gave no reason. */
export function reasonOf(result: NexoResult, fallback: string): string {
  const parts = [result.errorCondition, result.message].filter((part) => part !== "");
  return parts.length === 0 ? fallback : parts.join(": ");
}

/** Which outcome a Failure with this ErrorCondition is. */
function failureClass(condition: string): "declined" | "cancelled" | "not_sent" {
  switch (condition) {
    case "Cancel":
    case "Aborted":
      return "cancelled";
    case "Busy":
    case "InProgress":
    case "DeviceOut":
    case "UnavailableDevice":
    case "UnavailableService":
    case "LoggedOut":
    case "MessageFormat":
      return "not_sent";
    default:
      return "declined";
  }
}

/** What an approved PaymentResponse or ReversalResponse says. */
export interface Approval {
  amount: number;
  transactionId: string;
  /** POITransactionID.TimeStamp, which a later ReversalRequest must repeat. */
  timeStamp: string | undefined;
  authCode?: string;
  terminalId?: string;
  card?: CardSummary;
  receiptLines: string[];
}

/** What the terminal answered, and the approval in it for the driver to remember. */
export interface Read<T> {
  answer: T;
  approval?: Approval;
}

function readApproval(body: unknown, header: unknown, fallbackAmount: number, currency: string): Approval {
  const authorised =
    numberAt(body, "PaymentResult", "AmountsResp", "AuthorizedAmount") ?? numberAt(body, "ReversedAmount");
  const approval: Approval = {
    amount: authorised === undefined ? fallbackAmount : toMinor(authorised, currency),
    transactionId: cleanText(stringAt(body, "POIData", "POITransactionID", "TransactionID") ?? "", 80),
    timeStamp: stringAt(body, "POIData", "POITransactionID", "TimeStamp"),
    receiptLines: receiptLines(path(body, "PaymentReceipt"), "CustomerReceipt"),
  };
  const authCode = stringAt(body, "PaymentResult", "PaymentAcquirerData", "ApprovalCode");
  if (authCode !== undefined && authCode !== "") approval.authCode = cleanText(authCode, 20);
  const terminalId = stringAt(header, "POIID");
  if (terminalId !== undefined && terminalId !== "") approval.terminalId = cleanText(terminalId, 40);
  const cardData = path(body, "PaymentResult", "PaymentInstrumentData", "CardData");
  const maskedPan = maskPan(stringAt(cardData, "MaskedPan"));
  const brand = brandName(stringAt(cardData, "PaymentBrand"));
  if (maskedPan !== undefined || brand !== undefined) {
    approval.card = {};
    if (maskedPan !== undefined) approval.card.maskedPan = maskedPan;
    if (brand !== undefined) approval.card.brand = brand;
  }
  return approval;
}

/** The approval's fields as an approved outcome or status shows them. */
function shown(approval: Approval): Omit<Approval, "timeStamp"> {
  const { timeStamp: _timeStamp, ...rest } = approval;
  return rest;
}

/** A PaymentResponse or ReversalResponse `body` (under `header`) for the sale `reference`. */
export function readOutcome(
  body: unknown,
  header: unknown,
  reference: string,
  amount: number,
  currency: string,
): Read<TerminalOutcome> {
  const result = readResult(path(body, "Response"));
  if (result.result !== "Failure") {
    const approval = readApproval(body, header, amount, currency);
    return { answer: { result: "approved", reference, ...shown(approval) }, approval };
  }
  const reason = reasonOf(result, "declined by the terminal");
  switch (failureClass(result.errorCondition)) {
    case "declined":
      return {
        answer: {
          result: "declined",
          reference,
          reason,
          receiptLines: receiptLines(path(body, "PaymentReceipt"), "CustomerReceipt"),
        },
      };
    case "cancelled":
      return { answer: { result: "cancelled", reference, reason } };
    case "not_sent":
      return { answer: { result: "not_sent", reference, reason } };
  }
}

/**
 * A TransactionStatusResponse about `query.reference`: the repeated Payment/ReversalResponse it
 * carries, NotFound, InProgress, or why the terminal could not tell.
 */
export function readStatus(
  response: unknown,
  query: { reference: string; amount: number; currency: string },
): Read<TransactionStatus> {
  const { reference } = query;
  const body = path(response, "TransactionStatusResponse");
  const result = readResult(path(body, "Response"));
  if (result.result === "Failure") {
    if (result.errorCondition === "NotFound") return { answer: { state: "not_found", reference } };
    if (result.errorCondition === "InProgress") return { answer: { state: "in_progress", reference } };
    return { answer: { state: "unreachable", reference, reason: reasonOf(result, "the terminal could not tell") } };
  }
  const repeated = path(body, "RepeatedMessageResponse");
  const repeatedBody = path(repeated, "RepeatedResponseMessageBody");
  const inner = path(repeatedBody, "PaymentResponse") ?? path(repeatedBody, "ReversalResponse");
  if (inner === undefined) {
    return {
      answer: { state: "unreachable", reference, reason: "the terminal's status answer has no repeated response" },
    };
  }
  const saleReference = stringAt(inner, "SaleData", "SaleTransactionID", "TransactionID");
  if (saleReference !== undefined && saleReference !== reference) return { answer: { state: "not_found", reference } };
  const innerResult = readResult(path(inner, "Response"));
  if (innerResult.result === "Failure") {
    return { answer: { state: "failed", reference, reason: reasonOf(innerResult, "declined by the terminal") } };
  }
  const approval = readApproval(inner, path(repeated, "MessageHeader"), query.amount, query.currency);
  return { answer: { state: "approved", reference, ...shown(approval) }, approval };
}

/** What is wrong according to a DiagnosisResponse, or null when nothing is. */
export function diagnosisProblem(response: unknown): string | null {
  const result = readResult(path(response, "DiagnosisResponse", "Response"));
  if (result.result === "Failure") return `diagnosis failed: ${reasonOf(result, "no reason given")}`;
  const status = stringAt(response, "DiagnosisResponse", "POIStatus", "GlobalStatus");
  if (status !== undefined && status !== "OK") return `terminal status ${cleanText(status, 20)}`;
  return null;
}

/** Which way a PaymentTotals.TransactionType moves the total: Debit and ReverseCredit add, Credit and ReverseDebit subtract. */
function signOf(type: string | undefined): number {
  if (type === "Debit" || type === "ReverseCredit") return 1;
  if (type === "Credit" || type === "ReverseDebit") return -1;
  return 0;
}

/**
 * Sums a ReconciliationResponse's TransactionTotals in `currency`, per brand, with summary lines
 * (the terminal prints no slip). `otherCurrencies` names the groups left out, one per group.
 */
export function readTotals(body: unknown, currency: string): { totals: TerminalTotals; otherCurrencies: string[] } {
  const brands = new Map<string, { brand: string; count: number; total: number }>();
  const otherCurrencies: string[] = [];
  let total = 0;
  let count = 0;
  for (const group of arrayAt(body, "TransactionTotals").slice(0, 200)) {
    const groupCurrency = stringAt(group, "PaymentCurrency") ?? currency;
    if (groupCurrency !== currency) {
      otherCurrencies.push(cleanText(groupCurrency, 8));
      continue;
    }
    const brand = brandName(stringAt(group, "CardBrand")) ?? "Other";
    const entry = brands.get(brand) ?? { brand, count: 0, total: 0 };
    for (const totals of arrayAt(group, "PaymentTotals")) {
      const sign = signOf(stringAt(totals, "TransactionType"));
      if (sign === 0) continue;
      const amount = sign * toMinor(numberAt(totals, "TransactionAmount") ?? 0, currency);
      const transactions = Math.max(0, Math.trunc(numberAt(totals, "TransactionCount") ?? 0));
      entry.total += amount;
      entry.count += transactions;
      total += amount;
      count += transactions;
    }
    brands.set(brand, entry);
  }
  const byBrand = [...brands.values()];
  const reconciliationId = cleanText(stringAt(body, "POIReconciliationID") ?? "", 20);
  const lines = [
    `Reconciliation ${reconciliationId}`.trimEnd(),
    ...byBrand.map((entry) => `${entry.brand}: ${entry.count} × ${formatMinor(entry.total, currency)}`),
    `Total: ${count} × ${formatMinor(total, currency)}`,
  ];
  return { totals: { total, count, currency, byBrand, receiptLines: lines }, otherCurrencies };
}

/** -1250 EUR → "-12.50 EUR". */
function formatMinor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? "-" : "";
  return `${sign}${(Math.abs(minor) / 10 ** exponent).toFixed(exponent)} ${currency}`;
}
