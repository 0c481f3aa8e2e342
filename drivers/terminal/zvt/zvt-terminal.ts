/**
 * The ZVT card terminal driver (`PaymentTerminal` for German/Austrian terminals, ZVT 13.x).
 *
 * The cash register (ECR, we) and the payment terminal (PT) exchange APDUs over TCP (port 20007)
 * or serial (DLE/STX frames). The side that holds the "master rights" sends a command; the other
 * answers `80 00 00` (accepted) or `84 xx 00` (refused, xx a result code). A command such as
 * Authorisation (06 01) hands the master rights to the PT, which then reports — each message
 * answered by our `80 00 00` — intermediate status (04 FF), the status-information with the
 * transaction's data (04 0F), receipt lines (06 D1 print line, 06 D3 print text block), and ends
 * with Completion (06 0F) or Abort (06 1E + result code), which gives the master rights back.
 *
 * Commands used: Registration 06 00 (password, config byte 0x9E = intermediate status + ECR prints
 * payment and administration receipts via 06 D1/06 D3 + amount entry on the PT locked; currency;
 * TLV 26 permitting 06 D3), Authorisation 06 01, Reversal 06 30 (receipt number 87), Refund 06 31,
 * End of day 06 50, Repeat receipt 06 20, Status enquiry 05 01, Abort 06 B0.
 *
 * Classic ZVT has no field for our reference. The driver keeps the reference ↔ transaction mapping
 * itself and, when an answer was lost, asks the terminal to repeat its last transaction (06 20) and
 * matches it on amount and on being newer than the request (trace number changed since, or the
 * terminal's own date/time). A terminal runs one transaction at a time, so that last transaction
 * is ours unless another one was started after it (see drivers/README.md "Card terminals: ZVT").
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
import type { ByteTransport } from "../../transport/transport.ts";
import { parseDeviceUri, type DeviceAddress, type SimAddress } from "../../transport/uri.ts";
import type {
  CardSummary,
  OriginalTransaction,
  PaymentOptions,
  PaymentTerminal,
  TerminalOutcome,
  TerminalProgress,
  TerminalStage,
  TerminalState,
  TerminalTotals,
  TransactionStatus,
} from "../terminal.ts";
import {
  ACK_APDU,
  apdu,
  cleanLine,
  cleanText,
  createStreamChannel,
  decodeBcd,
  decodeText,
  decodeVarLength,
  encodeAmount,
  encodeBcd,
  encodeBerLength,
  encodeCurrency,
  encodePassword,
  encodeTlv,
  findTlv,
  toHex,
  type Apdu,
  type ApduChannel,
  type TlvNode,
} from "./apdu.ts";
import {
  parseBmps,
  readStatusInformation,
  resultCodeText,
  RESULT_ABORTED,
  terminalStatusText,
  type StatusInformation,
} from "./bmp.ts";
import { createSerialChannel } from "./serial-framing.ts";

export const DEFAULT_ZVT_PORT = 20007;

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

/** An intermediate status code (04 FF) as a kiosk stage and plain English text. */
export function intermediateStatus(code: number): TerminalProgress {
  const entry = INTERMEDIATE.get(code);
  if (entry !== undefined) return { stage: entry[0], text: entry[1] };
  if (code >= 0x41 && code <= 0x5d) return { stage: "remove_card", text: "Please remove card" };
  return { stage: "other", text: `Terminal status ${code.toString(16).padStart(2, "0").toUpperCase()}` };
}

