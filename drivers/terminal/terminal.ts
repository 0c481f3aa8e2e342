/**
 * One interface for every card terminal galleyd drives (ZVT over TCP or serial, Adyen's Terminal
 * API in local mode), beside the printer. The appliance asks for a payment with its own
 * reference (the payment attempt's id), follows what the terminal shows, and — when an answer was
 * lost — asks the terminal how that reference ended instead of charging again.
 *
 * Money is always an integer of minor units (cents) with an ISO 4217 currency. Nothing here ever
 * carries a full card number or a CVV: the receipt lines are what the terminal itself prints on
 * its slip (masked PAN, auth code, terminal id), and `card` holds only what a receipt may show.
 */

/** Which protocol a terminal speaks. */
export type TerminalProtocol = "zvt" | "adyen";

/** A sale or a refund asked of the terminal. */
export interface TerminalAmountRequest {
  /** Our reference for this operation (a payment attempt or refund id); ≤ 36 characters, [A-Za-z0-9-]. */
  reference: string;
  /** Minor units, ≥ 1. */
  amount: number;
  /** ISO 4217, e.g. "EUR". */
  currency: string;
}

/** What the terminal is doing now, as its display says it (for the kiosk to mirror). */
export type TerminalStage =
  | "connecting"
  | "present_card"
  | "reading_card"
  | "enter_pin"
  | "processing"
  | "remove_card"
  | "approved"
  | "declined"
  | "cancelled"
  | "other";

export interface TerminalProgress {
  stage: TerminalStage;
  /** The terminal's own text, printable characters only (no control bytes), ≤ 80 characters. */
  text: string;
}

/** What a receipt may show about the card. Never a full PAN. */
export interface CardSummary {
  /** e.g. "************1234" or "1234" — only the last four digits may be clear. */
  maskedPan?: string;
  /** e.g. "Girocard", "VISA", "Mastercard". */
  brand?: string;
  /** Card sequence number / expiry are not kept. */
}

/** The terminal's answer to a sale, refund or reversal. */
export type TerminalOutcome =
  | {
      result: "approved";
      reference: string;
      /** Minor units actually authorised. */
      amount: number;
      /** The terminal's own id for the transaction (ZVT receipt number; Adyen's PSP reference / transaction id). */
      transactionId: string;
      authCode?: string;
      terminalId?: string;
      card?: CardSummary;
      /** Lines the terminal asks the merchant to print on the customer's receipt (the card slip). */
      receiptLines: string[];
    }
  | { result: "declined"; reference: string; reason: string; receiptLines: string[] }
  /** The customer pressed cancel, the terminal timed out waiting for a card, or `abort()` was obeyed. */
  | { result: "cancelled"; reference: string; reason: string }
  /** Nothing reached the terminal (offline, refused, busy): it is safe to try again. */
  | { result: "not_sent"; reference: string; reason: string }
  /**
   * The request reached the terminal but its answer did not reach us (connection dropped, no
   * answer in time). The money may have moved: ask `transactionStatus(reference)`; never retry.
   */
  | { result: "unknown"; reference: string; reason: string };

export type TerminalOutcomeResult = TerminalOutcome["result"];

/** What the terminal says about an earlier operation of ours. */
export type TransactionStatus =
  | {
      state: "approved";
      reference: string;
      amount: number;
      transactionId: string;
      authCode?: string;
      terminalId?: string;
      card?: CardSummary;
      receiptLines: string[];
    }
  /** Declined, cancelled, or reversed since. */
  | { state: "failed"; reference: string; reason: string }
  /** The terminal has no transaction with this reference (it never started). */
  | { state: "not_found"; reference: string }
  /** Still running on the terminal (customer at the PIN pad). */
  | { state: "in_progress"; reference: string }
  /** The terminal could not be asked (offline); try again later. */
  | { state: "unreachable"; reference: string; reason: string };

/** An earlier approved sale being undone. */
export interface OriginalTransaction {
  reference: string;
  transactionId: string;
  amount: number;
  currency: string;
}

/** The end of day (ZVT "end of day" 06 50; Adyen's reconciliation): what the terminal booked since the last one. */
export interface TerminalTotals {
  /** Sales minus refunds/reversals booked since the last end of day, minor units. */
  total: number;
  count: number;
  currency: string;
  /** Per card brand, when the terminal reports it. */
  byBrand: { brand: string; count: number; total: number }[];
  receiptLines: string[];
}

export interface TerminalState {
  /** Connected (or answered its last request) and not known to be broken. */
  online: boolean;
  /** An operation of ours is running. */
  busy: boolean;
  /** Terminal id as reported by the terminal, when known. */
  terminalId: string | null;
  /** The last error, plainly worded, or null. */
  lastError: string | null;
}

export interface PaymentOptions {
  /** Called for each intermediate status the terminal reports. Must not throw. */
  onProgress?: (progress: TerminalProgress) => void;
  /** Give up waiting after this long (the outcome is then `unknown` if the request was sent). */
  timeoutMs?: number;
}

export interface PaymentTerminal {
  readonly protocol: TerminalProtocol;
  /** Connects (or checks reachability) and keeps trying in the background; resolves even if offline. */
  start(): Promise<void>;
  /** Closes connections; an operation in flight ends `unknown` (or `not_sent` if nothing was sent). */
  stop(): Promise<void>;
  state(): TerminalState;
  /** Asks the terminal's status now (ZVT 05 01 status enquiry; Adyen DiagnosisRequest). */
  refreshState(): Promise<TerminalState>;
  /** A sale: the terminal shows the amount and asks for a card. Never throws; every failure is an outcome. */
  pay(request: TerminalAmountRequest, options?: PaymentOptions): Promise<TerminalOutcome>;
  /** Asks the terminal to stop the running sale (ZVT 06 B0; Adyen AbortRequest). Resolves once asked. */
  abort(): Promise<void>;
  /** How the operation with `reference` ended. `amount` lets a protocol without lookup by reference (ZVT) match its last transaction. */
  transactionStatus(query: { reference: string; amount: number; currency: string }): Promise<TransactionStatus>;
  /** Undoes an approved sale of the current day (ZVT 06 30; Adyen ReversalRequest). */
  reverse(original: OriginalTransaction, reference: string, options?: PaymentOptions): Promise<TerminalOutcome>;
  /** Gives money back on a card (ZVT 06 31; Adyen referenced refund). */
  refund(
    request: TerminalAmountRequest,
    original: OriginalTransaction | null,
    options?: PaymentOptions,
  ): Promise<TerminalOutcome>;
  /** Closes the terminal's day and returns its totals. Throws DriverError when the terminal cannot be asked. */
  endOfDay(): Promise<TerminalTotals>;
}
