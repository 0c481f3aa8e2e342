/**
 * Deterministic idempotency keys and provider field limits. A key is a pure function of stored
 * data, so a restart recomputes the same key and a retry can never create a second record
 * (docs/architecture.md#idempotency-keys). Limits are Square's OpenAPI spec
 * (square/connect-api-specification `api.json`, Square-Version 2025-08-20).
 */

export const SQUARE_LIMITS = {
  /** CreateOrder / UpdateOrder / PayOrder `idempotency_key`. */
  orderKey: 192,
  /** CreatePayment `idempotency_key` ("might be less … if multi-byte characters are used"). */
  paymentKey: 45,
  /** RefundPayment `idempotency_key` (the same rule as CreatePayment's). */
  refundKey: 45,
  /** RefundPayment `reason`. */
  refundReason: 192,
  referenceId: 40,
  ticketName: 30,
  lineName: 512,
  lineNote: 2_000,
  lineUid: 60,
  paymentNote: 500,
  /** Metadata: at most 10 entries, keys ≤ 60 chars of [a-zA-Z0-9_-], values ≤ 255 chars. */
  metadataEntries: 10,
  metadataKey: 60,
  metadataValue: 255,
  batchRetrieveIds: 100,
} as const;

export const METADATA_KEY = /^[a-zA-Z0-9_-]{1,60}$/;

/** `ord-<order uuid>`: 40 characters. */
export function squareOrderKey(orderId: string): string {
  return fit(`ord-${orderId}`, SQUARE_LIMITS.orderKey, "order idempotency key");
}

/** `pay-<payment uuid>`: 40 characters, within CreatePayment's 45. */
export function squarePaymentKey(paymentId: string): string {
  return fit(`pay-${paymentId}`, SQUARE_LIMITS.paymentKey, "payment idempotency key");
}

/**
 * `ref-<refund uuid>`: 40 characters, within RefundPayment's 45. Distinct from the card provider's
 * own `rfd-<refund uuid>` (appliance/payments/providers/square.ts), so sync can never replay a refund
 * the provider made.
 */
export function squareRefundKey(refundId: string): string {
  return fit(`ref-${refundId}`, SQUARE_LIMITS.refundKey, "refund idempotency key");
}

/**
 * The tag RefundPayment's `reason` ends with: a Square refund has no `reference_id`, so this is how a
 * lookup after an unknown outcome recognises ours among the refunds ListPaymentRefunds returns.
 */
export function squareRefundTag(refundId: string): string {
  return `(Galley refund ${refundId})`;
}

/** The refund's reason, cut so that it and its tag fit Square's 192 characters. */
export function squareRefundReason(reason: string, refundId: string): string {
  const tag = squareRefundTag(refundId);
  const text = cut(reason.trim(), Math.max(0, SQUARE_LIMITS.refundReason - tag.length - 1));
  return cut(text ? `${text} ${tag}` : tag, SQUARE_LIMITS.refundReason);
}

/** The order UUID (36 characters) as Square's `reference_id`. */
export function squareReferenceId(id: string): string {
  return fit(id, SQUARE_LIMITS.referenceId, "reference_id");
}

/** `#42` or `#42 Sam`: the daily number and pickup name, cut to 30 characters. */
export function squareTicketName(number: number, pickupName?: string): string {
  const text = pickupName ? `#${number} ${pickupName}` : `#${number}`;
  return cut(text, SQUARE_LIMITS.ticketName);
}

/**
 * Square metadata from our entries: keys checked, values cut to 255 characters, at most 10
 * entries (the first ten win; callers order them by importance).
 */
export function squareMetadata(
  entries: readonly (readonly [string, string | number | undefined])[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    if (!METADATA_KEY.test(key)) throw new Error(`metadata key ${JSON.stringify(key)} breaks Square's rules`);
    if (Object.keys(out).length >= SQUARE_LIMITS.metadataEntries) break;
    out[key] = cut(String(value), SQUARE_LIMITS.metadataValue);
  }
  return out;
}

/** Zoho has no idempotency keys: our own sales order number is the key (ignore_auto_number_generation). */
export function zohoSalesOrderNumber(prefix: string, ref: string): string {
  return `${prefix}${ref}`;
}

/** The first `max` code points of `text` (JSON Schema's maxLength counts code points). */
export function cut(text: string, max: number): string {
  let out = "";
  let count = 0;
  for (const char of text) {
    if (count === max) break;
    out += char;
    count += 1;
  }
  return out;
}

function fit(value: string, max: number, what: string): string {
  if (value.length > max) throw new Error(`${what} is ${value.length} characters; the limit is ${max}`);
  return value;
}

/** Minor units → a decimal string in major units ("12.50") for APIs that want major units (Zoho). */
export function majorUnits(minor: number, currency: string): number {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Number((minor / 10 ** digits).toFixed(digits));
}
