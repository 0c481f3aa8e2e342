/**
 * Square (docs/architecture.md#targets): CreateOrder then CreatePayment (CASH or EXTERNAL) after
 * its order, BatchRetrieveOrders to verify, SearchOrders / ListPayments to settle an unknown
 * outcome once the idempotency key may have expired, OAuth refresh. `Square-Version` is pinned.
 */
import { classifySquare, malformedOutcome } from "../classify.ts";
import { tcpProbe } from "../http-client.ts";
import { cut, SQUARE_LIMITS, squareMetadata, squareReferenceId, squareTicketName } from "../keys.ts";
import type { Refresher } from "../auth-session.ts";
import type {
  Adapter,
  AdapterCapabilities,
  LookupResult,
  Outcome,
  RemoteCheck,
  SendResult,
  WorkItem,
} from "../types.ts";
import { authorized, eventOf, plainName, str, type AdapterContext, type Answered } from "./common.ts";

interface SquareMoney {
  amount: number;
  currency: string;
}

/** Search/List pages followed at most, so a lookup is bounded. */
const MAX_LOOKUP_PAGES = 20;
/** Square stamps created_at with its own clock and ours may be off: search a generous window. */
const LOOKUP_MARGIN_MS = 24 * 3_600_000;

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

  /** The CreateOrder body for an order snapshot (exported for the unit tests of field limits). */
  orderBody(work: WorkItem): Record<string, unknown> {
    const order = eventOf(work, "order.placed").payload.order;
    const settings = this.#ctx.settings();
    const mapping = (settings.itemMapping ?? {}) as Record<string, string>;
    const currency = order.totals.currency;
    const includeCustomer = settings.syncCustomerInfo !== false;
    const taxes = order.totals.taxes
      .filter((t) => t.rateBasisPoints > 0)
      .map((t) => ({
        uid: `tax-${t.taxClass}`.slice(0, SQUARE_LIMITS.lineUid),
        name: t.taxClass,
        percentage: String(t.rateBasisPoints / 100),
        type: order.totals.taxIncluded ? "INCLUSIVE" : "ADDITIVE",
        scope: "LINE",
      }));
    const taxUids = new Set(taxes.map((t) => t.uid));
    const lineItems = order.lines.map((line) => {
      const options = [...line.options.map((o) => plainName(o.name)), ...line.components.map((c) => plainName(c.name))];
      const note = [options.join(", "), line.note].filter((part) => part).join(" — ");
      const mapped = mapping[line.menuItemId];
      const taxUid = `tax-${line.taxClass}`.slice(0, SQUARE_LIMITS.lineUid);
      return {
        uid: line.id.slice(0, SQUARE_LIMITS.lineUid),
        ...(mapped ? { catalog_object_id: mapped } : { name: cut(plainName(line.name), SQUARE_LIMITS.lineName) }),
        quantity: String(line.quantity),
        base_price_money: { amount: line.unitPrice, currency },
        ...(note ? { note: cut(note, SQUARE_LIMITS.lineNote) } : {}),
        ...(taxUids.has(taxUid) ? { applied_taxes: [{ tax_uid: taxUid }] } : {}),
      };
    });
    return {
      idempotency_key: work.item.idempotencyKey,
      order: {
        location_id: this.#locationId(),
        reference_id: squareReferenceId(order.id),
        source: { name: this.#cfg.sourceName },
        ticket_name: squareTicketName(order.number, includeCustomer ? order.pickupName : undefined),
        line_items: lineItems,
        ...(taxes.length > 0 ? { taxes } : {}),
        metadata: squareMetadata([
          ["kiosk_order_id", order.id],
          ["order_ref", order.ref],
          ["device_id", work.event.instanceId],
          ["device_seq", work.event.seq],
          ["store_id", str(this.#ctx.config.sync.central.storeId)],
          ["channel", order.channel],
          ["business_date", order.businessDate],
        ]),
      },
    };
  }

  paymentBody(work: WorkItem): Record<string, unknown> {
    const p = eventOf(work, "payment.recorded").payload;
    const money = (amount: number): SquareMoney => ({ amount, currency: p.currency });
    const source = p.method === "cash" ? "CASH" : "EXTERNAL";
    return {
      idempotency_key: work.item.idempotencyKey,
      source_id: source,
      amount_money: money(p.amount),
      ...(p.tip > 0 ? { tip_money: money(p.tip) } : {}),
      order_id: work.dependencyRemoteId,
      location_id: this.#locationId(),
      reference_id: squareReferenceId(p.paymentId),
      note: `Galley payment for order ${p.orderId}`.slice(0, SQUARE_LIMITS.paymentNote),
      autocomplete: true,
      ...(source === "CASH"
        ? {
            cash_details: {
              buyer_supplied_money: money(p.tendered ?? p.amount + p.tip),
              ...(p.change ? { change_back_money: money(p.change) } : {}),
            },
          }
        : {
            external_details: {
              type: p.method === "card" ? "CARD" : "OTHER",
              source: p.method === "card" ? "Card terminal" : "External payment",
              ...(p.reference ? { source_id: p.reference.slice(0, 255) } : {}),
            },
          }),
    };
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
    if (work.item.operation === "record_payment" && !work.dependencyRemoteId) {
      return {
        outcomes: [
          {
            kind: "transient",
            unknown: false,
            network: false,
            code: "ORDER_NOT_UPSTREAM",
            detail: "the payment waits for its order to reach Square",
          },
        ],
        durationMs: 0,
      };
    }
    const isOrder = work.item.operation === "create_order";
    const { answer, outcome } = await this.#call(
      "POST",
      isOrder ? "/v2/orders" : "/v2/payments",
      isOrder ? this.orderBody(work) : this.paymentBody(work),
      signal,
    );
    const durationMs = performance.now() - started;
    const status = answer?.status;
    if (!answer || outcome.kind !== "acked")
      return { outcomes: [outcome], durationMs, ...(status !== undefined ? { status } : {}) };
    const record = (answer.json as Record<string, { id?: unknown; version?: unknown } | undefined> | undefined)?.[
      isOrder ? "order" : "payment"
    ];
    if (typeof record?.id !== "string")
      return {
        outcomes: [malformedOutcome(answer, `the answer has no ${isOrder ? "order" : "payment"}.id`)],
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
        const body = {
          location_ids: [this.#locationId()],
          query: {
            filter: {
              source_filter: { source_names: [this.#cfg.sourceName] },
              date_time_filter: { created_at: { start_at: from, end_at: to } },
            },
            sort: { sort_field: "CREATED_AT", sort_order: "ASC" },
          },
          limit: 500,
          ...(cursor ? { cursor } : {}),
        };
        const { answer, outcome } = await this.#call("POST", "/v2/orders/search", body, signal, (a) =>
          classifySquare(a, this.#ctx.clock.now(), false),
        );
        if (!answer || outcome.kind !== "acked") return { failed: outcome };
        const json = answer.json as
          | {
              orders?: { id: string; version?: number; reference_id?: string; metadata?: Record<string, string> }[];
              cursor?: string;
            }
          | undefined;
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
      return {
        failed: {
          kind: "transient",
          unknown: true,
          network: false,
          code: "LOOKUP_TOO_LONG",
          detail: `no answer within ${MAX_LOOKUP_PAGES} pages of SearchOrders`,
        },
      };
    }
    const paymentId = eventOf(work, "payment.recorded").payload.paymentId;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page += 1) {
      const query = new URLSearchParams({
        location_id: this.#locationId(),
        begin_time: from,
        end_time: to,
        ...(cursor ? { cursor } : {}),
      });
      const { answer, outcome } = await this.#call("GET", `/v2/payments?${query.toString()}`, undefined, signal, (a) =>
        classifySquare(a, this.#ctx.clock.now(), false),
      );
      if (!answer || outcome.kind !== "acked") return { failed: outcome };
      const json = answer.json as { payments?: { id: string; reference_id?: string }[]; cursor?: string } | undefined;
      const match = json?.payments?.find((p) => p.reference_id === paymentId);
      if (match) return { found: true, remoteId: match.id };
      cursor = json?.cursor;
      if (!cursor) return { found: false };
    }
    return {
      failed: {
        kind: "transient",
        unknown: true,
        network: false,
        code: "LOOKUP_TOO_LONG",
        detail: `no answer within ${MAX_LOOKUP_PAGES} pages of ListPayments`,
      },
    };
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
      const found = new Map(
        ((answer.json as { orders?: { id: string; total_money?: SquareMoney }[] } | undefined)?.orders ?? []).map(
          (o) => [o.id, o],
        ),
      );
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
      if (!result.ok)
        return {
          ok: false,
          outcome: {
            kind: "transient",
            unknown: false,
            network: result.failure === "connect",
            code: result.code,
            detail: result.detail,
          },
        };
      const json = result.json as
        { access_token?: unknown; refresh_token?: unknown; expires_at?: unknown; error?: unknown } | undefined;
      if (result.status >= 500 || result.status === 429)
        return { ok: false, outcome: classifySquare(result, this.#ctx.clock.now(), false) };
      if (result.status !== 200 || typeof json?.access_token !== "string") {
        const code =
          typeof json?.error === "string"
            ? json.error
            : ((classifySquare(result, this.#ctx.clock.now(), false) as { code?: string }).code ??
              `HTTP_${result.status}`);
        return {
          ok: false,
          outcome: {
            kind: "blocked",
            status: result.status,
            code,
            detail: `Square refused the token refresh (${code}); connect the integration again`,
          },
        };
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