const INTERMEDIATE: ReadonlyMap<number, [TerminalStage, string]> = new Map<number, [TerminalStage, string]>([
  [0x00, ["other", "Waiting for amount confirmation"]],
  [0x01, ["enter_pin", "Please watch PIN pad"]],
  [0x02, ["enter_pin", "Please watch PIN pad"]],
  [0x03, ["declined", "Not accepted"]],
  [0x04, ["processing", "Waiting for the host"]],
  [0x05, ["processing", "Sending auto-reversal"]],
  [0x06, ["processing", "Sending post-bookings"]],
  [0x07, ["other", "Card not admitted"]],
  [0x08, ["other", "Card unknown"]],
  [0x09, ["other", "Expired card"]],
  [0x0a, ["present_card", "Insert card"]],
  [0x0b, ["remove_card", "Please remove card"]],
  [0x0c, ["other", "Card not readable"]],
  [0x0d, ["other", "Processing error"]],
  [0x0e, ["processing", "Please wait"]],
  [0x0f, ["processing", "Automatic end of day"]],
  [0x10, ["other", "Invalid card"]],
  [0x11, ["other", "Balance display"]],
  [0x12, ["other", "System malfunction"]],
  [0x13, ["declined", "Payment not possible"]],
  [0x14, ["declined", "Credit not sufficient"]],
  [0x15, ["enter_pin", "Incorrect PIN"]],
  [0x16, ["declined", "Limit not sufficient"]],
  [0x17, ["processing", "Please wait"]],
  [0x18, ["declined", "PIN try limit exceeded"]],
  [0x19, ["other", "Card data incorrect"]],
  [0x1a, ["other", "Service mode"]],
  [0x1b, ["approved", "Approved"]],
  [0x1c, ["approved", "Approved, please take goods"]],
  [0x1d, ["declined", "Declined"]],
  [0x28, ["processing", "Currency selection"]],
  [0x29, ["processing", "Language selection"]],
  [0x2a, ["present_card", "Insert card"]],
  [0x2b, ["processing", "Emergency transaction, please wait"]],
  [0x2c, ["processing", "Application selection"]],
  [0x4b, ["remove_card", "Please remove card"]],
  [0x5c, ["approved", "Approved, please remove card"]],
  [0x5d, ["declined", "Declined, please remove card"]],
  [0x68, ["reading_card", "Card detected"]],
  [0x6a, ["enter_pin", "PIN entry"]],
  [0x6b, ["enter_pin", "PIN entry"]],
  [0x6c, ["enter_pin", "PIN entry"]],
  [0x6d, ["processing", "PIN entered"]],
  [0xd2, ["processing", "Connecting"]],
  [0xd3, ["processing", "Connected"]],
  [0xe0, ["processing", "Application selection"]],
  [0xe1, ["processing", "Language selection"]],
  [0xf1, ["other", "Offline"]],
  [0xf2, ["processing", "Online"]],
  [0xf3, ["processing", "Offline transaction"]],
]);

/** Registration config byte (ZVT 06 00). */
const CONFIG_ECR_PRINTS_PAYMENT = 0x02;
const CONFIG_ECR_PRINTS_ADMIN = 0x04;
const CONFIG_INTERMEDIATE_STATUS = 0x08;
const CONFIG_ECR_CONTROLS_PAYMENT = 0x10;
const CONFIG_PRINT_VIA_PRINT_LINE = 0x80;

const RECEIPT_CUSTOMER = 0x02;
const RECEIPT_ADMIN = 0x03;

type Incoming = Apdu | "closed" | "timeout";

/** One open connection: the transport's APDU channel, an inbox, and the automatic `80 00 00`. */
class Link {
  readonly channel: ApduChannel;
  closed = false;
  closeReason = "connection closed";
  #inbox: Apdu[] = [];
  #wake: (() => void) | undefined;
  readonly #offs: Array<() => void>;
  readonly transport: ByteTransport;

  constructor(transport: ByteTransport, channel: ApduChannel, logger: DriverLogger, onLost: (reason: string) => void) {
    this.transport = transport;
    this.channel = channel;
    this.#offs = [
      channel.onApdu((message) => {
        // Every PT message but an acknowledgement gets our 80 00 00 straight away.
        if (message.cls !== 0x80 && message.cls !== 0x84) {
          channel.send(ACK_APDU).catch((error: unknown) => {
            logger.warn({ ns: "drivers:zvt", err: error }, "could not acknowledge a terminal message");
          });
        }
        this.#inbox.push(message);
        this.#wake?.();
      }),
      transport.onClose((reason) => {
        const text = reason?.message ?? "the terminal closed the connection";
        if (this.markClosed(text)) onLost(text);
      }),
    ];
  }

  /** Returns true when this call closed it. */
  markClosed(reason: string): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.closeReason = reason;
    for (const off of this.#offs) off();
    this.channel.detach();
    this.#wake?.();
    return true;
  }

  clearInbox(): void {
    this.#inbox = [];
  }

  /** The next message, or "closed"/"timeout". Bounded by `deadline` (epoch ms). */
  async next(deadline: number): Promise<Incoming> {
    for (;;) {
      const message = this.#inbox.shift();
      if (message !== undefined) return message;
      if (this.closed) return "closed";
      const wait = deadline - Date.now();
      if (wait <= 0) return "timeout";
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
    }
  }

  async close(): Promise<void> {
    this.markClosed("closed by the driver");
    await this.transport.close().catch(() => undefined);
  }
}

