/**
 * The HTTP client of the screens: JSON in and out, the bearer token of the screen, a timeout on
 * every request, and one error type. Framework-free: `fetch` is injected (the browser's, or
 * Node's in unit tests).
 */
import type { ErrorBody } from "../../../protocol/index.ts";

/** What the client reads of a response; both the browser's and Node's fetch give it. */
export interface ResponseLike {
  status: number;
  ok: boolean;
  text(): Promise<string>;
  /** Needed only for binary replies (`sendBinary`: a test receipt's PNG, the support bundle). */
  arrayBuffer?(): Promise<ArrayBuffer>;
  headers: { get(name: string): string | null };
}

/** The part of `fetch` the client needs; both the browser's and Node's fetch fit. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<ResponseLike>;

/** Codes the client itself produces; every other code comes from galleyd (README "Errors"). */
export const CLIENT_ERRORS = {
  /** The request never got an answer: no network, galleyd down, connection reset. */
  network: "network_error",
  /** No answer within the timeout. The request may or may not have been carried out. */
  timeout: "timeout",
  /** An answer that is not the API's JSON (a proxy's error page). */
  badResponse: "bad_response",
} as const;

/** A failed request: `status` 0 when nothing came back, otherwise the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Whether trying the very same request again can succeed (nothing was wrong with it). */
  get retryable(): boolean {
    return (
      this.status === 0 ||
      this.status === 408 ||
      this.status === 429 ||
      this.code === "shutting_down" ||
      (this.status >= 500 && this.code === "internal_error") ||
      this.status === 502 ||
      this.status === 504
    );
  }

  /** The screen's token is no longer good: pair (or sign in) again. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export interface ApiClientOptions {
  /** Origin of galleyd; empty for the page's own origin. */
  baseUrl?: string;
  fetch: FetchLike;
  /** The current bearer token, read on every request. */
  token?: () => string | undefined;
  timeoutMs?: number;
  /** Called with every 401, after the request failed (the session layer forgets the token). */
  onUnauthorized?: (error: ApiError) => void;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Skip the bearer token (pairing, sign-in). */
  anonymous?: boolean;
}

export interface ApiReply<T> {
  status: number;
  body: T;
  headers: { get(name: string): string | null };
}

/** A reply that is not JSON (`image/png`, `application/gzip`), as bytes. */
export interface BinaryReply {
  status: number;
  bytes: Uint8Array<ArrayBuffer>;
  headers: { get(name: string): string | null };
}

export class ApiClient {
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.#options = options;
  }

  get baseUrl(): string {
    return this.#options.baseUrl ?? "";
  }

  /** The body of a successful reply; throws ApiError otherwise. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.send<T>(method, path, options)).body;
  }

  /** Like `request`, with the status and headers of the reply. */
  async send<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiReply<T>> {
    const { response, payload: text } = await this.#exchange(method, path, options, "application/json", (r) =>
      r.text(),
    );
    let parsed: unknown = undefined;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ApiError(response.status, CLIENT_ERRORS.badResponse, `unexpected answer (HTTP ${response.status})`);
      }
    }
    if (!response.ok) throw this.#failed(toApiError(response.status, parsed));
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /**
   * A binary reply (a PNG, a download) as bytes, with the same token, timeout and errors as
   * `send`: an error reply is still galleyd's JSON error body.
   */
  async sendBinary(method: string, path: string, options: RequestOptions = {}): Promise<BinaryReply> {
    const { response, payload } = await this.#exchange(method, path, options, "*/*", async (r) => {
      if (!r.arrayBuffer) throw new Error("this fetch cannot read binary replies");
      return new Uint8Array(await r.arrayBuffer());
    });
    if (!response.ok) {
      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(new TextDecoder().decode(payload));
      } catch {
        // not galleyd's JSON: toApiError names the status
      }
      throw this.#failed(toApiError(response.status, parsed));
    }
    return { status: response.status, bytes: payload, headers: response.headers };
  }

  /** One request with the token and the timeout; `read` takes the body while the deadline still runs. */
  async #exchange<P>(
    method: string,
    path: string,
    options: RequestOptions,
    accept: string,
    read: (response: ResponseLike) => Promise<P>,
  ): Promise<{ response: ResponseLike; payload: P }> {
    const headers: Record<string, string> = { accept, ...options.headers };
    const token = options.anonymous ? undefined : this.#options.token?.();
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const controller = new AbortController();
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 8_000;
    const abort = { timedOut: false };
    const timer = setTimeout(() => {
      abort.timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await this.#options.fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: controller.signal,
      });
      return { response, payload: await read(response) };
    } catch (error) {
      if (abort.timedOut) throw new ApiError(0, CLIENT_ERRORS.timeout, `no answer from galleyd within ${timeoutMs} ms`);
      throw new ApiError(0, CLIENT_ERRORS.network, error instanceof Error ? error.message : "network error");
    } finally {
      clearTimeout(timer);
    }
  }

  #failed(error: ApiError): ApiError {
    if (error.unauthorized) this.#options.onUnauthorized?.(error);
    return error;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  if (error && typeof error.code === "string") return new ApiError(status, error.code, error.message, error.details);
  return new ApiError(status, status >= 500 ? "internal_error" : CLIENT_ERRORS.badResponse, `HTTP ${status}`);
}
