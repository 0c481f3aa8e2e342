/**
 * A fake Stripe for the official SDK (pinned API version 2026-11-18.endive), over real HTTP:
 *
 * - requests are form-encoded with bracket keys (`metadata[order_ref]=…`, `expand[0]=latest_charge`)
 *   as the SDK sends them, authenticated by `Authorization: Bearer <secret key>` (401
 *   invalid_request_error otherwise); unknown parameters are refused as Stripe does ("Received
 *   unknown parameter"), `payment_method_types` included (this API version takes
 *   `allowed_payment_method_types`);
 * - `POST /v1/payment_intents`: amount a positive integer, currency three letters (stored
 *   lowercase), metadata ≤ 50 keys (key ≤ 40, value ≤ 500 characters); with `confirm=true` and a
 *   `payment_method` the test PaymentMethods (STRIPE_TEST_CARDS) behave as documented:
 *   `pm_card_visa` … succeed (status `succeeded`, a `latest_charge` with payment_method_details.card
 *   {brand, last4} and a receipt_url; `expand[]=latest_charge` inlines it), `pm_card_chargeDeclined…`
 *   → 402 card_error (code card_declined / expired_card / incorrect_cvc / processing_error, a
 *   decline_code for issuer declines, the PaymentIntent in `requires_payment_method` inside the
 *   error), `pm_card_authenticationRequired` → 200 `requires_action` with next_action
 *   `use_stripe_sdk`; an unknown PaymentMethod → 400 resource_missing (param payment_method);
 *   `automatic_payment_methods[enabled]` without `allow_redirects=never` and without `return_url`
 *   is refused on confirm, as Stripe does;
 * - `GET /v1/payment_intents/{id}`;
 * - `POST /v1/refunds`: `payment_intent` (or `charge`) must exist (resource_missing) and have
 *   succeeded; amount (default: what is left) ≤ what is left (amount_too_large), a fully refunded
 *   charge → charge_already_refunded; reason one of duplicate, fraudulent, requested_by_customer;
 *   answers a `refund` with status `succeeded`;
 * - idempotency (`Idempotency-Key` header, ≤ 255 characters): a key's first result is replayed
 *   (with `Idempotent-Replayed: true`) for the same endpoint and parameters, a card error (402)
 *   included; the same key with other parameters or another endpoint → 400 idempotency_error;
 *   results of requests that failed validation (400) are not kept; keys forgotten after 24 h;
 * - errors always `{ error: { type, code?, decline_code?, message, param?, doc_url? } }`; every
 *   answer carries a `Request-Id`.
 */
import { randomUUID } from "node:crypto";
import { canonicalJson } from "../../appliance/lib/canonical-json.ts";
import { ScriptedServer, type FakeRequest, type FakeResponse } from "./scripted-server.ts";

interface TestCard {
  brand: string;
  last4: string;
  funding: string;
  /** The error confirming it gives, if any. */
  error?: { code: string; decline_code?: string; message: string };
  /** Confirming leaves the PaymentIntent in requires_action (3-D Secure). */
  authentication?: boolean;
}

const DECLINED = "Your card was declined.";

/** Stripe's test PaymentMethods (docs.stripe.com/testing). */
export const STRIPE_TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: "visa", last4: "4242", funding: "credit" },
  pm_card_visa_debit: { brand: "visa", last4: "5556", funding: "debit" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", funding: "credit" },
  pm_card_amex: { brand: "amex", last4: "8431", funding: "credit" },
  pm_card_chargeDeclined: {
    brand: "visa",
    last4: "0002",
    funding: "credit",
    error: { code: "card_declined", decline_code: "generic_decline", message: DECLINED },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    funding: "credit",
    error: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." },
  },
  pm_card_chargeDeclinedLostCard: {
    brand: "visa",
    last4: "9987",
    funding: "credit",
    error: { code: "card_declined", decline_code: "lost_card", message: DECLINED },
  },
  pm_card_chargeDeclinedStolenCard: {
    brand: "visa",
    last4: "9979",
    funding: "credit",
    error: { code: "card_declined", decline_code: "stolen_card", message: DECLINED },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    funding: "credit",
    error: { code: "expired_card", message: "Your card has expired." },
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: "visa",
    last4: "0127",
    funding: "credit",
    error: { code: "incorrect_cvc", message: "Your card's security code is incorrect." },
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: "visa",
    last4: "0119",
    funding: "credit",
    error: {
      code: "processing_error",
      message: "An error occurred while processing your card. Try again in a little bit.",
    },
  },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", funding: "credit", authentication: true },
};

