/**
 * A simulated Adyen payment terminal speaking the Terminal API in local mode: an HTTPS server on
 * 127.0.0.1 (a random port) that takes the encrypted SaleToPOIRequest JSON, decrypts it with the
 * shared key (the library's NexoCrypto: the same spec as the terminal), and answers Payment,
 * Reversal, TransactionStatus, Abort, Diagnosis and Reconciliation requests, encrypted. A wrong key
 * or a bad HMAC gets what a real terminal answers: HTTP 401 with
 * `{"errors":["Nexo Service: crypto error (9)"]}`.
 *
 * This file holds the HTTPS server, the encryption of requests and answers, and the scripting
 * API; `adyen-sim-terminal.ts` handles the decrypted requests and keeps the bookings,
 * `adyen-sim-answers.ts` builds the answers, and `adyen-sim-certificates.ts` makes the TLS
 * certificates: at start a throwaway root CA and a server certificate for
 * `<POIID>.test.terminal.adyen.com` with `openssl`, cached per process; `certificatePem` is the
 * root the driver must trust, as Adyen's root is for a real terminal.
 *
 * Script the next sales and refunds with `script(...)`: `approve`, `decline`, `customer_cancels`,
 * `slow_customer` (waits `delayMs`, then approves; an AbortRequest cancels it), `no_answer` (holds
 * the request, in progress, until an AbortRequest or `close()`), `drop_connection` (destroys the
 * socket without booking), `approve_then_drop` (books the sale, then destroys the socket),
 * `reject` (answers an EventNotification "Reject", as for a message the terminal will not take). An
 * empty script approves. The terminal keeps its transactions for status lookups, reversals and the
 * reconciliation totals.
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NexoCrypto, Types } from "@adyen/api-library";
import { decryptSecured, make, securityKey, type SecurityKey } from "../terminal/adyen/nexo-messages.ts";
import { isObject, path, stringAt, type Json } from "../terminal/adyen/nexo-read.ts";
import {
  CATEGORIES,
  isCategory,
  type AdyenSimOutcome,
  type AdyenSimStep,
  type AdyenSimTransaction,
} from "./adyen-sim-answers.ts";
import { certificatesFor } from "./adyen-sim-certificates.ts";
import { SimTerminal, type SimReply } from "./adyen-sim-terminal.ts";

export type { AdyenSimOutcome, AdyenSimStep, AdyenSimTransaction } from "./adyen-sim-answers.ts";

const terminal = Types.terminal;
type MessageHeader = InstanceType<(typeof Types.terminal)["MessageHeader"]>;

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

const CRYPTO_ERROR = "Nexo Service: crypto error (9)";
const MAX_REQUEST_BYTES = 1024 * 1024;

/** A header answering `request` from `poiId`, with the request's SaleID and ServiceID. */
function replyHeader(
  request: Json,
  poiId: string,
  kind: Pick<MessageHeader, "MessageClass" | "MessageCategory" | "MessageType">,
): MessageHeader {
  return make(terminal.MessageHeader, {
    ProtocolVersion: "3.0",
    MessageClass: kind.MessageClass,
    MessageCategory: kind.MessageCategory,
    MessageType: kind.MessageType,
    POIID: poiId,
    SaleID: stringAt(request, "SaleID") ?? "",
    ServiceID: stringAt(request, "ServiceID") ?? "",
  });
}

/** `{ [wrapper]: { MessageHeader, ...content } }` encrypted under `header`, as the HTTP body. */
function seal(
  wrapper: "SaleToPOIResponse" | "SaleToPOIRequest",
  header: MessageHeader,
  content: Json,
  key: SecurityKey,
): string {
  const plain = JSON.stringify({ [wrapper]: { MessageHeader: header, ...content } });
  return JSON.stringify({ [wrapper]: NexoCrypto.encrypt(header, plain, key) });
}

function send(res: ServerResponse, status: number, body: string): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(body);
}

/** How to answer the request under `requestHeader` on `req` / `res`. */
function replyTo(req: IncomingMessage, res: ServerResponse, requestHeader: Json, poiId: string, key: SecurityKey) {
  return {
    answer(category, content) {
      const header = replyHeader(requestHeader, poiId, {
        MessageClass: terminal.MessageClassType.Service,
        MessageCategory: CATEGORIES[category],
        MessageType: terminal.MessageType.Response,
      });
      send(res, 200, seal("SaleToPOIResponse", header, content, key));
    },
    reject(details) {
      const header = replyHeader(requestHeader, poiId, {
        MessageClass: terminal.MessageClassType.Event,
        MessageCategory: terminal.MessageCategoryType.Event,
        MessageType: terminal.MessageType.Notification,
      });
      const event = {
        EventToNotify: "Reject",
        EventDetails: new URLSearchParams({ message: details }).toString(),
        TimeStamp: new Date().toISOString(),
      };
      send(res, 200, seal("SaleToPOIRequest", header, { EventNotification: event }, key));
    },
    empty() {
      send(res, 200, "");
    },
    drop() {
      req.socket.destroy();
    },
  } satisfies SimReply;
}

/** The request's body, or null (the connection destroyed) when it is over 1 MiB. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_REQUEST_BYTES) {
      req.socket.destroy();
      return null;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Starts the simulated terminal on 127.0.0.1. */
export async function startAdyenSimulator(options: AdyenSimulatorOptions): Promise<AdyenSimulator> {
  const poiId = options.poiId ?? "V400m-123456789";
  const tls = await certificatesFor(`${poiId}.test.terminal.adyen.com`);
  const key = securityKey(options.keys);
  const sim = new SimTerminal(poiId);
  const received: AdyenSimReceived[] = [];
  let refused = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST") {
      send(res, 405, JSON.stringify({ errors: ["POST only"] }));
      return;
    }
    const body = await readBody(req);
    if (body === null) return;
    let secured: unknown;
    try {
      secured = path(JSON.parse(body.toString("utf8")), "SaleToPOIRequest");
    } catch {
      send(res, 400, JSON.stringify({ errors: ["Invalid JSON"] }));
      return;
    }
    const message = decryptSecured(secured, key);
    if (message === null) {
      refused += 1;
      const outerServiceId = stringAt(secured, "MessageHeader", "ServiceID") ?? "";
      send(res, 401, JSON.stringify({ errors: [CRYPTO_ERROR], ServiceID: outerServiceId }));
      return;
    }
    const header = path(message, "MessageHeader");
    const category = stringAt(header, "MessageCategory") ?? "";
    const reply = replyTo(req, res, isObject(header) ? header : {}, poiId, key);
    if (!isObject(header) || !isCategory(category)) {
      reply.reject(`Unsupported MessageCategory ${category}`);
      return;
    }
    received.push({
      category,
      saleId: stringAt(header, "SaleID") ?? "",
      serviceId: stringAt(header, "ServiceID") ?? "",
      message,
    });
    await sim.handle(category, header, message, reply);
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
      sim.script(more.map((step) => (typeof step === "string" ? { outcome: step } : step)));
    },
    transactions: () => sim.transactions.map((tx) => ({ ...tx })),
    received: () => [...received],
    refusedCount: () => refused,
    async close() {
      sim.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
