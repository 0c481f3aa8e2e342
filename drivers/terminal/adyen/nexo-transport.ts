/**
 * The HTTPS leg of Adyen's Terminal API in local mode, plugged into `@adyen/api-library` as its
 * HTTP client (`new Client(config, transport)`). The library serialises the SaleToPOIRequest,
 * encrypts it (NexoCrypto: PBKDF2-derived AES-256-CBC + HMAC-SHA256), and decrypts the answer;
 * this module only carries the encrypted JSON to the terminal and back.
 *
 * Why not the library's own `HttpURLConnectionClient`: it always posts to `<host>:8443/nexo/`, reads
 * the CA from a file path only, and reports every failure as one message string. A payment driver
 * must know whether the request left this machine — a refused connection or a failed TLS handshake
 * is `not_sent` (safe to retry), a timeout or reset after the request was written is `unknown`
 * (the money may have moved) — so this transport records when the TLS session was up and the body
 * written, and fails with a typed `NexoTransportError` carrying `sent`.
 *
 * The terminal's certificate is checked against the configured CA (Adyen's terminal root, or the
 * simulator's), and its Common Name must be `<POIID>.(test|live).terminal.adyen.com` or
 * `legacy-terminal-certificate.(test|live).terminal.adyen.com`: terminals are addressed by IP, so
 * the usual host-name check cannot apply (Adyen's documented rule).
 */
import https from "node:https";
import type { IncomingMessage } from "node:http";
import type { PeerCertificate } from "node:tls";

/** Why an exchange failed. */
export type NexoFailureKind =
  | "refused"
  | "unreachable"
  | "tls"
  | "connect_timeout"
  | "answer_timeout"
  | "reset"
  | "http_status"
  | "bad_answer"
  | "aborted";

/** A failed exchange: `sent` tells whether the request may have reached the terminal. */
export class NexoTransportError extends Error {
  readonly kind: NexoFailureKind;
  readonly sent: boolean;
  /** The HTTP status, for `http_status`. */
  readonly status: number | undefined;
  /** The answer's body (≤ 2 KiB), for `http_status`. */
  readonly body: string | undefined;

  constructor(
    kind: NexoFailureKind,
    sent: boolean,
    message: string,
    extra: { status?: number; body?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = "NexoTransportError";
    this.kind = kind;
    this.sent = sent;
    this.status = extra.status;
    this.body = extra.body;
  }
}

export interface NexoTransportOptions {
  /** `https://<terminal>:8443/nexo` */
  url: URL;
  /** PEM of the CA the terminal's certificate must chain to; undefined = the system store. */
  ca: string | undefined;
  poiId: string;
  /** TCP connect + TLS handshake. */
  connectTimeoutMs: number;
  /** From the request written to the whole answer read. */
  answerTimeoutMs: number;
  /** Aborting destroys the connection: `not_sent` before the request was written, else `unknown`. */
  signal?: AbortSignal | undefined;
  /** Called once the TLS session is up and the request is on its way. */
  onSent?: (() => void) | undefined;
}

const MAX_ANSWER_BYTES = 1024 * 1024;
const CONNECT_FAILURES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EADDRNOTAVAIL",
]);

/** The Common Names an Adyen terminal with this POIID may present. */
export function acceptedCommonName(commonName: string, poiId: string): boolean {
  const escaped = poiId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^(${escaped}|legacy-terminal-certificate)\\.(test|live)\\.terminal\\.adyen\\.com$`).test(
    commonName,
  );
}

function errorCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return "";
}

function classifyBeforeSend(error: unknown): NexoFailureKind {
  const code = errorCode(error);
  if (code === "ECONNREFUSED") return "refused";
  if (CONNECT_FAILURES.has(code)) return "unreachable";
  const message = error instanceof Error ? error.message : "";
  if (code.startsWith("ERR_TLS") || code.includes("CERT") || /certificate|ssl|tls/i.test(message)) return "tls";
  return "reset";
}

/**
 * One HTTP client per exchange (the library gives it no per-call context): it implements the
 * library's `ClientInterface` — `request(endpoint, json, config, isApiKeyRequired)` — and ignores
 * the library's endpoint, config and API key (local mode has none).
 */
export class NexoHttpsTransport {
  private readonly options: NexoTransportOptions;
  /** The last answer's body, for when the library cannot read it (an encrypted event instead of a response). */
  answerText: string | undefined;

  constructor(options: NexoTransportOptions) {
    this.options = options;
  }

  request(_endpoint: string, json: string | Buffer): Promise<string> {
    const { url, ca, poiId, connectTimeoutMs, answerTimeoutMs, signal, onSent } = this.options;
    return new Promise<string>((resolve, reject) => {
      let sent = false;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const body = typeof json === "string" ? Buffer.from(json, "utf8") : json;

      const finish = (error: NexoTransportError | null, answer?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(answer ?? "");
      };
      const fail = (kind: NexoFailureKind, message: string, cause?: unknown): void => {
        finish(new NexoTransportError(kind, sent, message, { cause }));
      };
      const onAbort = (): void => {
        fail("aborted", sent ? "aborted after the request was sent" : "aborted before the request was sent");
      };

      const request = https.request({
        protocol: "https:",
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port === "" ? 443 : Number(url.port),
        path: url.pathname + url.search,
        method: "POST",
        agent: false,
        ca,
        checkServerIdentity: (_host: string, certificate: PeerCertificate): Error | undefined => {
          const names: unknown = certificate.subject.CN;
          const commonName = typeof names === "string" ? names : Array.isArray(names) ? names.join(",") : "";
          return acceptedCommonName(commonName, poiId)
            ? undefined
            : new Error(`the terminal's certificate names "${commonName}", not terminal ${poiId}`);
        },
        headers: { "Content-Type": "application/json", "Content-Length": body.length },
      });

      timer = setTimeout(() => {
        fail("connect_timeout", `no TLS connection to ${url.host} within ${connectTimeoutMs} ms`);
      }, connectTimeoutMs);
      if (signal?.aborted === true) {
        onAbort();
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });

      request.on("socket", (socket) => {
        // A TLS socket: "secureConnect" fires once the handshake (and certificate check) succeeded.
        socket.once("secureConnect", () => {
          if (settled) return;
          sent = true;
          clearTimeout(timer);
          timer = setTimeout(() => {
            fail("answer_timeout", `no answer from the terminal within ${answerTimeoutMs} ms`);
          }, answerTimeoutMs);
          onSent?.();
        });
      });
      request.on("error", (error) => {
        if (!sent) fail(classifyBeforeSend(error), error.message, error);
        else fail("reset", `connection lost after the request was sent: ${error.message}`, error);
      });
      request.on("response", (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) fail("bad_answer", "the terminal's answer is too large");
          else chunks.push(chunk);
        });
        response.on("error", (error) => {
          fail("reset", `connection lost while reading the answer: ${error.message}`, error);
        });
        response.on("end", () => {
          if (!response.complete) {
            fail("reset", "connection lost while reading the answer");
            return;
          }
          const text = Buffer.concat(chunks).toString("utf8");
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) {
            finish(
              new NexoTransportError("http_status", sent, `the terminal answered HTTP ${status}`, {
                status,
                body: text.slice(0, 2048),
              }),
            );
            return;
          }
          if (text.trim() !== "" && !isJson(text)) {
            fail("bad_answer", "the terminal's answer is not JSON");
            return;
          }
          this.answerText = text;
          finish(null, text);
        });
      });
      request.end(body);
    });
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
