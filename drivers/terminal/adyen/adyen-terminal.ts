/**
 * The Adyen card terminal driver: Adyen's Terminal API in local mode (nexo "Sale to POI" JSON,
 * encrypted with the shared key, over HTTPS to `https://<terminal>:8443/nexo`), through
 * `@adyen/api-library`'s `TerminalLocalAPI`, which serialises and encrypts the requests and
 * decrypts the answers. `nexo-transport.ts` carries the bytes so the driver knows whether a
 * request left this machine; `nexo-messages.ts` builds the requests; `nexo-read.ts` reads the
 * untrusted answers.
 *
 * Every call is one synchronous HTTPS exchange: the terminal answers a PaymentRequest only when
 * the sale is over, with no intermediate status, so `onProgress` sees `connecting`, then
 * `present_card` once the request is on its way, then the final stage.
 *
 * Outcomes follow `PaymentTerminal`: no connection, a TLS failure, a refused shared key or a busy
 * terminal is `not_sent`; a timeout or a lost connection after the request was written is
 * `unknown`, and `transactionStatus(reference)` then asks the terminal (TransactionStatusRequest
 * with MessageReference SaleID + ServiceID). ServiceIDs derive from the reference, so a restarted
 * process can still ask.
 */
import { readFileSync } from "node:fs";
import { Client, Config, EnvironmentEnum, TerminalLocalAPI } from "@adyen/api-library";
import { DriverError } from "../../errors.ts";
import { silentDriverLogger, type DriverLogger } from "../../logger.ts";
import type {
  CardSummary,
  OriginalTransaction,
  PaymentOptions,
  PaymentTerminal,
  TerminalAmountRequest,
  TerminalOutcome,
  TerminalProgress,
  TerminalStage,
  TerminalState,
  TerminalTotals,
  TransactionStatus,
} from "../terminal.ts";
import {
  MAX_ATTEMPTS,
  abortRequest,
  decryptSecured,
  diagnosisRequest,
  paymentRequest,
  reconciliationRequest,
  reversalRequest,
  securityKey,
  serviceIdFor,
  transactionStatusRequest,
  type NexoParty,
  type ReferencedCategory,
  type SecurityKey,
  type TerminalApiRequest,
} from "./nexo-messages.ts";
import {
  arrayAt,
  brandName,
  cleanText,
  isObject,
  maskPan,
  numberAt,
  path,
  readResult,
  receiptLines,
  stringAt,
  toMinor,
  type NexoResult,
} from "./nexo-read.ts";
import { NexoHttpsTransport, NexoTransportError, type NexoFailureKind } from "./nexo-transport.ts";

export interface AdyenTerminalOptions {
  /** The terminal's local endpoint, e.g. `https://192.168.1.20:8443/nexo`. */
  url: string;
  /** The terminal's POIID, `[model]-[serial]`, e.g. `V400m-123456789`. */
  poiId: string;
  /** This register's SaleID (stable: TransactionStatus finds our requests by SaleID + ServiceID). */
  saleId: string;
  /** The shared key set up for the terminal (Customer Area → Terminal settings → Encryption key). */
  keys: { keyIdentifier: string; keyVersion: number; passphrase: string };
  /** ISO 4217 currency of `endOfDay()` totals; default EUR. */
  currency?: string;
  /** PEM of the CA the terminal's certificate chains to (Adyen's terminal root), or a path to it. */
  certificate?: string;
  logger?: DriverLogger;
  /** TCP connect + TLS handshake; default 5 s. */
  connectTimeoutMs?: number;
  /** Waiting for a sale / refund / reversal to end (`PaymentOptions.timeoutMs` overrides); default 150 s (Adyen times out at 120 s). */
  paymentTimeoutMs?: number;
  /** Status, abort, diagnosis and reconciliation answers; default 30 s. */
  requestTimeoutMs?: number;
  /** A DiagnosisRequest this often while idle, after `start()`; 0 turns it off. Default 60 s. */
  pollIntervalMs?: number;
}

/** How one exchange ended. */
type Exchange =
  | { ok: true; response: unknown }
  | { ok: false; sent: boolean; kind: NexoFailureKind | "library" | "rejected"; reason: string };

