/**
 * A simulated Adyen payment terminal speaking the Terminal API in local mode: an HTTPS server on
 * 127.0.0.1 (a random port) that takes the encrypted SaleToPOIRequest JSON, decrypts it with the
 * shared key (the library's NexoCrypto: the same spec as the terminal), and answers Payment,
 * Reversal, TransactionStatus, Abort, Diagnosis and Reconciliation requests, encrypted. A wrong key
 * or a bad HMAC gets what a real terminal answers: HTTP 401 with
 * `{"errors":["Nexo Service: crypto error (9)"]}`.
 *
 * TLS: at start it makes a throwaway root CA and a server certificate for
 * `<POIID>.test.terminal.adyen.com` with `openssl` (Debian package `openssl`), cached per process;
 * `certificatePem` is the root the driver must trust, as Adyen's root is for a real terminal.
 *
 * Script the next sales and refunds with `script(...)`: `approve`, `decline`, `customer_cancels`,
 * `slow_customer` (waits `delayMs`, then approves; an AbortRequest cancels it), `no_answer` (holds
 * the request, in progress, until an AbortRequest or `close()`), `drop_connection` (destroys the
 * socket without booking), `approve_then_drop` (books the sale, then destroys the socket),
 * `reject` (answers an EventNotification "Reject", as for a message the terminal will not take). An
 * empty script approves. The terminal keeps its transactions for status lookups, reversals and the
 * reconciliation totals.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { NexoCrypto, Types } from "@adyen/api-library";
import { decryptSecured, make, securityKey } from "../terminal/adyen/nexo-messages.ts";
import { isObject, numberAt, path, stringAt, toMajor, toMinor, type Json } from "../terminal/adyen/nexo-read.ts";

const run = promisify(execFile);
const terminal = Types.terminal;
type T = typeof Types.terminal;
type MessageHeader = InstanceType<T["MessageHeader"]>;

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

export interface AdyenSimReceived {
  category: string;
  saleId: string;
  serviceId: string;
  /** The decrypted SaleToPOIRequest. */
  message: Json;
}

export interface AdyenSimulatorOptions {
  keys: { keyIdentifier: string; keyVersion: number; passphrase: string };
  /** Default "V400m-123456789". */
  poiId?: string;
}

export interface AdyenSimulator {
  /** `https://127.0.0.1:<port>/nexo` */
  readonly url: string;
  readonly poiId: string;
  /** The root CA the driver must trust (`certificate` option). */
  readonly certificatePem: string;
  /** Queues outcomes for the next sales / refunds / reversals, in order. */
  script(...steps: (AdyenSimOutcome | AdyenSimStep)[]): void;
  transactions(): AdyenSimTransaction[];
  /** Requests decrypted so far, in order. */
  received(): AdyenSimReceived[];
  /** Requests refused with a crypto error. */
  refusedCount(): number;
  close(): Promise<void>;
}

interface Certificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const certificates = new Map<string, Promise<Certificates>>();

/** A root CA and a server certificate for `commonName`, made with openssl (cached per process). */
function certificatesFor(commonName: string): Promise<Certificates> {
  let made = certificates.get(commonName);
  if (made === undefined) {
    made = makeCertificates(commonName);
    certificates.set(commonName, made);
    made.catch(() => certificates.delete(commonName));
  }
  return made;
}

