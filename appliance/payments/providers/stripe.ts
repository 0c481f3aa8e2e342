/**
 * Stripe as a card provider, through the official SDK: a PaymentIntent created and confirmed in one
 * request (`confirm: true`, `payment_method` = the token, `allowed_payment_method_types: ["card"]`,
 * so no redirect-based method and no `return_url` is involved; the SDK's pinned API version
 * 2026-11-18.endive no longer takes `payment_method_types` on PaymentIntents), expanded with its `latest_charge` for the
 * card's brand, last four digits and receipt; a Refund against the PaymentIntent.
 *
 * Keys: `galley-charge-<payment id>` and `galley-refund-<refund id>` as the SDK's `idempotencyKey`.
 * Stripe replays a key's first result, a card decline included, and refuses the same key with other
 * parameters (`idempotency_error`).
 *
 * Outcomes: status `succeeded` → captured; `requires_action` → error `requires_action` (a 3-D Secure
 * challenge we cannot present at the kiosk; nothing was charged, the intent stays open until it
 * expires); a card error (402) → declined; an invalid request about `payment_method` (unknown or used
 * token) → declined; no answer → unreachable; anything else → error.
 *
 * The SDK retries nothing by default here (`maxNetworkRetries` 0; it still resends once on a closed
 * keep-alive socket, with the same key). Its `timeout` is a socket inactivity timeout; a connect
 * timeout comes from our own agent, which destroys a socket that has not connected in time.
 */
import { Agent as HttpAgent, type ClientRequestArgs } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type Stripe from "stripe";
import { CONNECT_CODES as HTTP_CONNECT_CODES } from "../../lib/http-client.ts";
import {
  providerKey,
  type ChargeOutcome,
  type ChargeRequest,
  type PaymentProvider,
  type RefundOutcome,
  type RefundRequest,
} from "./types.ts";

export interface StripeProviderOptions {
  secretKey: string;
  /** api.stripe.com unless a test points it elsewhere. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  /** Socket inactivity timeout of a request (default 30 s). */
  timeoutMs?: number;
  /** Give up when no TCP connection stands within this (default 5 s). */
  connectTimeoutMs?: number;
  /** The SDK's own retries, same key each time (default 0: the caller decides). */
  maxNetworkRetries?: number;
}

const KEY_MAX = 255;
/** The code of the error a socket is destroyed with when it did not connect in time. */
const CONNECT_TIMEOUT = "ECONNECTTIMEOUT";
const METADATA_VALUE_MAX = 500;
/** Codes a refund is refused with for good: nothing was refunded. */
const REFUND_REFUSALS = new Set(["amount_too_large", "charge_already_refunded", "charge_disputed", "charge_expired"]);
/** Error codes that are network failures before anything was sent: lib/http-client.ts's, and our connect timeout. */
const CONNECT_CODES: ReadonlySet<string> = new Set([...HTTP_CONNECT_CODES, CONNECT_TIMEOUT]);

export function createStripeProvider(options: StripeProviderOptions): PaymentProvider {
  return new StripeProvider(options);
}

class StripeProvider implements PaymentProvider {
  readonly name = "stripe" as const;
  readonly #options: StripeProviderOptions;
  readonly #agent: HttpAgent;
  /** The SDK (~35 MB) is loaded on the first call, not when galleyd starts. */
  #sdk: Promise<{ stripe: Stripe; StripeError: typeof Stripe.errors.StripeError }> | undefined;

  constructor(options: StripeProviderOptions) {
    this.#options = options;
    this.#agent = connectTimeoutAgent(options.protocol ?? "https", options.connectTimeoutMs ?? 5_000);
  }