interface Operation {
  reference: string;
  serviceId: string;
  category: ReferencedCategory;
  controller: AbortController;
  sent: boolean;
}

type FailureClass = "declined" | "cancelled" | "not_sent";

const NS = "adyen";
const REFERENCE = /^[A-Za-z0-9-]{1,36}$/;
const CURRENCY = /^[A-Z]{3}$/;
const CRYPTO_ERROR = /crypto error/i;

/** Creates the driver; nothing is sent until a call. Throws DriverError `config_invalid` on bad options. */
export function createAdyenTerminal(options: AdyenTerminalOptions): PaymentTerminal {
  return new AdyenTerminal(options);
}

function configError(message: string, cause?: unknown): DriverError {
  return new DriverError("config_invalid", `Adyen terminal: ${message}`, { cause });
}

function readCertificate(certificate: string | undefined): string | undefined {
  if (certificate === undefined || certificate.includes("-----BEGIN")) return certificate;
  try {
    return readFileSync(certificate, "utf8");
  } catch (error) {
    throw configError(`cannot read the terminal CA certificate ${certificate}`, error);
  }
}

function checkAmountRequest(request: TerminalAmountRequest): string | null {
  if (!REFERENCE.test(request.reference)) return "the reference must be 1–36 characters [A-Za-z0-9-]";
  if (!Number.isSafeInteger(request.amount) || request.amount < 1) return "the amount must be a whole number ≥ 1";
  if (!CURRENCY.test(request.currency)) return "the currency must be an ISO 4217 code";
  return null;
}

/** Which outcome a Failure with this ErrorCondition is. */
function failureClass(condition: string): FailureClass {
  switch (condition) {
    case "Cancel":
    case "Aborted":
      return "cancelled";
    case "Busy":
    case "InProgress":
    case "DeviceOut":
    case "UnavailableDevice":
    case "UnavailableService":
    case "LoggedOut":
    case "MessageFormat":
      return "not_sent";
    default:
      return "declined";
  }
}

function reasonOf(result: NexoResult, fallback: string): string {
  const parts = [result.errorCondition, result.message].filter((part) => part !== "");
  return parts.length === 0 ? fallback : parts.join(": ");
}

/** What an approved PaymentResponse or ReversalResponse says. */
interface Approval {
  amount: number;
  transactionId: string;
  timeStamp: string | undefined;
  authCode?: string;
  terminalId?: string;
  card?: CardSummary;
  receiptLines: string[];
}

function readApproval(body: unknown, header: unknown, fallbackAmount: number, currency: string): Approval {
  const authorised =
    numberAt(body, "PaymentResult", "AmountsResp", "AuthorizedAmount") ?? numberAt(body, "ReversedAmount");
  const approval: Approval = {
    amount: authorised === undefined ? fallbackAmount : toMinor(authorised, currency),
    transactionId: cleanText(stringAt(body, "POIData", "POITransactionID", "TransactionID") ?? "", 80),
    timeStamp: stringAt(body, "POIData", "POITransactionID", "TimeStamp"),
    receiptLines: receiptLines(path(body, "PaymentReceipt"), "CustomerReceipt"),
  };
  const authCode = stringAt(body, "PaymentResult", "PaymentAcquirerData", "ApprovalCode");
  if (authCode !== undefined && authCode !== "") approval.authCode = cleanText(authCode, 20);
  const terminalId = stringAt(header, "POIID");
  if (terminalId !== undefined && terminalId !== "") approval.terminalId = cleanText(terminalId, 40);
  const cardData = path(body, "PaymentResult", "PaymentInstrumentData", "CardData");
  const maskedPan = maskPan(stringAt(cardData, "MaskedPan"));
  const brand = brandName(stringAt(cardData, "PaymentBrand"));
  if (maskedPan !== undefined || brand !== undefined) {
    approval.card = {};
    if (maskedPan !== undefined) approval.card.maskedPan = maskedPan;
    if (brand !== undefined) approval.card.brand = brand;
  }
  return approval;
}