/** How a command conversation ended. */
type Conversation<T> =
  | { kind: "done"; value: T }
  | { kind: "not_written"; reason: string }
  | { kind: "refused"; code: number }
  | { kind: "no_ack" }
  | { kind: "closed"; reason: string }
  | { kind: "timeout" };

interface Receipt {
  type: number | undefined;
  lines: string[];
}

/** Collects what the PT reports during a transaction. */
class TransactionLog {
  status: StatusInformation | undefined;
  readonly receipts: Receipt[] = [];
  #current: string[] = [];
  readonly #onProgress: ((progress: TerminalProgress) => void) | undefined;

  constructor(onProgress: ((progress: TerminalProgress) => void) | undefined) {
    this.#onProgress = onProgress;
  }

  /** Handles one PT message; returns the end (completion or abort) when it is one. */
  take(message: Apdu): { end: "completion"; data: Uint8Array } | { end: "abort"; resultCode: number } | undefined {
    const key = (message.cls << 8) | message.instr;
    switch (key) {
      case 0x04ff:
        this.#progress(message.data);
        return undefined;
      case 0x040f:
        this.status = readStatusInformation(message.data);
        return undefined;
      case 0x06d1:
        this.#printLine(message.data);
        return undefined;
      case 0x06d3:
        this.#printTextBlock(message.data);
        return undefined;
      case 0x060f:
        return { end: "completion", data: message.data };
      case 0x061e:
        return { end: "abort", resultCode: message.data[0] ?? 0xff };
      default:
        return undefined;
    }
  }

  /** The customer's slip: the receipt marked as customer's, else the last one printed. */
  customerLines(): string[] {
    const all = this.#allReceipts();
    return (all.find((r) => r.type === RECEIPT_CUSTOMER) ?? all.at(-1))?.lines ?? [];
  }

  adminLines(): string[] {
    const all = this.#allReceipts();
    return (all.find((r) => r.type === RECEIPT_ADMIN) ?? all.at(-1))?.lines ?? [];
  }

  #allReceipts(): Receipt[] {
    return this.#current.length > 0 ? [...this.receipts, { type: undefined, lines: this.#current }] : this.receipts;
  }

  #progress(data: Uint8Array): void {
    const code = data[0];
    if (code === undefined || this.#onProgress === undefined) return;
    // `<status> [<timeout>] [06 <TLV>]`: try the TLV right after the status, else after a timeout byte.
    let parsed = parseBmps(data, 1);
    if (parsed.stoppedAt !== undefined || (data.length > 1 && !parsed.fields.has(0x06))) parsed = parseBmps(data, 2);
    const display = findTlv(parsed.tlv, 0x24);
    const texts = (display?.children ?? []).filter((n) => n.tag === 0x07).map((n) => decodeText(n.value));
    const base = intermediateStatus(code);
    const text = cleanText(texts.join(" ").replace(/\s+/g, " "), 80);
    try {
      this.#onProgress({ stage: base.stage, text: text === "" ? base.text : text });
    } catch {
      // onProgress must not throw; a callback that does is ignored.
    }
  }

  #printLine(data: Uint8Array): void {
    const attribute = data[0] ?? 0;
    if (attribute === 0xff) {
      // Line feeds: the count follows.
      const feeds = Math.min(data[1] ?? 1, 10);
      for (let i = 0; i < feeds; i++) this.#current.push("");
      return;
    }
    this.#current.push(cleanLine(decodeText(data.subarray(1))));
    if ((attribute & 0x80) !== 0 && attribute !== 0x80) {
      this.receipts.push({ type: undefined, lines: this.#current });
      this.#current = [];
    }
  }

  #printTextBlock(data: Uint8Array): void {
    const { tlv } = parseBmps(data);
    const type = findTlv(tlv, 0x1f07)?.value[0];
    const texts = findTlv(tlv, 0x25);
    const lines = (texts?.children ?? [])
      .filter((n: TlvNode) => n.tag === 0x07)
      .map((n) => cleanLine(decodeText(n.value)));
    this.receipts.push({ type, lines });
  }
}

