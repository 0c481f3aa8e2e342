/**
 * The one HTTP client of the sync adapters, on node:http(s) rather than fetch, because sync needs
 * to know *where* a request failed (docs/architecture.md#retries):
 *
 * - could not connect (refused, unreachable, DNS, connect timeout): nothing reached upstream, the
 *   network is down → the worker goes offline and probes;
 * - sent, then timed out or the connection dropped: the outcome is unknown → resend with the same
 *   key (or look up first);
 * - an answer: its status, headers and body (JSON parsed when it is JSON; malformed JSON is an
 *   unknown outcome too).
 *
 * Every request has an explicit deadline. Failpoint `after-send` fires when the response has
 * arrived but before it is read (docs/architecture.md#fault-tests).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { Failpoint } from "./failpoints.ts";

export type NetworkFailure = "connect" | "timeout" | "dropped" | "aborted";

export type HttpResult =
  | {
      ok: true;
      status: number;
      headers: Readonly<Record<string, string | undefined>>;
      text: string;
      json: unknown;
      jsonError: string | undefined;
      durationMs: number;
    }
  | { ok: false; failure: NetworkFailure; code: string; detail: string; durationMs: number };

export interface HttpRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  headers?: Record<string, string>;
  /** JSON-serialised for you. */
  body?: unknown;
  /** Raw form body (OAuth token endpoints), sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Connection errors that mean "nothing was sent": the network (or upstream) is unreachable. */
export const CONNECT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
]);

/** Largest upstream answer read (a batch reply or a page of orders is far smaller). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class HttpClient {
  readonly #http = new HttpAgent({ keepAlive: true, maxSockets: 4 });
  readonly #https = new HttpsAgent({ keepAlive: true, maxSockets: 4 });
  readonly #failpoint: Failpoint;

  constructor(failpoint: Failpoint) {
    this.#failpoint = failpoint;
  }

  async request(options: HttpRequest): Promise<HttpResult> {
    const first = await this.#once(options, true);
    // A pooled keep-alive socket the server had already closed fails before any answer: that says
    // nothing about upstream, so the request goes once more on a fresh connection. Every request sync
    // makes is idempotent (a key, our own sales order number, or a read), so a second copy is harmless.
    if (!first.ok && first.staleSocket) return this.#once(options, false);
    return first;
  }

  #once(options: HttpRequest, pooled: boolean): Promise<HttpResult & { staleSocket?: boolean }> {
    const started = performance.now();
    const url = new URL(options.url);
    const secure = url.protocol === "https:";
    let payload: string | undefined;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.form) {
      payload = new URLSearchParams(options.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));

    return new Promise<HttpResult & { staleSocket?: boolean }>((resolve) => {
      let settled = false;
      let connected = false;
      let answered = false;
      const finish = (result: HttpResult & { staleSocket?: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        resolve(result);
      };
      const fail = (failure: NetworkFailure, code: string, detail: string) => {
        finish({ ok: false, failure, code, detail, durationMs: performance.now() - started });
      };
      const make = secure ? httpsRequest : httpRequest;
      const agent = pooled ? (secure ? this.#https : this.#http) : false;
      const req = make(url, { method: options.method, headers, agent });
      const timer = setTimeout(() => {
        // Before the connection stood, nothing was sent: the network is the problem.
        if (!connected) fail("connect", "ETIMEDOUT", `could not connect within ${options.timeoutMs} ms`);
        else fail("timeout", "ETIMEDOUT", `no complete answer within ${options.timeoutMs} ms`);
        req.destroy();
      }, options.timeoutMs);
      const onAbort = () => {
        fail("aborted", "ABORTED", "the request was cancelled (sync stopping)");
        req.destroy();
      };
      if (options.signal?.aborted) {
        onAbort();
        return;
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
      req.on("socket", (socket) => {
        // A reused keep-alive socket is already connected.
        if (!(socket as { connecting?: boolean }).connecting) connected = true;
        else
          socket.once("connect", () => {
            connected = true;
          });
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        const code = error.code ?? "EUNKNOWN";
        if (req.reusedSocket && !answered && (code === "ECONNRESET" || code === "EPIPE")) {
          finish({
            ok: false,
            failure: "dropped",
            code,
            detail: error.message,
            durationMs: performance.now() - started,
            staleSocket: true,
          });
        } else if (!connected && CONNECT_CODES.has(code)) fail("connect", code, error.message);
        else if (!connected && code === "ECONNRESET") fail("connect", code, error.message);
        else fail("dropped", code, error.message);
      });
      req.on("response", (response: IncomingMessage) => {
        answered = true;
        this.#failpoint("after-send");
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            response.destroy();
            fail("dropped", "EBODYTOOLARGE", `answer larger than ${MAX_BODY_BYTES} bytes`);
            return;
          }
          chunks.push(chunk);
        });
        response.on("error", (error: NodeJS.ErrnoException) => {
          fail("dropped", error.code ?? "EUNKNOWN", error.message);
        });
        response.on("aborted", () => {
          fail("dropped", "ECONNRESET", "the connection closed in the middle of the answer");
        });
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          let jsonError: string | undefined;
          if (text.trim() !== "") {
            try {
              json = JSON.parse(text);
            } catch (error) {
              jsonError = (error as Error).message;
            }
          }
          const flat: Record<string, string | undefined> = {};
          for (const [key, value] of Object.entries(response.headers))
            flat[key] = Array.isArray(value) ? value.join(", ") : value;
          finish({
            ok: true,
            status: response.statusCode ?? 0,
            headers: flat,
            text,
            json,
            jsonError,
            durationMs: performance.now() - started,
          });
        });
      });
      req.end(payload);
    });
  }

  /** Drops pooled connections (stop). */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

/** "Is the network back?": a TCP connect to the upstream's host and port, nothing sent. */
export function tcpProbe(baseUrl: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(ok);
    };
    const onAbort = () => {
      done(false);
    };
    const timer = setTimeout(() => {
      done(false);
    }, timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      done(true);
    });
    socket.once("error", () => {
      done(false);
    });
  });
}
