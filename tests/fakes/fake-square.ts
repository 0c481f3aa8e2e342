/**
 * A fake Square that honours what docs/architecture.md#targets says an adapter relies on (Square's
 * `api.json`, Square-Version 2025-08-20):
 *
 * - `POST /v2/orders` (CreateOrder): idempotency_key 1–192, order.location_id known,
 *   reference_id ≤ 40, ticket_name ≤ 30, line items (quantity a 1–12 char string, name ≤ 512 or
 *   catalog_object_id, base_price_money, uid ≤ 60 unique, note ≤ 2000), metadata ≤ 10 entries
 *   with keys of [a-zA-Z0-9_-]{1,60} and values ≤ 255; `total_money` computed (ADDITIVE taxes
 *   per tax over its lines, half up); created_at in the fake's own clock;
 * - `POST /v2/payments` (CreatePayment): key ≤ 45, CASH needs cash_details.buyer_supplied_money
 *   ≥ amount + tip, EXTERNAL needs external_details {type, source}, order_id must exist;
 * - card payments: `source_id` a card nonce. Square's Sandbox payment tokens (SQUARE_TEST_NONCES)
 *   behave as documented: `cnon:card-nonce-ok` approves (VISA ending 5858), `…-declined` → 402
 *   GENERIC_DECLINE, `…-rejected-cvv` → 402 CVV_FAILURE, `…-rejected-postalcode` → 402
 *   ADDRESS_VERIFICATION_FAILURE (all category PAYMENT_METHOD_ERROR, with the FAILED payment in the
 *   answer), `…-rejected-expiration` → 400 INVALID_EXPIRATION (PAYMENT_METHOD_ERROR),
 *   `…-already-used` → 400 CARD_TOKEN_USED (INVALID_REQUEST_ERROR). Any other `cnon:` token is a
 *   real-looking single-use nonce: it approves once (VISA ending 1111), then is CARD_TOKEN_USED.
 *   A card payment carries card_details (card_brand, last_4 …), total_money, receipt_url; with
 *   autocomplete it is COMPLETED (card CAPTURED), else APPROVED (card AUTHORIZED);
 * - `POST /v2/refunds` (RefundPayment): key ≤ 45, payment_id must exist and be COMPLETED
 *   (PAYMENT_NOT_REFUNDABLE), amount_money in the payment's currency and ≤ what is left after
 *   earlier refunds (REFUND_AMOUNT_INVALID, category REFUND_ERROR), reason ≤ 192; answers the
 *   `refund`, PENDING for a card payment (`completeRefunds()` finishes them, as Square does later),
 *   COMPLETED for CASH and EXTERNAL; `GET /v2/refunds` (ListPaymentRefunds: begin_time/end_time
 *   over created_at, location_id, sort_order (DESC by default), limit ≤ 100, cursor);
 * - idempotency: same key + same body → the first response; same key + different body → 400
 *   IDEMPOTENCY_KEY_REUSED; a declined card payment is remembered under its key too (Square keeps
 *   the FAILED payment), so retrying it with another nonce and the same key is IDEMPOTENCY_KEY_REUSED;
 *   keys forgotten after `keyTtlMs`;
 * - `POST /v2/orders/batch-retrieve` (≤ 100 ids, missing ones omitted), `POST /v2/orders/search`
 *   (location_ids ≤ 10, source names, created_at window, cursor), `GET /v2/payments` (ListPayments),
 *   `POST /v2/orders/{id}/pay`, `PUT /v2/orders/{id}` (version checked);
 * - `POST /oauth2/token` refresh: code flow multi-use, PKCE single-use rotating refresh tokens;
 *   a used or unknown refresh token → invalid_grant;
 * - errors always `{ errors: [{ category, code, detail, field }] }`; every answer echoes
 *   `Square-Version`.
 */
import { createHash, randomUUID } from "node:crypto";
import { canonicalJson } from "../../appliance/lib/canonical-json.ts";
import { ScriptedServer, type FakeRequest, type FakeResponse } from "./scripted-server.ts";

export const SQUARE_VERSION = "2025-08-20";

interface Money {
  amount: number;
  currency: string;
}

export interface SquareOrder {
  id: string;
  location_id: string;
  reference_id?: string;
  source?: { name?: string };
  ticket_name?: string;
  line_items: Record<string, unknown>[];
  taxes?: Record<string, unknown>[];
  metadata?: Record<string, string>;
  state: string;
  version: number;
  total_money: Money;
  created_at: string;
  updated_at: string;
  tenders?: { id: string; payment_id: string }[];
}

