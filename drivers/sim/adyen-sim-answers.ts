/**
 * What the simulated Adyen terminal books and answers, as plain JSON: the scripted steps and the
 * transaction record, and the response bodies built from them — a Payment/ReversalResponse with
 * its receipts, a Failure block, a DiagnosisResponse and a ReconciliationResponse with the totals.
 * No state and no I/O: `adyen-sim-terminal.ts` decides what to answer, `adyen-simulator.ts`
 * encrypts and sends it.
 */
import { Types } from "@adyen/api-library";
import { path, toMajor, type Json } from "../terminal/adyen/nexo-read.ts";

const terminal = Types.terminal;

/** What the simulated customer does with the next sale or refund. */
export type AdyenSimOutcome =
  | "approve"
  | "decline"
  | "customer_cancels"
  | "slow_customer"
  | "no_answer"
  | "drop_connection"
  | "approve_then_drop"
  | "reject";

export interface AdyenSimStep {
  outcome: AdyenSimOutcome;
  /** For `slow_customer`: how long the customer takes; default 300 ms. */
  delayMs?: number;
  /** Adyen PaymentBrand code; default "mc". */
  brand?: string;
  /** Default "541333******0019". */
  maskedPan?: string;
  /** An extra customer-receipt line, sent as is (to test the driver's cleaning). */
  receiptText?: string;
}

export interface AdyenSimTransaction {
  saleId: string;
  serviceId: string;
  /** SaleTransactionID.TransactionID: the register's reference. */
  reference: string;
  kind: "payment" | "refund" | "reversal";
  state: "in_progress" | "approved" | "declined" | "cancelled";
  /** Minor units. */
  amount: number;
  currency: string;
  /** POITransactionID.TransactionID ("tender.psp"). */
  transactionId: string;
  timeStamp: string;
  brand: string;
  /** For refunds and reversals: the sale's transaction id. */
  originalTransactionId?: string;
  /** For sales: minor units refunded or reversed since. */
  reversedAmount: number;
  /** Already counted by a reconciliation. */
  reconciled: boolean;
}

/** The message categories the simulator answers. */
export const CATEGORIES = {
  Payment: terminal.MessageCategoryType.Payment,
  Reversal: terminal.MessageCategoryType.Reversal,
  TransactionStatus: terminal.MessageCategoryType.TransactionStatus,
  Abort: terminal.MessageCategoryType.Abort,
  Diagnosis: terminal.MessageCategoryType.Diagnosis,
  Reconciliation: terminal.MessageCategoryType.Reconciliation,
} as const;
export type Category = keyof typeof CATEGORIES;

export function isCategory(value: string): value is Category {
  return Object.hasOwn(CATEGORIES, value);
}

/** The categories that book a transaction, and the key of their response body. */
export type SaleCategory = "Payment" | "Reversal";
export type SaleBodyKey = "PaymentResponse" | "ReversalResponse";

export function bodyKeyOf(category: SaleCategory): SaleBodyKey {
  return category === "Payment" ? "PaymentResponse" : "ReversalResponse";
}

/** A `Response` block with Result Failure. */
export function failure(condition: string, message: string): Json {
  return {
    Result: "Failure",
    ErrorCondition: condition,
    AdditionalResponse: new URLSearchParams({ message }).toString(),
  };
}

const DEFAULT_PAN = "541333******0019";

/** One receipt, as Adyen sends it: one url-encoded `key=…&name=…&value=…` OutputText per line. */
function receipt(qualifier: "CustomerReceipt" | "CashierReceipt", tx: AdyenSimTransaction, step: AdyenSimStep): Json {
  const pairs: Record<string, string>[] = [
    { key: "header1", name: "Galley simulated terminal" },
    { key: "merchantTitle", name: qualifier === "CustomerReceipt" ? "CARDHOLDER COPY" : "MERCHANT COPY" },
    { key: "filler" },
    { key: "txdate", name: "Date", value: tx.timeStamp.slice(0, 10) },
    { key: "pan", name: "Card", value: `**** ${(step.maskedPan ?? DEFAULT_PAN).slice(-4)}` },
    { key: "paymentMethod", name: "Payment method", value: tx.brand },
    { key: "txRef", name: "Tender", value: tx.transactionId.split(".")[0] ?? "" },
    { key: "totalAmount", name: "TOTAL", value: `${tx.currency} ${toMajor(tx.amount, tx.currency).toFixed(2)}` },
    { key: tx.state, name: tx.state === "approved" ? "APPROVED" : tx.state.toUpperCase() },
  ];
  const texts: Json[] = pairs.map((pair) => ({ Text: new URLSearchParams(pair).toString(), EndOfLineFlag: true }));
  if (step.receiptText !== undefined && qualifier === "CustomerReceipt") {
    texts.push({ Text: step.receiptText, EndOfLineFlag: true });
  }
  return { DocumentQualifier: qualifier, OutputContent: { OutputFormat: "Text", OutputText: texts } };
}