  #client(): Promise<{ stripe: Stripe; StripeError: typeof Stripe.errors.StripeError }> {
    this.#sdk ??= import("stripe").then(({ default: StripeSdk }) => {
      const options = this.#options;
      const stripe = new StripeSdk(options.secretKey, {
        ...(options.host ? { host: options.host } : {}),
        ...(options.port ? { port: options.port } : {}),
        protocol: options.protocol ?? "https",
        timeout: options.timeoutMs ?? 30_000,
        maxNetworkRetries: options.maxNetworkRetries ?? 0,
        telemetry: false,
        httpAgent: this.#agent,
        appInfo: { name: "galleyd" },
      });
      return { stripe, StripeError: StripeSdk.errors.StripeError };
    });
    return this.#sdk;
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const tip = request.tip ?? 0;
    const { stripe, StripeError } = await this.#client();
    let intent: Stripe.PaymentIntent;
    try {
      intent = await stripe.paymentIntents.create(
        {
          amount: request.amount + tip,
          currency: request.currency.toLowerCase(),
          payment_method: request.token,
          allowed_payment_method_types: ["card"],
          confirm: true,
          description: cut(`Galley order ${request.orderReference}`, 1_000),
          metadata: {
            galley_payment_id: request.paymentId,
            order_ref: cut(request.orderReference, METADATA_VALUE_MAX),
            ...(tip > 0 ? { tip: String(tip) } : {}),
          },
          expand: ["latest_charge"],
        },
        { idempotencyKey: providerKey("galley-charge", request.paymentId, KEY_MAX) },
      );
    } catch (error) {
      return chargeFailure(error, StripeError);
    }
    switch (intent.status) {
      case "succeeded": {
        const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
        const card = charge?.payment_method_details?.card;
        return {
          result: "captured",
          providerPaymentId: intent.id,
          amount: intent.amount_received,
          ...(card?.brand ? { cardBrand: card.brand } : {}),
          ...(card?.last4 ? { last4: card.last4 } : {}),
          ...(charge?.receipt_url ? { receiptUrl: charge.receipt_url } : {}),
        };
      }
      case "requires_action":
        return {
          result: "error",
          code: "requires_action",
          message: "the card needs 3-D Secure authentication, which the kiosk cannot present; nothing was charged",
          retryable: false,
        };
      case "requires_payment_method":
        return {
          result: "declined",
          code: intent.last_payment_error?.code ?? "requires_payment_method",
          message: intent.last_payment_error?.message ?? "the card was declined",
          ...(intent.last_payment_error?.decline_code ? { declineCode: intent.last_payment_error.decline_code } : {}),
        };
      case "processing":
        return {
          result: "error",
          code: "processing",
          message: "Stripe is still processing the payment: repeat the same request to learn its outcome",
          retryable: true,
        };
      case "canceled":
      case "requires_capture":
      case "requires_confirmation":
      default:
        return {
          result: "error",
          code: intent.status,
          message: `Stripe answered a PaymentIntent in state ${intent.status}`,
          retryable: false,
        };
    }
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const { stripe, StripeError } = await this.#client();
    let refund: Stripe.Refund;
    try {
      refund = await stripe.refunds.create(
        {
          payment_intent: request.providerPaymentId,
          amount: request.amount,
          reason: "requested_by_customer",
          metadata: { galley_refund_id: request.refundId, reason: cut(request.reason, METADATA_VALUE_MAX) },
        },
        { idempotencyKey: providerKey("galley-refund", request.refundId, KEY_MAX) },
      );
    } catch (error) {
      const failure = classify(error, StripeError);
      if (failure.result === "unreachable") return failure;
      if (failure.type === "StripeInvalidRequestError" && REFUND_REFUSALS.has(failure.code))
        return { result: "declined", code: failure.code, message: failure.message };
      return withoutType(failure);
    }
    if (refund.status === "succeeded") return { result: "refunded", providerRefundId: refund.id, status: "completed" };
    if (refund.status === "pending" || refund.status === "requires_action")
      return { result: "refunded", providerRefundId: refund.id, status: "pending" };
    return {
      result: "declined",
      code: `refund_${refund.status ?? "unknown"}`,
      message: refund.failure_reason ?? `Stripe answered a refund in state ${refund.status ?? "?"}`,
    };
  }

  close(): void {
    this.#agent.destroy();
  }
}

type Classified =
  | { result: "unreachable"; message: string; maybeSent: boolean }
  | {
      result: "error";
      type: string;
      code: string;
      message: string;
      retryable: boolean;
      status?: number;
      declineCode?: string;
      param?: string;
    };

function classify(error: unknown, StripeError: typeof Stripe.errors.StripeError): Classified {
  if (!(error instanceof StripeError)) {
    return { result: "error", type: "unknown", code: "internal", message: (error as Error).message, retryable: false };
  }
  if (error.type === "StripeConnectionError") {
    const detail = error.detail as { code?: unknown; message?: unknown } | undefined;
    const code = typeof detail?.code === "string" ? detail.code : "";
    return {
      result: "unreachable",
      message: `Stripe did not answer: ${error.message}${code ? ` (${code})` : ""}`,
      maybeSent: !CONNECT_CODES.has(code),
    };
  }
  const status = error.statusCode;
  return {
    result: "error",
    type: error.type,
    code: error.code ?? error.rawType ?? "stripe_error",
    message: error.message,
    retryable:
      error.type === "StripeAPIError" ||
      error.type === "StripeRateLimitError" ||
      (status !== undefined && status >= 500),
    ...(status !== undefined ? { status } : {}),
    ...(error.decline_code ? { declineCode: error.decline_code } : {}),
    ...(error.param ? { param: error.param } : {}),
  };
}

function chargeFailure(error: unknown, StripeError: typeof Stripe.errors.StripeError): ChargeOutcome {
  const failure = classify(error, StripeError);
  if (failure.result === "unreachable") return failure;
  // A card error is a decline; so is an invalid request about the token itself (unknown, used, detached).
  if (
    failure.type === "StripeCardError" ||
    (failure.type === "StripeInvalidRequestError" && failure.param === "payment_method")
  )
    return {
      result: "declined",
      code: failure.code,
      message: failure.message,
      ...(failure.declineCode ? { declineCode: failure.declineCode } : {}),
    };
  return withoutType(failure);
}

function withoutType(failure: Extract<Classified, { result: "error" }>): {
  result: "error";
  code: string;
  message: string;
  retryable: boolean;
  status?: number;
} {
  return {
    result: "error",
    code: failure.code,
    message: failure.message,
    retryable: failure.retryable,
    ...(failure.status !== undefined ? { status: failure.status } : {}),
  };
}

function cut(text: string, max: number): string {
  return Array.from(text).slice(0, max).join("");
}

/** Destroys a new socket that has not connected within `ms` (the SDK only has an inactivity timeout). */
function guardConnect(socket: Duplex | null | undefined, ms: number): void {
  if (!(socket instanceof Socket) || !socket.connecting) return;
  const s = socket;
  const timer = setTimeout(() => {
    s.destroy(Object.assign(new Error(`could not connect within ${ms} ms`), { code: CONNECT_TIMEOUT }));
  }, ms);
  const clear = () => {
    clearTimeout(timer);
  };
  s.once("connect", clear);
  s.once("close", clear);
}

/** A keep-alive agent whose new sockets give up when they do not connect within `connectTimeoutMs`. */
function connectTimeoutAgent(protocol: "http" | "https", connectTimeoutMs: number): HttpAgent {
  const agent =
    protocol === "http"
      ? new HttpAgent({ keepAlive: true, maxSockets: 4 })
      : new HttpsAgent({ keepAlive: true, maxSockets: 4 });
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) => {
    const socket = create(options, callback);
    guardConnect(socket, connectTimeoutMs);
    return socket;
  };
  return agent;
}