export interface StripeCharge {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  currency: string;
  paid: boolean;
  refunded: boolean;
  status: "succeeded" | "failed";
  payment_intent: string;
  payment_method: string;
  payment_method_details: {
    type: "card";
    card: { brand: string; last4: string; funding: string; exp_month: number; exp_year: number };
  };
  receipt_url: string | null;
  created: number;
  livemode: false;
}

export interface StripePaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  payment_method: string | null;
  allowed_payment_method_types: string[];
  payment_method_types: string[];
  capture_method: "automatic_async";
  confirmation_method: "automatic";
  client_secret: string;
  description: string | null;
  metadata: Record<string, string>;
  latest_charge: string | null;
  last_payment_error: Record<string, unknown> | null;
  next_action: Record<string, unknown> | null;
  created: number;
  livemode: false;
}

export interface StripeRefund {
  id: string;
  object: "refund";
  amount: number;
  charge: string;
  currency: string;
  payment_intent: string;
  reason: string | null;
  status: "succeeded";
  metadata: Record<string, string>;
  created: number;
}

type Params = Record<string, unknown>;

const KNOWN_INTENT_PARAMS = new Set([
  "amount",
  "currency",
  "payment_method",
  "confirm",
  "allowed_payment_method_types",
  "automatic_payment_methods",
  "capture_method",
  "description",
  "metadata",
  "expand",
  "return_url",
  "receipt_email",
  "statement_descriptor_suffix",
  "error_on_requires_action",
  "customer",
  "off_session",
]);
const KNOWN_REFUND_PARAMS = new Set(["payment_intent", "charge", "amount", "reason", "metadata", "expand"]);
const REFUND_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);
const KEY_TTL_MS = 24 * 3_600_000;

