/**
 * The ZVT card terminal driver (`PaymentTerminal` for German/Austrian terminals, ZVT 13.x): its
 * options, connection state and reconnect, the one-at-a-time transactions and the interface.
 *
 * The cash register (ECR, we) and the payment terminal (PT) exchange APDUs over TCP (port 20007)
 * or serial (DLE/STX frames). The side that holds the "master rights" sends a command; the other
 * answers `80 00 00` (accepted) or `84 xx 00` (refused, xx a result code). A command such as
 * Authorisation (06 01) hands the master rights to the PT, which then reports — each message
 * answered by our `80 00 00` — intermediate status (04 FF), the status-information with the
 * transaction's data (04 0F), receipt lines (06 D1 print line, 06 D3 print text block), and ends
 * with Completion (06 0F) or Abort (06 1E + result code), which gives the master rights back.
 *
 * Here: the connection and its registration (`link.ts`), the commands (`commands.ts`), reading the
 * terminal's answers into outcomes (`answers.ts`), matching a lost transaction through the repeated
 * receipt (`transaction-status.ts`) and the end of day (`end-of-day.ts`).
 *
 * Every failure of pay/refund/reverse is an outcome, never a throw: `not_sent` when the request
 * did not reach the terminal (no connection, refused with 84 xx, registration refused), `unknown`
 * when it did but no Completion/Abort came (timeout, connection dropped).
 */
import { backoffDelay } from "../../backoff.ts";
import { DriverError, isDriverError } from "../../errors.ts";
import { silentDriverLogger, type DriverLogger } from "../../logger.ts";
import { Mutex } from "../../mutex.ts";
import { createTransport } from "../../transport/create-transport.ts";
import type {
  OriginalTransaction,
  PaymentOptions,
  PaymentTerminal,
  TerminalAmountRequest,
  TerminalOutcome,
  TerminalState,
  TerminalTotals,
  TransactionStatus,
} from "../terminal.ts";
import { toHex, type Apdu } from "./apdu.ts";
import { endedOutcome, TransactionLog, type End } from "./answers.ts";
import { resultCodeText, terminalStatusText } from "./bmp.ts";
import { encodeCurrency, encodePassword } from "./codecs.ts";
import {
  abortCommand,
  authorisationCommand,
  checkAmountRequest,
  endOfDayCommand,
  refundCommand,
  registrationCommand,
  repeatReceiptCommand,
  reversalCommand,
  statusEnquiryCommand,
} from "./commands.ts";
import { runEndOfDay } from "./end-of-day.ts";
import {
  conversationText,
  errorText,
  Link,
  NS,
  openChannel,
  redactingLogger,
  register,
  statusEnquiry,
  zvtAddress,
  type Conversation,
} from "./link.ts";
import { ReferenceBook, type ReferenceRecord, type StatusQuery } from "./transaction-status.ts";

export { DEFAULT_ZVT_PORT } from "./link.ts";

export interface ZvtTerminalOptions {
  /** The terminal's ECR password, six digits (often "000000" or "123456"). */
  password: string;
  /** ISO 4217; the terminal must be set up for it. Default "EUR". */
  currency?: string;
  logger?: DriverLogger;
  /** The terminal sends its receipts to us (06 D1 / 06 D3) instead of printing them. Default true. */
  printLinesOnEcr?: boolean;
  /** TCP connect / serial open. Default 3000 ms. */
  connectTimeoutMs?: number;
  /** Wait for the terminal's `80 00 00` to a command (ZVT T3). Default 5000 ms. */
  ackTimeoutMs?: number;
  /** A sale, refund or reversal when the caller gives no `timeoutMs`. Default 180 s. */
  paymentTimeoutMs?: number;
  /** Registration, status enquiry, repeat receipt. Default 30 s. */
  commandTimeoutMs?: number;
  /** End of day (the terminal talks to its host). Default 300 s. */
  endOfDayTimeoutMs?: number;
  /** Serial only: wait for a frame's ACK byte. Default 1000 ms. */
  frameAckTimeoutMs?: number;
  /**
   * `transactionStatus` for a reference this process never sent (e.g. after a restart): the
   * terminal's last transaction must be this recent to be taken as it. Default 15 minutes.
   */
  orphanMatchWindowMs?: number;
  /** Tolerated difference between our clock and the terminal's. Default 2 minutes. */
  clockSkewMs?: number;
  /** Background reconnect after `start()` while offline. Default true. */
  reconnect?: boolean;
}

/** A registered link, or why there is none. */
type Reached = { target: Link; error?: never } | { target?: never; error: unknown };

