/**
 * `transactionStatus` for ZVT: classic ZVT has no field for our reference and cannot look a
 * transaction up. `ReferenceBook` keeps the reference ↔ transaction mapping of our last operations
 * and answers from it when it knows the end; when an answer was lost it asks the terminal to
 * repeat its last transaction (06 20) and matches it on amount and on being newer than the request
 * (trace number changed since, or the terminal's own date/time). A terminal runs one transaction
 * at a time, so that last transaction is ours unless another one was started after it (see
 * drivers/README.md "Card terminals: ZVT").
 */
import type { TerminalOutcome, TransactionStatus } from "../terminal.ts";
import type { Apdu } from "./apdu.ts";
import { approvedOutcome, TransactionLog, type End } from "./answers.ts";
import { resultCodeText, type StatusInformation } from "./bmp.ts";
import { conversationText, type Link } from "./link.ts";

export interface ReferenceRecord {
  kind: "pay" | "refund" | "reverse";
  amount: number;
  startedAt: number;
  /** Our last known trace number when the request went out. */
  traceBefore: string | undefined;
  outcome: TerminalOutcome | undefined;
}

export interface StatusQuery {
  reference: string;
  amount: number;
  currency: string;
}

const MAX_RECORDS = 200;

export class ReferenceBook {
  readonly #records = new Map<string, ReferenceRecord>();
  /** Receipt numbers of the refunds and reversals we booked: a lost sale is never one of them. */
  readonly #notSales = new Set<string>();
  /** Receipt numbers of the sales we reversed. */
  readonly #reversed = new Set<string>();
  /** A reference this process never sent: the terminal's last transaction must be this recent. */
  readonly #orphanWindowMs: number;
  /** Tolerated difference between our clock and the terminal's. */
  readonly #clockSkewMs: number;

  constructor(options: { orphanWindowMs: number; clockSkewMs: number }) {
    this.#orphanWindowMs = options.orphanWindowMs;
    this.#clockSkewMs = options.clockSkewMs;
  }

  get(reference: string): ReferenceRecord | undefined {
    return this.#records.get(reference);
  }

  /** A new operation for `reference`, remembered (the oldest dropped beyond the last 200). */
  start(reference: string, record: Omit<ReferenceRecord, "startedAt" | "outcome">): ReferenceRecord {
    const entry: ReferenceRecord = { ...record, startedAt: Date.now(), outcome: undefined };
    this.#records.delete(reference);
    this.#records.set(reference, entry);
    // Bounded: drop the oldest.
    while (this.#records.size > MAX_RECORDS) {
      const oldest = this.#records.keys().next().value;
      if (oldest === undefined) break;
      this.#records.delete(oldest);
    }
    return entry;
  }

  /** How an operation ended; an approved refund or reversal can never be a lost sale. */
  end(record: ReferenceRecord, outcome: TerminalOutcome): void {
    record.outcome = outcome;
    if (outcome.result === "approved" && record.kind !== "pay") this.#notSales.add(outcome.transactionId);
  }

  /** The sale with this receipt number was reversed. */
  reversed(transactionId: string): void {
    this.#reversed.add(transactionId);
  }

  /** The status from memory, when the operation's end is known (`unknown` is not). */
  known(reference: string, record: ReferenceRecord | undefined): TransactionStatus | undefined {
    const known = record?.outcome;
    switch (known?.result) {
      case undefined:
      case "unknown":
        return undefined;
      case "approved":
        if (this.#reversed.has(known.transactionId)) return { state: "failed", reference, reason: "reversed since" };
        return { ...known, state: "approved" };
      case "declined":
      case "cancelled":
        return { state: "failed", reference, reason: known.reason };
      case "not_sent":
        return { state: "not_found", reference };
    }
  }

  /** Asks the terminal to repeat its last transaction (`request`, 06 20) and takes it when it is `query`'s. */
  async askTerminal(
    link: Link,
    request: Apdu,
    deadline: number,
    query: StatusQuery,
    record: ReferenceRecord | undefined,
  ): Promise<TransactionStatus> {
    const { reference } = query;
    const log = new TransactionLog(undefined);
    const result = await link.converse<End>(request, deadline, (m) => log.take(m));
    if (
      result.kind === "refused" ||
      (result.kind === "done" && result.value.end === "abort" && log.status === undefined)
    )
      return { state: "not_found", reference };
    if (result.kind !== "done") {
      if (result.kind === "no_ack" || result.kind === "timeout") await link.close();
      return { state: "unreachable", reference, reason: conversationText(result) };
    }
    const status = log.status;
    if (status === undefined || !this.#matches(status, query, record)) return { state: "not_found", reference };
    if (status.resultCode !== undefined && status.resultCode !== 0) {
      const reason = resultCodeText(status.resultCode);
      if (record !== undefined)
        record.outcome = { result: "declined", reference, reason, receiptLines: log.customerLines() };
      return { state: "failed", reference, reason };
    }
    const approved = approvedOutcome(reference, status, status.amount ?? query.amount, log.customerLines());
    if (this.#reversed.has(approved.transactionId)) return { state: "failed", reference, reason: "reversed since" };
    if (record !== undefined) record.outcome = approved;
    return { ...approved, state: "approved" };
  }

  /** Is the terminal's last transaction the one `query` asks about? */
  #matches(status: StatusInformation, query: StatusQuery, record: ReferenceRecord | undefined): boolean {
    if (status.amount !== query.amount) return false;
    if (status.currency !== undefined && status.currency !== query.currency.toUpperCase()) return false;
    const receipt = status.receiptNumber ?? status.traceNumber;
    if ((record === undefined || record.kind === "pay") && receipt !== undefined && this.#notSales.has(receipt))
      return false;
    const when = terminalTime(status.date, status.time, Date.now());
    if (record === undefined) return when !== undefined && Math.abs(Date.now() - when) <= this.#orphanWindowMs;
    if (record.traceBefore !== undefined && status.traceNumber !== undefined)
      return status.traceNumber !== record.traceBefore;
    return when !== undefined && when >= record.startedAt - this.#clockSkewMs;
  }
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
