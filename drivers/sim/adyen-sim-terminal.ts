/**
 * The simulated Adyen terminal's nexo side: what it does with each decrypted request. It keeps the
 * script (the next sales' outcomes), the transactions it booked, the answer of each booked request
 * for TransactionStatus to repeat, and the requests held waiting for the customer, which an
 * AbortRequest or `close()` ends. Answers go out through a `SimReply`, which `adyen-simulator.ts`
 * encrypts onto the HTTPS connection; their bodies come from `adyen-sim-answers.ts`.
 */
import { isObject, numberAt, path, stringAt, toMinor, type Json } from "../terminal/adyen/nexo-read.ts";
import {
  bodyKeyOf,
  diagnosisResponse,
  failure,
  reconciliationResponse,
  saleResponse,
  type AdyenSimStep,
  type AdyenSimTransaction,
  type Category,
  type SaleBodyKey,
  type SaleCategory,
} from "./adyen-sim-answers.ts";

/** How the simulator answers one request. */
export interface SimReply {
  /** Encrypts `content` (the SaleToPOIResponse body) under a response header mirroring the request's. */
  answer(category: Category, content: Json): void;
  /** Rejects the message outright, as a terminal does: an encrypted EventNotification "Reject". */
  reject(details: string): void;
  /** HTTP 200 without a body. */
  empty(): void;
  /** Destroys the connection without an answer. */
  drop(): void;
}

/** What a booked request answered, for TransactionStatus to repeat. */
interface Booked {
  header: Json;
  bodyKey: SaleBodyKey;
  body: Json;
}

type HeldEnd = "done" | "aborted";

function bookingKey(saleId: string, serviceId: string): string {
  return `${saleId}\u0000${serviceId}`;
}

export class SimTerminal {
  /** Booked sales, refunds and reversals, in order. */
  readonly transactions: AdyenSimTransaction[] = [];

  private readonly poiId: string;
  private readonly steps: AdyenSimStep[] = [];
  private readonly booked = new Map<string, Booked>();
  /** Requests waiting for the customer (slow_customer, no_answer), by booking key: how to end each. */
  private readonly held = new Map<string, (how: HeldEnd) => void>();
  private counter = 0;
  private reconciliationId = 1000;
  private closed = false;

  constructor(poiId: string) {
    this.poiId = poiId;
  }

  /** Queues outcomes for the next sales / refunds / reversals, in order. */
  script(steps: readonly AdyenSimStep[]): void {
    this.steps.push(...steps);
  }

  /** Ends every held request (they are not answered). */
  close(): void {
    this.closed = true;
    for (const release of [...this.held.values()]) release("aborted");
  }

  async handle(category: Category, header: Json, message: Json, reply: SimReply): Promise<void> {
    switch (category) {
      case "Payment":
        await this.payment(header, message, reply);
        return;
      case "Reversal":
        await this.reversal(header, message, reply);
        return;
      case "TransactionStatus":
        this.status(header, message, reply);
        return;
      case "Abort": {
        const reference = path(message, "AbortRequest", "MessageReference");
        const key = bookingKey(stringAt(reference, "SaleID") ?? "", stringAt(reference, "ServiceID") ?? "");
        this.held.get(key)?.("aborted");
        // A real terminal answers an AbortRequest with 200 and no body.
        reply.empty();
        return;
      }
      case "Diagnosis":
        reply.answer("Diagnosis", { DiagnosisResponse: diagnosisResponse(stringAt(header, "SaleID") ?? "") });
        return;
      case "Reconciliation": {
        const open = this.transactions.filter((tx) => tx.state === "approved" && !tx.reconciled);
        for (const tx of open) tx.reconciled = true;
        this.reconciliationId += 1;
        reply.answer("Reconciliation", { ReconciliationResponse: reconciliationResponse(open, this.reconciliationId) });
        return;
      }
    }
  }

  private async payment(header: Json, message: Json, reply: SimReply): Promise<void> {
    const body = path(message, "PaymentRequest");
    if (!isObject(body)) {
      refuse(reply, "Payment", "MessageFormat", "No PaymentRequest");
      return;
    }
    if (this.held.size > 0) {
      refuse(reply, "Payment", "Busy", "Terminal busy");
      return;
    }
    const currency = stringAt(body, "PaymentTransaction", "AmountsReq", "Currency") ?? "EUR";
    const requested = numberAt(body, "PaymentTransaction", "AmountsReq", "RequestedAmount") ?? 0;
    const tx = this.newTransaction(header, body, {
      kind: stringAt(body, "PaymentData", "PaymentType") === "Refund" ? "refund" : "payment",
      amount: toMinor(requested, currency),
      currency,
      brand: "mc",
    });
    await this.runScripted(reply, header, "Payment", body, tx, () => undefined);
  }

  private async reversal(header: Json, message: Json, reply: SimReply): Promise<void> {
    const body = path(message, "ReversalRequest");
    const originalId = stringAt(body, "OriginalPOITransaction", "POITransactionID", "TransactionID");
    const original = this.transactions.find(
      (tx) => tx.kind === "payment" && tx.state === "approved" && tx.transactionId === originalId,
    );
    if (!isObject(body) || original === undefined) {
      refuse(reply, "Reversal", "NotAllowed", "Original transaction not found");
      return;
    }
    if (this.held.size > 0) {
      refuse(reply, "Reversal", "Busy", "Terminal busy");
      return;
    }
    const requested = numberAt(body, "ReversedAmount");
    const remaining = original.amount - original.reversedAmount;
    const amount = requested === undefined ? remaining : toMinor(requested, original.currency);
    if (amount < 1 || amount > remaining) {
      refuse(reply, "Reversal", "NotAllowed", "Amount exceeds what is left of the original");
      return;
    }
    const tx = this.newTransaction(header, body, {
      kind: requested === undefined ? "reversal" : "refund",
      amount,
      currency: original.currency,
      brand: original.brand,
      originalTransactionId: original.transactionId,
    });
    await this.runScripted(reply, header, "Reversal", body, tx, () => {
      original.reversedAmount += amount;
    });
  }