class AdyenTerminal implements PaymentTerminal {
  readonly protocol = "adyen" as const;

  private readonly url: URL;
  private readonly party: NexoParty;
  private readonly key: SecurityKey;
  private readonly ca: string | undefined;
  private readonly currency: string;
  private readonly logger: DriverLogger;
  private readonly connectMs: number;
  private readonly paymentMs: number;
  private readonly requestMs: number;
  private readonly pollIntervalMs: number;

  private online = false;
  private terminalId: string | null = null;
  private lastError: string | null = null;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | undefined;
  /** The sale / refund / reversal running now, or an end of day ("admin"). */
  private operation: Operation | "admin" | null = null;
  /** Attempts (ServiceIDs used) per reference in this process. */
  private readonly attempts = new Map<string, number>();
  /** The last ServiceID and category used per reference. */
  private readonly requests = new Map<string, { serviceId: string; category: ReferencedCategory }>();
  /** POITransactionID.TimeStamp per transaction id, for reversals. */
  private readonly timeStamps = new Map<string, string>();
  /** A DiagnosisRequest in flight: a sale waits for it rather than find the terminal busy. */
  private diagnosis: Promise<Exchange> | null = null;
  /** Exchanges in flight, so `stop()` can end them. */
  private readonly inFlight = new Set<{ controller: AbortController; done: Promise<unknown> }>();

