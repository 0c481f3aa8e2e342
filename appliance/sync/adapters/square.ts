/**
 * Square (docs/architecture.md#targets): CreateOrder, then CreatePayment (CASH or EXTERNAL) after
 * its order, then RefundPayment after the payment it refunds; BatchRetrieveOrders to verify,
 * SearchOrders / ListPayments / ListPaymentRefunds to settle an unknown outcome once the
 * idempotency key may have expired, OAuth refresh. `Square-Version` is pinned.
 * This is the adapter's request flow; the request bodies and answer shapes are in square-api.ts.
 */
import type { Refresher } from "../auth-session.ts";
import { classifySquare } from "../classify.ts";
import { tcpProbe } from "../../lib/http-client.ts";
import { SQUARE_LIMITS, squareRefundTag } from "../keys.ts";
import type {
  Adapter,
  AdapterCapabilities,
  LookupResult,
  Outcome,
  RemoteCheck,
  SendResult,
  WorkItem,
} from "../types.ts";
import {
  authorized,
  eventOf,
  malformedSend,
  refreshRefused,
  refreshUnanswered,
  str,
  unackedSend,
  type AdapterContext,
  type Answered,
} from "./common.ts";
import {
  squareListQuery,
  squareOrderBody,
  squarePaymentBody,
  squareRefundBody,
  squareSearchOrdersBody,
  type SquareBatchRetrieveAnswer,
  type SquareListPaymentsAnswer,
  type SquareListRefundsAnswer,
  type SquareOrigin,
  type SquareRefundAnswer,
  type SquareSearchOrdersAnswer,
  type SquareTokenAnswer,
} from "./square-api.ts";

/** Search/List pages followed at most, so a lookup is bounded. */
const MAX_LOOKUP_PAGES = 20;
/** Square stamps created_at with its own clock and ours may be off: search a generous window. */
const LOOKUP_MARGIN_MS = 24 * 3_600_000;

/** Where each operation goes, the record its answer carries, and what it waits for upstream. */
const REQUESTS = {
  create_order: { path: "/v2/orders", record: "order", waitsFor: undefined },
  record_payment: {
    path: "/v2/payments",
    record: "payment",
    waitsFor: { code: "ORDER_NOT_UPSTREAM", detail: "the payment waits for its order to reach Square" },
  },
  refund_payment: {
    path: "/v2/refunds",
    record: "refund",
    waitsFor: { code: "PAYMENT_NOT_UPSTREAM", detail: "the refund waits for its payment to reach Square" },
  },
} as const;
type SquareOperation = keyof typeof REQUESTS;

function isSquareOperation(operation: string): operation is SquareOperation {
  return Object.hasOwn(REQUESTS, operation);
}

/** Square's refund states that mean it did not take the refund (PENDING and COMPLETED did). */
const REFUSED_REFUND_STATES = new Set(["REJECTED", "FAILED"]);

/** A lookup that followed MAX_LOOKUP_PAGES pages of `endpoint` without reaching the end: still unknown. */
function lookupTooLong(endpoint: string): LookupResult {
  return {
    failed: {
      kind: "transient",
      unknown: true,
      network: false,
      code: "LOOKUP_TOO_LONG",
      detail: `no answer within ${MAX_LOOKUP_PAGES} pages of ${endpoint}`,
    },
  };
}

export class SquareAdapter implements Adapter {
  readonly target = "square" as const;
  readonly capabilities: AdapterCapabilities;
  readonly #ctx: AdapterContext;

  constructor(ctx: AdapterContext) {
    this.#ctx = ctx;
    this.capabilities = {
      idempotent: true,
      keyTtlMs: ctx.config.sync.square.keyTtlSeconds * 1_000,
      batchSize: 1,
      ordered: false,
    };
  }

