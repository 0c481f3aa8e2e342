/**
 * A fake Zoho Inventory (docs/architecture.md#targets): sales orders under `/inventory/v1`, every call
 * with `organization_id` and `Authorization: Zoho-oauthtoken …`; our own `salesorder_number` is
 * kept only with `ignore_auto_number_generation=true`, and a number that exists is refused with
 * code 1001; `GET /salesorders?salesorder_number=` finds one. Bodies are `{ code, message }`
 * (0 = success). The accounts server's refresh (`/oauth/v2/token`) answers 200 with
 * `{ error: "invalid_code" }` for a bad refresh token, as Zoho does.
 */
import { randomUUID } from "node:crypto";
import { ScriptedServer, type FakeRequest, type FakeResponse } from "./scripted-server.ts";

export interface ZohoSalesOrder {
  salesorder_id: string;
  salesorder_number: string;
  reference_number?: string;
  customer_id: string;
  date: string;
  line_items: Record<string, unknown>[];
  total: number;
  status: string;
}

export class FakeZoho extends ScriptedServer {
  organizationId = "ORG-1";
  readonly salesOrders = new Map<string, ZohoSalesOrder>();
  readonly #tokens = new Set<string>(["zoho-access-1"]);
  refreshToken = "zoho-refresh-1";
  #auto = 1;

  protected override errorBody(status: number, detail: string): unknown {
    return { code: status, message: detail };
  }

  protected override handle(request: FakeRequest): FakeResponse {
    if (request.path === "/oauth/v2/token" && request.method === "POST") return this.#refresh(request.query);
    const token = /^Zoho-oauthtoken (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!token || !this.#tokens.has(token))
      return { status: 401, body: { code: 57, message: "You are not authorized to perform this operation" } };
    if (request.query.get("organization_id") !== this.organizationId)
      return { status: 404, body: { code: 6041, message: "This organization does not exist" } };
    if (request.path === "/inventory/v1/salesorders" && request.method === "POST") return this.#create(request);
    if (request.path === "/inventory/v1/salesorders" && request.method === "GET") {
      const number = request.query.get("salesorder_number");
      const found = [...this.salesOrders.values()].filter((s) => !number || s.salesorder_number === number);
      return { status: 200, body: { code: 0, message: "success", salesorders: found } };
    }
    const one = /^\/inventory\/v1\/salesorders\/([^/]+)$/.exec(request.path);
    if (one && request.method === "GET") {
      const found = this.salesOrders.get(one[1] ?? "");
      return found
        ? { status: 200, body: { code: 0, message: "success", salesorder: found } }
        : { status: 404, body: { code: 1002, message: "Sales order does not exist" } };
    }
    return { status: 404, body: { code: 5, message: "Invalid URL Passed" } };
  }

  /** Expire every access token (the next call gets 401, the adapter refreshes). */
  expireTokens(): void {
    this.#tokens.clear();
  }

  #refresh(query: URLSearchParams): FakeResponse {
    if (
      query.get("grant_type") !== "refresh_token" ||
      query.get("refresh_token") !== this.refreshToken ||
      !query.get("client_secret")
    ) {
      return { status: 200, body: { error: "invalid_code" } };
    }
    const token = `zoho-access-${randomUUID()}`;
    this.#tokens.add(token);
    return {
      status: 200,
      body: { access_token: token, api_domain: "https://www.zohoapis.com", token_type: "Bearer", expires_in: 3_600 },
    };
  }

  #create(request: FakeRequest): FakeResponse {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.customer_id !== "string" || body.customer_id === "")
      return { status: 400, body: { code: 4, message: "customer_id is required" } };
    const lines = body.line_items;
    if (!Array.isArray(lines) || lines.length === 0)
      return { status: 400, body: { code: 4, message: "line_items are required" } };
    let total = 0;
    for (const raw of lines) {
      const line = raw as { rate?: unknown; quantity?: unknown; name?: unknown; item_id?: unknown };
      if (typeof line.rate !== "number" || line.rate < 0 || typeof line.quantity !== "number" || line.quantity <= 0)
        return { status: 400, body: { code: 4, message: "rate and quantity are required" } };
      if (!line.name && !line.item_id)
        return { status: 400, body: { code: 4, message: "name or item_id is required" } };
      total += line.rate * line.quantity;
    }
    const own =
      request.query.get("ignore_auto_number_generation") === "true" && typeof body.salesorder_number === "string";
    const number = own ? String(body.salesorder_number) : `SO-${String(this.#auto++).padStart(5, "0")}`;
    if ([...this.salesOrders.values()].some((s) => s.salesorder_number === number))
      return { status: 400, body: { code: 1001, message: `Sales Order "${number}" already exists.` } };
    const order: ZohoSalesOrder = {
      salesorder_id: String(4_000_000 + this.salesOrders.size),
      salesorder_number: number,
      ...(typeof body.reference_number === "string" ? { reference_number: body.reference_number } : {}),
      customer_id: body.customer_id,
      date: typeof body.date === "string" ? body.date : "",
      line_items: lines as Record<string, unknown>[],
      total: Math.round(total * 100) / 100,
      status: "draft",
    };
    this.salesOrders.set(order.salesorder_id, order);
    return { status: 201, body: { code: 0, message: "Sales Order has been created.", salesorder: order } };
  }
}
