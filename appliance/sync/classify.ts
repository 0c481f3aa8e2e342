/**
 * Classifying upstream answers (docs/architecture.md#retries). The generic table works on HTTP status;
 * each provider maps its own error codes first (Square's `errors[].code`, Zoho's `code`), then
 * falls back to it. Unit-tested as a table (tests/unit/sync/classify.test.ts).
 */
import { parseRetryAfter } from "./backoff.ts";
import type { HttpResult } from "../lib/http-client.ts";
import type { Outcome } from "./types.ts";

type Failed = Extract<HttpResult, { ok: false }>;
type Answered = Extract<HttpResult, { ok: true }>;

/** A request that got no answer. */
export function networkOutcome(result: Failed): Outcome {
  // "connect": nothing was sent. Anything later: it may have been applied.
  return {
    kind: "transient",
    unknown: result.failure !== "connect",
    network: result.failure === "connect",
    code: result.code,
    detail: result.detail,
  };
}

/** A 2xx whose body was not the JSON we expected: the request may have been applied. */
export function malformedOutcome(result: Answered, why: string): Outcome {
  return {
    kind: "transient",
    unknown: true,
    network: false,
    status: result.status,
    code: "MALFORMED_RESPONSE",
    detail: `${why}: ${result.text.slice(0, 200)}`,
  };
}

/**
 * The generic status table. `createEndpoint`: a 404 there means the configured location or
 * organisation does not exist (configuration), not that a record is missing.
 */
export function classifyStatus(
  status: number,
  retryAfterMs: number | undefined,
  code: string,
  detail: string,
  createEndpoint = true,
): Outcome {
  if (status >= 200 && status < 300) return { kind: "acked", status };
  if (status === 408) return { kind: "transient", unknown: true, network: false, status, code, detail };
  if (status === 429)
    return { kind: "rate_limited", status, code, detail, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status >= 500)
    return {
      kind: "transient",
      unknown: true,
      network: false,
      status,
      code,
      detail,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  if (status === 401) return { kind: "auth", status, code, detail };
  if (status === 403) return { kind: "blocked", status, code, detail };
  if (status === 404 && createEndpoint) return { kind: "blocked", status, code, detail };
  // 409 other than our own "duplicate" (handled by the adapter): try again later.
  if (status === 409) return { kind: "transient", unknown: false, network: false, status, code, detail };
  return { kind: "rejected", status, code, detail };
}

export function retryAfterOf(result: Answered, nowMs: number): number | undefined {
  return parseRetryAfter(result.headers["retry-after"], nowMs);
}

/** Square error codes that decide before the status does (Square's `api.json` `ErrorCode`). */
const SQUARE_CODES: Readonly<Record<string, Outcome["kind"]>> = {
  IDEMPOTENCY_KEY_REUSED: "lookup",
  UNAUTHORIZED: "auth",
  ACCESS_TOKEN_EXPIRED: "auth",
  ACCESS_TOKEN_REVOKED: "blocked",
  INSUFFICIENT_SCOPES: "blocked",
  FORBIDDEN: "blocked",
  LOCATION_MISMATCH: "blocked",
  API_VERSION_INCOMPATIBLE: "blocked",
  MERCHANT_SUBSCRIPTION_NOT_FOUND: "blocked",
  RATE_LIMITED: "rate_limited",
  CONFLICT: "transient",
  INTERNAL_SERVER_ERROR: "transient",
  SERVICE_UNAVAILABLE: "transient",
  GATEWAY_TIMEOUT: "transient",
};

export interface SquareError {
  category: string;
  code: string;
  detail?: string;
  field?: string;
}

/** The `errors[]` of a Square answer (empty when the body has none). */
export function squareErrors(json: unknown): SquareError[] {
  const errors = (json as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (e): e is SquareError => typeof e === "object" && e !== null && typeof (e as SquareError).code === "string",
  );
}

export function classifySquare(result: Answered, nowMs: number, createEndpoint = true): Outcome {
  const errors = squareErrors(result.json);
  const first = errors[0];
  const code = first?.code ?? `HTTP_${result.status}`;
  const detail =
    errors.map((e) => `${e.code}${e.field ? ` (${e.field})` : ""}${e.detail ? `: ${e.detail}` : ""}`).join("; ") ||
    result.text.slice(0, 200);
  const retryAfterMs = retryAfterOf(result, nowMs);
  const byCode = first ? SQUARE_CODES[first.code] : undefined;
  if (result.status >= 200 && result.status < 300) return { kind: "acked", status: result.status };
  switch (byCode) {
    case "lookup":
      return { kind: "lookup", status: result.status, code, detail };
    case "auth":
      return { kind: "auth", status: result.status, code, detail };
    case "blocked":
      return { kind: "blocked", status: result.status, code, detail };
    case "rate_limited":
      return {
        kind: "rate_limited",
        status: result.status,
        code,
        detail,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    case "transient":
      return {
        kind: "transient",
        unknown: result.status >= 500,
        network: false,
        status: result.status,
        code,
        detail,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    case "acked":
    case "rejected":
    case "conflict":
    case undefined:
      return classifyStatus(result.status, retryAfterMs, code, detail, createEndpoint);
  }
}

/** Zoho answers `{ code, message }`; `code` 0 is success. */
export function zohoError(json: unknown): { code: number; message: string } | undefined {
  const body = json as { code?: unknown; message?: unknown } | undefined;
  if (typeof body?.code !== "number") return undefined;
  return { code: body.code, message: typeof body.message === "string" ? body.message : "" };
}

/** Zoho's "this sales order number already exists": the create was applied before (our own number is the key). */
export const ZOHO_DUPLICATE_NUMBER = 1001;

export function classifyZoho(result: Answered, nowMs: number, createEndpoint = true): Outcome {
  const error = zohoError(result.json);
  const code = error ? `ZOHO_${error.code}` : `HTTP_${result.status}`;
  const detail = error?.message ?? result.text.slice(0, 200);
  if (result.status >= 200 && result.status < 300 && (!error || error.code === 0))
    return { kind: "acked", status: result.status };
  if (error?.code === ZOHO_DUPLICATE_NUMBER) return { kind: "lookup", status: result.status, code, detail };
  return classifyStatus(
    result.status >= 200 && result.status < 300 ? 400 : result.status,
    retryAfterOf(result, nowMs),
    code,
    detail,
    createEndpoint,
  );
}