interface ReferenceRecord {
  kind: "pay" | "refund" | "reverse";
  amount: number;
  startedAt: number;
  /** Our last known trace number when the request went out. */
  traceBefore: string | undefined;
  outcome: TerminalOutcome | undefined;
}

const MAX_RECORDS = 200;

/** Creates a ZVT terminal driver for `tcp://host[:20007]` or `serial:/dev/…?baud=9600`. */
export function createZvtTerminal(uri: string, options: ZvtTerminalOptions): PaymentTerminal {
  const address = zvtAddress(uri);
  const password = encodePassword(options.password);
  const currency = (options.currency ?? "EUR").toUpperCase();
  const currencyCode = encodeCurrency(currency);
  const logger = options.logger ?? silentDriverLogger;
  const printOnEcr = options.printLinesOnEcr ?? true;
  const ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
  const paymentTimeoutMs = options.paymentTimeoutMs ?? 180_000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
  const endOfDayTimeoutMs = options.endOfDayTimeoutMs ?? 300_000;
  const orphanWindowMs = options.orphanMatchWindowMs ?? 15 * 60_000;
  const clockSkewMs = options.clockSkewMs ?? 120_000;
  const transport = createTransport(address, {
    logger: redactingLogger(logger, toHex(password)),
    connectTimeoutMs: options.connectTimeoutMs ?? 3_000,
  });
  const mutex = new Mutex();
  const records = new Map<string, ReferenceRecord>();
  /** Receipt numbers of the refunds and reversals we booked: a lost sale is never one of them. */
  const notSales = new Set<string>();
  /** Receipt numbers of the sales we reversed. */
  const reversed = new Set<string>();
  let link: Link | undefined;
  let running: { reference: string } | undefined;
  let online = false;
  let terminalId: string | null = null;
  let lastError: string | null = null;
  let lastTrace: string | undefined;
  let stopped = false;
  let started = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryAttempt = 0;

  const NS = "drivers:zvt";

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
    if (!started || stopped || options.reconnect === false || retryTimer !== undefined) return;
    const delay = backoffDelay(retryAttempt++, { initialMs: 500, maxMs: 30_000 });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (stopped || online) return;
      void refreshState().then(() => {
        if (!online) scheduleReconnect();
      });
    }, delay);
    retryTimer.unref();
  }

  // ---- connection ---------------------------------------------------------------------------------

  async function connect(): Promise<Link> {
    if (link !== undefined && !link.closed) return link;
    if (stopped) throw new DriverError("stopped", "the terminal driver was stopped");
    await transport.open();
    const channel =
      transport.kind === "serial"
        ? createSerialChannel(
            transport,
            options.frameAckTimeoutMs === undefined ? {} : { ackTimeoutMs: options.frameAckTimeoutMs },
          )
        : createStreamChannel(transport);
    const fresh: Link = new Link(transport, channel, logger, (reason) => {
      if (link !== fresh) return;
      link = undefined;
      if (stopped) return;
      fail(`connection lost: ${reason}`);
      scheduleReconnect();
    });
    link = fresh;
    try {
      await register(fresh);
    } catch (error) {
      link = undefined;
      await fresh.close();
      throw error;
    }
    logger.info({ ns: NS, device: transport.description }, "registered at the card terminal");
    return fresh;
  }

  function registrationApdu(): Apdu {
    let config = CONFIG_INTERMEDIATE_STATUS | CONFIG_ECR_CONTROLS_PAYMENT;
    const parts: Array<Uint8Array | number[]> = [password];
    if (printOnEcr) config |= CONFIG_ECR_PRINTS_PAYMENT | CONFIG_ECR_PRINTS_ADMIN | CONFIG_PRINT_VIA_PRINT_LINE;
    parts.push([config], currencyCode);
    if (printOnEcr) {
      // TLV 26 "permitted ZVT commands" with 0A = 06 D3: the PT may send whole text blocks.
      const permitted = encodeTlv(0x26, encodeTlv(0x0a, Uint8Array.of(0x06, 0xd3)));
      parts.push([0x06], encodeBerLength(permitted.length), permitted);
    }
    return apdu(0x06, 0x00, ...parts);
  }

  async function register(target: Link): Promise<void> {
    const result = await converse(target, registrationApdu(), Date.now() + commandTimeoutMs, (message) => {
      if (message.cls === 0x06 && message.instr === 0x0f) return { ok: true as const, data: message.data };
      if (message.cls === 0x06 && message.instr === 0x1e) return { ok: false as const, code: message.data[0] ?? 0xff };
      return undefined;
    });
    switch (result.kind) {
      case "done": {
        if (!result.value.ok)
          throw new DriverError("refused", `registration refused: ${resultCodeText(result.value.code)}`);
        const tid = parseBmps(result.value.data).fields.get(0x29);
        if (tid !== undefined) terminalId = decodeBcd(tid) ?? terminalId;
        return;
      }
      case "refused":
        throw new DriverError("refused", `registration refused: ${resultCodeText(result.code)}`);
      case "not_written":
        throw new DriverError("write_failed", `registration not sent: ${result.reason}`);
      case "closed":
        throw new DriverError("closed", `connection closed during registration: ${result.reason}`);
      case "no_ack":
      case "timeout":
        throw new DriverError("status_timeout", "the terminal did not answer the registration");
    }
  }

  /**
   * Sends `request`, waits for its acknowledgement, then hands each PT message to `onMessage`
   * until it returns a value or the deadline passes. Stray acknowledgements are skipped.
   */
  async function converse<T>(
    target: Link,
    request: Apdu,
    deadline: number,
    onMessage: (message: Apdu) => T | undefined,
  ): Promise<Conversation<T>> {
    target.clearInbox();
    try {
      await target.channel.send(request);
    } catch (error) {
      return { kind: "not_written", reason: error instanceof Error ? error.message : String(error) };
    }
    let acknowledged = false;
    const ackDeadline = Math.min(deadline, Date.now() + ackTimeoutMs);
    // Each pass takes one message or ends: bounded by the deadline.
    for (;;) {
      const message = await target.next(acknowledged ? deadline : ackDeadline);
      if (message === "closed") return { kind: "closed", reason: target.closeReason };
      if (message === "timeout") return acknowledged ? { kind: "timeout" } : { kind: "no_ack" };
      if (message.cls === 0x80) {
        acknowledged = true;
        continue;
      }
      if (message.cls === 0x84) {
        // 84 9C: "please wait", the PT needs more time; 84 00: an alternative positive ack.
        if (message.instr === 0x9c || message.instr === 0x00) {
          acknowledged = true;
          continue;
        }
        if (!acknowledged) return { kind: "refused", code: message.instr };
        continue;
      }
      acknowledged = true;
      const value = onMessage(message);
      if (value !== undefined) return { kind: "done", value };
    }
  }

  // ---- transactions -------------------------------------------------------------------------------

  type End = { end: "completion"; data: Uint8Array } | { end: "abort"; resultCode: number };

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
    let target: Link;
    try {
      target = await connect();
      ok();
    } catch (error) {
      fail(errorText(error));
      scheduleReconnect();
      return { result: "not_sent", reference, reason: `terminal not reachable: ${errorText(error)}` };
    }
    const record: ReferenceRecord = { kind, amount, startedAt: Date.now(), traceBefore: lastTrace, outcome: undefined };
    remember(reference, record);
    const log = new TransactionLog(paymentOptions?.onProgress);
    const timeoutMs = paymentOptions?.timeoutMs ?? paymentTimeoutMs;
    const result = await converse<End>(target, message, Date.now() + timeoutMs, (m) => log.take(m));
    if (log.status?.terminalId !== undefined) terminalId = log.status.terminalId;
    if (log.status?.traceNumber !== undefined) lastTrace = log.status.traceNumber;
    const outcome = await outcomeOf(result, log, reference, amount, target, timeoutMs);
    record.outcome = outcome;
    if (outcome.result === "approved" && kind !== "pay") notSales.add(outcome.transactionId);
    return outcome;
  }

  async function outcomeOf(
    result: Conversation<End>,
    log: TransactionLog,
    reference: string,
    amount: number,
    target: Link,
    timeoutMs: number,
  ): Promise<TerminalOutcome> {
    switch (result.kind) {
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
        await target.channel.send(apdu(0x06, 0xb0)).catch(() => undefined);
        await target.close();
        return { result: "unknown", reference, reason: `no answer from the terminal within ${timeoutMs} ms` };
      case "done":
        break;
    }
    const end = result.value;
    const status = log.status;
    if (end.end === "abort") {
      if (end.resultCode === RESULT_ABORTED)
        return {
          result: "cancelled",
          reference,
          reason: "cancelled at the terminal (abort key, timeout or abort request)",
        };
      return {
        result: "declined",
        reference,
        reason: resultCodeText(end.resultCode),
        receiptLines: log.customerLines(),
      };
    }
    if (status === undefined)
      return { result: "unknown", reference, reason: "the terminal completed without reporting the transaction" };
    if (status.resultCode !== undefined && status.resultCode !== 0)
      return {
        result: "declined",
        reference,
        reason: resultCodeText(status.resultCode),
        receiptLines: log.customerLines(),
      };
    return approvedOutcome(reference, status, status.amount ?? amount, log.customerLines());
  }

  function approvedOutcome(
    reference: string,
    status: StatusInformation,
    amount: number,
    receiptLines: string[],
  ): Extract<TerminalOutcome, { result: "approved" }> {
    const card: CardSummary = {};
    if (status.maskedPan !== undefined) card.maskedPan = status.maskedPan;
    if (status.brand !== undefined) card.brand = status.brand;
    return {
      result: "approved",
      reference,
      amount,
      transactionId: status.receiptNumber ?? status.traceNumber ?? "",
      ...(status.authCode !== undefined && { authCode: status.authCode }),
      ...(status.terminalId !== undefined && { terminalId: status.terminalId }),
      ...(Object.keys(card).length > 0 && { card }),
      receiptLines,
    };
  }

  function remember(reference: string, record: ReferenceRecord): void {
    records.delete(reference);
    records.set(reference, record);
    // Bounded: drop the oldest.
    while (records.size > MAX_RECORDS) {
      const oldest = records.keys().next().value;
      if (oldest === undefined) break;
      records.delete(oldest);
    }
  }

  function checkCurrency(reference: string, requested: string): TerminalOutcome | undefined {
    if (requested.toUpperCase() === currency) return undefined;
    return { result: "not_sent", reference, reason: `the terminal is registered for ${currency}, not ${requested}` };
  }

  function checkAmount(reference: string, amount: number): TerminalOutcome | undefined {
    if (Number.isSafeInteger(amount) && amount >= 1) return undefined;
    return { result: "not_sent", reference, reason: `invalid amount ${amount}` };
  }

  // ---- administration -----------------------------------------------------------------------------

  async function refreshState(): Promise<TerminalState> {
    await mutex.run(async () => {
      let target: Link;
      try {
        target = await connect();
      } catch (error) {
        fail(errorText(error));
        return;
      }
      const result = await converse(target, apdu(0x05, 0x01, password), Date.now() + commandTimeoutMs, (m) => {
        if (m.cls === 0x04 && m.instr === 0x0f) {
          const tid = readStatusInformation(m.data).terminalId;
          if (tid !== undefined) terminalId = tid;
        }
        if (m.cls === 0x06 && m.instr === 0x0f) return { status: completionTerminalStatus(m.data), refused: undefined };
        if (m.cls === 0x06 && m.instr === 0x1e) return { status: undefined, refused: m.data[0] ?? 0xff };
        return undefined;
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
    let target: Link;
    try {
      target = await connect();
      ok();
    } catch (error) {
      fail(errorText(error));
      throw isDriverError(error) ? error : new DriverError("open_failed", errorText(error), { cause: error });
    }
    const log = new TransactionLog(undefined);
    const result = await converse<End>(target, apdu(0x06, 0x50, password), Date.now() + endOfDayTimeoutMs, (m) =>
      log.take(m),
    );
    switch (result.kind) {
      case "done":
        break;
      case "refused":
        throw new DriverError("refused", `end of day refused: ${resultCodeText(result.code)}`);
      case "not_written":
        throw new DriverError("write_failed", `end of day not sent: ${result.reason}`);
      case "closed":
        throw new DriverError("closed", `connection closed during the end of day: ${result.reason}`);
      case "no_ack":
      case "timeout":
        await target.close();
        throw new DriverError("status_timeout", "the terminal did not finish the end of day in time");
    }
    if (result.value.end === "abort")
      throw new DriverError("refused", `end of day failed: ${resultCodeText(result.value.resultCode)}`);
    const totals = log.status?.totals;
    const byBrand = totals?.byBrand ?? [];
    return {
      total: log.status?.amount ?? byBrand.reduce((sum, b) => sum + b.total, 0),
      count: byBrand.reduce((sum, b) => sum + b.count, 0),
      currency,
      byBrand,
      receiptLines: log.adminLines(),
    };
  }

  // ---- transaction status -------------------------------------------------------------------------

  async function transactionStatus(query: {
    reference: string;
    amount: number;
    currency: string;
  }): Promise<TransactionStatus> {
    const { reference } = query;
    if (running?.reference === reference) return { state: "in_progress", reference };
    const record = records.get(reference);
    const known = record?.outcome;
    if (known !== undefined) {
      switch (known.result) {
        case "approved":
          if (reversed.has(known.transactionId)) return { state: "failed", reference, reason: "reversed since" };
          return { ...known, state: "approved" };
        case "declined":
        case "cancelled":
          return { state: "failed", reference, reason: known.reason };
        case "not_sent":
          return { state: "not_found", reference };
        case "unknown":
          break;
      }
    }
    return mutex.run(async () => askTerminal(query, record));
  }

  async function askTerminal(
    query: { reference: string; amount: number; currency: string },
    record: ReferenceRecord | undefined,
  ): Promise<TransactionStatus> {
    const { reference } = query;
    let target: Link;
    try {
      target = await connect();
      ok();
    } catch (error) {
      fail(errorText(error));
      return { state: "unreachable", reference, reason: errorText(error) };
    }
    const log = new TransactionLog(undefined);
    const result = await converse<End>(target, apdu(0x06, 0x20, password), Date.now() + commandTimeoutMs, (m) =>
      log.take(m),
    );
    if (
      result.kind === "refused" ||
      (result.kind === "done" && result.value.end === "abort" && log.status === undefined)
    )
      return { state: "not_found", reference };
    if (result.kind !== "done") {
      if (result.kind === "no_ack" || result.kind === "timeout") await target.close();
      return { state: "unreachable", reference, reason: conversationText(result) };
    }
    const status = log.status;
    if (status === undefined || !matches(status, query, record)) return { state: "not_found", reference };
    if (status.resultCode !== undefined && status.resultCode !== 0) {
      const reason = resultCodeText(status.resultCode);
      if (record !== undefined)
        record.outcome = { result: "declined", reference, reason, receiptLines: log.customerLines() };
      return { state: "failed", reference, reason };
    }
    const approved = approvedOutcome(reference, status, status.amount ?? query.amount, log.customerLines());
    if (reversed.has(approved.transactionId)) return { state: "failed", reference, reason: "reversed since" };
    if (record !== undefined) record.outcome = approved;
    return { ...approved, state: "approved" };
  }

  /** Is the terminal's last transaction the one `query` asks about? */
  function matches(
    status: StatusInformation,
    query: { amount: number; currency: string },
    record: ReferenceRecord | undefined,
  ): boolean {
    if (status.amount !== query.amount) return false;
    if (status.currency !== undefined && status.currency !== query.currency.toUpperCase()) return false;
    const receipt = status.receiptNumber ?? status.traceNumber;
    if ((record === undefined || record.kind === "pay") && receipt !== undefined && notSales.has(receipt)) return false;
    const when = terminalTime(status.date, status.time, Date.now());
    if (record === undefined) return when !== undefined && Math.abs(Date.now() - when) <= orphanWindowMs;
    if (record.traceBefore !== undefined && status.traceNumber !== undefined)
      return status.traceNumber !== record.traceBefore;
    return when !== undefined && when >= record.startedAt - clockSkewMs;
  }

  // ---- the interface ------------------------------------------------------------------------------

  function state(): TerminalState {
    return { online, busy: mutex.busy, terminalId, lastError };
  }

  const terminal: PaymentTerminal = {
    protocol: "zvt",
    async start() {
      stopped = false;
      started = true;
      await refreshState();
      if (!online) scheduleReconnect();
    },
    async stop() {
      stopped = true;
      started = false;
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
      const early =
        checkAmount(request.reference, request.amount) ?? checkCurrency(request.reference, request.currency);
      if (early !== undefined) return Promise.resolve(early);
      return transact(
        "pay",
        request.reference,
        request.amount,
        () => apdu(0x06, 0x01, [0x04], encodeAmount(request.amount), [0x49], currencyCode),
        paymentOptions,
      );
    },
    async abort() {
      const current = link;
      if (running === undefined || current === undefined || current.closed) return;
      await current.channel.send(apdu(0x06, 0xb0)).catch((error: unknown) => {
        logger.warn({ ns: NS, err: error }, "could not send abort to the terminal");
      });
    },
    transactionStatus,
    reverse(original, reference, paymentOptions) {
      return transact(
        "reverse",
        reference,
        original.amount,
        () => {
          if (!/^\d{1,4}$/.test(original.transactionId))
            throw new DriverError("encode_failed", `"${original.transactionId}" is not a ZVT receipt number`);
          return apdu(0x06, 0x30, password, [0x87], encodeBcd(original.transactionId, 2));
        },
        paymentOptions,
      ).then((outcome) => {
        if (outcome.result === "approved") reversed.add(original.transactionId);
        return outcome;
      });
    },
    refund(request, _original: OriginalTransaction | null, paymentOptions) {
      const early =
        checkAmount(request.reference, request.amount) ?? checkCurrency(request.reference, request.currency);
      if (early !== undefined) return Promise.resolve(early);
      return transact(
        "refund",
        request.reference,
        request.amount,
        () => apdu(0x06, 0x31, password, [0x04], encodeAmount(request.amount)),
        paymentOptions,
      );
    },
    endOfDay() {
      return mutex.run(endOfDayUnlocked);
    },
  };
  return terminal;
}

/** The terminal status byte of a status-enquiry completion: `[<LLL sw-version>] <status> [BMPs]`. */
function completionTerminalStatus(data: Uint8Array): number | undefined {
  const versionLength = decodeVarLength(data, 0, 3);
  return versionLength === undefined ? data[0] : data[3 + versionLength];
}

/** The terminal's MMDD + HHMMSS as epoch ms in local time, in the year that puts it not in the future. */
export function terminalTime(date: string | undefined, time: string | undefined, now: number): number | undefined {
  if (date === undefined || time === undefined || date.length !== 4 || time.length !== 6) return undefined;
  const [month = 0, day = 0, hours = 0, minutes = 0, seconds = 0] = [
    date.slice(0, 2),
    date.slice(2),
    time.slice(0, 2),
    time.slice(2, 4),
    time.slice(4),
  ].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const year = new Date(now).getFullYear();
  let value = new Date(year, month - 1, day, hours, minutes, seconds).getTime();
  if (value > now + 86_400_000) value = new Date(year - 1, month - 1, day, hours, minutes, seconds).getTime();
  return value;
}

/** The transports trace every byte at debug: keep the ECR password out of those traces. */
function redactingLogger(logger: DriverLogger, secretHex: string): DriverLogger {
  // Methods called on the logger itself: pino's live on its prototype.
  return {
    debug: (fields, message) => {
      logger.debug(fields, message?.replaceAll(secretHex, "xx xx xx"));
    },
    info: (fields, message) => {
      logger.info(fields, message);
    },
    warn: (fields, message) => {
      logger.warn(fields, message);
    },
    error: (fields, message) => {
      logger.error(fields, message);
    },
  };
}

function zvtAddress(uri: string): Exclude<DeviceAddress, SimAddress> {
  const address = parseDeviceUri(uri);
  if (address.scheme === "tcp") {
    // parseDeviceUri defaults to the printer port; a ZVT terminal listens on 20007.
    const explicitPort = /^tcp:\/\/(\[[^\]]*\]|[^/:]*):\d+\/?$/.test(uri);
    return explicitPort ? address : { ...address, port: DEFAULT_ZVT_PORT };
  }
  if (address.scheme === "serial") return address;
  throw new DriverError("uri_invalid", `a ZVT terminal is reached over tcp:// or serial:, not ${address.scheme}:`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function conversationText(result: Conversation<unknown>): string {
  switch (result.kind) {
    case "done":
      return "done";
    case "not_written":
      return `not sent: ${result.reason}`;
    case "refused":
      return `refused: ${resultCodeText(result.code)}`;
    case "no_ack":
      return "the terminal did not acknowledge the request";
    case "closed":
      return `connection closed: ${result.reason}`;
    case "timeout":
      return "no answer from the terminal in time";
  }
}
