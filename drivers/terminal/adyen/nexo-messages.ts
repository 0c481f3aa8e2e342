/**
 * The SaleToPOIRequests the Adyen driver sends, built with `@adyen/api-library`'s terminal types
 * (nexo "Sale to POI" protocol 3.0, MessageClass Service), and the ServiceIDs that name them.
 *
 * ServiceID (1–10 alphanumerics, unique per terminal for 48 hours) identifies a request/response
 * pair; TransactionStatusRequest and AbortRequest find an earlier request by SaleID + ServiceID.
 * For payments, refunds and reversals it is derived from our reference — a hash of SaleID,
 * reference and attempt number — so a process that restarted after a crash, knowing only the
 * reference, can still ask how that operation ended. Other requests take a random one.
 */
import { createHash, randomBytes } from "node:crypto";
import { NexoCrypto, Types } from "@adyen/api-library";
import { isObject, numberAt, path, stringAt, toMajor, type Json } from "./nexo-read.ts";

type T = typeof Types.terminal;
export type TerminalApiRequest = InstanceType<T["TerminalApiRequest"]>;
export type SecurityKey = InstanceType<T["SecurityKey"]>;
type MessageHeader = InstanceType<T["MessageHeader"]>;
type MessageCategory = Types.terminal.MessageCategoryType;

const terminal = Types.terminal;

/** The fields of a library message class, as a plain object type. */
type Fields<C> = { [K in keyof C]: C[K] };

/**
 * An instance of one of the library's message classes with `fields` set: the library's
 * serialiser walks each class's attribute map, so messages are built from its classes.
 */
export function make<C extends object>(Type: new () => C, fields: Fields<C>): C {
  return Object.assign(new Type(), fields);
}

/** How many ServiceIDs one reference may use (one per attempt after `not_sent`). */
export const MAX_ATTEMPTS = 4;

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function alphanumeric(bytes: Buffer): string {
  let id = "";
  for (let i = 0; i < 10; i++) id += ALPHANUMERIC.charAt(bytes.readUInt8(i) % ALPHANUMERIC.length);
  return id;
}

/** The ServiceID of attempt `attempt` (0-based) for `reference`: 10 alphanumerics, stable across restarts. */
export function serviceIdFor(saleId: string, reference: string, attempt: number): string {
  return alphanumeric(createHash("sha256").update(`galley/adyen/${saleId}/${reference}/${attempt}`).digest());
}

/** A fresh random ServiceID for status, abort, diagnosis and reconciliation requests. */
export function randomServiceId(): string {
  return alphanumeric(randomBytes(10));
}

/** Who we are and which terminal we talk to. */
export interface NexoParty {
  saleId: string;
  poiId: string;
}

/** The category of an earlier request a MessageReference points at. */
export type ReferencedCategory = "Payment" | "Reversal";

function categoryOf(name: ReferencedCategory): Types.terminal.MessageReference.MessageCategoryEnum {
  const categories = terminal.MessageReference.MessageCategoryEnum;
  return name === "Payment" ? categories.Payment : categories.Reversal;
}

function header(party: NexoParty, category: MessageCategory, serviceId: string): MessageHeader {
  return make(terminal.MessageHeader, {
    ProtocolVersion: "3.0",
    MessageClass: terminal.MessageClassType.Service,
    MessageCategory: category,
    MessageType: terminal.MessageType.Request,
    SaleID: party.saleId,
    ServiceID: serviceId,
    POIID: party.poiId,
  });
}

function request(fields: Fields<InstanceType<T["SaleToPOIRequest"]>>): TerminalApiRequest {
  return make(terminal.TerminalApiRequest, { SaleToPOIRequest: make(terminal.SaleToPOIRequest, fields) });
}

function transactionId(id: string, timeStamp: string): InstanceType<T["TransactionIdentification"]> {
  return make(terminal.TransactionIdentification, { TransactionID: id, TimeStamp: timeStamp });
}

function now(): string {
  return new Date().toISOString();
}

export interface PaymentMessage {
  serviceId: string;
  reference: string;
  amount: number;
  currency: string;
  /** An unreferenced refund (money back to any card) instead of a sale. */
  refund: boolean;
}

export function paymentRequest(party: NexoParty, message: PaymentMessage): TerminalApiRequest {
  const payment = make(terminal.PaymentRequest, {
    SaleData: make(terminal.SaleData, { SaleTransactionID: transactionId(message.reference, now()) }),
    PaymentTransaction: make(terminal.PaymentTransaction, {
      AmountsReq: make(terminal.AmountsReq, {
        Currency: message.currency,
        RequestedAmount: toMajor(message.amount, message.currency),
      }),
    }),
  });
  if (message.refund) {
    payment.PaymentData = make(terminal.PaymentData, { PaymentType: terminal.PaymentData.PaymentTypeEnum.Refund });
  }
  return request({
    MessageHeader: header(party, terminal.MessageCategoryType.Payment, message.serviceId),
    PaymentRequest: payment,
  });
}

export interface ReversalMessage {
  serviceId: string;
  reference: string;
  /** The sale's POITransactionID. */
  originalTransactionId: string;
  originalTimeStamp: string;
  currency: string;
  /** Minor units for a referenced (partial) refund; absent reverses the whole sale. */
  amount?: number | undefined;
}

