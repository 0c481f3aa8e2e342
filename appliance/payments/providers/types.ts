/**
 * What galleyd asks of a card provider (Square, Stripe): charge a one-time token the customer's
 * phone or the kiosk's web SDK produced, and refund such a charge later. Each call is idempotent on
 * the provider's side: the key is a pure function of our payment (or refund) id, so a retry after
 * an unknown outcome can never charge (or refund) twice.
 *
 * One key per id also means one *request* per id: the providers remember a declined attempt under
 * its key too, so a second card (a new token) for the same sale needs a new payment id, or the
 * provider answers `idempotency_key_reused` / `idempotency_error` (an `error` outcome).
 */

import { createHash } from "node:crypto";

export type ProviderName = "square" | "stripe";

export interface ChargeRequest {
  /** Our payment's uuid: the idempotency key is derived from it (and Square's `reference_id` is it). */
  paymentId: string;
  /** Minor units, without the tip. */
  amount: number;
  /** ISO 4217, either case (Stripe is sent lowercase, Square uppercase). */
  currency: string;
  /** Square's `source_id` ("cnon:…") or Stripe's PaymentMethod id ("pm_…"). Never logged. */
  token: string;
  /** Our order reference, for the provider's note / metadata. */
  orderReference: string;
  /** Minor units; Square takes it as `tip_money`, Stripe adds it to the amount. */
  tip?: number;
}

export type ChargeOutcome =
  | {
      result: "captured";
      providerPaymentId: string;
      /** What the provider captured, in minor units: amount + tip. */
      amount: number;
      /** The provider's spelling: Square "VISA", Stripe "visa". */
      cardBrand?: string;
      last4?: string;
      receiptUrl?: string;
    }
  /** The card was declined or the token is unusable (used, expired, unknown): nothing was charged. */
  | { result: "declined"; code: string; message: string; declineCode?: string }
  /**
   * No answer. `maybeSent` false: the connection never stood, nothing reached the provider. True:
   * the request may have arrived (timeout or dropped connection after sending), so the charge may
   * have happened: repeat the same request (same payment id, same token) to learn the outcome.
   */
  | { result: "unreachable"; message: string; maybeSent: boolean }
  /**
   * The provider answered with something that is not a decline (auth, bad request, 5xx, a 3-D
   * Secure challenge we cannot present). `retryable`: a repeat with the same key may succeed
   * (429, 5xx, an unreadable answer); the charge's outcome is then unknown until it is repeated.
   */
  | { result: "error"; code: string; message: string; retryable: boolean; status?: number };

export interface RefundRequest {
  /** Our refund's uuid: the idempotency key is derived from it. */
  refundId: string;
  /** `providerPaymentId` of the captured charge. */
  providerPaymentId: string;
  /** Minor units. */
  amount: number;
  currency: string;
  /** Free text: Square's `reason` (cut to 192), Stripe's `metadata.reason`. */
  reason: string;
}

export type RefundOutcome =
  /** `pending`: accepted, the money is on its way (Square card refunds start PENDING). */
  | { result: "refunded"; providerRefundId: string; status: "pending" | "completed" }
  /** The provider refused this refund (more than is left, already refunded, not refundable): nothing refunded. */
  | { result: "declined"; code: string; message: string }
  | { result: "error"; code: string; message: string; retryable: boolean; status?: number }
  | { result: "unreachable"; message: string; maybeSent: boolean };

export interface PaymentProvider {
  readonly name: ProviderName;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
  /** Drops pooled connections. */
  close(): void;
}

/**
 * `<prefix>-<id>`: a uuid gives 40 characters with a 3-letter prefix, within Square's 45. A longer
 * id is replaced by the base64url SHA-256 of it, cut to fit, so the key stays a pure function of the id.
 */
export function providerKey(prefix: string, id: string, max: number): string {
  const plain = `${prefix}-${id}`;
  if (plain.length <= max && /^[\x21-\x7e]+$/.test(plain)) return plain;
  return `${prefix}-${createHash("sha256").update(id).digest("base64url")}`.slice(0, max);
}
