/**
 * One request/response round trip with an Adyen terminal, and what the driver knows of the link
 * from it. `NexoLink.exchange` hands a SaleToPOIRequest to `@adyen/api-library`'s
 * `TerminalLocalAPI` (which serialises, encrypts and decrypts) over a fresh `NexoHttpsTransport`
 * connection, and returns the decrypted SaleToPOIResponse or why not — with `sent` telling whether
 * the request may have reached the terminal. It never throws, keeps `online` / `lastError` /
 * `terminalId` up to date, and `stop()` ends every exchange in flight.
 */
import { Client, Config, EnvironmentEnum, TerminalLocalAPI } from "@adyen/api-library";
import type { DriverLogger } from "../../logger.ts";
import { decryptSecured, type SecurityKey, type TerminalApiRequest } from "./nexo-messages.ts";
import { cleanText, path, stringAt } from "./nexo-read.ts";
import { NexoHttpsTransport, NexoTransportError, type NexoFailureKind } from "./nexo-transport.ts";

/** How one exchange ended. */
export type Exchange = { ok: true; response: unknown } | ExchangeFailure;

export interface ExchangeFailure {
  ok: false;
  sent: boolean;
  kind: NexoFailureKind | "library" | "rejected";
  reason: string;
}

export interface NexoLinkOptions {
  url: URL;
  /** PEM of the CA the terminal's certificate chains to. */
  ca: string | undefined;
  poiId: string;
  key: SecurityKey;
  connectTimeoutMs: number;
  logger: DriverLogger;
}

export const NS = "adyen";
const CRYPTO_ERROR = /crypto error/i;

export class NexoLink {
  /** The terminal answered the last exchange (or took the request and went quiet). */
  online = false;
  lastError: string | null = null;
  /** The POIID the terminal last reported. */
  terminalId: string | null = null;

  private stopped = false;
  /** Exchanges in flight, so `stop()` can end them. */
  private readonly inFlight = new Set<{ controller: AbortController; done: Promise<unknown> }>();

  private readonly options: NexoLinkOptions;

  constructor(options: NexoLinkOptions) {
    this.options = options;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  resume(): void {
    this.stopped = false;
  }

  /** Refuses new exchanges and ends those in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    const pending = [...this.inFlight];
    for (const exchange of pending) exchange.controller.abort();
    await Promise.allSettled(pending.map((exchange) => exchange.done));
  }

  /**
   * Sends `request` through the library (which encrypts and decrypts) over a fresh HTTPS
   * connection and returns the decrypted SaleToPOIResponse, or why not. Never throws.
   */
  async exchange(
    request: TerminalApiRequest,
    answerTimeoutMs: number,
    extra: { signal?: AbortSignal; onSent?: () => void } = {},
  ): Promise<Exchange> {
    if (this.stopped) return { ok: false, sent: false, kind: "aborted", reason: "the terminal driver is stopped" };
    const { url, ca, poiId, key, connectTimeoutMs, logger } = this.options;
    const controller = new AbortController();
    const forward = (): void => {
      controller.abort();
    };
    extra.signal?.addEventListener("abort", forward, { once: true });
    if (extra.signal?.aborted === true) controller.abort();
    let sent = false;
    const transport = new NexoHttpsTransport({
      url,
      ca,
      poiId,
      connectTimeoutMs,
      answerTimeoutMs,
      signal: controller.signal,
      onSent: () => {
        sent = true;
        extra.onSent?.();
      },
    });
    const config = new Config({ environment: EnvironmentEnum.TEST, terminalApiLocalEndpoint: url.origin });
    const api = new TerminalLocalAPI(new Client(config, transport));
    const header = request.SaleToPOIRequest.MessageHeader;
    logger.debug({ ns: NS, category: header.MessageCategory, serviceId: header.ServiceID }, "--> request");
    const done = api.request(request, key);
    const entry = { controller, done };
    this.inFlight.add(entry);
    try {
      const answer: unknown = await done;
      this.online = true;
      this.lastError = null;
      const response = path(answer, "SaleToPOIResponse");
      const answeredBy = stringAt(response, "MessageHeader", "POIID");
      if (answeredBy !== undefined && answeredBy !== "") this.terminalId = cleanText(answeredBy, 40);
      logger.debug({ ns: NS, serviceId: header.ServiceID }, "<-- response");
      return { ok: true, response };
    } catch (error) {
      const failure = this.rejection(transport.answerText) ?? this.describeFailure(error, sent);
      this.online = failure.sent && failure.kind !== "answer_timeout";
      this.lastError = failure.reason;
      logger.warn({ ns: NS, serviceId: header.ServiceID, kind: failure.kind, sent: failure.sent }, failure.reason);
      return failure;
    } finally {
      this.inFlight.delete(entry);
      extra.signal?.removeEventListener("abort", forward);
    }
  }

  /**
   * A terminal that rejects a message outright answers with an encrypted SaleToPOIRequest carrying
   * an EventNotification "Reject" instead of a response, which the library cannot read: nothing was
   * processed, so it is `not_sent`.
   */
  private rejection(answerText: string | undefined): ExchangeFailure | null {
    if (answerText === undefined) return null;
    let secured: unknown;
    try {
      secured = path(JSON.parse(answerText), "SaleToPOIRequest");
    } catch {
      return null;
    }
    const event = path(decryptSecured(secured, this.options.key), "EventNotification");
    if (stringAt(event, "EventToNotify") !== "Reject") return null;
    const details = cleanText(stringAt(event, "EventDetails") ?? "", 160);
    return {
      ok: false,
      sent: false,
      kind: "rejected",
      reason: `the terminal rejected the request${details === "" ? "" : `: ${details}`}`,
    };
  }

  private describeFailure(error: unknown, sent: boolean): ExchangeFailure {
    if (!(error instanceof NexoTransportError)) {
      // The library failed: before sending (serialising) or after (decrypting, HMAC check).
      const message = cleanText(error instanceof Error ? error.message : String(error), 160);
      return {
        ok: false,
        sent,
        kind: "library",
        reason: sent ? `the terminal's answer could not be read: ${message}` : `request not built: ${message}`,
      };
    }
    if (error.kind === "http_status") {
      const body = cleanText(error.body ?? "", 160);
      if (error.status === 401 && CRYPTO_ERROR.test(body)) {
        return {
          ok: false,
          sent: false,
          kind: error.kind,
          reason: `the terminal refused our shared key (${body}): check key identifier, version and passphrase`,
        };
      }
      const status = error.status ?? 0;
      // 4xx: the terminal rejected the request without processing it.
      const rejected = status >= 400 && status < 500;
      return { ok: false, sent: !rejected, kind: error.kind, reason: `${error.message}: ${body}` };
    }
    if (this.stopped && error.kind === "aborted") {
      return { ok: false, sent: error.sent, kind: error.kind, reason: "the terminal driver was stopped" };
    }
    return { ok: false, sent: error.sent, kind: error.kind, reason: describeKind(error) };
  }
}

function describeKind(error: NexoTransportError): string {
  const detail = cleanText(error.message, 160);
  switch (error.kind) {
    case "refused":
      return `the terminal refused the connection (${detail})`;
    case "unreachable":
      return `the terminal is unreachable (${detail})`;
    case "tls":
      return `TLS with the terminal failed (${detail})`;
    case "connect_timeout":
    case "answer_timeout":
    case "reset":
    case "bad_answer":
    case "aborted":
    case "http_status":
      return detail;
  }
}