async function makeCertificates(commonName: string): Promise<Certificates> {
  const dir = await mkdtemp(join(tmpdir(), "galley-adyen-sim-"));
  const file = (name: string): string => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    await run("openssl", [
      "req", "-x509", ...ec, "-days", "7", "-subj", "/CN=Galley simulated Adyen terminal root",
      "-keyout", file("ca.key"), "-out", file("ca.pem"),
    ]); // prettier-ignore
    await run("openssl", [
      "req", "-new", ...ec, "-subj", `/CN=${commonName}`, "-keyout", file("server.key"), "-out", file("server.csr"),
    ]); // prettier-ignore
    await run("openssl", [
      "x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
      "-CAcreateserial", "-days", "7", "-out", file("server.pem"),
    ]); // prettier-ignore
    const [caPem, certPem, keyPem] = await Promise.all(
      ["ca.pem", "server.pem", "server.key"].map((name) => readFile(file(name), "utf8")),
    );
    return { caPem: caPem ?? "", certPem: certPem ?? "", keyPem: keyPem ?? "" };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const CATEGORIES = {
  Payment: terminal.MessageCategoryType.Payment,
  Reversal: terminal.MessageCategoryType.Reversal,
  TransactionStatus: terminal.MessageCategoryType.TransactionStatus,
  Abort: terminal.MessageCategoryType.Abort,
  Diagnosis: terminal.MessageCategoryType.Diagnosis,
  Reconciliation: terminal.MessageCategoryType.Reconciliation,
} as const;
type Category = keyof typeof CATEGORIES;

function isCategory(value: string): value is Category {
  return Object.hasOwn(CATEGORIES, value);
}

/** A request waiting for the customer (slow_customer, no_answer). */
interface Held {
  transaction: AdyenSimTransaction;
  release: (how: "done" | "aborted") => void;
}

/** What a booked request answered, for TransactionStatus to repeat. */
interface Booked {
  header: Json;
  bodyKey: "PaymentResponse" | "ReversalResponse";
  body: Json;
}

const CRYPTO_ERROR = "Nexo Service: crypto error (9)";

/** Starts the simulated terminal on 127.0.0.1. */
export async function startAdyenSimulator(options: AdyenSimulatorOptions): Promise<AdyenSimulator> {
  const poiId = options.poiId ?? "V400m-123456789";
  const tls = await certificatesFor(`${poiId}.test.terminal.adyen.com`);
  const key = securityKey(options.keys);
  const steps: AdyenSimStep[] = [];
  const transactions: AdyenSimTransaction[] = [];
  const received: AdyenSimReceived[] = [];
  const booked = new Map<string, Booked>();
  const held = new Map<string, Held>();
  let refused = 0;
  let counter = 0;
  let reconciliationId = 1000;
  let closed = false;

  const bookingKey = (saleId: string, serviceId: string): string => `${saleId}\u0000${serviceId}`;

  const send = (res: ServerResponse, status: number, body: string): void => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(body);
  };

  /** Rejects a message outright, as a terminal does: an encrypted EventNotification "Reject". */
  const reject = (res: ServerResponse, requestHeader: Json, details: string): void => {
    const header: MessageHeader = make(terminal.MessageHeader, {
      ProtocolVersion: "3.0",
      MessageClass: terminal.MessageClassType.Event,
      MessageCategory: terminal.MessageCategoryType.Event,
      MessageType: terminal.MessageType.Notification,
      POIID: poiId,
      SaleID: stringAt(requestHeader, "SaleID") ?? "",
      ServiceID: stringAt(requestHeader, "ServiceID") ?? "",
    });
    const event = {
      EventToNotify: "Reject",
      EventDetails: new URLSearchParams({ message: details }).toString(),
      TimeStamp: new Date().toISOString(),
    };
    const plain = JSON.stringify({ SaleToPOIRequest: { MessageHeader: header, EventNotification: event } });
    send(res, 200, JSON.stringify({ SaleToPOIRequest: NexoCrypto.encrypt(header, plain, key) }));
  };

  /** Encrypts `content` (the SaleToPOIResponse body) under a response header mirroring `request`. */
  const answer = (res: ServerResponse, requestHeader: Json, category: Category, content: Json): void => {
    const header: MessageHeader = make(terminal.MessageHeader, {
      ProtocolVersion: "3.0",
      MessageClass: terminal.MessageClassType.Service,
      MessageCategory: CATEGORIES[category],
      MessageType: terminal.MessageType.Response,
      POIID: poiId,
      SaleID: stringAt(requestHeader, "SaleID") ?? "",
      ServiceID: stringAt(requestHeader, "ServiceID") ?? "",
    });
    const plain = JSON.stringify({ SaleToPOIResponse: { MessageHeader: header, ...content } });
    send(res, 200, JSON.stringify({ SaleToPOIResponse: NexoCrypto.encrypt(header, plain, key) }));
  };

  const decrypt = (secured: unknown): Json | null => decryptSecured(secured, key);

  /** Held transactions ended by an AbortRequest (answered Aborted, not Cancel). */
  const heldAborted = new WeakSet<AdyenSimTransaction>();

  const nextStep = (): AdyenSimStep => steps.shift() ?? { outcome: "approve" };

  const newTransactionId = (): string => {
    counter += 1;
    const psp = String(8800000000000000 + counter * 7919).slice(0, 16);
    return `Sim${String(counter).padStart(4, "0")}${Date.now().toString(36)}.${psp}`;
  };

  const receipt = (
    qualifier: "CustomerReceipt" | "CashierReceipt",
    tx: AdyenSimTransaction,
    step: AdyenSimStep,
  ): Json => {
    const pairs: Record<string, string>[] = [
      { key: "header1", name: "Galley simulated terminal" },
      { key: "merchantTitle", name: qualifier === "CustomerReceipt" ? "CARDHOLDER COPY" : "MERCHANT COPY" },
      { key: "filler" },
      { key: "txdate", name: "Date", value: tx.timeStamp.slice(0, 10) },
      { key: "pan", name: "Card", value: `**** ${(step.maskedPan ?? "541333******0019").slice(-4)}` },
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
  };

  const responseOf = (tx: AdyenSimTransaction, step: AdyenSimStep, requestBody: Json): Json => {
    const resultBlock: Json =
      tx.state === "approved"
        ? { Result: "Success", AdditionalResponse: `tid=${poiId}&pspReference=${tx.transactionId.split(".")[1] ?? ""}` }
        : tx.state === "declined"
          ? {
              Result: "Failure",
              ErrorCondition: "Refusal",
              AdditionalResponse: "message=Not%20allowed&refusalReason=Refused",
            }
          : {
              Result: "Failure",
              ErrorCondition: heldAborted.has(tx) ? "Aborted" : "Cancel",
              AdditionalResponse: "message=Cancelled",
            };
    const receipts =
      tx.state === "in_progress" ? [] : [receipt("CashierReceipt", tx, step), receipt("CustomerReceipt", tx, step)];
    const poiData = { POITransactionID: { TransactionID: tx.transactionId, TimeStamp: tx.timeStamp } };
    const saleData = path(requestBody, "SaleData") ?? {};
    if (tx.kind === "reversal" || (tx.kind === "refund" && tx.originalTransactionId !== undefined)) {
      return {
        Response: resultBlock,
        POIData: poiData,
        SaleData: saleData,
        ...(tx.state === "approved" ? { ReversedAmount: toMajor(tx.amount, tx.currency) } : {}),
        PaymentReceipt: receipts,
      };
    }
    return {
      Response: resultBlock,
      POIData: poiData,
      SaleData: saleData,
      PaymentResult: {
        PaymentInstrumentData: {
          PaymentInstrumentType: "Card",
          CardData: { MaskedPan: step.maskedPan ?? "541333******0019", PaymentBrand: tx.brand },
        },
        ...(tx.state === "approved"
          ? {
              AmountsResp: { AuthorizedAmount: toMajor(tx.amount, tx.currency), Currency: tx.currency },
              PaymentAcquirerData: { AcquirerPOIID: poiId, MerchantID: "GalleySim", ApprovalCode: "123456" },
            }
          : {}),
      },
      PaymentReceipt: receipts,
    };
  };

  /** Runs a scripted sale / refund / reversal: `tx` arrives in progress and ends per the next step. */
  const runScripted = async (
    req: IncomingMessage,
    res: ServerResponse,
    header: Json,
    category: "Payment" | "Reversal",
    requestBody: Json,
    tx: AdyenSimTransaction,
    onApproved: () => void,
  ): Promise<void> => {
    const step = nextStep();
    if (step.brand !== undefined) tx.brand = step.brand;
    const bodyKey = category === "Payment" ? "PaymentResponse" : "ReversalResponse";
    const finish = (state: AdyenSimTransaction["state"]): Json => {
      tx.state = state;
      if (state === "approved") onApproved();
      const body = responseOf(tx, step, requestBody);
      booked.set(bookingKey(tx.saleId, tx.serviceId), { header, bodyKey, body });
      return body;
    };
    if (step.outcome === "drop_connection") {
      req.socket.destroy();
      return;
    }
    if (step.outcome === "reject") {
      reject(res, header, "Rejected by the script");
      return;
    }
    transactions.push(tx);
    booked.delete(bookingKey(tx.saleId, tx.serviceId));
    switch (step.outcome) {
      case "approve":
        answer(res, header, category, { [bodyKey]: finish("approved") });
        return;
      case "decline":
        answer(res, header, category, { [bodyKey]: finish("declined") });
        return;
      case "customer_cancels":
        answer(res, header, category, { [bodyKey]: finish("cancelled") });
        return;
      case "approve_then_drop":
        finish("approved");
        req.socket.destroy();
        return;
      case "slow_customer":
      case "no_answer": {
        const how = await new Promise<"done" | "aborted">((resolve) => {
          const key = bookingKey(tx.saleId, tx.serviceId);
          const timer =
            step.outcome === "slow_customer"
              ? setTimeout(() => {
                  held.delete(key);
                  resolve("done");
                }, step.delayMs ?? 300)
              : undefined;
          held.set(key, {
            transaction: tx,
            release: (reason) => {
              clearTimeout(timer);
              held.delete(key);
              resolve(reason);
            },
          });
        });
        if (closed) return;
        if (how === "aborted") heldAborted.add(tx);
        answer(res, header, category, { [bodyKey]: finish(how === "done" ? "approved" : "cancelled") });
        return;
      }
    }
  };

  const failure = (condition: string, message: string): Json => ({
    Result: "Failure",
    ErrorCondition: condition,
    AdditionalResponse: new URLSearchParams({ message }).toString(),
  });

  const handlePayment = async (
    req: IncomingMessage,
    res: ServerResponse,
    header: Json,
    message: Json,
  ): Promise<void> => {
    const body = path(message, "PaymentRequest");
    const currency = stringAt(body, "PaymentTransaction", "AmountsReq", "Currency") ?? "EUR";
    const requested = numberAt(body, "PaymentTransaction", "AmountsReq", "RequestedAmount") ?? 0;
    const isRefund = stringAt(body, "PaymentData", "PaymentType") === "Refund";
    if (!isObject(body)) {
      answer(res, header, "Payment", { PaymentResponse: { Response: failure("MessageFormat", "No PaymentRequest") } });
      return;
    }
    if (held.size > 0) {
      answer(res, header, "Payment", { PaymentResponse: { Response: failure("Busy", "Terminal busy") } });
      return;
    }
    const tx: AdyenSimTransaction = {
      saleId: stringAt(header, "SaleID") ?? "",
      serviceId: stringAt(header, "ServiceID") ?? "",
      reference: stringAt(body, "SaleData", "SaleTransactionID", "TransactionID") ?? "",
      kind: isRefund ? "refund" : "payment",
      state: "in_progress",
      amount: toMinor(requested, currency),
      currency,
      transactionId: newTransactionId(),
      timeStamp: new Date().toISOString(),
      brand: "mc",
      reversedAmount: 0,
      reconciled: false,
    };
    await runScripted(req, res, header, "Payment", body, tx, () => undefined);
  };

  const handleReversal = async (
    req: IncomingMessage,
    res: ServerResponse,
    header: Json,
    message: Json,
  ): Promise<void> => {
    const body = path(message, "ReversalRequest");
    const originalId = stringAt(body, "OriginalPOITransaction", "POITransactionID", "TransactionID");
    const original = transactions.find(
      (tx) => tx.kind === "payment" && tx.state === "approved" && tx.transactionId === originalId,
    );
    if (!isObject(body) || original === undefined) {
      answer(res, header, "Reversal", {
        ReversalResponse: { Response: failure("NotAllowed", "Original transaction not found") },
      });
      return;
    }
    if (held.size > 0) {
      answer(res, header, "Reversal", { ReversalResponse: { Response: failure("Busy", "Terminal busy") } });
      return;
    }
    const requested = numberAt(body, "ReversedAmount");
    const remaining = original.amount - original.reversedAmount;
    const amount = requested === undefined ? remaining : toMinor(requested, original.currency);
    if (amount < 1 || amount > remaining) {
      answer(res, header, "Reversal", {
        ReversalResponse: { Response: failure("NotAllowed", "Amount exceeds what is left of the original") },
      });
      return;
    }
    const tx: AdyenSimTransaction = {
      saleId: stringAt(header, "SaleID") ?? "",
      serviceId: stringAt(header, "ServiceID") ?? "",
      reference: stringAt(body, "SaleData", "SaleTransactionID", "TransactionID") ?? "",
      kind: requested === undefined ? "reversal" : "refund",
      state: "in_progress",
      amount,
      currency: original.currency,
      transactionId: newTransactionId(),
      timeStamp: new Date().toISOString(),
      brand: original.brand,
      originalTransactionId: original.transactionId,
      reversedAmount: 0,
      reconciled: false,
    };
    await runScripted(req, res, header, "Reversal", body, tx, () => {
      original.reversedAmount += amount;
    });
  };

  const handleStatus = (res: ServerResponse, header: Json, message: Json): void => {
    const reference = path(message, "TransactionStatusRequest", "MessageReference");
    const saleId = stringAt(reference, "SaleID") ?? stringAt(header, "SaleID") ?? "";
    const serviceId = stringAt(reference, "ServiceID");
    const category = stringAt(reference, "MessageCategory");
    const respond = (content: Json): void => {
      answer(res, header, "TransactionStatus", { TransactionStatusResponse: content });
    };
    if (serviceId === undefined) {
      respond({ Response: failure("NotFound", "No MessageReference") });
      return;
    }
    if (held.has(bookingKey(saleId, serviceId))) {
      respond({ Response: failure("InProgress", "Uncompleted transaction") });
      return;
    }
    const found = booked.get(bookingKey(saleId, serviceId));
    const foundCategory = found?.bodyKey === "PaymentResponse" ? "Payment" : "Reversal";
    if (found === undefined || (category !== undefined && category !== foundCategory)) {
      respond({ Response: failure("NotFound", "Transaction not found") });
      return;
    }
    respond({
      Response: { Result: "Success" },
      MessageReference: { SaleID: saleId, ServiceID: serviceId, MessageCategory: foundCategory },
      RepeatedMessageResponse: {
        MessageHeader: { ...found.header, MessageType: "Response", POIID: poiId },
        RepeatedResponseMessageBody: { [found.bodyKey]: found.body },
      },
    });
  };

  const handleAbort = (res: ServerResponse, message: Json): void => {
    const reference = path(message, "AbortRequest", "MessageReference");
    const target = held.get(bookingKey(stringAt(reference, "SaleID") ?? "", stringAt(reference, "ServiceID") ?? ""));
    target?.release("aborted");
    // A real terminal answers an AbortRequest with 200 and no body.
    send(res, 200, "");
  };

  const handleReconciliation = (res: ServerResponse, header: Json): void => {
    interface Totals {
      count: number;
      amount: number;
    }
    const groups = new Map<string, { brand: string; currency: string; totals: Map<string, Totals> }>();
    for (const tx of transactions) {
      if (tx.state !== "approved" || tx.reconciled) continue;
      tx.reconciled = true;
      const type = tx.kind === "payment" ? "Debit" : tx.originalTransactionId === undefined ? "Credit" : "ReverseDebit";
      const groupKey = `${tx.brand}/${tx.currency}`;
      const group = groups.get(groupKey) ?? {
        brand: tx.brand,
        currency: tx.currency,
        totals: new Map<string, Totals>(),
      };
      const totals = group.totals.get(type) ?? { count: 0, amount: 0 };
      totals.count += 1;
      totals.amount += tx.amount;
      group.totals.set(type, totals);
      groups.set(groupKey, group);
    }
    reconciliationId += 1;
    answer(res, header, "Reconciliation", {
      ReconciliationResponse: {
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
      },
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST") {
      send(res, 405, JSON.stringify({ errors: ["POST only"] }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > 1024 * 1024) {
        req.socket.destroy();
        return;
      }
      chunks.push(buffer);
    }
    let secured: unknown;
    try {
      secured = path(JSON.parse(Buffer.concat(chunks).toString("utf8")), "SaleToPOIRequest");
    } catch {
      send(res, 400, JSON.stringify({ errors: ["Invalid JSON"] }));
      return;
    }
    const message = decrypt(secured);
    const outerServiceId = stringAt(secured, "MessageHeader", "ServiceID") ?? "";
    if (message === null) {
      refused += 1;
      send(res, 401, JSON.stringify({ errors: [CRYPTO_ERROR], ServiceID: outerServiceId }));
      return;
    }
    const header = path(message, "MessageHeader");
    const category = stringAt(header, "MessageCategory") ?? "";
    if (!isObject(header) || !isCategory(category)) {
      reject(res, isObject(header) ? header : {}, `Unsupported MessageCategory ${category}`);
      return;
    }
    received.push({
      category,
      saleId: stringAt(header, "SaleID") ?? "",
      serviceId: stringAt(header, "ServiceID") ?? "",
      message,
    });
    switch (category) {
      case "Payment":
        await handlePayment(req, res, header, message);
        return;
      case "Reversal":
        await handleReversal(req, res, header, message);
        return;
      case "TransactionStatus":
        handleStatus(res, header, message);
        return;
      case "Abort":
        handleAbort(res, message);
        return;
      case "Diagnosis":
        answer(res, header, "Diagnosis", {
          DiagnosisResponse: {
            Response: { Result: "Success" },
            POIStatus: { GlobalStatus: "OK", CommunicationOKFlag: true },
            LoggedSaleID: [stringAt(header, "SaleID") ?? ""],
          },
        });
        return;
      case "Reconciliation":
        handleReconciliation(res, header);
        return;
    }
  };

  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    handle(req, res).catch(() => {
      req.socket.destroy();
    });
  });
  await new Promise<void>((resolve, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", fail);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}/nexo`,
    poiId,
    certificatePem: tls.caPem,
    script(...more) {
      for (const step of more) steps.push(typeof step === "string" ? { outcome: step } : step);
    },
    transactions: () => transactions.map((tx) => ({ ...tx })),
    received: () => [...received],
    refusedCount: () => refused,
    async close() {
      closed = true;
      for (const entry of [...held.values()]) entry.release("aborted");
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