/** A reversal (whole sale) or a referenced refund (part of it): both are ReversalRequests in Adyen's API. */
export function reversalRequest(party: NexoParty, message: ReversalMessage): TerminalApiRequest {
  const reversal = make(terminal.ReversalRequest, {
    OriginalPOITransaction: make(terminal.OriginalPOITransaction, {
      POITransactionID: transactionId(message.originalTransactionId, message.originalTimeStamp),
    }),
    ReversalReason: terminal.ReversalReasonType.MerchantCancel,
    SaleData: make(terminal.SaleData, {
      SaleTransactionID: transactionId(message.reference, now()),
      SaleToAcquirerData: `currency=${message.currency}`,
    }),
  });
  if (message.amount !== undefined) reversal.ReversedAmount = toMajor(message.amount, message.currency);
  return request({
    MessageHeader: header(party, terminal.MessageCategoryType.Reversal, message.serviceId),
    ReversalRequest: reversal,
  });
}

/** Asks how the request `serviceId` ended; the answer repeats its response with the receipts. */
export function transactionStatusRequest(
  party: NexoParty,
  serviceId: string,
  category: ReferencedCategory | undefined,
): TerminalApiRequest {
  const reference = make(terminal.MessageReference, { SaleID: party.saleId, ServiceID: serviceId });
  if (category !== undefined) reference.MessageCategory = categoryOf(category);
  return request({
    MessageHeader: header(party, terminal.MessageCategoryType.TransactionStatus, randomServiceId()),
    TransactionStatusRequest: make(terminal.TransactionStatusRequest, {
      ReceiptReprintFlag: true,
      DocumentQualifier: [
        terminal.TransactionStatusRequest.DocumentQualifierEnum.CustomerReceipt,
        terminal.TransactionStatusRequest.DocumentQualifierEnum.CashierReceipt,
      ],
      MessageReference: reference,
    }),
  });
}

export function abortRequest(party: NexoParty, serviceId: string, category: ReferencedCategory): TerminalApiRequest {
  return request({
    MessageHeader: header(party, terminal.MessageCategoryType.Abort, randomServiceId()),
    AbortRequest: make(terminal.AbortRequest, {
      AbortReason: "MerchantAbort",
      MessageReference: make(terminal.MessageReference, {
        MessageCategory: categoryOf(category),
        SaleID: party.saleId,
        ServiceID: serviceId,
      }),
    }),
  });
}

export function diagnosisRequest(party: NexoParty): TerminalApiRequest {
  return request({
    MessageHeader: header(party, terminal.MessageCategoryType.Diagnosis, randomServiceId()),
    DiagnosisRequest: make(terminal.DiagnosisRequest, { HostDiagnosisFlag: false }),
  });
}

/** Closes the terminal's reconciliation period and returns its totals (SaleReconciliation). */
export function reconciliationRequest(party: NexoParty): TerminalApiRequest {
  return request({
    MessageHeader: header(party, terminal.MessageCategoryType.Reconciliation, randomServiceId()),
    ReconciliationRequest: make(terminal.ReconciliationRequest, {
      ReconciliationType: terminal.ReconciliationType.SaleReconciliation,
    }),
  });
}

export function securityKey(keys: { keyIdentifier: string; keyVersion: number; passphrase: string }): SecurityKey {
  return make(terminal.SecurityKey, {
    KeyIdentifier: keys.keyIdentifier,
    KeyVersion: keys.keyVersion,
    Passphrase: keys.passphrase,
    AdyenCryptoVersion: 1,
  });
}

/**
 * Decrypts one `{ MessageHeader, NexoBlob, SecurityTrailer }` (either direction) with the
 * library's NexoCrypto and returns the inner SaleToPOIRequest or SaleToPOIResponse, or null when
 * it is malformed, for another key, or fails the HMAC check.
 */
export function decryptSecured(secured: unknown, key: SecurityKey): Json | null {
  const trailer = path(secured, "SecurityTrailer");
  const blob = stringAt(secured, "NexoBlob");
  const nonce = stringAt(trailer, "Nonce");
  const hmac = stringAt(trailer, "Hmac");
  if (blob === undefined || nonce === undefined || hmac === undefined) return null;
  if (stringAt(trailer, "KeyIdentifier") !== key.KeyIdentifier || numberAt(trailer, "KeyVersion") !== key.KeyVersion) {
    return null;
  }
  const message = make(terminal.SaleToPOISecuredMessage, {
    // Only the blob and the trailer take part in decryption.
    MessageHeader: make(terminal.MessageHeader, {
      MessageCategory: terminal.MessageCategoryType.Event,
      MessageClass: terminal.MessageClassType.Service,
      MessageType: terminal.MessageType.Notification,
      POIID: "",
    }),
    NexoBlob: blob,
    SecurityTrailer: make(terminal.SecurityTrailer, {
      AdyenCryptoVersion: key.AdyenCryptoVersion,
      KeyIdentifier: key.KeyIdentifier,
      KeyVersion: key.KeyVersion,
      Nonce: nonce,
      Hmac: hmac,
    }),
  });
  try {
    const parsed: unknown = JSON.parse(new NexoCrypto().decrypt(message, key));
    const inner = isObject(parsed) ? (parsed.SaleToPOIRequest ?? parsed.SaleToPOIResponse) : undefined;
    return isObject(inner) ? inner : null;
  } catch {
    return null;
  }
}
