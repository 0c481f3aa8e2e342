/**
 * Zoho Inventory sales orders (docs/architecture.md#targets). Zoho has no idempotency keys, so our
 * own `salesorder_number` (prefix + order reference, `ignore_auto_number_generation=true`) is the
 * key: a replay is refused as a duplicate number, and any unknown outcome is looked up by number
 * before anything is sent again.
 */
import type { Refresher } from "../auth-session.ts";
import { classifyZoho } from "../classify.ts";
import { tcpProbe } from "../../lib/http-client.ts";
import { majorUnits } from "../keys.ts";
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
  plainName,
  refreshRefused,
  refreshUnanswered,
  str,
  unackedSend,
  type AdapterContext,
  type Answered,
} from "./common.ts";

interface ZohoSalesOrder {
  salesorder_id: string;
  salesorder_number: string;
  reference_number?: string;
  total?: number;
}

export class ZohoAdapter implements Adapter {
  readonly target = "zoho" as const;
  readonly capabilities: AdapterCapabilities = { idempotent: false, keyTtlMs: 0, batchSize: 1, ordered: false };
  readonly #ctx: AdapterContext;

  constructor(ctx: AdapterContext) {
    this.#ctx = ctx;
  }

  get #cfg() {
    return this.#ctx.config.sync.zoho;
  }

  get #base(): string {
    return this.#cfg.url.replace(/\/+$/, "");
  }

  #org(): string {
    return str(this.#ctx.settings().organizationId) ?? "";
  }

  #call(
    method: "GET" | "POST",
    path: string,
    query: Record<string, string>,
    body: unknown,
    signal: AbortSignal,
    createEndpoint: boolean,
  ) {
    const search = new URLSearchParams({ organization_id: this.#org(), ...query });
    return authorized(
      this.#ctx.session,
      signal,
      (token) =>
        this.#ctx.http.request({
          method,
          url: `${this.#base}${path}?${search.toString()}`,
          headers: { authorization: `Zoho-oauthtoken ${token}` },
          ...(body === undefined ? {} : { body }),
          timeoutMs: this.#cfg.timeoutMs,
          signal,
        }),
      (a: Answered): Outcome => classifyZoho(a, this.#ctx.clock.now(), createEndpoint),
    );
  }

  salesOrderBody(work: WorkItem): Record<string, unknown> {
    const order = eventOf(work, "order.placed").payload.order;
    const mapping = (this.#ctx.settings().itemMapping ?? {}) as Record<string, string>;
    const currency = order.totals.currency;
    return {
      customer_id: str(this.#ctx.settings().customerId) ?? "",
      salesorder_number: work.item.idempotencyKey,
      reference_number: order.id,
      date: order.businessDate,
      line_items: order.lines.map((line) => {
        const mapped = mapping[line.menuItemId];
        const options = [
          ...line.options.map((o) => plainName(o.name)),
          ...line.components.map((c) => plainName(c.name)),
        ].join(", ");
        return {
          ...(mapped ? { item_id: mapped } : {}),
          name: plainName(line.name),
          ...(options || line.note ? { description: [options, line.note].filter((p) => p).join(" — ") } : {}),
          rate: majorUnits(line.unitPrice, currency),
          quantity: line.quantity,
        };
      }),
      is_inclusive_tax: order.totals.taxIncluded,
      notes: `Galley order ${order.ref} (#${order.number})`,
    };
  }

  async send(items: readonly WorkItem[], signal: AbortSignal): Promise<SendResult> {
    const work = items[0];
    if (!work) return { outcomes: [], durationMs: 0 };
    if (!this.#org())
      return {
        outcomes: [
          { kind: "blocked", code: "NO_ORGANIZATION", detail: "no Zoho organization id is set for this integration" },
        ],
        durationMs: 0,
      };
    const started = performance.now();
    const { answer, outcome } = await this.#call(
      "POST",
      "/salesorders",
      { ignore_auto_number_generation: "true" },
      this.salesOrderBody(work),
      signal,
      true,
    );
    const durationMs = performance.now() - started;
    if (!answer || outcome.kind !== "acked") return unackedSend(answer, outcome, durationMs);
    const salesorder = (answer.json as { salesorder?: ZohoSalesOrder } | undefined)?.salesorder;
    if (typeof salesorder?.salesorder_id !== "string")
      return malformedSend(answer, "the answer has no salesorder.salesorder_id", durationMs);
    return {
      outcomes: [{ kind: "acked", remoteId: salesorder.salesorder_id, status: answer.status }],
      durationMs,
      status: answer.status,
    };
  }

  async lookup(work: WorkItem, signal: AbortSignal): Promise<LookupResult> {
    const { answer, outcome } = await this.#call(
      "GET",
      "/salesorders",
      { salesorder_number: work.item.idempotencyKey },
      undefined,
      signal,
      false,
    );
    if (!answer || outcome.kind !== "acked") return { failed: outcome };
    const found = (answer.json as { salesorders?: ZohoSalesOrder[] } | undefined)?.salesorders?.find(
      (s) => s.salesorder_number === work.item.idempotencyKey,
    );
    return found ? { found: true, remoteId: found.salesorder_id } : { found: false };
  }

  async verify(items: readonly WorkItem[], signal: AbortSignal): Promise<RemoteCheck[] | { failed: Outcome }> {
    const checks: RemoteCheck[] = [];
    for (const w of items) {
      if (!w.item.remoteId) continue;
      const { answer, outcome } = await this.#call(
        "GET",
        `/salesorders/${encodeURIComponent(w.item.remoteId)}`,
        {},
        undefined,
        signal,
        false,
      );
      if (answer?.status === 404) {
        checks.push({ itemId: w.item.id, present: false });
        continue;
      }
      if (!answer || outcome.kind !== "acked") return { failed: outcome };
      const remote = (answer.json as { salesorder?: ZohoSalesOrder } | undefined)?.salesorder;
      const totals = eventOf(w, "order.placed").payload.order.totals;
      const expected = majorUnits(totals.total, totals.currency);
      if (!remote) checks.push({ itemId: w.item.id, present: false });
      else if (remote.total !== undefined && Math.abs(remote.total - expected) > 1e-9)
        checks.push({ itemId: w.item.id, present: true, mismatch: `Zoho total ${remote.total}, journal ${expected}` });
      else checks.push({ itemId: w.item.id, present: true });
    }
    return checks;
  }

  probe(signal: AbortSignal): Promise<boolean> {
    return tcpProbe(this.#base, Math.min(this.#cfg.timeoutMs, 2_000), signal);
  }

  /** `POST {accounts}/oauth/v2/token?grant_type=refresh_token…`; access tokens last an hour. */
  refresher(): Refresher {
    return async (credentials, signal) => {
      const query = new URLSearchParams({
        grant_type: "refresh_token",
        client_id: this.#cfg.clientId,
        client_secret: credentials.clientSecret ?? "",
        refresh_token: credentials.refreshToken ?? "",
      });
      const result = await this.#ctx.http.request({
        method: "POST",
        url: `${this.#cfg.accountsUrl.replace(/\/+$/, "")}/oauth/v2/token?${query.toString()}`,
        timeoutMs: this.#cfg.timeoutMs,
        signal,
      });
      if (!result.ok) return refreshUnanswered(result);
      if (result.status >= 500 || result.status === 429)
        return { ok: false, outcome: classifyZoho(result, this.#ctx.clock.now(), false) };
      // Zoho answers a refused refresh with 200 and `{ "error": "invalid_code" }`.
      const json = result.json as { access_token?: unknown; expires_in?: unknown; error?: unknown } | undefined;
      if (typeof json?.access_token !== "string") {
        const code = typeof json?.error === "string" ? json.error : `HTTP_${result.status}`;
        return refreshRefused("Zoho", result.status, code);
      }
      const seconds = typeof json.expires_in === "number" ? json.expires_in : 3_600;
      return {
        ok: true,
        credentials: { accessToken: json.access_token, expiresAtMs: this.#ctx.clock.now() + seconds * 1_000 },
      };
    };
  }
}