  constructor(options: AdyenTerminalOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (error) {
      throw configError(`"${options.url}" is not a URL`, error);
    }
    if (url.protocol !== "https:") throw configError(`the terminal URL must be https:, not ${url.protocol}`);
    if (options.poiId.trim() === "") throw configError("poiId is empty");
    if (options.saleId.trim() === "") throw configError("saleId is empty");
    const { keyIdentifier, keyVersion, passphrase } = options.keys;
    if (keyIdentifier === "" || passphrase === "" || !Number.isInteger(keyVersion)) {
      throw configError("the shared key needs an identifier, an integer version and a passphrase");
    }
    const currency = options.currency ?? "EUR";
    if (!CURRENCY.test(currency)) throw configError(`"${currency}" is not an ISO 4217 currency`);
    this.url = url;
    this.party = { saleId: options.saleId, poiId: options.poiId };
    this.key = securityKey(options.keys);
    this.ca = readCertificate(options.certificate);
    this.currency = currency;
    this.logger = options.logger ?? silentDriverLogger;
    this.connectMs = options.connectTimeoutMs ?? 5_000;
    this.paymentMs = options.paymentTimeoutMs ?? 150_000;
    this.requestMs = options.requestTimeoutMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 60_000;
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  async start(): Promise<void> {
    this.stopped = false;
    await this.refreshState();
    if (this.pollIntervalMs > 0 && this.pollTimer === undefined) {
      this.pollTimer = setInterval(() => {
        if (this.operation === null) void this.refreshState();
      }, this.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    const pending = [...this.inFlight];
    for (const exchange of pending) exchange.controller.abort();
    await Promise.allSettled(pending.map((exchange) => exchange.done));
  }

  state(): TerminalState {
    return {
      online: this.online,
      busy: this.operation !== null,
      terminalId: this.terminalId,
      lastError: this.lastError,
    };
  }

  async refreshState(): Promise<TerminalState> {
    if (this.stopped || this.operation !== null) return this.state();
    const diagnosis = this.exchange(diagnosisRequest(this.party), this.requestMs);
    this.diagnosis = diagnosis;
    const exchange = await diagnosis;
    if (this.diagnosis === diagnosis) this.diagnosis = null;
    if (exchange.ok) {
      const result = readResult(path(exchange.response, "DiagnosisResponse", "Response"));
      const status = stringAt(exchange.response, "DiagnosisResponse", "POIStatus", "GlobalStatus");
      if (result.result === "Failure") this.lastError = `diagnosis failed: ${reasonOf(result, "no reason given")}`;
      else if (status !== undefined && status !== "OK") this.lastError = `terminal status ${cleanText(status, 20)}`;
    }
    return this.state();
  }

  // ---- sales, refunds, reversals -----------------------------------------------------------------

  async pay(request: TerminalAmountRequest, options: PaymentOptions = {}): Promise<TerminalOutcome> {
    const invalid = checkAmountRequest(request);
    if (invalid !== null) return { result: "not_sent", reference: request.reference, reason: invalid };
    return this.runService(request.reference, "Payment", request.amount, request.currency, options, (serviceId) =>
      paymentRequest(this.party, { ...request, serviceId, refund: false }),
    );
  }

  async refund(
    request: TerminalAmountRequest,
    original: OriginalTransaction | null,
    options: PaymentOptions = {},
  ): Promise<TerminalOutcome> {
    const invalid = checkAmountRequest(request);
    if (invalid !== null) return { result: "not_sent", reference: request.reference, reason: invalid };
    if (original === null) {
      return this.runService(request.reference, "Payment", request.amount, request.currency, options, (serviceId) =>
        paymentRequest(this.party, { ...request, serviceId, refund: true }),
      );
    }
    return this.runService(request.reference, "Reversal", request.amount, request.currency, options, (serviceId) =>
      reversalRequest(this.party, {
        serviceId,
        reference: request.reference,
        originalTransactionId: original.transactionId,
        originalTimeStamp: this.timeStampOf(original.transactionId),
        currency: request.currency,
        amount: request.amount,
      }),
    );
  }

  async reverse(
    original: OriginalTransaction,
    reference: string,
    options: PaymentOptions = {},
  ): Promise<TerminalOutcome> {
    const invalid = checkAmountRequest({ reference, amount: original.amount, currency: original.currency });
    if (invalid !== null) return { result: "not_sent", reference, reason: invalid };
    return this.runService(reference, "Reversal", original.amount, original.currency, options, (serviceId) =>
      reversalRequest(this.party, {
        serviceId,
        reference,
        originalTransactionId: original.transactionId,
        originalTimeStamp: this.timeStampOf(original.transactionId),
        currency: original.currency,
      }),
    );
  }

  async abort(): Promise<void> {
    const operation = this.operation;
    if (operation === null || operation === "admin") return;
    if (!operation.sent) {
      // Still connecting: the terminal has seen nothing, so there is nothing to ask it.
      operation.controller.abort();
      return;
    }
    this.logger.info({ ns: NS, serviceId: operation.serviceId }, "asking the terminal to abort");
    const exchange = await this.exchange(
      abortRequest(this.party, operation.serviceId, operation.category),
      this.requestMs,
    );
    if (!exchange.ok) this.logger.warn({ ns: NS, reason: exchange.reason }, "abort request failed");
  }

  /**
   * One sale, refund or reversal: a ServiceID from the reference, the exchange, and its outcome.
   * Never throws.
   */
  private async runService(
    reference: string,
    category: ReferencedCategory,
    amount: number,
    currency: string,
    options: PaymentOptions,
    build: (serviceId: string) => TerminalApiRequest,
  ): Promise<TerminalOutcome> {
    if (this.stopped) return { result: "not_sent", reference, reason: "the terminal driver is stopped" };
    if (this.operation !== null) {
      return { result: "not_sent", reference, reason: "busy: another terminal operation is running" };
    }
    const attempt = this.attempts.get(reference) ?? 0;
    if (attempt >= MAX_ATTEMPTS) {
      return { result: "not_sent", reference, reason: `reference used for ${MAX_ATTEMPTS} attempts; use a new one` };
    }
    const serviceId = serviceIdFor(this.party.saleId, reference, attempt);
    this.attempts.set(reference, attempt + 1);
    this.requests.set(reference, { serviceId, category });
    const operation: Operation = { reference, serviceId, category, controller: new AbortController(), sent: false };
    this.operation = operation;
    const progress = (stage: TerminalStage, text: string): void => {
      try {
        options.onProgress?.({ stage, text } satisfies TerminalProgress);
      } catch (error) {
        this.logger.warn({ ns: NS, error }, "onProgress threw");
      }
    };
    try {
      progress("connecting", "Connecting to the terminal");
      if (this.diagnosis !== null) await this.diagnosis;
      const exchange = await this.exchange(build(serviceId), options.timeoutMs ?? this.paymentMs, {
        signal: operation.controller.signal,
        onSent: () => {
          operation.sent = true;
          progress("present_card", "Present card");
        },
      });
      if (!exchange.ok) {
        return exchange.sent
          ? { result: "unknown", reference, reason: exchange.reason }
          : { result: "not_sent", reference, reason: exchange.reason };
      }
      const answeredFor = stringAt(exchange.response, "MessageHeader", "ServiceID");
      if (answeredFor !== undefined && answeredFor !== serviceId) {
        return { result: "unknown", reference, reason: "the terminal answered another request" };
      }
      const body = path(exchange.response, category === "Payment" ? "PaymentResponse" : "ReversalResponse");
      if (!isObject(body)) {
        return { result: "unknown", reference, reason: "the terminal's answer has no payment or reversal response" };
      }
      const outcome = this.outcomeOf(body, path(exchange.response, "MessageHeader"), reference, amount, currency);
      if (outcome.result === "approved" || outcome.result === "declined" || outcome.result === "cancelled") {
        progress(outcome.result, outcome.result === "approved" ? "Approved" : cleanText(outcome.reason, 80));
      }
      return outcome;
    } finally {
      this.operation = null;
    }
  }

  private outcomeOf(
    body: unknown,
    header: unknown,
    reference: string,
    amount: number,
    currency: string,
  ): TerminalOutcome {
    const result = readResult(path(body, "Response"));
    if (result.result !== "Failure") {
      const approval = this.approval(body, header, amount, currency);
      const { timeStamp: _timeStamp, ...rest } = approval;
      return { result: "approved", reference, ...rest };
    }
    const reason = reasonOf(result, "declined by the terminal");
    switch (failureClass(result.errorCondition)) {
      case "declined":
        return {
          result: "declined",
          reference,
          reason,
          receiptLines: receiptLines(path(body, "PaymentReceipt"), "CustomerReceipt"),
        };
      case "cancelled":
        return { result: "cancelled", reference, reason };
      case "not_sent":
        return { result: "not_sent", reference, reason };
    }
  }

  private approval(body: unknown, header: unknown, amount: number, currency: string): Approval {
    const approval = readApproval(body, header, amount, currency);
    if (approval.timeStamp !== undefined && approval.transactionId !== "") {
      this.timeStamps.set(approval.transactionId, approval.timeStamp);
    }
    if (approval.terminalId !== undefined) this.terminalId = approval.terminalId;
    return approval;
  }

  /** The sale's POITransactionID.TimeStamp when this process saw it; else now (Adyen matches on the id). */
  private timeStampOf(transactionId: string): string {
    return this.timeStamps.get(transactionId) ?? new Date().toISOString();
  }

  // ---- status ------------------------------------------------------------------------------------

  async transactionStatus(query: { reference: string; amount: number; currency: string }): Promise<TransactionStatus> {
    const { reference } = query;
    if (this.stopped) return { state: "unreachable", reference, reason: "the terminal driver is stopped" };
    const known = this.requests.get(reference);
    // A restarted process knows only the reference: try the ServiceIDs its attempts would have used.
    const candidates =
      known === undefined
        ? Array.from({ length: MAX_ATTEMPTS }, (_, attempt) => ({
            serviceId: serviceIdFor(this.party.saleId, reference, attempt),
            category: undefined,
          }))
        : [known];
    for (const candidate of candidates) {
      const status = await this.statusOf(query, candidate.serviceId, candidate.category);
      if (status.state !== "not_found") return status;
    }
    return { state: "not_found", reference };
  }

  private async statusOf(
    query: { reference: string; amount: number; currency: string },
    serviceId: string,
    category: ReferencedCategory | undefined,
  ): Promise<TransactionStatus> {
    const { reference } = query;
    const exchange = await this.exchange(transactionStatusRequest(this.party, serviceId, category), this.requestMs);
    if (!exchange.ok) return { state: "unreachable", reference, reason: exchange.reason };
    const body = path(exchange.response, "TransactionStatusResponse");
    const result = readResult(path(body, "Response"));
    if (result.result === "Failure") {
      if (result.errorCondition === "NotFound") return { state: "not_found", reference };
      if (result.errorCondition === "InProgress") return { state: "in_progress", reference };
      return { state: "unreachable", reference, reason: reasonOf(result, "the terminal could not tell") };
    }
    const repeated = path(body, "RepeatedMessageResponse");
    const repeatedBody = path(repeated, "RepeatedResponseMessageBody");
    const inner = path(repeatedBody, "PaymentResponse") ?? path(repeatedBody, "ReversalResponse");
    if (inner === undefined) {
      return { state: "unreachable", reference, reason: "the terminal's status answer has no repeated response" };
    }
    const saleReference = stringAt(inner, "SaleData", "SaleTransactionID", "TransactionID");
    if (saleReference !== undefined && saleReference !== reference) return { state: "not_found", reference };
    const innerResult = readResult(path(inner, "Response"));
    if (innerResult.result === "Failure") {
      return { state: "failed", reference, reason: reasonOf(innerResult, "declined by the terminal") };
    }
    const approval = this.approval(inner, path(repeated, "MessageHeader"), query.amount, query.currency);
    const { timeStamp: _timeStamp, ...rest } = approval;
    return { state: "approved", reference, ...rest };
  }

  // ---- end of day --------------------------------------------------------------------------------

  async endOfDay(): Promise<TerminalTotals> {
    if (this.stopped) throw new DriverError("stopped", "the terminal driver is stopped");
    if (this.operation !== null) throw new DriverError("busy", "another terminal operation is running");
    this.operation = "admin";
    let exchange: Exchange;
    try {
      exchange = await this.exchange(reconciliationRequest(this.party), this.requestMs);
    } finally {
      this.operation = null;
    }
    if (!exchange.ok) {
      if (!exchange.sent) {
        const code = exchange.kind === "http_status" || exchange.kind === "rejected" ? "refused" : "open_failed";
        throw new DriverError(code, `end of day not sent: ${exchange.reason}`);
      }
      const code = exchange.kind === "answer_timeout" ? "status_timeout" : "read_failed";
      throw new DriverError(code, `end of day: ${exchange.reason}`);
    }
    const body = path(exchange.response, "ReconciliationResponse");
    const result = readResult(path(body, "Response"));
    if (result.result === "Failure") {
      throw new DriverError("refused", `the terminal refused the end of day: ${reasonOf(result, "no reason given")}`);
    }
    return this.totalsOf(body);
  }

  /** Sums the TransactionTotals: Debit and ReverseCredit add, Credit and ReverseDebit subtract. */
  private totalsOf(body: unknown): TerminalTotals {
    const currency = this.currency;
    const brands = new Map<string, { brand: string; count: number; total: number }>();
    let total = 0;
    let count = 0;
    for (const group of arrayAt(body, "TransactionTotals").slice(0, 200)) {
      const groupCurrency = stringAt(group, "PaymentCurrency") ?? currency;
      if (groupCurrency !== currency) {
        this.logger.warn(
          { ns: NS, currency: cleanText(groupCurrency, 8) },
          "end of day: totals in another currency left out",
        );
        continue;
      }
      const brand = brandName(stringAt(group, "CardBrand")) ?? "Other";
      const entry = brands.get(brand) ?? { brand, count: 0, total: 0 };
      for (const totals of arrayAt(group, "PaymentTotals")) {
        const type = stringAt(totals, "TransactionType");
        const sign =
          type === "Debit" || type === "ReverseCredit" ? 1 : type === "Credit" || type === "ReverseDebit" ? -1 : 0;
        if (sign === 0) continue;
        const amount = toMinor(numberAt(totals, "TransactionAmount") ?? 0, currency);
        const transactions = Math.max(0, Math.trunc(numberAt(totals, "TransactionCount") ?? 0));
        entry.total += sign * amount;
        entry.count += transactions;
        total += sign * amount;
        count += transactions;
      }
      brands.set(brand, entry);
    }
    const byBrand = [...brands.values()];
    const reconciliationId = cleanText(stringAt(body, "POIReconciliationID") ?? "", 20);
    const lines = [
      `Reconciliation ${reconciliationId}`.trimEnd(),
      ...byBrand.map((entry) => `${entry.brand}: ${entry.count} × ${formatMinor(entry.total, currency)}`),
      `Total: ${count} × ${formatMinor(total, currency)}`,
    ];
    return { total, count, currency, byBrand, receiptLines: lines };
  }

  // ---- one exchange ------------------------------------------------------------------------------

  /**
   * Sends `request` through the library (which encrypts and decrypts) over a fresh HTTPS
   * connection and returns the decrypted SaleToPOIResponse, or why not. Never throws. Keeps
   * `online` / `lastError` up to date.
   */
  private async exchange(
    request: TerminalApiRequest,
    answerTimeoutMs: number,
    extra: { signal?: AbortSignal; onSent?: () => void } = {},
  ): Promise<Exchange> {
    if (this.stopped) return { ok: false, sent: false, kind: "aborted", reason: "the terminal driver is stopped" };
    const controller = new AbortController();
    const forward = (): void => {
      controller.abort();
    };
    extra.signal?.addEventListener("abort", forward, { once: true });
    if (extra.signal?.aborted === true) controller.abort();
    let sent = false;
    const transport = new NexoHttpsTransport({
      url: this.url,
      ca: this.ca,
      poiId: this.party.poiId,
      connectTimeoutMs: this.connectMs,
      answerTimeoutMs,
      signal: controller.signal,
      onSent: () => {
        sent = true;
        extra.onSent?.();
      },
    });
    const config = new Config({ environment: EnvironmentEnum.TEST, terminalApiLocalEndpoint: this.url.origin });
    const api = new TerminalLocalAPI(new Client(config, transport));
    const header = request.SaleToPOIRequest.MessageHeader;
    this.logger.debug({ ns: NS, category: header.MessageCategory, serviceId: header.ServiceID }, "--> request");
    const done = api.request(request, this.key);
    const entry = { controller, done };
    this.inFlight.add(entry);
    try {
      const answer: unknown = await done;
      this.online = true;
      this.lastError = null;
      const response = path(answer, "SaleToPOIResponse");
      const poiId = stringAt(response, "MessageHeader", "POIID");
      if (poiId !== undefined && poiId !== "") this.terminalId = cleanText(poiId, 40);
      this.logger.debug({ ns: NS, serviceId: header.ServiceID }, "<-- response");
      return { ok: true, response };
    } catch (error) {
      const failure = this.rejection(transport.answerText) ?? this.describeFailure(error, sent);
      this.online = failure.sent && failure.kind !== "answer_timeout";
      this.lastError = failure.reason;
      this.logger.warn({ ns: NS, serviceId: header.ServiceID, kind: failure.kind, sent: failure.sent }, failure.reason);
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
  private rejection(answerText: string | undefined): (Exchange & { ok: false }) | null {
    if (answerText === undefined) return null;
    let secured: unknown;
    try {
      secured = path(JSON.parse(answerText), "SaleToPOIRequest");
    } catch {
      return null;
    }
    const event = path(decryptSecured(secured, this.key), "EventNotification");
    if (stringAt(event, "EventToNotify") !== "Reject") return null;
    const details = cleanText(stringAt(event, "EventDetails") ?? "", 160);
    return {
      ok: false,
      sent: false,
      kind: "rejected",
      reason: `the terminal rejected the request${details === "" ? "" : `: ${details}`}`,
    };
  }

  private describeFailure(error: unknown, sent: boolean): Exchange & { ok: false } {
    if (error instanceof NexoTransportError) {
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
    // The library failed: before sending (serialising) or after (decrypting, HMAC check).
    const message = cleanText(error instanceof Error ? error.message : String(error), 160);
    return {
      ok: false,
      sent,
      kind: "library",
      reason: sent ? `the terminal's answer could not be read: ${message}` : `request not built: ${message}`,
    };
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

function formatMinor(minor: number, currency: string): string {
  const exponent =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const sign = minor < 0 ? "-" : "";
  return `${sign}${(Math.abs(minor) / 10 ** exponent).toFixed(exponent)} ${currency}`;
}
