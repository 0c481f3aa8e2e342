/**
 * Square as a card provider: CreatePayment (`POST /v2/payments`) with the customer's card token as
 * `source_id` and `autocomplete: true`, RefundPayment (`POST /v2/refunds`). Same base URL, pinned
 * `Square-Version` and bearer token as order sync (appliance/sync/adapters/square.ts), same HTTP
 * client (appliance/lib/http-client.ts), which tells "never connected" from "sent, no answer".
 *
 * Keys: `chg-<payment id>` and `rfd-<refund id>` (40 characters, Square allows 45); sync's own
 * CreatePayment for recorded payments uses `pay-…`, so the two never collide. `reference_id` is our
 * payment id, as sync's payments have it, so ListPayments finds the charge after an unknown outcome.
 *
 * Square answers a decline with an error of category PAYMENT_METHOD_ERROR (HTTP 402, or 400 for
 * some card-data checks), often with the FAILED payment alongside; a used or expired token is an
 * INVALID_REQUEST_ERROR with CARD_TOKEN_USED / CARD_TOKEN_EXPIRED. All of these charged nothing.
 *
 * Connect timeout: the client has one deadline per request, so while a request is out a TCP connect
 * to the same host watches the network; if that cannot connect within `connectTimeoutMs` the request
 * is cancelled (outcome `unreachable`) instead of waiting out the whole `timeoutMs`.
 */
import { connect } from "node:net";
import { noFailpoint } from "../../lib/failpoints.ts";
import { HttpClient, type HttpResult } from "../../lib/http-client.ts";
import {
  providerKey,
  type ChargeOutcome,
  type ChargeRequest,
  type PaymentProvider,
  type RefundOutcome,
  type RefundRequest,
} from "./types.ts";

export interface SquareProviderOptions {
  /** https://connect.squareup.com or https://connect.squareupsandbox.com. */
  baseUrl: string;
  accessToken: string;
  locationId: string;
  /** The whole request's deadline (default 30 s: an issuer can take its time). */
  timeoutMs?: number;
  /** Give up when no TCP connection stands within this (default 5 s). */
  connectTimeoutMs?: number;
  /** `Square-Version` (default 2025-08-20, as sync pins). */
  version?: string;
}

export const SQUARE_DEFAULT_VERSION = "2025-08-20";
/** CreatePayment / RefundPayment `idempotency_key` limit. */
const KEY_MAX = 45;
const REFERENCE_MAX = 40;
const NOTE_MAX = 500;
const REASON_MAX = 192;

/** Codes that mean "this card or token will not pay": nothing was charged. */
const DECLINE_CODES = new Set([
  "CARD_DECLINED",
  "GENERIC_DECLINE",
  "CVV_FAILURE",
  "ADDRESS_VERIFICATION_FAILURE",
  "INVALID_ACCOUNT",
  "INSUFFICIENT_FUNDS",
  "TRANSACTION_LIMIT",
  "CARD_EXPIRED",
  "INVALID_EXPIRATION",
  "INVALID_EXPIRATION_YEAR",
  "INVALID_EXPIRATION_DATE",
  "EXPIRATION_FAILURE",
  "BAD_EXPIRATION",
  "INVALID_CARD",
  "INVALID_CARD_DATA",
  "INVALID_ENCRYPTED_CARD",
  "UNSUPPORTED_CARD_BRAND",
  "CARD_NOT_SUPPORTED",
  "PAN_FAILURE",
  "INVALID_POSTAL_CODE",
  "CARD_DECLINED_CALL_ISSUER",
  "CARD_DECLINED_VERIFICATION_REQUIRED",
  "VERIFY_CVV_FAILURE",
  "VERIFY_AVS_FAILURE",
  "CARDHOLDER_INSUFFICIENT_PERMISSIONS",
  "VOICE_FAILURE",
  "CHIP_INSERTION_REQUIRED",
  "ALLOWABLE_PIN_TRIES_EXCEEDED",
  "CARD_TOKEN_USED",
  "CARD_TOKEN_EXPIRED",
  "SOURCE_USED",
  "SOURCE_EXPIRED",
]);