/** Creates a ZVT terminal driver for `tcp://host[:20007]` or `serial:/dev/…?baud=9600`. */
export function createZvtTerminal(uri: string, options: ZvtTerminalOptions): PaymentTerminal {
  const address = zvtAddress(uri);
  const password = encodePassword(options.password);
  const currency = (options.currency ?? "EUR").toUpperCase();
  const currencyCode = encodeCurrency(currency);
  const registration = registrationCommand(password, currencyCode, options.printLinesOnEcr ?? true);
  const logger = options.logger ?? silentDriverLogger;
  const ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
  const paymentTimeoutMs = options.paymentTimeoutMs ?? 180_000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
  const endOfDayTimeoutMs = options.endOfDayTimeoutMs ?? 300_000;
  const transport = createTransport(address, {
    logger: redactingLogger(logger, toHex(password)),
    connectTimeoutMs: options.connectTimeoutMs ?? 3_000,
  });
  const mutex = new Mutex();
  const book = new ReferenceBook({
    orphanWindowMs: options.orphanMatchWindowMs ?? 15 * 60_000,
    clockSkewMs: options.clockSkewMs ?? 120_000,
  });
  let link: Link | undefined;
  let running: { reference: string } | undefined;
  let online = false;
  let terminalId: string | null = null;
  let lastError: string | null = null;
  let lastTrace: string | undefined;
  /** `start()` and `stop()`: reconnecting only while started, nothing at all once stopped. */
  let phase: "new" | "started" | "stopped" = "new";
  let retryTimer: NodeJS.Timeout | undefined;
  let retryAttempt = 0;

  function fail(reason: string): void {
    online = false;
    lastError = reason;
  }

  function ok(): void {
    online = true;
    lastError = null;
    retryAttempt = 0;
  }

  function scheduleReconnect(): void {
    if (phase !== "started" || options.reconnect === false || retryTimer !== undefined) return;
    const delay = backoffDelay(retryAttempt++, { initialMs: 500, maxMs: 30_000 });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (phase === "stopped" || online) return;
      void refreshState().then(() => {
        if (!online) scheduleReconnect();
      });
    }, delay);
    retryTimer.unref();
  }

  // ---- connection ---------------------------------------------------------------------------------

  async function connect(): Promise<Link> {
    if (link !== undefined && !link.closed) return link;
    if (phase === "stopped") throw new DriverError("stopped", "the terminal driver was stopped");
    await transport.open();
    const channel = openChannel(transport, options.frameAckTimeoutMs);
    const fresh: Link = new Link(transport, channel, { logger, ackTimeoutMs }, (reason) => {
      if (link !== fresh) return;
      link = undefined;
      if (phase === "stopped") return;
      fail(`connection lost: ${reason}`);
      scheduleReconnect();
    });
    link = fresh;
    try {
      const tid = await register(fresh, registration, Date.now() + commandTimeoutMs);
      if (tid !== undefined) terminalId = tid;
    } catch (error) {
      link = undefined;
      await fresh.close();
      throw error;
    }
    logger.info({ ns: NS, device: transport.description }, "registered at the card terminal");
    return fresh;
  }

  /**
   * The registered link, or the error that kept us from it (then recorded in the state). With
   * `markOnline` false a reached link leaves the state to the caller (the status enquiry's answer).
   */
  async function reach(markOnline = true): Promise<Reached> {
    try {
      const target = await connect();
      if (markOnline) ok();
      return { target };
    } catch (error) {
      fail(errorText(error));
      return { error };
    }
  }

  // ---- transactions -------------------------------------------------------------------------------

  async function transact(
    kind: ReferenceRecord["kind"],
    reference: string,
    amount: number,
    request: () => Apdu,
    paymentOptions: PaymentOptions | undefined,
  ): Promise<TerminalOutcome> {
    return mutex.run(async () => {
      running = { reference };
      try {
        const outcome = await transactUnlocked(kind, reference, amount, request, paymentOptions);
        logger.info({ ns: NS, reference, kind, result: outcome.result }, `ZVT ${kind}: ${outcome.result}`);
        return outcome;
      } finally {
        running = undefined;
      }
    });
  }

  /** A sale or refund: its amount and currency are checked before it waits for the terminal. */
  function amountTransaction(
    kind: "pay" | "refund",
    request: TerminalAmountRequest,
    paymentOptions: PaymentOptions | undefined,
    command: (amount: number) => Apdu,
  ): Promise<TerminalOutcome> {
    const early = checkAmountRequest(request, currency);
    if (early !== undefined) return Promise.resolve(early);
    const { reference, amount } = request;
    return transact(kind, reference, amount, () => command(amount), paymentOptions);
  }

  async function transactUnlocked(
    kind: ReferenceRecord["kind"],
    reference: string,
    amount: number,
    request: () => Apdu,
    paymentOptions: PaymentOptions | undefined,
  ): Promise<TerminalOutcome> {
    let message: Apdu;
    try {
      message = request();
    } catch (error) {
      return { result: "not_sent", reference, reason: errorText(error) };
    }
    const { target, error } = await reach();
    if (target === undefined) {
      scheduleReconnect();
      return { result: "not_sent", reference, reason: `terminal not reachable: ${errorText(error)}` };
    }
    const record = book.start(reference, { kind, amount, traceBefore: lastTrace });
    const log = new TransactionLog(paymentOptions?.onProgress);
    const timeoutMs = paymentOptions?.timeoutMs ?? paymentTimeoutMs;
    const result = await target.converse<End>(message, Date.now() + timeoutMs, (m) => log.take(m));
    if (log.status?.terminalId !== undefined) terminalId = log.status.terminalId;
    if (log.status?.traceNumber !== undefined) lastTrace = log.status.traceNumber;
    const outcome = await outcomeOf(result, log, reference, amount, target, timeoutMs);
    book.end(record, outcome);
    return outcome;
  }

  /** The outcome of a transaction's conversation; one without an end also settles the state and the link. */
  async function outcomeOf(
    result: Conversation<End>,
    log: TransactionLog,
    reference: string,
    amount: number,
    target: Link,
    timeoutMs: number,
  ): Promise<TerminalOutcome> {
    switch (result.kind) {
      case "done":
        return endedOutcome(result.value, log, reference, amount);
      case "not_written":
        fail(result.reason);
        return { result: "not_sent", reference, reason: `request not sent: ${result.reason}` };
      case "refused":
        return {
          result: "not_sent",
          reference,
          reason: `the terminal refused the request: ${resultCodeText(result.code)}`,
        };
      case "no_ack":
        await target.close();
        fail("no acknowledgement from the terminal");
        return { result: "unknown", reference, reason: "the terminal did not acknowledge the request" };
      case "closed":
        return {
          result: "unknown",
          reference,
          reason: `the connection dropped before the terminal's answer (${result.reason})`,
        };
      case "timeout":
        // Stop the customer from going on with a sale we no longer wait for, then start afresh.
        await target.channel.send(abortCommand()).catch(() => undefined);
        await target.close();
        return { result: "unknown", reference, reason: `no answer from the terminal within ${timeoutMs} ms` };
    }
  }

  // ---- administration -----------------------------------------------------------------------------

  async function refreshState(): Promise<TerminalState> {
    await mutex.run(async () => {
      const { target } = await reach(false);
      if (target === undefined) return;
      const request = statusEnquiryCommand(password);
      const result = await statusEnquiry(target, request, Date.now() + commandTimeoutMs, (tid) => {
        terminalId = tid;
      });
      if (result.kind === "done") {
        if (result.value.refused !== undefined) fail(`status enquiry refused: ${resultCodeText(result.value.refused)}`);
        else if (result.value.status === undefined || result.value.status === 0) ok();
        else {
          online = true;
          lastError = terminalStatusText(result.value.status);
        }
        return;
      }
      if (result.kind === "no_ack" || result.kind === "timeout") await target.close();
      fail(conversationText(result));
    });
    return state();
  }

  async function endOfDayUnlocked(): Promise<TerminalTotals> {
    const { target, error } = await reach();
    if (target === undefined)
      throw isDriverError(error) ? error : new DriverError("open_failed", errorText(error), { cause: error });
    return runEndOfDay(target, endOfDayCommand(password), Date.now() + endOfDayTimeoutMs, currency);
  }

  async function transactionStatus(query: StatusQuery): Promise<TransactionStatus> {
    const { reference } = query;
    if (running?.reference === reference) return { state: "in_progress", reference };
    const record = book.get(reference);
    const known = book.known(reference, record);
    if (known !== undefined) return known;
    return mutex.run(async () => {
      const { target, error } = await reach();
      if (target === undefined) return { state: "unreachable", reference, reason: errorText(error) };
      return book.askTerminal(target, repeatReceiptCommand(password), Date.now() + commandTimeoutMs, query, record);
    });
  }

  // ---- the interface ------------------------------------------------------------------------------

  function state(): TerminalState {
    return { online, busy: mutex.busy, terminalId, lastError };
  }

  const terminal: PaymentTerminal = {
    protocol: "zvt",
    async start() {
      phase = "started";
      await refreshState();
      if (!online) scheduleReconnect();
    },
    async stop() {
      phase = "stopped";
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = link;
      link = undefined;
      await current?.close();
      await transport.close().catch(() => undefined);
      await mutex.run(() => Promise.resolve());
      online = false;
    },
    state,
    refreshState,
    pay(request, paymentOptions) {
      return amountTransaction("pay", request, paymentOptions, (amount) => authorisationCommand(amount, currencyCode));
    },
    async abort() {
      const current = link;
      if (running === undefined || current === undefined || current.closed) return;
      await current.channel.send(abortCommand()).catch((error: unknown) => {
        logger.warn({ ns: NS, err: error }, "could not send abort to the terminal");
      });
    },
    transactionStatus,
    reverse(original, reference, paymentOptions) {
      const command = (): Apdu => reversalCommand(password, original.transactionId);
      return transact("reverse", reference, original.amount, command, paymentOptions).then((outcome) => {
        if (outcome.result === "approved") book.reversed(original.transactionId);
        return outcome;
      });
    },
    refund(request, _original: OriginalTransaction | null, paymentOptions) {
      return amountTransaction("refund", request, paymentOptions, (amount) => refundCommand(password, amount));
    },
    endOfDay() {
      return mutex.run(endOfDayUnlocked);
    },
  };
  return terminal;
}
