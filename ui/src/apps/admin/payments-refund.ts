/**
 * The rules of a refund on the admin page's Payments card (galley-admin-payments): the amount as
 * a manager types it, what the form prefills, when a submission keeps its Idempotency-Key, and a
 * refused refund in words. Kept apart from the card so the list and its rendering read on their
 * own, and these rules, which decide whether money goes back twice, stay in one short place.
 */
import type { RecentPayment } from "../../../../protocol/index.ts";
import { ApiError } from "../../data/api.ts";
import { minorUnitsPer } from "../../data/format.ts";
import { newOrderId } from "../../data/ids.ts";
import type { MessageKey, Translate } from "../../i18n/index.ts";
import { failureText } from "./admin-shared.ts";

/** Refusals of a refund with a sentence of their own. */
const REFUND_ERRORS: Readonly<Record<string, MessageKey>> = {
  refund_exceeds_captured: "pay.error.refund_exceeds_captured",
  terminal_declined: "pay.error.terminal_declined",
  terminal_unavailable: "pay.error.terminal_unavailable",
  provider_unreachable: "pay.error.provider_unreachable",
  provider_declined: "pay.error.provider_declined",
  payment_not_found: "pay.error.payment_not_found",
};

/** The refund form of one payment. */
export interface RefundForm {
  payment: RecentPayment;
  amount: string;
  reason: string;
}

/** One submission: the values sent and their Idempotency-Key, kept while its outcome is unknown. */
export interface RefundSubmission {
  paymentId: string;
  amount: number;
  reason: string;
  key: string;
}

/** "3.90", "3,90", "3" → minor units; undefined when it is not an amount. */
export function parseAmount(text: string, currency: string): number | undefined {
  const cleaned = text.trim().replace(/\s/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,3})?$/.test(cleaned)) return undefined;
  const minor = Math.round(Number(cleaned) * minorUnitsPer(currency));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** What is left as the form prefills it: plain digits, no currency sign ("3.90"). */
export function plainAmount(minor: number, currency: string): string {
  const per = minorUnitsPer(currency);
  return per === 1 ? String(minor) : (minor / per).toFixed(Math.round(Math.log10(per)));
}

/** The same values after an unknown outcome are the same submission: the same key. */
export function submissionFor(
  previous: RefundSubmission | undefined,
  paymentId: string,
  amount: number,
  reason: string,
): RefundSubmission {
  return previous && previous.paymentId === paymentId && previous.amount === amount && previous.reason === reason
    ? previous
    : { paymentId, amount, reason, key: newOrderId() };
}

/** A refund whose answer never came (or a server fault): it may have happened. */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 500 || error.status === 502 || error.status === 504;
}

/** A refused refund in words: its own sentence where it has one, else the card's failure text. */
export function refundFailureText(t: Translate, error: unknown): string {
  const key = error instanceof ApiError ? REFUND_ERRORS[error.code] : undefined;
  return key ? t(key) : failureText(t, error);
}