/** Codes that mean "Square will not make this refund": nothing was refunded. */
const REFUND_REFUSALS = new Set([
  "REFUND_AMOUNT_INVALID",
  "REFUND_ALREADY_PENDING",
  "PAYMENT_NOT_REFUNDABLE",
  "REFUND_DECLINED",
  "RESERVATION_DECLINED",
  "INSUFFICIENT_FUNDS",
  "CURRENCY_MISMATCH",
]);

interface SquareError {
  category?: string;
  code?: string;
  detail?: string;
  field?: string;
}

interface SquarePaymentAnswer {
  payment?: {
    id?: string;
    status?: string;
    total_money?: { amount?: number };
    amount_money?: { amount?: number };
    tip_money?: { amount?: number };
    receipt_url?: string;
    card_details?: { status?: string; card?: { card_brand?: string; last_4?: string } };
  };
  refund?: { id?: string; status?: string };
  errors?: SquareError[];
}

type Answer = Extract<HttpResult, { ok: true }>;

export function createSquareProvider(options: SquareProviderOptions): PaymentProvider {
  return new SquareProvider(options);
}

class SquareProvider implements PaymentProvider {
  readonly name = "square" as const;
  readonly #options: SquareProviderOptions;
  readonly #http = new HttpClient(noFailpoint);
  readonly #base: string;

  constructor(options: SquareProviderOptions) {
    this.#options = options;
    this.#base = options.baseUrl.replace(/\/+$/, "");
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const currency = request.currency.toUpperCase();
    const money = (amount: number) => ({ amount, currency });
    const tip = request.tip ?? 0;
    const body = {
      idempotency_key: providerKey("chg", request.paymentId, KEY_MAX),
      source_id: request.token,
      amount_money: money(request.amount),
      ...(tip > 0 ? { tip_money: money(tip) } : {}),
      location_id: this.#options.locationId,
      reference_id: cutText(request.paymentId, REFERENCE_MAX),
      note: cutText(`Galley order ${request.orderReference}`, NOTE_MAX),
      autocomplete: true,
    };
    const result = await this.#post("/v2/payments", body);
    if (!result.ok) return unreachable(result);
    const json = result.json as SquarePaymentAnswer | undefined;
    if (result.jsonError !== undefined || json === undefined || typeof json !== "object") return malformed(result);
    const error = json.errors?.[0];
    if (result.status >= 200 && result.status < 300 && !error) {
      const payment = json.payment;
      if (typeof payment?.id !== "string") return malformed(result);
      if (payment.status === "COMPLETED") {
        const card = payment.card_details?.card;
        return {
          result: "captured",
          providerPaymentId: payment.id,
          amount: payment.total_money?.amount ?? (payment.amount_money?.amount ?? 0) + (payment.tip_money?.amount ?? 0),
          ...(card?.card_brand ? { cardBrand: card.card_brand } : {}),
          ...(card?.last_4 ? { last4: card.last_4 } : {}),
          ...(payment.receipt_url ? { receiptUrl: payment.receipt_url } : {}),
        };
      }
      if (payment.status === "FAILED" || payment.status === "CANCELED")
        return { result: "declined", code: payment.status, message: `Square answered a ${payment.status} payment` };
      return {
        result: "error",
        code: `PAYMENT_${payment.status ?? "UNKNOWN"}`,
        message: `Square answered a payment in state ${payment.status ?? "?"}, not COMPLETED`,
        retryable: false,
        status: result.status,
      };
    }
    if (error && (error.category === "PAYMENT_METHOD_ERROR" || DECLINE_CODES.has(error.code ?? "")))
      return {
        result: "declined",
        code: error.code ?? "PAYMENT_METHOD_ERROR",
        message: error.detail ?? "the card was declined",
      };
    return answeredError(result, error);
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const body = {
      idempotency_key: providerKey("rfd", request.refundId, KEY_MAX),
      payment_id: request.providerPaymentId,
      amount_money: { amount: request.amount, currency: request.currency.toUpperCase() },
      reason: cutText(request.reason, REASON_MAX),
    };
    const result = await this.#post("/v2/refunds", body);
    if (!result.ok) return unreachable(result);
    const json = result.json as SquarePaymentAnswer | undefined;
    if (result.jsonError !== undefined || json === undefined || typeof json !== "object") return malformed(result);
    const error = json.errors?.[0];
    if (result.status >= 200 && result.status < 300 && !error) {
      const refund = json.refund;
      if (typeof refund?.id !== "string") return malformed(result);
      if (refund.status === "COMPLETED" || refund.status === "PENDING")
        return {
          result: "refunded",
          providerRefundId: refund.id,
          status: refund.status === "COMPLETED" ? "completed" : "pending",
        };
      return {
        result: "declined",
        code: `REFUND_${refund.status ?? "UNKNOWN"}`,
        message: `Square answered a refund in state ${refund.status ?? "?"}`,
      };
    }
    if (error && (error.category === "REFUND_ERROR" || REFUND_REFUSALS.has(error.code ?? "")))
      return {
        result: "declined",
        code: error.code ?? "REFUND_ERROR",
        message: error.detail ?? "Square refused the refund",
      };
    return answeredError(result, error);
  }