  private status(header: Json, message: Json, reply: SimReply): void {
    const reference = path(message, "TransactionStatusRequest", "MessageReference");
    const saleId = stringAt(reference, "SaleID") ?? stringAt(header, "SaleID") ?? "";
    const serviceId = stringAt(reference, "ServiceID");
    const category = stringAt(reference, "MessageCategory");
    const respond = (content: Json): void => {
      reply.answer("TransactionStatus", { TransactionStatusResponse: content });
    };
    if (serviceId === undefined) {
      respond({ Response: failure("NotFound", "No MessageReference") });
      return;
    }
    const key = bookingKey(saleId, serviceId);
    if (this.held.has(key)) {
      respond({ Response: failure("InProgress", "Uncompleted transaction") });
      return;
    }
    const found = this.booked.get(key);
    const foundCategory = found?.bodyKey === "PaymentResponse" ? "Payment" : "Reversal";
    if (found === undefined || (category !== undefined && category !== foundCategory)) {
      respond({ Response: failure("NotFound", "Transaction not found") });
      return;
    }
    respond({
      Response: { Result: "Success" },
      MessageReference: { SaleID: saleId, ServiceID: serviceId, MessageCategory: foundCategory },
      RepeatedMessageResponse: {
        MessageHeader: { ...found.header, MessageType: "Response", POIID: this.poiId },
        RepeatedResponseMessageBody: { [found.bodyKey]: found.body },
      },
    });
  }

  /** A transaction in progress for the request under `header`, with a fresh "tender.psp" id. */
  private newTransaction(
    header: Json,
    body: Json,
    fields: Pick<AdyenSimTransaction, "kind" | "amount" | "currency" | "brand" | "originalTransactionId">,
  ): AdyenSimTransaction {
    this.counter += 1;
    const psp = String(8800000000000000 + this.counter * 7919).slice(0, 16);
    const tx: AdyenSimTransaction = {
      saleId: stringAt(header, "SaleID") ?? "",
      serviceId: stringAt(header, "ServiceID") ?? "",
      reference: stringAt(body, "SaleData", "SaleTransactionID", "TransactionID") ?? "",
      kind: fields.kind,
      state: "in_progress",
      amount: fields.amount,
      currency: fields.currency,
      transactionId: `Sim${String(this.counter).padStart(4, "0")}${Date.now().toString(36)}.${psp}`,
      timeStamp: new Date().toISOString(),
      brand: fields.brand,
      reversedAmount: 0,
      reconciled: false,
    };
    if (fields.originalTransactionId !== undefined) tx.originalTransactionId = fields.originalTransactionId;
    return tx;
  }

  /** Runs a scripted sale / refund / reversal: `tx` arrives in progress and ends per the next step. */
  private async runScripted(
    reply: SimReply,
    header: Json,
    category: SaleCategory,
    requestBody: Json,
    tx: AdyenSimTransaction,
    onApproved: () => void,
  ): Promise<void> {
    const step = this.steps.shift() ?? { outcome: "approve" };
    if (step.brand !== undefined) tx.brand = step.brand;
    if (step.outcome === "drop_connection") {
      reply.drop();
      return;
    }
    if (step.outcome === "reject") {
      reply.reject("Rejected by the script");
      return;
    }
    const key = bookingKey(tx.saleId, tx.serviceId);
    const bodyKey = bodyKeyOf(category);
    this.transactions.push(tx);
    this.booked.delete(key);
    /** Ends `tx` in `state`, books its answer and returns it. */
    const finish = (state: AdyenSimTransaction["state"], cancelCondition: "Cancel" | "Aborted" = "Cancel"): Json => {
      tx.state = state;
      if (state === "approved") onApproved();
      const body = saleResponse(tx, step, requestBody, this.poiId, cancelCondition);
      this.booked.set(key, { header, bodyKey, body });
      return body;
    };
    const answer = (state: AdyenSimTransaction["state"], cancelCondition?: "Cancel" | "Aborted"): void => {
      reply.answer(category, { [bodyKey]: finish(state, cancelCondition) });
    };
    switch (step.outcome) {
      case "approve":
        answer("approved");
        return;
      case "decline":
        answer("declined");
        return;
      case "customer_cancels":
        answer("cancelled");
        return;
      case "approve_then_drop":
        finish("approved");
        reply.drop();
        return;
      case "slow_customer":
      case "no_answer": {
        const delayMs = step.outcome === "slow_customer" ? (step.delayMs ?? 300) : undefined;
        const how = await this.hold(key, delayMs);
        if (this.closed) return;
        // An AbortRequest ends it Aborted, not Cancel.
        answer(how === "done" ? "approved" : "cancelled", "Aborted");
        return;
      }
    }
  }

  /** Waits for the customer: "done" after `delayMs` (never when undefined), "aborted" by an AbortRequest or `close()`. */
  private hold(key: string, delayMs: number | undefined): Promise<HeldEnd> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const release = (how: HeldEnd): void => {
        clearTimeout(timer);
        this.held.delete(key);
        resolve(how);
      };
      if (delayMs !== undefined) {
        timer = setTimeout(() => {
          release("done");
        }, delayMs);
      }
      this.held.set(key, release);
    });
  }
}

/** Answers a sale or reversal request with a Failure, booking nothing. */
function refuse(reply: SimReply, category: SaleCategory, condition: string, message: string): void {
  reply.answer(category, { [bodyKeyOf(category)]: { Response: failure(condition, message) } });
}
