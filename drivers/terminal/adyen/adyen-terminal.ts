/**
 * The Adyen card terminal driver: Adyen's Terminal API in local mode (nexo "Sale to POI" JSON,
 * encrypted with the shared key, over HTTPS to `https://<terminal>:8443/nexo`), through
 * `@adyen/api-library`'s `TerminalLocalAPI`, which serialises and encrypts the requests and
 * decrypts the answers. This file holds the per-operation methods of `PaymentTerminal`:
 * `adyen-options.ts` checks the options and requests, `nexo-messages.ts` builds the requests,
 * `nexo-exchange.ts` runs one round trip (over `nexo-transport.ts`, which knows whether a request
 * left this machine), and `nexo-answers.ts` turns the answers into outcomes, statuses and totals
 * with the field readers of `nexo-read.ts`.
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
import { DriverError } from "../../errors.ts";
import type { DriverLogger } from "../../logger.ts";
import type {
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
import { checkAmountRequest, resolveOptions, type AdyenTerminalOptions } from "./adyen-options.ts";
import { diagnosisProblem, readOutcome, readStatus, readTotals, reasonOf, type Approval } from "./nexo-answers.ts";
import { NS, NexoLink, type Exchange, type ExchangeFailure } from "./nexo-exchange.ts";
import {
  MAX_ATTEMPTS,
  abortRequest,
  diagnosisRequest,
  paymentRequest,
  reconciliationRequest,
  reversalRequest,
  serviceIdFor,
  transactionStatusRequest,
  type NexoParty,
  type ReferencedCategory,
  type TerminalApiRequest,
} from "./nexo-messages.ts";
import { cleanText, isObject, path, readResult, stringAt } from "./nexo-read.ts";

export type { AdyenTerminalOptions } from "./adyen-options.ts";

/** The sale / refund / reversal running now. */
interface Operation {
  serviceId: string;
  category: ReferencedCategory;
  controller: AbortController;
  sent: boolean;
}

type StatusQuery = { reference: string; amount: number; currency: string };

/** Creates the driver; nothing is sent until a call. Throws DriverError `config_invalid` on bad options. */
export function createAdyenTerminal(options: AdyenTerminalOptions): PaymentTerminal {
  return new AdyenTerminal(options);
}

/** The DriverError an end of day that got no answer throws. */
function endOfDayError(failure: ExchangeFailure): DriverError {
  if (!failure.sent) {
    const code = failure.kind === "http_status" || failure.kind === "rejected" ? "refused" : "open_failed";
    return new DriverError(code, `end of day not sent: ${failure.reason}`);
  }
  const code = failure.kind === "answer_timeout" ? "status_timeout" : "read_failed";
  return new DriverError(code, `end of day: ${failure.reason}`);
}

class AdyenTerminal implements PaymentTerminal {
  readonly protocol = "adyen" as const;

  private readonly link: NexoLink;
  private readonly party: NexoParty;
  private readonly currency: string;
  private readonly logger: DriverLogger;
  private readonly paymentMs: number;
  private readonly requestMs: number;
  private readonly pollIntervalMs: number;

  private pollTimer: NodeJS.Timeout | undefined;
  /** The sale / refund / reversal running now, or an end of day ("admin"). */
  private operation: Operation | "admin" | null = null;
  /** Per reference used by this process: ServiceIDs taken so far, and the category of the last. */
  private readonly references = new Map<string, { attempts: number; category: ReferencedCategory }>();
  /** POITransactionID.TimeStamp per transaction id, for reversals. */
  private readonly timeStamps = new Map<string, string>();
  /** A DiagnosisRequest in flight: a sale waits for it rather than find the terminal busy. */
  private diagnosis: Promise<Exchange> | null = null;