  get #cfg() {
    return this.#ctx.config.sync.square;
  }

  get #base(): string {
    return this.#cfg.url.replace(/\/+$/, "");
  }

  #locationId(): string {
    return str(this.#ctx.settings().locationId) ?? "";
  }

  #headers(token: string): Record<string, string> {
    return { authorization: `Bearer ${token}`, "square-version": this.#cfg.version };
  }

  #classify = (answer: Answered): Outcome => classifySquare(answer, this.#ctx.clock.now());

  #call(
    method: "GET" | "POST" | "PUT",
    path: string,
    body: unknown,
    signal: AbortSignal,
    classify: (a: Answered) => Outcome = this.#classify,
  ) {
    return authorized(
      this.#ctx.session,
      signal,
      (token) =>
        this.#ctx.http.request({
          method,
          url: `${this.#base}${path}`,
          headers: this.#headers(token),
          ...(body === undefined ? {} : { body }),
          timeoutMs: this.#cfg.timeoutMs,
          signal,
        }),
      classify,
    );
  }

  #origin(): SquareOrigin {
    return {
      locationId: this.#locationId(),
      sourceName: this.#cfg.sourceName,
      storeId: str(this.#ctx.config.sync.central.storeId),
    };
  }

  /** The CreateOrder body for an order snapshot (exported for the unit tests of field limits). */
  orderBody(work: WorkItem): Record<string, unknown> {
    return squareOrderBody(work, this.#ctx.settings(), this.#origin());
  }

  async send(items: readonly WorkItem[], signal: AbortSignal): Promise<SendResult> {
    const work = items[0];
    if (!work) return { outcomes: [], durationMs: 0 };
    const started = performance.now();
    if (!this.#locationId())
      return {
        outcomes: [
          { kind: "blocked", code: "NO_LOCATION", detail: "no Square location id is set for this integration" },
        ],
        durationMs: 0,
      };
    const operation = work.item.operation;
    if (!isSquareOperation(operation))
      throw new Error(`sync: square item ${work.item.id} has operation ${operation}, which Square does not take`);
    const request = REQUESTS[operation];
    if (request.waitsFor && !work.dependencyRemoteId) {
      return {
        outcomes: [{ kind: "transient", unknown: false, network: false, ...request.waitsFor }],
        durationMs: 0,
      };
    }
    const body =
      operation === "create_order"
        ? this.orderBody(work)
        : operation === "record_payment"
          ? squarePaymentBody(work, this.#locationId())
          : squareRefundBody(work);
    const { answer, outcome } = await this.#call("POST", request.path, body, signal);
    const durationMs = performance.now() - started;
    if (!answer || outcome.kind !== "acked") return unackedSend(answer, outcome, durationMs);
    const record = (answer.json as Record<string, { id?: unknown; version?: unknown } | undefined> | undefined)?.[
      request.record
    ];
    if (typeof record?.id !== "string")
      return malformedSend(answer, `the answer has no ${request.record}.id`, durationMs);
    const refundStatus =
      operation === "refund_payment" ? (answer.json as SquareRefundAnswer)?.refund?.status : undefined;
    if (typeof refundStatus === "string" && REFUSED_REFUND_STATES.has(refundStatus))
      return {
        outcomes: [
          {
            kind: "rejected",
            status: answer.status,
            code: `REFUND_${refundStatus}`,
            detail: `Square answered refund ${record.id} as ${refundStatus}`,
          },
        ],
        durationMs,
        status: answer.status,
      };
    return {
      outcomes: [
        {
          kind: "acked",
          remoteId: record.id,
          ...(typeof record.version === "number" ? { remoteVersion: record.version } : {}),
          status: answer.status,
        },
      ],
      durationMs,
      status: answer.status,
    };
  }

  async lookup(work: WorkItem, signal: AbortSignal): Promise<LookupResult> {
    const now = this.#ctx.clock.now();
    const from = new Date((work.item.firstAttemptAtMs ?? work.item.createdAtMs) - LOOKUP_MARGIN_MS).toISOString();
    const to = new Date(now + LOOKUP_MARGIN_MS).toISOString();
    if (work.item.operation === "create_order") {
      const orderId = eventOf(work, "order.placed").payload.order.id;
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LOOKUP_PAGES; page += 1) {
        const body = squareSearchOrdersBody(this.#origin(), from, to, cursor);
        const { answer, outcome } = await this.#call("POST", "/v2/orders/search", body, signal, (a) =>
          classifySquare(a, this.#ctx.clock.now(), false),
        );
        if (!answer || outcome.kind !== "acked") return { failed: outcome };
        const json = answer.json as SquareSearchOrdersAnswer;
        const match = json?.orders?.find((o) => o.reference_id === orderId || o.metadata?.kiosk_order_id === orderId);
        if (match)
          return {
            found: true,
            remoteId: match.id,
            ...(match.version !== undefined ? { remoteVersion: match.version } : {}),
          };
        cursor = json?.cursor;
        if (!cursor) return { found: false };
      }
      return lookupTooLong("SearchOrders");
    }
    if (work.item.operation === "refund_payment") return this.#lookUpRefund(work, from, to, signal);
    const paymentId = eventOf(work, "payment.recorded").payload.paymentId;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page += 1) {
      const query = squareListQuery(this.#locationId(), from, to, cursor);
      const { answer, outcome } = await this.#call("GET", `/v2/payments?${query.toString()}`, undefined, signal, (a) =>
        classifySquare(a, this.#ctx.clock.now(), false),
      );
      if (!answer || outcome.kind !== "acked") return { failed: outcome };
      const json = answer.json as SquareListPaymentsAnswer;
      const match = json?.payments?.find((p) => p.reference_id === paymentId);
      if (match) return { found: true, remoteId: match.id };
      cursor = json?.cursor;
      if (!cursor) return { found: false };
    }
    return lookupTooLong("ListPayments");
  }

  /**
   * ListPaymentRefunds over the window, matching the tag our RefundPayment put in `reason` (a
   * refund has no `reference_id`), and the Square payment when it is known. Refunds of CASH and
   * EXTERNAL payments are recorded at once, so the list's eventual consistency is the same few
   * seconds ListPayments has.
   */
  async #lookUpRefund(work: WorkItem, from: string, to: string, signal: AbortSignal): Promise<LookupResult> {
    const tag = squareRefundTag(eventOf(work, "payment.refunded").payload.refundId);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page += 1) {
      const query = squareListQuery(this.#locationId(), from, to, cursor, "ASC");
      const { answer, outcome } = await this.#call("GET", `/v2/refunds?${query.toString()}`, undefined, signal, (a) =>
        classifySquare(a, this.#ctx.clock.now(), false),
      );
      if (!answer || outcome.kind !== "acked") return { failed: outcome };
      const json = answer.json as SquareListRefundsAnswer;
      const match = json?.refunds?.find(
        (r) =>
          r.reason?.endsWith(tag) === true && (!work.dependencyRemoteId || r.payment_id === work.dependencyRemoteId),
      );
      if (match) return { found: true, remoteId: match.id };
      cursor = json?.cursor;
      if (!cursor) return { found: false };
    }
    return lookupTooLong("ListPaymentRefunds");
  }

  /** BatchRetrieveOrders (≤ 100 ids per call): an omitted id is missing; a different total is a mismatch, never auto-fixed. */
  async verify(items: readonly WorkItem[], signal: AbortSignal): Promise<RemoteCheck[] | { failed: Outcome }> {
    const orders = items.filter((w) => w.item.operation === "create_order" && w.item.remoteId);
    const checks: RemoteCheck[] = [];
    for (let i = 0; i < orders.length; i += SQUARE_LIMITS.batchRetrieveIds) {
      const chunk = orders.slice(i, i + SQUARE_LIMITS.batchRetrieveIds);
      const { answer, outcome } = await this.#call(
        "POST",
        "/v2/orders/batch-retrieve",
        { location_id: this.#locationId(), order_ids: chunk.map((w) => w.item.remoteId) },
        signal,
        (a) => classifySquare(a, this.#ctx.clock.now(), false),
      );
      if (!answer || outcome.kind !== "acked") return { failed: outcome };
      const found = new Map(((answer.json as SquareBatchRetrieveAnswer)?.orders ?? []).map((o) => [o.id, o]));
      for (const w of chunk) {
        const remote = found.get(w.item.remoteId ?? "");
        const local = eventOf(w, "order.placed").payload.order.totals;
        if (!remote) checks.push({ itemId: w.item.id, present: false });
        else if (remote.total_money?.amount !== local.total || remote.total_money.currency !== local.currency) {
          checks.push({
            itemId: w.item.id,
            present: true,
            mismatch: `Square total ${remote.total_money?.amount ?? "?"} ${remote.total_money?.currency ?? ""}, journal ${local.total} ${local.currency}`,
          });
        } else checks.push({ itemId: w.item.id, present: true });
      }
    }
    return checks;
  }

  probe(signal: AbortSignal): Promise<boolean> {
    return tcpProbe(this.#base, Math.min(this.#cfg.timeoutMs, 2_000), signal);
  }

  /** ObtainToken with grant_type=refresh_token; PKCE (no client secret) rotates the refresh token. */
  refresher(): Refresher {
    return async (credentials, signal) => {
      const body = {
        client_id: this.#cfg.clientId,
        grant_type: "refresh_token",
        refresh_token: credentials.refreshToken,
        ...(credentials.clientSecret ? { client_secret: credentials.clientSecret } : {}),
      };
      const result = await this.#ctx.http.request({
        method: "POST",
        url: `${this.#base}/oauth2/token`,
        headers: { "square-version": this.#cfg.version },
        body,
        timeoutMs: this.#cfg.timeoutMs,
        signal,
      });
      if (!result.ok) return refreshUnanswered(result);
      const json = result.json as SquareTokenAnswer;
      if (result.status >= 500 || result.status === 429)
        return { ok: false, outcome: classifySquare(result, this.#ctx.clock.now(), false) };
      if (result.status !== 200 || typeof json?.access_token !== "string") {
        const code =
          typeof json?.error === "string"
            ? json.error
            : ((classifySquare(result, this.#ctx.clock.now(), false) as { code?: string }).code ??
              `HTTP_${result.status}`);
        return refreshRefused("Square", result.status, code);
      }
      const expiresAt = typeof json.expires_at === "string" ? Date.parse(json.expires_at) : Number.NaN;
      return {
        ok: true,
        credentials: {
          accessToken: json.access_token,
          ...(typeof json.refresh_token === "string" ? { refreshToken: json.refresh_token } : {}),
          ...(Number.isNaN(expiresAt) ? {} : { expiresAtMs: expiresAt }),
        },
      };
    };
  }
}