const stripeError = (status: number, error: Record<string, unknown>): FakeResponse => ({ status, body: { error } });
const invalid = (message: string, param?: string, code?: string): FakeResponse =>
  stripeError(400, {
    type: "invalid_request_error",
    message,
    ...(param ? { param } : {}),
    ...(code ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}` } : {}),
  });

export interface FakeStripeOptions {
  now?: () => number;
  secretKey?: string;
}

export class FakeStripe extends ScriptedServer {
  readonly secretKey: string;
  readonly paymentIntents = new Map<string, StripePaymentIntent>();
  readonly charges = new Map<string, StripeCharge>();
  readonly refunds = new Map<string, StripeRefund>();
  readonly #keys = new Map<string, { fingerprint: string; response: FakeResponse; at: number }>();

  constructor(options: FakeStripeOptions = {}) {
    super(options.now ? { now: options.now } : {});
    this.secretKey = options.secretKey ?? "sk_test_fake_galley";
  }

  /** PaymentIntents that succeeded (money taken). */
  succeededIntents(): StripePaymentIntent[] {
    return [...this.paymentIntents.values()].filter((pi) => pi.status === "succeeded");
  }

  /** Forget every idempotency key at once (as if 24 hours passed). */
  forgetKeys(): void {
    this.#keys.clear();
  }

  protected override extraHeaders(): Record<string, string> {
    return { "request-id": `req_${randomUUID().replaceAll("-", "").slice(0, 14)}` };
  }

  protected override errorBody(status: number, detail: string): unknown {
    return { error: { type: "api_error", message: `fake Stripe ${status}: ${detail}` } };
  }

  protected override handle(request: FakeRequest): FakeResponse {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (token !== this.secretKey)
      return stripeError(401, {
        type: "invalid_request_error",
        message: `Invalid API Key provided: ${(token ?? "").slice(0, 8)}***`,
      });
    const params = parseForm(request.rawBody);
    if (request.method === "POST" && request.path === "/v1/payment_intents")
      return this.#idempotent(request, params, () => this.#createIntent(params));
    if (request.method === "POST" && request.path === "/v1/refunds")
      return this.#idempotent(request, params, () => this.#createRefund(params));
    const get = /^\/v1\/payment_intents\/([^/]+)$/.exec(request.path);
    if (request.method === "GET" && get) {
      const intent = this.paymentIntents.get(get[1] ?? "");
      if (!intent) return stripeError(404, missing("payment_intent", get[1] ?? "", "id"));
      return { status: 200, body: this.#render(intent, expansions(request.query)) };
    }
    return stripeError(404, {
      type: "invalid_request_error",
      message: `Unrecognized request URL (${request.method}: ${request.path}).`,
    });
  }

  /** Stripe's idempotency: replay a key's first result for the same endpoint and parameters. */
  #idempotent(request: FakeRequest, params: Params, create: () => FakeResponse): FakeResponse {
    const header = request.headers["idempotency-key"];
    const key = typeof header === "string" ? header : undefined;
    if (key === undefined) return create();
    if (key.length > 255)
      return invalid("Idempotency key is too long; the maximum length is 255 characters.", "idempotency_key");
    const fingerprint = `${request.method} ${request.path} ${canonicalJson(params)}`;
    const seen = this.#keys.get(key);
    if (seen && this.now() - seen.at <= KEY_TTL_MS) {
      if (seen.fingerprint !== fingerprint)
        return stripeError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      return { ...seen.response, headers: { ...seen.response.headers, "idempotent-replayed": "true" } };
    }
    const response = create();
    // Stripe keeps a result once the endpoint started executing: successes and card errors, not
    // requests that failed validation.
    if (response.status !== 400 && response.status !== 401 && response.status !== 404)
      this.#keys.set(key, { fingerprint, response, at: this.now() });
    return response;
  }

  #createIntent(params: Params): FakeResponse {
    for (const name of Object.keys(params))
      if (!KNOWN_INTENT_PARAMS.has(name)) return invalid(`Received unknown parameter: ${name}`, name);
    const amount = Number(params.amount);
    if (typeof params.amount !== "string" || !/^\d+$/.test(params.amount) || amount < 1)
      return invalid("Invalid positive integer", "amount");
    if (amount > 99_999_999) return invalid("Amount must be no more than 99,999,999", "amount", "amount_too_large");
    if (typeof params.currency !== "string" || !/^[a-zA-Z]{3}$/.test(params.currency))
      return invalid(`Invalid currency: ${String(params.currency)}.`, "currency");
    const metadataProblem = checkMetadata(params.metadata);
    if (metadataProblem) return metadataProblem;
    const automatic = params.automatic_payment_methods as Params | undefined;
    const allowed = params.allowed_payment_method_types;
    if (automatic && allowed)
      return invalid(
        "You may only specify one of these parameters: automatic_payment_methods, allowed_payment_method_types.",
        "automatic_payment_methods",
      );
    const methodTypes = Array.isArray(allowed) ? (allowed as string[]) : ["card"];
    const confirm = params.confirm === "true";
    const pmId = typeof params.payment_method === "string" ? params.payment_method : undefined;
    if (
      confirm &&
      automatic?.enabled === "true" &&
      automatic.allow_redirects !== "never" &&
      typeof params.return_url !== "string"
    )
      return invalid(
        "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
      );
    const card = pmId ? STRIPE_TEST_CARDS[pmId] : undefined;
    if (pmId && !card) return invalid(`No such PaymentMethod: '${pmId}'`, "payment_method", "resource_missing");
    if (confirm && !pmId)
      return invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, please provide a `payment_method`.",
        "payment_method",
        "payment_intent_unexpected_state",
      );
    if (pmId && !methodTypes.includes("card"))
      return invalid(
        `The PaymentMethod provided (card) is not allowed for this PaymentIntent. Allowed: ${methodTypes.join(", ")}.`,
        "payment_method",
      );
    const id = `pi_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
    const created = Math.floor(this.now() / 1_000);
    const intent: StripePaymentIntent = {
      id,
      object: "payment_intent",
      amount,
      amount_received: 0,
      currency: params.currency.toLowerCase(),
      status: pmId ? "requires_confirmation" : "requires_payment_method",
      payment_method: pmId ?? null,
      allowed_payment_method_types: methodTypes,
      payment_method_types: methodTypes,
      capture_method: "automatic_async",
      confirmation_method: "automatic",
      client_secret: `${id}_secret_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
      description: typeof params.description === "string" ? params.description : null,
      metadata: (params.metadata as Record<string, string> | undefined) ?? {},
      latest_charge: null,
      last_payment_error: null,
      next_action: null,
      created,
      livemode: false,
    };
    this.paymentIntents.set(id, intent);
    const expand = Array.isArray(params.expand) ? (params.expand as string[]) : [];
    if (!confirm || !card || !pmId) return { status: 200, body: this.#render(intent, expand) };

    if (card.authentication) {
      intent.status = "requires_action";
      intent.next_action = { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } };
      return { status: 200, body: this.#render(intent, expand) };
    }
    const charge = this.#charge(intent, pmId, card, created);
    if (card.error) {
      const error = {
        type: "card_error",
        ...card.error,
        doc_url: `https://stripe.com/docs/error-codes/${card.error.code.replaceAll("_", "-")}`,
        charge: charge.id,
        payment_method: { id: pmId, object: "payment_method", type: "card" },
      };
      intent.status = "requires_payment_method";
      intent.last_payment_error = error;
      intent.payment_method = null;
      return stripeError(402, { ...error, payment_intent: this.#render(intent, []) });
    }
    intent.status = "succeeded";
    intent.amount_received = amount;
    return { status: 200, body: this.#render(intent, expand) };
  }

  #charge(intent: StripePaymentIntent, pmId: string, card: TestCard, created: number): StripeCharge {
    const ok = !card.error;
    const charge: StripeCharge = {
      id: `ch_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
      object: "charge",
      amount: intent.amount,
      amount_captured: ok ? intent.amount : 0,
      amount_refunded: 0,
      captured: ok,
      currency: intent.currency,
      paid: ok,
      refunded: false,
      status: ok ? "succeeded" : "failed",
      payment_intent: intent.id,
      payment_method: pmId,
      payment_method_details: {
        type: "card",
        card: { brand: card.brand, last4: card.last4, funding: card.funding, exp_month: 12, exp_year: 2034 },
      },
      receipt_url: ok ? `https://pay.stripe.com/receipts/payment/fake_${intent.id}` : null,
      created,
      livemode: false,
    };
    this.charges.set(charge.id, charge);
    intent.latest_charge = charge.id;
    return charge;
  }

  #render(intent: StripePaymentIntent, expand: readonly string[]): unknown {
    if (!expand.includes("latest_charge") || !intent.latest_charge) return { ...intent };
    return { ...intent, latest_charge: this.charges.get(intent.latest_charge) ?? intent.latest_charge };
  }

  #createRefund(params: Params): FakeResponse {
    for (const name of Object.keys(params))
      if (!KNOWN_REFUND_PARAMS.has(name)) return invalid(`Received unknown parameter: ${name}`, name);
    const metadataProblem = checkMetadata(params.metadata);
    if (metadataProblem) return metadataProblem;
    if (params.reason !== undefined && (typeof params.reason !== "string" || !REFUND_REASONS.has(params.reason)))
      return invalid(`Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer`, "reason");
    let charge: StripeCharge | undefined;
    let intentId: string | undefined;
    if (typeof params.payment_intent === "string") {
      intentId = params.payment_intent;
      const intent = this.paymentIntents.get(intentId);
      if (!intent) return stripeError(400, missing("payment_intent", intentId, "payment_intent"));
      if (intent.status !== "succeeded" || !intent.latest_charge)
        return invalid(
          `This PaymentIntent (${intentId}) does not have a successful charge to refund.`,
          "payment_intent",
        );
      charge = this.charges.get(intent.latest_charge);
    } else if (typeof params.charge === "string") {
      charge = this.charges.get(params.charge);
      if (!charge) return stripeError(400, missing("charge", params.charge, "charge"));
    } else return invalid("One of the following params should be provided for this request: payment_intent or charge.");
    if (!charge || charge.status !== "succeeded")
      return invalid("This charge has not succeeded and cannot be refunded.", "charge");
    const left = charge.amount_captured - charge.amount_refunded;
    if (left <= 0)
      return invalid(`Charge ${charge.id} has already been refunded.`, undefined, "charge_already_refunded");
    let amount = left;
    if (params.amount !== undefined) {
      if (typeof params.amount !== "string" || !/^\d+$/.test(params.amount) || Number(params.amount) < 1)
        return invalid("Invalid positive integer", "amount");
      amount = Number(params.amount);
    }
    if (amount > left)
      return invalid(
        `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(left, charge.currency)})`,
        "amount",
        "amount_too_large",
      );
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    const refund: StripeRefund = {
      id: `re_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
      object: "refund",
      amount,
      charge: charge.id,
      currency: charge.currency,
      payment_intent: charge.payment_intent,
      reason: typeof params.reason === "string" ? params.reason : null,
      status: "succeeded",
      metadata: (params.metadata as Record<string, string> | undefined) ?? {},
      created: Math.floor(this.now() / 1_000),
    };
    this.refunds.set(refund.id, refund);
    return { status: 200, body: refund };
  }
}

function missing(object: string, id: string, param: string): Record<string, unknown> {
  return {
    type: "invalid_request_error",
    code: "resource_missing",
    doc_url: "https://stripe.com/docs/error-codes/resource-missing",
    message: `No such ${object}: '${id}'`,
    param,
  };
}

function money(amount: number, currency: string): string {
  return `${currency === "usd" ? "$" : `${currency.toUpperCase()} `}${(amount / 100).toFixed(2)}`;
}

function checkMetadata(metadata: unknown): FakeResponse | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
    return invalid("Invalid object", "metadata");
  const entries = Object.entries(metadata as Record<string, unknown>);
  if (entries.length > 50) return invalid("You can have at most 50 keys in metadata.", "metadata");
  for (const [key, value] of entries) {
    if (key.length > 40) return invalid("Keys can be at most 40 characters long.", `metadata[${key}]`);
    if (typeof value !== "string") return invalid("Invalid string", `metadata[${key}]`);
    if (value.length > 500) return invalid("Values can be at most 500 characters long.", `metadata[${key}]`);
  }
  return undefined;
}

function expansions(query: URLSearchParams): string[] {
  return [...query.entries()].filter(([k]) => k.startsWith("expand")).map(([, v]) => v);
}

/**
 * `a=1&m[k]=v&e[0]=x&e[1]=y` → `{ a: "1", m: { k: "v" }, e: ["x", "y"] }` (values stay strings,
 * as Stripe reads them; numeric bracket keys make arrays).
 */
export function parseForm(raw: string): Params {
  const root: Params = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    const parts = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!parts) continue;
    const path = [parts[1] ?? "", ...[...(parts[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "")];
    let node: Params = root;
    path.forEach((key, i) => {
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next === "object" && next !== null) node = next as Params;
      else {
        const created: Params = {};
        node[key] = created;
        node = created;
      }
    });
  }
  return arrays(root) as Params;
}

/** Objects whose keys are 0..n-1 become arrays. */
function arrays(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as Params).map(([k, v]) => [k, arrays(v)] as const);
  if (entries.length > 0 && entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}