  close(): void {
    this.#http.close();
  }

  async #post(path: string, body: unknown): Promise<HttpResult> {
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    const connectTimeoutMs = Math.min(this.#options.connectTimeoutMs ?? 5_000, timeoutMs);
    const cancel = new AbortController();
    const watch = { timedOut: false };
    const stopWatch = watchConnect(this.#base, connectTimeoutMs, () => {
      watch.timedOut = true;
      cancel.abort();
    });
    try {
      const result = await this.#http.request({
        method: "POST",
        url: `${this.#base}${path}`,
        headers: {
          authorization: `Bearer ${this.#options.accessToken}`,
          "square-version": this.#options.version ?? SQUARE_DEFAULT_VERSION,
        },
        body,
        timeoutMs,
        signal: cancel.signal,
      });
      if (!result.ok && result.failure === "aborted" && watch.timedOut)
        return {
          ...result,
          code: "ECONNECTTIMEOUT",
          detail: `could not connect to Square within ${connectTimeoutMs} ms`,
        };
      return result;
    } finally {
      stopWatch();
    }
  }
}

/**
 * Connects to the URL's host and port; calls `onTimeout` when no connection stood within `ms`. A
 * refused or failed connect is not reported: the request itself fails just as fast. Returns stop.
 */
function watchConnect(baseUrl: string, ms: number, onTimeout: () => void): () => void {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port });
  const timer = setTimeout(() => {
    socket.destroy();
    onTimeout();
  }, ms);
  const settle = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  socket.once("connect", settle);
  socket.once("error", settle);
  return settle;
}

function unreachable(result: Extract<HttpResult, { ok: false }>): {
  result: "unreachable";
  message: string;
  maybeSent: boolean;
} {
  // "connect": the connection never stood. A cancel by the connect watch may have come after the
  // request's own connection stood (a pooled one), so it counts as maybe sent, like a timeout.
  const maybeSent = result.failure !== "connect";
  return { result: "unreachable", message: `Square did not answer: ${result.detail} (${result.code})`, maybeSent };
}

function malformed(result: Answer): {
  result: "error";
  code: string;
  message: string;
  retryable: true;
  status: number;
} {
  return {
    result: "error",
    code: "MALFORMED_ANSWER",
    message: `Square answered HTTP ${result.status} with a body that is not the expected JSON`,
    retryable: true,
    status: result.status,
  };
}

function answeredError(
  result: Answer,
  error: SquareError | undefined,
): { result: "error"; code: string; message: string; retryable: boolean; status: number } {
  const retryable = result.status >= 500 || result.status === 429 || error?.code === "TEMPORARY_ERROR";
  return {
    result: "error",
    code: error?.code ?? `HTTP_${result.status}`,
    message: `Square answered HTTP ${result.status}${error?.detail ? `: ${error.detail}` : ""}`,
    retryable,
    status: result.status,
  };
}

/** The first `max` code points of `text` (Square counts characters). */
function cutText(text: string, max: number): string {
  return Array.from(text).slice(0, max).join("");
}