export interface SquarePayment {
  id: string;
  order_id: string;
  location_id: string;
  source_type: string;
  amount_money: Money;
  tip_money?: Money;
  reference_id?: string;
  status: string;
  created_at: string;
  external_details?: Record<string, unknown>;
  cash_details?: Record<string, unknown>;
  total_money?: Money;
  note?: string;
  card_details?: {
    status: string;
    card: { card_brand: string; last_4: string; exp_month: number; exp_year: number; bin: string; card_type: string };
    entry_method: string;
    cvv_status: string;
    avs_status: string;
  };
  receipt_url?: string;
  refunded_money?: Money;
  refund_ids?: string[];
}

export interface SquareRefund {
  id: string;
  payment_id: string;
  location_id: string;
  order_id?: string;
  amount_money: Money;
  reason?: string;
  status: "PENDING" | "COMPLETED";
  created_at: string;
  updated_at: string;
}

/** Square's Sandbox payment tokens for CreatePayment (developer.squareup.com/docs/devtools/sandbox/payments). */
export const SQUARE_TEST_NONCES = {
  ok: "cnon:card-nonce-ok",
  declined: "cnon:card-nonce-declined",
  rejectedCvv: "cnon:card-nonce-rejected-cvv",
  rejectedPostalCode: "cnon:card-nonce-rejected-postalcode",
  rejectedExpiration: "cnon:card-nonce-rejected-expiration",
  alreadyUsed: "cnon:card-nonce-already-used",
} as const;

/** The failing test nonces: status, category, code, detail. */
const NONCE_FAILURES: Readonly<Record<string, readonly [number, string, string, string]>> = {
  [SQUARE_TEST_NONCES.declined]: [
    402,
    "PAYMENT_METHOD_ERROR",
    "GENERIC_DECLINE",
    "Authorization error: 'GENERIC_DECLINE'",
  ],
  [SQUARE_TEST_NONCES.rejectedCvv]: [402, "PAYMENT_METHOD_ERROR", "CVV_FAILURE", "Authorization error: 'CVV_FAILURE'"],
  [SQUARE_TEST_NONCES.rejectedPostalCode]: [
    402,
    "PAYMENT_METHOD_ERROR",
    "ADDRESS_VERIFICATION_FAILURE",
    "Authorization error: 'ADDRESS_VERIFICATION_FAILURE'",
  ],
  [SQUARE_TEST_NONCES.rejectedExpiration]: [
    400,
    "PAYMENT_METHOD_ERROR",
    "INVALID_EXPIRATION",
    "Authorization error: 'INVALID_EXPIRATION'",
  ],
  [SQUARE_TEST_NONCES.alreadyUsed]: [
    400,
    "INVALID_REQUEST_ERROR",
    "CARD_TOKEN_USED",
    "Card nonce already used; please request new nonce.",
  ],
};

type SquareError = { category: string; code: string; detail?: string; field?: string };

const err = (status: number, category: string, code: string, detail: string, field?: string): FakeResponse => ({
  status,
  body: { errors: [{ category, code, detail, ...(field ? { field } : {}) } satisfies SquareError] },
});
const invalid = (code: string, detail: string, field?: string) =>
  err(400, "INVALID_REQUEST_ERROR", code, detail, field);

const METADATA_KEY = /^[a-zA-Z0-9_-]{1,60}$/;
const EXTERNAL_TYPES = new Set([
  "CHECK",
  "BANK_TRANSFER",
  "OTHER_GIFT_CARD",
  "CRYPTO",
  "SQUARE_CASH",
  "SOCIAL",
  "EXTERNAL",
  "EMONEY",
  "CARD",
  "STORED_BALANCE",
  "FOOD_VOUCHER",
  "OTHER",
]);

const length = (value: unknown) => (typeof value === "string" ? Array.from(value).length : 0);

export interface FakeSquareOptions {
  now?: () => number;
  locationId?: string;
  accessToken?: string;
  /** How long idempotency keys are remembered (Square does not document it). */
  keyTtlMs?: number;
  /** PKCE: refresh tokens are single-use and rotate; code flow: multi-use. */
  pkce?: boolean;
  refreshToken?: string;
}

export class FakeSquare extends ScriptedServer {
  locationId: string;
  keyTtlMs: number;
  readonly pkce: boolean;
  readonly orders = new Map<string, SquareOrder>();
  readonly payments = new Map<string, SquarePayment>();
  readonly refunds = new Map<string, SquareRefund>();
  /** Single-use nonces already spent (Square's test nonces are reusable). */
  readonly #usedNonces = new Set<string>();
  readonly #keys = new Map<string, { hash: string; response: FakeResponse; at: number }>();
  readonly #accessTokens = new Map<string, number>();
  readonly #refreshTokens = new Set<string>();
  /** Refresh requests answered (success or not). */
  refreshRequests = 0;