  constructor(options: AdyenTerminalOptions) {
    const settings = resolveOptions(options);
    this.link = new NexoLink(settings.link);
    this.party = settings.party;
    this.currency = settings.currency;
    this.logger = settings.logger;
    this.paymentMs = settings.paymentTimeoutMs;
    this.requestMs = settings.requestTimeoutMs;
    this.pollIntervalMs = settings.pollIntervalMs;
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  async start(): Promise<void> {
    this.link.resume();
    await this.refreshState();
    if (this.pollIntervalMs > 0 && this.pollTimer === undefined) {
      this.pollTimer = setInterval(() => {
        if (this.operation === null) void this.refreshState();
      }, this.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    await this.link.stop();
  }

  state(): TerminalState {
    return {
      online: this.link.online,
      busy: this.operation !== null,
      terminalId: this.link.terminalId,
      lastError: this.link.lastError,
    };
  }

  async refreshState(): Promise<TerminalState> {
    if (this.link.isStopped || this.operation !== null) return this.state();
    const diagnosis = this.link.exchange(diagnosisRequest(this.party), this.requestMs);
    this.diagnosis = diagnosis;
    const exchange = await diagnosis;
    if (this.diagnosis === diagnosis) this.diagnosis = null;
    if (exchange.ok) {
      const problem = diagnosisProblem(exchange.response);
      if (problem !== null) this.link.lastError = problem;
    }
    return this.state();
  }

  // ---- sales, refunds, reversals -----------------------------------------------------------------

  async pay(request: TerminalAmountRequest, options: PaymentOptions = {}): Promise<TerminalOutcome> {
    return this.runService(request, "Payment", options, (serviceId) =>
      paymentRequest(this.party, { ...request, serviceId, refund: false }),
    );
  }

  async refund(
    request: TerminalAmountRequest,
    original: OriginalTransaction | null,
    options: PaymentOptions = {},
  ): Promise<TerminalOutcome> {
    if (original === null) {
      return this.runService(request, "Payment", options, (serviceId) =>
        paymentRequest(this.party, { ...request, serviceId, refund: true }),
      );
    }
    const build = this.reversalOf(request.reference, original, request.currency, request.amount);
    return this.runService(request, "Reversal", options, build);
  }

  async reverse(
    original: OriginalTransaction,
    reference: string,
    options: PaymentOptions = {},
  ): Promise<TerminalOutcome> {
    const request = { reference, amount: original.amount, currency: original.currency };
    return this.runService(request, "Reversal", options, this.reversalOf(reference, original, original.currency));
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
    const exchange = await this.link.exchange(
      abortRequest(this.party, operation.serviceId, operation.category),
      this.requestMs,
    );
    if (!exchange.ok) this.logger.warn({ ns: NS, reason: exchange.reason }, "abort request failed");
  }

  /** Builds the ReversalRequest undoing `original`: all of it, or `amount` of it (a referenced refund). */
  private reversalOf(
    reference: string,
    original: OriginalTransaction,
    currency: string,
    amount?: number,
  ): (serviceId: string) => TerminalApiRequest {
    return (serviceId) =>
      reversalRequest(this.party, {
        serviceId,
        reference,
        originalTransactionId: original.transactionId,
        // The sale's TimeStamp when this process saw it; else now (Adyen matches on the id).
        originalTimeStamp: this.timeStamps.get(original.transactionId) ?? new Date().toISOString(),
        currency,
        amount,
      });
  }

  /**
   * One sale, refund or reversal: the request checked, a ServiceID from the reference, the
   * exchange, and its outcome. Never throws.
   */
  private async runService(
    request: TerminalAmountRequest,
    category: ReferencedCategory,
    options: PaymentOptions,
    build: (serviceId: string) => TerminalApiRequest,
  ): Promise<TerminalOutcome> {
    const { reference } = request;
    const invalid = checkAmountRequest(request);
    if (invalid !== null) return { result: "not_sent", reference, reason: invalid };
    if (this.link.isStopped) return { result: "not_sent", reference, reason: "the terminal driver is stopped" };
    if (this.operation !== null) {
      return { result: "not_sent", reference, reason: "busy: another terminal operation is running" };
    }
    const attempt = this.references.get(reference)?.attempts ?? 0;
    if (attempt >= MAX_ATTEMPTS) {
      return { result: "not_sent", reference, reason: `reference used for ${MAX_ATTEMPTS} attempts; use a new one` };
    }
    const serviceId = serviceIdFor(this.party.saleId, reference, attempt);
    this.references.set(reference, { attempts: attempt + 1, category });
    const operation: Operation = { serviceId, category, controller: new AbortController(), sent: false };
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
      const exchange = await this.link.exchange(build(serviceId), options.timeoutMs ?? this.paymentMs, {
        signal: operation.controller.signal,
        onSent: () => {
          operation.sent = true;
          progress("present_card", "Present card");
        },
      });
      if (!exchange.ok) {
        return { result: exchange.sent ? "unknown" : "not_sent", reference, reason: exchange.reason };
      }
      const answeredFor = stringAt(exchange.response, "MessageHeader", "ServiceID");
      if (answeredFor !== undefined && answeredFor !== serviceId) {
        return { result: "unknown", reference, reason: "the terminal answered another request" };
      }
      const body = path(exchange.response, category === "Payment" ? "PaymentResponse" : "ReversalResponse");
      if (!isObject(body)) {
        return { result: "unknown", reference, reason: "the terminal's answer has no payment or reversal response" };
      }
      const header = path(exchange.response, "MessageHeader");
      const { answer: outcome, approval } = readOutcome(body, header, reference, request.amount, request.currency);
      if (approval !== undefined) this.remember(approval);
      if (outcome.result === "approved" || outcome.result === "declined" || outcome.result === "cancelled") {
        progress(outcome.result, outcome.result === "approved" ? "Approved" : cleanText(outcome.reason, 80));
      }
      return outcome;
    } finally {
      this.operation = null;
    }
  }

  /** Keeps what a later reversal and `state()` need from an approval. */
  private remember(approval: Approval): void {
    if (approval.timeStamp !== undefined && approval.transactionId !== "") {
      this.timeStamps.set(approval.transactionId, approval.timeStamp);
    }
    if (approval.terminalId !== undefined) this.link.terminalId = approval.terminalId;
  }

  // ---- status ------------------------------------------------------------------------------------

  async transactionStatus(query: StatusQuery): Promise<TransactionStatus> {
    const { reference } = query;
    if (this.link.isStopped) return { state: "unreachable", reference, reason: "the terminal driver is stopped" };
    const known = this.references.get(reference);
    // A restarted process knows only the reference: try the ServiceIDs its attempts would have used.
    const candidates =
      known === undefined
        ? Array.from({ length: MAX_ATTEMPTS }, (_, attempt) => ({ attempt, category: undefined }))
        : [{ attempt: known.attempts - 1, category: known.category }];
    for (const { attempt, category } of candidates) {
      const serviceId = serviceIdFor(this.party.saleId, reference, attempt);
      const status = await this.statusOf(query, serviceId, category);
      if (status.state !== "not_found") return status;
    }
    return { state: "not_found", reference };
  }

  private async statusOf(
    query: StatusQuery,
    serviceId: string,
    category: ReferencedCategory | undefined,
  ): Promise<TransactionStatus> {
    const request = transactionStatusRequest(this.party, serviceId, category);
    const exchange = await this.link.exchange(request, this.requestMs);
    if (!exchange.ok) return { state: "unreachable", reference: query.reference, reason: exchange.reason };
    const { answer, approval } = readStatus(exchange.response, query);
    if (approval !== undefined) this.remember(approval);
    return answer;
  }

  // ---- end of day --------------------------------------------------------------------------------

  async endOfDay(): Promise<TerminalTotals> {
    if (this.link.isStopped) throw new DriverError("stopped", "the terminal driver is stopped");
    if (this.operation !== null) throw new DriverError("busy", "another terminal operation is running");
    this.operation = "admin";
    let exchange: Exchange;
    try {
      exchange = await this.link.exchange(reconciliationRequest(this.party), this.requestMs);
    } finally {
      this.operation = null;
    }
    if (!exchange.ok) throw endOfDayError(exchange);
    const body = path(exchange.response, "ReconciliationResponse");
    const result = readResult(path(body, "Response"));
    if (result.result === "Failure") {
      throw new DriverError("refused", `the terminal refused the end of day: ${reasonOf(result, "no reason given")}`);
    }
    const { totals, otherCurrencies } = readTotals(body, this.currency);
    for (const currency of otherCurrencies) {
      this.logger.warn({ ns: NS, currency }, "end of day: totals in another currency left out");
    }
    return totals;
  }
}