/** The `Response` block of an ended sale; a cancelled one ends with `cancelCondition`. */
function resultOf(tx: AdyenSimTransaction, poiId: string, cancelCondition: "Cancel" | "Aborted"): Json {
  switch (tx.state) {
    case "approved":
      return {
        Result: "Success",
        AdditionalResponse: `tid=${poiId}&pspReference=${tx.transactionId.split(".")[1] ?? ""}`,
      };
    case "declined":
      return {
        Result: "Failure",
        ErrorCondition: "Refusal",
        AdditionalResponse: "message=Not%20allowed&refusalReason=Refused",
      };
    case "cancelled":
    case "in_progress":
      return { Result: "Failure", ErrorCondition: cancelCondition, AdditionalResponse: "message=Cancelled" };
  }
}

/**
 * The PaymentResponse or ReversalResponse body for the ended `tx`: a reversal or referenced refund
 * answers with ReversedAmount, a sale or unreferenced refund with PaymentResult (card, amount,
 * approval code). Both carry the cashier and customer receipts.
 */
export function saleResponse(
  tx: AdyenSimTransaction,
  step: AdyenSimStep,
  requestBody: Json,
  poiId: string,
  cancelCondition: "Cancel" | "Aborted",
): Json {
  const approved = tx.state === "approved";
  const common = {
    Response: resultOf(tx, poiId, cancelCondition),
    POIData: { POITransactionID: { TransactionID: tx.transactionId, TimeStamp: tx.timeStamp } },
    SaleData: path(requestBody, "SaleData") ?? {},
  };
  const receipts = [receipt("CashierReceipt", tx, step), receipt("CustomerReceipt", tx, step)];
  if (tx.kind === "reversal" || (tx.kind === "refund" && tx.originalTransactionId !== undefined)) {
    return {
      ...common,
      ...(approved ? { ReversedAmount: toMajor(tx.amount, tx.currency) } : {}),
      PaymentReceipt: receipts,
    };
  }
  return {
    ...common,
    PaymentResult: {
      PaymentInstrumentData: {
        PaymentInstrumentType: "Card",
        CardData: { MaskedPan: step.maskedPan ?? DEFAULT_PAN, PaymentBrand: tx.brand },
      },
      ...(approved
        ? {
            AmountsResp: { AuthorizedAmount: toMajor(tx.amount, tx.currency), Currency: tx.currency },
            PaymentAcquirerData: { AcquirerPOIID: poiId, MerchantID: "GalleySim", ApprovalCode: "123456" },
          }
        : {}),
    },
    PaymentReceipt: receipts,
  };
}

export function diagnosisResponse(saleId: string): Json {
  return {
    Response: { Result: "Success" },
    POIStatus: { GlobalStatus: "OK", CommunicationOKFlag: true },
    LoggedSaleID: [saleId],
  };
}

/** A ReconciliationResponse totalling `transactions` (approved, not yet reconciled) per brand, currency and type. */
export function reconciliationResponse(transactions: readonly AdyenSimTransaction[], reconciliationId: number): Json {
  interface Totals {
    count: number;
    amount: number;
  }
  const groups = new Map<string, { brand: string; currency: string; totals: Map<string, Totals> }>();
  for (const tx of transactions) {
    const type = tx.kind === "payment" ? "Debit" : tx.originalTransactionId === undefined ? "Credit" : "ReverseDebit";
    const groupKey = `${tx.brand}/${tx.currency}`;
    const group = groups.get(groupKey) ?? { brand: tx.brand, currency: tx.currency, totals: new Map<string, Totals>() };
    const totals = group.totals.get(type) ?? { count: 0, amount: 0 };
    totals.count += 1;
    totals.amount += tx.amount;
    group.totals.set(type, totals);
    groups.set(groupKey, group);
  }
  return {
    Response: { Result: "Success" },
    ReconciliationType: "SaleReconciliation",
    POIReconciliationID: String(reconciliationId),
    TransactionTotals: [...groups.values()].map((group) => ({
      PaymentInstrumentType: "Card",
      CardBrand: group.brand,
      PaymentCurrency: group.currency,
      PaymentTotals: [...group.totals].map(([type, totals]) => ({
        TransactionType: type,
        TransactionCount: totals.count,
        TransactionAmount: toMajor(totals.amount, group.currency),
      })),
    })),
  };
}