  constructor(options: FakeSquareOptions = {}) {
    super(options.now ? { now: options.now } : {});
    this.locationId = options.locationId ?? "L-FAKE-1";
    this.keyTtlMs = options.keyTtlMs ?? 24 * 3_600_000;
    this.pkce = options.pkce ?? true;
    this.#accessTokens.set(options.accessToken ?? "sq-access-1", Number.POSITIVE_INFINITY);
    this.#refreshTokens.add(options.refreshToken ?? "sq-refresh-1");
  }

  protected override extraHeaders(request: FakeRequest): Record<string, string> {
    const asked = request.headers["square-version"];
    return { "square-version": typeof asked === "string" ? asked : SQUARE_VERSION };
  }

  protected override errorBody(status: number, detail: string): unknown {
    return {
      errors: [
        { category: "API_ERROR", code: status === 503 ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR", detail },
      ],
    };
  }

  /** Expire an access token now (the next call gets 401 ACCESS_TOKEN_EXPIRED). */
  expireAccessToken(token: string): void {
    this.#accessTokens.set(token, 0);
  }

  /** A fresh pair, as a person re-authorising the app would get. */
  issueTokens(): { accessToken: string; refreshToken: string } {
    const accessToken = `sq-access-${randomUUID()}`;
    const refreshToken = `sq-refresh-${randomUUID()}`;
    this.#accessTokens.set(accessToken, Number.POSITIVE_INFINITY);
    this.#refreshTokens.add(refreshToken);
    return { accessToken, refreshToken };
  }

  /** Revoke every refresh token (the next refresh gets invalid_grant). */
  revokeRefreshTokens(): void {
    this.#refreshTokens.clear();
  }

  /** Forget every idempotency key at once (as if the TTL passed). */
  forgetKeys(): void {
    this.#keys.clear();
  }

  /** Card refunds PENDING → COMPLETED, as Square finishes them after answering. */
  completeRefunds(): void {
    for (const refund of this.refunds.values()) {
      if (refund.status !== "PENDING") continue;
      refund.status = "COMPLETED";
      refund.updated_at = new Date(this.now()).toISOString();
    }
  }

  /** Payments (of any state) whose reference_id is this. */
  paymentsWithReference(referenceId: string): SquarePayment[] {
    return [...this.payments.values()].filter((p) => p.reference_id === referenceId);
  }

  ordersWithReference(referenceId: string): SquareOrder[] {
    return [...this.orders.values()].filter((o) => o.reference_id === referenceId);
  }

  protected override handle(request: FakeRequest): FakeResponse {
    if (request.path === "/oauth2/token" && request.method === "POST") return this.#token(request.body);
    const auth = this.#authorise(request.headers.authorization);
    if (auth) return auth;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.path === "/v2/orders" && request.method === "POST")
      return this.#idempotent(body, 192, () => this.#createOrder(body));
    if (request.path === "/v2/payments" && request.method === "POST")
      return this.#idempotent(body, 45, () => this.#createPayment(body));
    if (request.path === "/v2/payments" && request.method === "GET") return this.#listPayments(request.query);
    if (request.path === "/v2/refunds" && request.method === "POST")
      return this.#idempotent(body, 45, () => this.#refundPayment(body));
    if (request.path === "/v2/refunds" && request.method === "GET") return this.#listRefunds(request.query);
    if (request.path === "/v2/orders/batch-retrieve" && request.method === "POST") return this.#batchRetrieve(body);
    if (request.path === "/v2/orders/search" && request.method === "POST") return this.#search(body);
    const pay = /^\/v2\/orders\/([^/]+)\/pay$/.exec(request.path);
    if (pay && request.method === "POST") return this.#idempotent(body, 192, () => this.#payOrder(pay[1] ?? "", body));
    const update = /^\/v2\/orders\/([^/]+)$/.exec(request.path);
    if (update && request.method === "PUT") return this.#updateOrder(update[1] ?? "", body);
    return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `no route ${request.method} ${request.path}`);
  }

  #authorise(header: string | undefined): FakeResponse | undefined {
    const token = /^Bearer (.+)$/.exec(header ?? "")?.[1];
    if (!token) return err(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED", "missing bearer token");
    const expires = this.#accessTokens.get(token);
    if (expires === undefined)
      return err(401, "AUTHENTICATION_ERROR", "UNAUTHORIZED", "this access token is not valid");
    if (expires <= this.now())
      return err(401, "AUTHENTICATION_ERROR", "ACCESS_TOKEN_EXPIRED", "the access token has expired");
    return undefined;
  }

  #token(body: unknown): FakeResponse {
    this.refreshRequests += 1;
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.grant_type !== "refresh_token" || typeof b.refresh_token !== "string" || !b.client_id)
      return invalid("BAD_REQUEST", "grant_type refresh_token with client_id and refresh_token is required");
    if (!this.#refreshTokens.has(b.refresh_token)) {
      return {
        status: 400,
        body: {
          errors: [
            {
              category: "AUTHENTICATION_ERROR",
              code: "UNAUTHORIZED",
              detail: "invalid_grant: the refresh token is not valid or was already used",
            },
          ],
          error: "invalid_grant",
          error_description: "the refresh token is not valid or was already used",
        },
      };
    }
    const access = `sq-access-${randomUUID()}`;
    const expiresAt = this.now() + 30 * 86_400_000;
    this.#accessTokens.set(access, expiresAt);
    let refresh = b.refresh_token;
    if (this.pkce) {
      this.#refreshTokens.delete(b.refresh_token);
      refresh = `sq-refresh-${randomUUID()}`;
      this.#refreshTokens.add(refresh);
    }
    return {
      status: 200,
      body: {
        access_token: access,
        token_type: "bearer",
        expires_at: new Date(expiresAt).toISOString(),
        merchant_id: "M-FAKE",
        refresh_token: refresh,
      },
    };
  }

  /** Same key + same body → the first response; different body → IDEMPOTENCY_KEY_REUSED; keys expire after keyTtlMs. */
  #idempotent(body: Record<string, unknown>, maxKey: number, create: () => FakeResponse): FakeResponse {
    const key = body.idempotency_key;
    if (typeof key !== "string" || key.length === 0)
      return invalid("MISSING_REQUIRED_PARAMETER", "idempotency_key is required", "idempotency_key");
    if (length(key) > maxKey)
      return invalid("VALUE_TOO_LONG", `idempotency_key must be at most ${maxKey} characters`, "idempotency_key");
    const hash = createHash("sha256").update(canonicalJson(body)).digest("hex");
    const seen = this.#keys.get(key);
    if (seen && this.now() - seen.at <= this.keyTtlMs) {
      if (seen.hash !== hash)
        return invalid("IDEMPOTENCY_KEY_REUSED", "the idempotency key was used for a different request");
      return seen.response;
    }
    const response = create();
    // A declined card payment exists (FAILED) and its key is spent, as a success's is.
    const declined =
      (response.body as { errors?: SquareError[] } | undefined)?.errors?.[0]?.category === "PAYMENT_METHOD_ERROR";
    if ((response.status >= 200 && response.status < 300) || declined)
      this.#keys.set(key, { hash, response, at: this.now() });
    return response;
  }

  #createOrder(body: Record<string, unknown>): FakeResponse {
    const order = body.order as Record<string, unknown> | undefined;
    if (!order || typeof order !== "object") return invalid("MISSING_REQUIRED_PARAMETER", "order is required", "order");
    if (typeof order.location_id !== "string")
      return invalid("MISSING_REQUIRED_PARAMETER", "order.location_id is required", "order.location_id");
    if (order.location_id !== this.locationId)
      return err(
        404,
        "INVALID_REQUEST_ERROR",
        "NOT_FOUND",
        `location ${order.location_id} not found`,
        "order.location_id",
      );
    if (length(order.reference_id) > 40)
      return invalid("VALUE_TOO_LONG", "reference_id must be at most 40 characters", "order.reference_id");
    if (length(order.ticket_name) > 30)
      return invalid("VALUE_TOO_LONG", "ticket_name must be at most 30 characters", "order.ticket_name");
    const metadataProblem = checkMetadata(order.metadata, "order.metadata");
    if (metadataProblem) return metadataProblem;
    const lines = order.line_items;
    if (!Array.isArray(lines) || lines.length === 0)
      return invalid("MISSING_REQUIRED_PARAMETER", "line_items are required", "order.line_items");
    const uids = new Set<string>();
    let subtotal = 0;
    let currency = "";
    const lineGross = new Map<number, number>();
    for (const [i, raw] of lines.entries()) {
      const line = raw as Record<string, unknown>;
      const field = `order.line_items[${i}]`;
      if (typeof line.quantity !== "string" || !/^\d+(\.\d+)?$/.test(line.quantity) || line.quantity.length > 12)
        return invalid("INVALID_VALUE", "quantity must be a decimal string of 1-12 characters", `${field}.quantity`);
      if (line.name === undefined && line.catalog_object_id === undefined)
        return invalid("MISSING_REQUIRED_PARAMETER", "name or catalog_object_id is required", `${field}.name`);
      if (length(line.name) > 512)
        return invalid("VALUE_TOO_LONG", "name must be at most 512 characters", `${field}.name`);
      if (length(line.catalog_object_id) > 192)
        return invalid(
          "VALUE_TOO_LONG",
          "catalog_object_id must be at most 192 characters",
          `${field}.catalog_object_id`,
        );
      if (length(line.note) > 2_000)
        return invalid("VALUE_TOO_LONG", "note must be at most 2000 characters", `${field}.note`);
      if (typeof line.uid === "string") {
        if (length(line.uid) > 60)
          return invalid("VALUE_TOO_LONG", "uid must be at most 60 characters", `${field}.uid`);
        if (uids.has(line.uid)) return invalid("INVALID_VALUE", "uid must be unique within the order", `${field}.uid`);
        uids.add(line.uid);
      }
      const money = line.base_price_money as Money | undefined;
      if (!money || !Number.isInteger(money.amount) || !/^[A-Z]{3}$/.test(money.currency))
        return invalid(
          "INVALID_VALUE",
          "base_price_money needs an integer amount and a currency",
          `${field}.base_price_money`,
        );
      if (currency && money.currency !== currency)
        return invalid("INVALID_VALUE", "all amounts must have one currency", `${field}.base_price_money.currency`);
      currency = money.currency;
      const lineProblem = checkMetadata(line.metadata, `${field}.metadata`);
      if (lineProblem) return lineProblem;
      const gross = Math.round(money.amount * Number(line.quantity));
      lineGross.set(i, gross);
      subtotal += gross;
    }
    let additive = 0;
    for (const rawTax of Array.isArray(order.taxes) ? order.taxes : []) {
      const tax = rawTax as { uid?: string; percentage?: string; type?: string };
      if (tax.type !== "ADDITIVE") continue;
      let base = 0;
      lines.forEach((raw, i) => {
        const applied = (raw as { applied_taxes?: { tax_uid: string }[] }).applied_taxes ?? [];
        if (applied.some((a) => a.tax_uid === tax.uid)) base += lineGross.get(i) ?? 0;
      });
      additive += Math.floor((base * Number(tax.percentage ?? "0")) / 100 + 0.5);
    }
    const now = new Date(this.now()).toISOString();
    const created: SquareOrder = {
      id: `SQ-O-${randomUUID().slice(0, 18)}`,
      location_id: order.location_id,
      ...(typeof order.reference_id === "string" ? { reference_id: order.reference_id } : {}),
      ...(order.source ? { source: order.source } : {}),
      ...(typeof order.ticket_name === "string" ? { ticket_name: order.ticket_name } : {}),
      line_items: lines as Record<string, unknown>[],
      ...(Array.isArray(order.taxes) ? { taxes: order.taxes as Record<string, unknown>[] } : {}),
      ...(order.metadata ? { metadata: order.metadata as Record<string, string> } : {}),
      state: "OPEN",
      version: 1,
      total_money: { amount: subtotal + additive, currency },
      created_at: now,
      updated_at: now,
    };
    this.orders.set(created.id, created);
    return { status: 200, body: { order: created } };
  }

  #createPayment(body: Record<string, unknown>): FakeResponse {
    const source = body.source_id;
    if (typeof source === "string" && source.startsWith("cnon:")) return this.#createCardPayment(source, body);
    if (source !== "CASH" && source !== "EXTERNAL")
      return invalid("INVALID_VALUE", "source_id must be CASH, EXTERNAL or a card nonce (cnon:…)", "source_id");
    const amount = body.amount_money as Money | undefined;
    if (!amount || !Number.isInteger(amount.amount) || amount.amount <= 0)
      return invalid("INVALID_VALUE", "amount_money is required", "amount_money");
    if (length(body.reference_id) > 40)
      return invalid("VALUE_TOO_LONG", "reference_id must be at most 40 characters", "reference_id");
    if (length(body.note) > 500) return invalid("VALUE_TOO_LONG", "note must be at most 500 characters", "note");
    const tip = (body.tip_money as Money | undefined)?.amount ?? 0;
    if (source === "CASH") {
      const supplied = (body.cash_details as { buyer_supplied_money?: Money } | undefined)?.buyer_supplied_money;
      if (!supplied)
        return invalid(
          "MISSING_REQUIRED_PARAMETER",
          "cash_details.buyer_supplied_money is required for CASH",
          "cash_details.buyer_supplied_money",
        );
      if (supplied.amount < amount.amount + tip)
        return invalid(
          "INVALID_VALUE",
          "buyer_supplied_money must cover amount and tip",
          "cash_details.buyer_supplied_money",
        );
    } else {
      const external = body.external_details as { type?: string; source?: string } | undefined;
      if (!external?.type || !EXTERNAL_TYPES.has(external.type))
        return invalid("INVALID_VALUE", "external_details.type is required", "external_details.type");
      if (!external.source)
        return invalid("MISSING_REQUIRED_PARAMETER", "external_details.source is required", "external_details.source");
    }
    const orderId = body.order_id;
    if (typeof orderId === "string") {
      const order = this.orders.get(orderId);
      if (!order) return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `order ${orderId} not found`, "order_id");
    }
    const payment: SquarePayment = {
      id: `SQ-P-${randomUUID().slice(0, 18)}`,
      order_id: typeof orderId === "string" ? orderId : "",
      location_id: typeof body.location_id === "string" ? body.location_id : this.locationId,
      source_type: source,
      amount_money: amount,
      ...(tip ? { tip_money: { amount: tip, currency: amount.currency } } : {}),
      ...(typeof body.reference_id === "string" ? { reference_id: body.reference_id } : {}),
      status: body.autocomplete === false ? "APPROVED" : "COMPLETED",
      created_at: new Date(this.now()).toISOString(),
      ...(body.external_details ? { external_details: body.external_details as Record<string, unknown> } : {}),
      ...(body.cash_details ? { cash_details: body.cash_details as Record<string, unknown> } : {}),
    };
    this.payments.set(payment.id, payment);
    return { status: 200, body: { payment } };
  }

  /** CreatePayment with a card nonce: the Sandbox's test nonces, or a single-use one that approves. */
  #createCardPayment(nonce: string, body: Record<string, unknown>): FakeResponse {
    const amount = body.amount_money as Money | undefined;
    if (!amount || !Number.isInteger(amount.amount) || amount.amount <= 0 || !/^[A-Z]{3}$/.test(amount.currency))
      return invalid("INVALID_VALUE", "amount_money needs a positive integer amount and a currency", "amount_money");
    const tipMoney = body.tip_money as Money | undefined;
    if (
      tipMoney &&
      (!Number.isInteger(tipMoney.amount) || tipMoney.amount < 0 || tipMoney.currency !== amount.currency)
    )
      return invalid(
        "INVALID_VALUE",
        "tip_money must be a non-negative amount in amount_money's currency",
        "tip_money",
      );
    if (typeof body.location_id === "string" && body.location_id !== this.locationId)
      return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `location ${body.location_id} not found`, "location_id");
    if (length(body.reference_id) > 40)
      return invalid("VALUE_TOO_LONG", "reference_id must be at most 40 characters", "reference_id");
    if (length(body.note) > 500) return invalid("VALUE_TOO_LONG", "note must be at most 500 characters", "note");
    const orderId = body.order_id;
    if (typeof orderId === "string" && !this.orders.has(orderId))
      return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `order ${orderId} not found`, "order_id");
    const testNonce = Object.values(SQUARE_TEST_NONCES).includes(nonce as never);
    const failure =
      NONCE_FAILURES[nonce] ??
      (!testNonce && this.#usedNonces.has(nonce) ? NONCE_FAILURES[SQUARE_TEST_NONCES.alreadyUsed] : undefined);
    const tip = tipMoney?.amount ?? 0;
    const now = new Date(this.now()).toISOString();
    const id = `SQ-P-${randomUUID().slice(0, 18)}`;
    const payment: SquarePayment = {
      id,
      order_id: typeof orderId === "string" ? orderId : "",
      location_id: this.locationId,
      source_type: "CARD",
      amount_money: amount,
      ...(tip ? { tip_money: { amount: tip, currency: amount.currency } } : {}),
      total_money: { amount: amount.amount + tip, currency: amount.currency },
      ...(typeof body.reference_id === "string" ? { reference_id: body.reference_id } : {}),
      ...(typeof body.note === "string" ? { note: body.note } : {}),
      status: "COMPLETED",
      created_at: now,
      card_details: {
        status: "CAPTURED",
        card: {
          card_brand: "VISA",
          last_4: nonce === SQUARE_TEST_NONCES.ok ? "5858" : "1111",
          exp_month: 12,
          exp_year: 2030,
          bin: nonce === SQUARE_TEST_NONCES.ok ? "453275" : "411111",
          card_type: "CREDIT",
        },
        entry_method: "KEYED",
        cvv_status: "CVV_ACCEPTED",
        avs_status: "AVS_ACCEPTED",
      },
    };
    if (failure) {
      const [status, category, code, detail] = failure;
      if (category !== "PAYMENT_METHOD_ERROR") return err(status, category, code, detail, "source_id");
      // Square answers a decline with the error and the FAILED payment.
      const failed: SquarePayment = {
        ...payment,
        status: "FAILED",
        ...(payment.card_details
          ? {
              card_details: {
                ...payment.card_details,
                status: "FAILED",
                ...(code === "CVV_FAILURE" ? { cvv_status: "CVV_REJECTED" } : {}),
                ...(code === "ADDRESS_VERIFICATION_FAILURE" ? { avs_status: "AVS_REJECTED" } : {}),
              },
            }
          : {}),
      };
      this.payments.set(failed.id, failed);
      return { status, body: { errors: [{ category, code, detail }], payment: failed } };
    }
    if (!testNonce) this.#usedNonces.add(nonce);
    if (body.autocomplete === false && payment.card_details) {
      payment.status = "APPROVED";
      payment.card_details.status = "AUTHORIZED";
    } else {
      payment.receipt_url = `https://squareupsandbox.com/receipt/preview/${id}`;
    }
    this.payments.set(id, payment);
    return { status: 200, body: { payment } };
  }

  /** RefundPayment: a COMPLETED payment, at most what is left of it. */
  #refundPayment(body: Record<string, unknown>): FakeResponse {
    const paymentId = body.payment_id;
    if (typeof paymentId !== "string" || paymentId === "")
      return invalid("MISSING_REQUIRED_PARAMETER", "payment_id is required", "payment_id");
    const amount = body.amount_money as Money | undefined;
    if (!amount || !Number.isInteger(amount.amount) || amount.amount <= 0 || typeof amount.currency !== "string")
      return invalid("INVALID_VALUE", "amount_money needs a positive integer amount and a currency", "amount_money");
    if (length(body.reason) > 192) return invalid("VALUE_TOO_LONG", "reason must be at most 192 characters", "reason");
    const payment = this.payments.get(paymentId);
    if (!payment) return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `payment ${paymentId} not found`, "payment_id");
    if (payment.status !== "COMPLETED")
      return err(
        400,
        "REFUND_ERROR",
        "PAYMENT_NOT_REFUNDABLE",
        `payment ${paymentId} is ${payment.status}`,
        "payment_id",
      );
    const total = payment.total_money ?? {
      amount: payment.amount_money.amount + (payment.tip_money?.amount ?? 0),
      currency: payment.amount_money.currency,
    };
    if (amount.currency !== total.currency)
      return invalid("INVALID_VALUE", `the refund must be in ${total.currency}`, "amount_money.currency");
    const refunded = payment.refunded_money?.amount ?? 0;
    if (amount.amount > total.amount - refunded)
      return err(
        400,
        "REFUND_ERROR",
        "REFUND_AMOUNT_INVALID",
        "The requested refund amount exceeds the amount available to refund.",
        "amount_money.amount",
      );
    const now = new Date(this.now()).toISOString();
    const refund: SquareRefund = {
      id: `${payment.id}_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
      payment_id: payment.id,
      location_id: payment.location_id,
      ...(payment.order_id ? { order_id: payment.order_id } : {}),
      amount_money: { amount: amount.amount, currency: amount.currency },
      ...(typeof body.reason === "string" ? { reason: body.reason } : {}),
      status: payment.source_type === "CARD" ? "PENDING" : "COMPLETED",
      created_at: now,
      updated_at: now,
    };
    this.refunds.set(refund.id, refund);
    payment.refunded_money = { amount: refunded + amount.amount, currency: total.currency };
    payment.refund_ids = [...(payment.refund_ids ?? []), refund.id];
    return { status: 200, body: { refund } };
  }

  /** ListPaymentRefunds: created_at in [begin_time, end_time], newest first unless sort_order=ASC. */
  #listRefunds(query: URLSearchParams): FakeResponse {
    const begin = Date.parse(query.get("begin_time") ?? new Date(this.now() - 365 * 86_400_000).toISOString());
    const end = Date.parse(query.get("end_time") ?? new Date(this.now()).toISOString());
    const limit = Number(query.get("limit") ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return invalid("INVALID_VALUE", "limit must be 1..100", "limit");
    const order = query.get("sort_order") ?? "DESC";
    if (order !== "ASC" && order !== "DESC") return invalid("INVALID_VALUE", "sort_order is ASC or DESC", "sort_order");
    const location = query.get("location_id");
    const all = [...this.refunds.values()]
      .filter((r) => Date.parse(r.created_at) >= begin && Date.parse(r.created_at) <= end)
      .filter((r) => !location || r.location_id === location)
      .sort((a, b) => (order === "ASC" ? 1 : -1) * a.created_at.localeCompare(b.created_at));
    const start = Number(query.get("cursor") ?? 0);
    const page = all.slice(start, start + limit);
    return {
      status: 200,
      body: { refunds: page, ...(start + limit < all.length ? { cursor: String(start + limit) } : {}) },
    };
  }

  #listPayments(query: URLSearchParams): FakeResponse {
    const begin = Date.parse(query.get("begin_time") ?? "1970-01-01T00:00:00Z");
    const end = Date.parse(query.get("end_time") ?? "2999-01-01T00:00:00Z");
    const all = [...this.payments.values()].filter(
      (p) =>
        Date.parse(p.created_at) >= begin &&
        Date.parse(p.created_at) <= end &&
        (!query.get("location_id") || p.location_id === query.get("location_id")),
    );
    const start = Number(query.get("cursor") ?? 0);
    const page = all.slice(start, start + 100);
    return {
      status: 200,
      body: { payments: page, ...(start + 100 < all.length ? { cursor: String(start + 100) } : {}) },
    };
  }

  #batchRetrieve(body: Record<string, unknown>): FakeResponse {
    const ids = body.order_ids;
    if (!Array.isArray(ids) || ids.length === 0)
      return invalid("MISSING_REQUIRED_PARAMETER", "order_ids is required", "order_ids");
    if (ids.length > 100) return invalid("INVALID_ARRAY_LENGTH", "at most 100 order_ids", "order_ids");
    return { status: 200, body: { orders: ids.flatMap((id) => this.orders.get(String(id)) ?? []) } };
  }

  #search(body: Record<string, unknown>): FakeResponse {
    const locations = body.location_ids;
    if (!Array.isArray(locations) || locations.length === 0 || locations.length > 10)
      return invalid("INVALID_ARRAY_LENGTH", "1 to 10 location_ids", "location_ids");
    const limit = Number(body.limit ?? 500);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000)
      return invalid("INVALID_VALUE", "limit must be 1..1000", "limit");
    const filter = ((body.query as { filter?: Record<string, unknown> } | undefined)?.filter ?? {}) as {
      source_filter?: { source_names?: string[] };
      date_time_filter?: { created_at?: { start_at?: string; end_at?: string } };
    };
    const names = filter.source_filter?.source_names;
    const window = filter.date_time_filter?.created_at;
    const matches = [...this.orders.values()]
      .filter((o) => locations.includes(o.location_id))
      .filter((o) => !names || names.includes(o.source?.name ?? ""))
      .filter((o) => !window?.start_at || Date.parse(o.created_at) >= Date.parse(window.start_at))
      .filter((o) => !window?.end_at || Date.parse(o.created_at) <= Date.parse(window.end_at))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
    const start = Number(body.cursor ?? 0);
    const page = matches.slice(start, start + limit);
    return {
      status: 200,
      body: { orders: page, ...(start + limit < matches.length ? { cursor: String(start + limit) } : {}) },
    };
  }

  #payOrder(id: string, body: Record<string, unknown>): FakeResponse {
    const order = this.orders.get(id);
    if (!order) return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `order ${id} not found`);
    const ids = Array.isArray(body.payment_ids) ? (body.payment_ids as string[]) : [];
    const paid = ids.reduce((sum, p) => sum + (this.payments.get(p)?.amount_money.amount ?? 0), 0);
    if (paid !== order.total_money.amount)
      return invalid("INVALID_VALUE", "the payment total must match the order total", "payment_ids");
    order.state = "COMPLETED";
    order.version += 1;
    order.tenders = ids.map((p) => ({ id: `T-${p}`, payment_id: p }));
    return { status: 200, body: { order } };
  }

  #updateOrder(id: string, body: Record<string, unknown>): FakeResponse {
    const order = this.orders.get(id);
    if (!order) return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `order ${id} not found`);
    const sparse = body.order as { version?: number; state?: string } | undefined;
    if (sparse?.version !== order.version)
      return err(409, "INVALID_REQUEST_ERROR", "CONFLICT", "the order version is stale");
    if (sparse.state) order.state = sparse.state;
    order.version += 1;
    return { status: 200, body: { order } };
  }
}

function checkMetadata(metadata: unknown, field: string): FakeResponse | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== "object" || metadata === null)
    return invalid("INVALID_VALUE", "metadata must be an object", field);
  const entries = Object.entries(metadata as Record<string, unknown>);
  if (entries.length > 10) return invalid("INVALID_VALUE", "at most 10 metadata entries", field);
  for (const [key, value] of entries) {
    if (!METADATA_KEY.test(key))
      return invalid(
        "INVALID_VALUE",
        `metadata key ${key} must be 1-60 characters of [a-zA-Z0-9_-]`,
        `${field}.${key}`,
      );
    if (typeof value !== "string" || length(value) > 255)
      return invalid("VALUE_TOO_LONG", "metadata values are strings of at most 255 characters", `${field}.${key}`);
  }
  return undefined;
}
