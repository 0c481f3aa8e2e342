/**
 * A ZVT payment terminal (PT) simulator speaking the same bytes as a real one, over real TCP
 * (127.0.0.1, an ephemeral port, like port 20007 of a terminal) or over a socat PTY pair with the
 * serial DLE/STX framing. It keeps its booked transactions — so a repeated receipt (06 20) tells
 * the truth after a lost answer and an end of day (06 50) sums them — checks the ECR password, and
 * prints customer slips with a masked card number only.
 *
 * Sales and refunds take their fate from a script, one entry each, in order (default: approve):
 *
 *   approve            statuses "insert card", "PIN", "please wait", then 04 0F, receipts, 06 0F
 *   decline            04 0F with result code (default 0x05, the issuer's "do not honour"), 06 1E
 *   customer_cancels   "insert card", then 06 1E 6C
 *   slow_customer      intermediate statuses for `durationMs` (06 B0 aborts it: 06 1E 6C), then approve
 *   no_answer          acknowledges the request and never says anything again
 *   drop_connection    one intermediate status, then the connection closes; nothing booked
 *   approve_then_drop  booked as approved, then the connection closes before 04 0F / 06 0F
 *
 * Each message the simulator sends waits for the ECR's `80 00 00` (a flow without it stops).
 * A wrong password is refused with the negative acknowledgement `84 83 00`. Over serial a "drop"
 * cannot pull a cable: the simulator goes silent for that transaction instead.
 */
import net from "node:net";
import {
  ACK_APDU,
  apdu,
  concatBytes,
  createStreamChannel,
  encodeApdu,
  decodeAmount,
  decodeBcd,
  encodeAmount,
  encodeBcd,
  encodeBerLength,
  encodeMaskedPan,
  encodeText,
  encodeTlv,
  encodeVarLength,
  findTlv,
  maskPan,
  toHex,
  type Apdu,
  type ApduChannel,
  type BytePipe,
} from "../terminal/zvt/apdu.ts";
import { parseBmps, TOTALS_BRANDS } from "../terminal/zvt/bmp.ts";
import { createSerialChannel } from "../terminal/zvt/serial-framing.ts";
import { createSerialTransport } from "../transport/serial.ts";
import type { ByteTransport } from "../transport/transport.ts";
import { startPtyPair, type PtyPair } from "./pty.ts";

export interface ZvtSimCard {
  /** The full card number stays inside the simulator; only a masked one goes out. */
  pan: string;
  brand: string;
  /** ZVT card type (BMP 8A): 5 girocard, 6 Mastercard, 10 VISA. */
  cardType: number;
}

export type ZvtScriptedOutcome =
  | { kind: "approve"; card?: ZvtSimCard; receiptText?: string }
  | { kind: "decline"; resultCode?: number }
  | { kind: "customer_cancels" }
  | { kind: "slow_customer"; durationMs: number; card?: ZvtSimCard }
  | { kind: "no_answer" }
  | { kind: "drop_connection" }
  | { kind: "approve_then_drop"; card?: ZvtSimCard };

export interface ZvtSimTransaction {
  kind: "sale" | "refund" | "reversal";
  result: "approved" | "declined";
  resultCode: number;
  amount: number;
  receiptNumber: string;
  traceNumber: string;
  brand: string;
  maskedPan: string;
  authCode: string;
  at: Date;
  /** A sale undone by a reversal since. */
  reversed: boolean;
  /** Counted in an end of day already. */
  settled: boolean;
}

export interface ZvtReceivedApdu {
  cls: number;
  instr: number;
  data: Uint8Array;
  /** e.g. "06 01 0b 04 00 00 00 00 12 34 49 09 78" */
  hex: string;
}

export interface ZvtSimulatorOptions {
  transport?: "tcp" | "serial";
  /** Six digits. Default "123456". */
  password?: string;
  /** Eight digits. Default "52001233". */
  terminalId?: string;
  /** Pause between the simulator's status messages. Default 10 ms. */
  stepMs?: number;
  /** How long the simulator waits for the ECR's `80 00 00`. Default 3000 ms. */
  ackTimeoutMs?: number;
  /** Send receipts as 06 D3 text blocks when the ECR permitted them at registration. Default false (06 D1 lines). */
  useTextBlocks?: boolean;
  /** Serial only. Default 9600. */
  baudRate?: number;
  socatPath?: string;
}

export interface ZvtSimulator {
  /** `tcp://127.0.0.1:<port>` or `serial:/dev/pts/N?baud=9600` for createZvtTerminal. */
  readonly uri: string;
  /** Appends outcomes for the next sales/refunds. */
  script(...outcomes: ZvtScriptedOutcome[]): void;
  /** Scripted outcomes not consumed yet. */
  pending(): number;
  transactions(): ZvtSimTransaction[];
  /** Every APDU the ECR sent, in order (acknowledgements included). */
  received(): ZvtReceivedApdu[];
  /** Connections accepted so far (TCP) — 1 for serial. */
  connections(): number;
  /** Closes the current connection (TCP) like a pulled cable. */
  dropConnection(): void;
  close(): Promise<void>;
}

const DEFAULT_CARD: ZvtSimCard = { pan: "4761739001010119", brand: "VISA", cardType: 10 };
const RESULT_ABORTED = 0x6c;
const WRONG_PASSWORD = 0x83;

/** One connection's conversation: APDUs in and out, the ECR's acknowledgements awaited. */
interface Session {
  channel: ApduChannel;
  alive: boolean;
  /** The running command's flow, if any: a second command is refused meanwhile. */
  flow: number | undefined;
  abortRequested: boolean;
  ackWaiter: (() => void) | undefined;
  /** Pulls the cable (TCP) or goes silent (serial). */
  drop(): void;
  printOnEcr: boolean;
  textBlocks: boolean;
}

export async function startZvtSimulator(options: ZvtSimulatorOptions = {}): Promise<ZvtSimulator> {
  const password = options.password ?? "123456";
  const terminalId = options.terminalId ?? "52001233";
  const stepMs = options.stepMs ?? 10;
  const ackTimeoutMs = options.ackTimeoutMs ?? 3_000;
  const queue: ZvtScriptedOutcome[] = [];
  const booked: ZvtSimTransaction[] = [];
  const log: ZvtReceivedApdu[] = [];
  let receiptCounter = 0;
  let traceCounter = 0;
  let connectionCount = 0;
  let flowCounter = 0;
  const sessions = new Set<Session>();

  function newSession(channel: ApduChannel, drop: () => void): Session {
    const session: Session = {
      channel,
      alive: true,
      flow: undefined,
      abortRequested: false,
      ackWaiter: undefined,
      drop,
      printOnEcr: false,
      textBlocks: false,
    };
    sessions.add(session);
    channel.onApdu((message) => {
      log.push({ ...message, hex: toHex(encodeApdu(message)) });
      void handle(session, message);
    });
    return session;
  }

  function endSession(session: Session): void {
    session.alive = false;
    session.channel.detach();
    session.ackWaiter?.();
    sessions.delete(session);
  }

  // ---- sending ----------------------------------------------------------------------------------

  /** Sends one PT message and waits for the ECR's 80 00 00. False when the flow must stop. */
  async function send(session: Session, message: Apdu): Promise<boolean> {
    if (!session.alive) return false;
    const acknowledged = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        session.ackWaiter = undefined;
        resolve(false);
      }, ackTimeoutMs);
      session.ackWaiter = () => {
        clearTimeout(timer);
        session.ackWaiter = undefined;
        // Completion and abort hand the master rights back as soon as the ECR acknowledged them.
        if (message.cls === 0x06 && (message.instr === 0x0f || message.instr === 0x1e)) session.flow = undefined;
        resolve(session.alive);
      };
    });
    try {
      await session.channel.send(message);
    } catch {
      session.ackWaiter?.();
      return false;
    }
    return acknowledged;
  }

  function reply(session: Session, message: Apdu): void {
    session.channel.send(message).catch(() => undefined);
  }

  async function pause(session: Session): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    return session.alive;
  }

  function intermediate(code: number, text: string): Apdu {
    const display = encodeTlv(0x24, encodeTlv(0x07, encodeText(text)));
    return apdu(0x04, 0xff, [code, 0x00, 0x06], encodeBerLength(display.length), display);
  }

  // ---- commands -----------------------------------------------------------------------------------

  async function handle(session: Session, message: Apdu): Promise<void> {
    if (message.cls === 0x80 || message.cls === 0x84) {
      session.ackWaiter?.();
      return;
    }
    const command = (message.cls << 8) | message.instr;
    if (command === 0x06b0) {
      reply(session, ACK_APDU);
      session.abortRequested = true;
      return;
    }
    if (session.flow !== undefined) {
      reply(session, apdu(0x84, 0x83, []));
      return;
    }
    const needsPassword = [0x0600, 0x0630, 0x0631, 0x0650, 0x0620, 0x0501].includes(command);
    if (needsPassword && decodeBcd(message.data.subarray(0, 3)) !== password) {
      reply(session, apdu(0x84, WRONG_PASSWORD, []));
      return;
    }
    const flow = ++flowCounter;
    session.flow = flow;
    session.abortRequested = false;
    try {
      switch (command) {
        case 0x0600:
          await registration(session, message.data);
          break;
        case 0x0501:
          reply(session, ACK_APDU);
          await send(session, apdu(0x06, 0x0f, encodeVarLength(14, 3), encodeText("GALLEY-SIM 1.0"), [0x00]));
          break;
        case 0x0601:
          await payment(session, "sale", parseBmps(message.data).fields.get(0x04));
          break;
        case 0x0631:
          await payment(session, "refund", parseBmps(message.data, 3).fields.get(0x04));
          break;
        case 0x0630:
          await reversal(session, parseBmps(message.data, 3).fields.get(0x87));
          break;
        case 0x0620:
          await repeatReceipt(session);
          break;
        case 0x0650:
          await endOfDay(session);
          break;
        default:
          reply(session, apdu(0x84, 0x83, []));
      }
    } finally {
      if (session.flow === flow) session.flow = undefined;
    }
  }

  async function registration(session: Session, data: Uint8Array): Promise<void> {
    const config = data[3] ?? 0;
    session.printOnEcr = (config & 0x80) !== 0 && (config & 0x02) !== 0;
    const { tlv } = parseBmps(data, 6);
    const permitted = findTlv(tlv, 0x26)?.children ?? [];
    session.textBlocks = permitted.some((n) => n.tag === 0x0a && n.value[0] === 0x06 && n.value[1] === 0xd3);
    reply(session, ACK_APDU);
    await send(session, apdu(0x06, 0x0f, [0x19, 0x00, 0x29], encodeBcd(terminalId, 4), [0x49], encodeBcd("978", 2)));
  }

  function book(
    kind: ZvtSimTransaction["kind"],
    amount: number,
    result: ZvtSimTransaction["result"],
    resultCode: number,
    card: ZvtSimCard,
  ): ZvtSimTransaction {
    receiptCounter = (receiptCounter % 9999) + 1;
    traceCounter = (traceCounter % 999_999) + 1;
    const transaction: ZvtSimTransaction = {
      kind,
      result,
      resultCode,
      amount,
      receiptNumber: String(receiptCounter).padStart(4, "0"),
      traceNumber: String(traceCounter).padStart(6, "0"),
      brand: card.brand,
      maskedPan: maskPan(card.pan) ?? "****",
      authCode: result === "approved" ? String(100_000 + traceCounter * 7).slice(-6) : "",
      at: new Date(),
      reversed: false,
      settled: false,
    };
    booked.push(transaction);
    return transaction;
  }

  function statusInformation(t: ZvtSimTransaction, card: ZvtSimCard): Apdu {
    const at = t.at;
    const two = (n: number): string => String(n).padStart(2, "0");
    const auth = new Uint8Array(8);
    auth.set(encodeText(t.authCode));
    return apdu(
      0x04,
      0x0f,
      [0x27, t.resultCode, 0x04],
      encodeAmount(t.amount),
      [0x0b],
      encodeBcd(t.traceNumber, 3),
      [0x0c],
      encodeBcd(two(at.getHours()) + two(at.getMinutes()) + two(at.getSeconds()), 3),
      [0x0d],
      encodeBcd(two(at.getMonth() + 1) + two(at.getDate()), 2),
      [0x22],
      encodeMaskedPan(card.pan),
      [0x29],
      encodeBcd(terminalId, 4),
      [0x3b],
      auth,
      [0x49],
      encodeBcd("978", 2),
      [0x87],
      encodeBcd(t.receiptNumber, 2),
      [0x8a, card.cardType, 0x8b],
      encodeVarLength(card.brand.length, 2),
      encodeText(card.brand),
    );
  }

  function slip(t: ZvtSimTransaction, title: string, copy: boolean, extra: string | undefined): string[] {
    const two = (n: number): string => String(n).padStart(2, "0");
    const euros = `${Math.floor(t.amount / 100)},${two(t.amount % 100)}`;
    const what = { sale: "Zahlung", refund: "Gutschrift", reversal: "Storno" }[t.kind];
    return [
      `   ** ${title} **`,
      ...(copy ? ["      DUPLIKAT"] : []),
      `${what} ${t.brand}`,
      `Terminal-ID: ${terminalId}`,
      `Beleg-Nr.: ${t.receiptNumber}  Trace: ${t.traceNumber}`,
      `Datum: ${two(t.at.getDate())}.${two(t.at.getMonth() + 1)}.${t.at.getFullYear()} ${two(t.at.getHours())}:${two(t.at.getMinutes())}`,
      `Karte: ${t.maskedPan}`,
      ...(t.result === "approved" ? [`Autorisierung: ${t.authCode}`] : []),
      `Betrag: EUR ${euros}`,
      ...(extra === undefined ? [] : [extra]),
      t.result === "approved" ? `${what} erfolgt` : `${what} nicht erfolgt`,
    ];
  }

  /** Merchant copy, then the customer's slip, as 06 D1 lines or 06 D3 blocks. */
  async function printReceipts(session: Session, receipts: Array<{ type: number; lines: string[] }>): Promise<boolean> {
    if (!session.printOnEcr) return true;
    for (const receipt of receipts) {
      if (options.useTextBlocks === true && session.textBlocks) {
        const lines = concatBytes(...receipt.lines.map((line) => encodeTlv(0x07, encodeText(line))));
        const tlv = concatBytes(encodeTlv(0x1f07, Uint8Array.of(receipt.type)), encodeTlv(0x25, lines));
        if (!(await send(session, apdu(0x06, 0xd3, [0x06], encodeBerLength(tlv.length), tlv)))) return false;
        continue;
      }
      for (const [i, line] of receipt.lines.entries()) {
        const attribute = i === receipt.lines.length - 1 ? 0x81 : 0x00;
        if (!(await send(session, apdu(0x06, 0xd1, [attribute], encodeText(line))))) return false;
      }
    }
    return true;
  }

  async function payment(
    session: Session,
    kind: "sale" | "refund",
    amountField: Uint8Array | undefined,
  ): Promise<void> {
    const amount = amountField === undefined ? undefined : decodeAmount(amountField);
    if (amount === undefined || amount === 0) {
      reply(session, apdu(0x84, 0x9a, []));
      return;
    }
    reply(session, ACK_APDU);
    const outcome = queue.shift() ?? { kind: "approve" };
    const card = "card" in outcome && outcome.card !== undefined ? outcome.card : DEFAULT_CARD;
    const aborted = async (): Promise<boolean> => {
      if (!session.abortRequested) return false;
      await send(session, apdu(0x06, 0x1e, [RESULT_ABORTED]));
      return true;
    };
    switch (outcome.kind) {
      case "no_answer":
        // Busy for good on this connection: only a new connection talks again.
        await new Promise<void>((resolve) => {
          const check = setInterval(() => {
            if (!session.alive) {
              clearInterval(check);
              resolve();
            }
          }, 50);
        });
        return;
      case "drop_connection":
        await send(session, intermediate(0x0a, "Bitte Karte einstecken"));
        session.drop();
        return;
      case "customer_cancels":
        if (!(await send(session, intermediate(0x0a, "Bitte Karte einstecken")))) return;
        if (!(await pause(session))) return;
        await send(session, apdu(0x06, 0x1e, [RESULT_ABORTED]));
        return;
      case "slow_customer": {
        const until = Date.now() + outcome.durationMs;
        // Bounded by durationMs: one status per step.
        while (Date.now() < until) {
          if (await aborted()) return;
          if (!(await send(session, intermediate(0x0a, "Bitte Karte einstecken")))) return;
          if (!(await pause(session))) return;
        }
        if (await aborted()) return;
        break;
      }
      case "decline": {
        if (!(await send(session, intermediate(0x0a, "Bitte Karte einstecken")))) return;
        if (!(await pause(session))) return;
        const code = outcome.resultCode ?? 0x05;
        const t = book(kind, amount, "declined", code, card);
        if (!(await send(session, statusInformation(t, card)))) return;
        if (!(await printReceipts(session, [{ type: 0x02, lines: slip(t, "Kundenbeleg", false, undefined) }]))) return;
        await send(session, apdu(0x06, 0x1e, [code]));
        return;
      }
      case "approve":
      case "approve_then_drop":
        break;
    }
    for (const [code, text] of [
      [0x0a, "Bitte Karte einstecken"],
      [0x01, "Bitte PIN eingeben"],
      [0x0e, "Bitte warten"],
    ] as const) {
      if (await aborted()) return;
      if (!(await send(session, intermediate(code, text)))) return;
      if (!(await pause(session))) return;
    }
    if (await aborted()) return;
    const t = book(kind, amount, "approved", 0x00, card);
    if (outcome.kind === "approve_then_drop") {
      session.drop();
      return;
    }
    if (!(await send(session, statusInformation(t, card)))) return;
    const extra = outcome.kind === "approve" ? outcome.receiptText : undefined;
    const printed = await printReceipts(session, [
      { type: 0x01, lines: slip(t, "Haendlerbeleg", false, extra) },
      { type: 0x02, lines: slip(t, "Kundenbeleg", false, extra) },
    ]);
    if (printed) await send(session, apdu(0x06, 0x0f, []));
  }

  async function reversal(session: Session, receiptField: Uint8Array | undefined): Promise<void> {
    reply(session, ACK_APDU);
    const receipt = receiptField === undefined ? undefined : decodeBcd(receiptField);
    const original = booked.find((t) => t.kind === "sale" && t.result === "approved" && t.receiptNumber === receipt);
    if (original === undefined || original.settled) {
      await send(session, apdu(0x06, 0x1e, [0xb5]));
      return;
    }
    if (original.reversed) {
      await send(session, apdu(0x06, 0x1e, [0xb4]));
      return;
    }
    original.reversed = true;
    const card = { ...DEFAULT_CARD, brand: original.brand };
    const t = book("reversal", original.amount, "approved", 0x00, card);
    if (!(await send(session, statusInformation(t, card)))) return;
    if (!(await printReceipts(session, [{ type: 0x02, lines: slip(t, "Kundenbeleg", false, undefined) }]))) return;
    await send(session, apdu(0x06, 0x0f, []));
  }

  async function repeatReceipt(session: Session): Promise<void> {
    reply(session, ACK_APDU);
    const last = booked.at(-1);
    if (last === undefined) {
      await send(session, apdu(0x06, 0x1e, [0x83]));
      return;
    }
    const card = { ...DEFAULT_CARD, brand: last.brand };
    if (!(await send(session, statusInformation(last, card)))) return;
    if (!(await printReceipts(session, [{ type: 0x02, lines: slip(last, "Kundenbeleg", true, undefined) }]))) return;
    await send(
      session,
      apdu(0x06, last.result === "approved" ? 0x0f : 0x1e, last.result === "approved" ? [] : [last.resultCode]),
    );
  }

  async function endOfDay(session: Session): Promise<void> {
    reply(session, ACK_APDU);
    if (!(await send(session, intermediate(0x0e, "Bitte warten")))) return;
    const open = booked.filter((t) => !t.settled && t.result === "approved");
    const sign = (t: ZvtSimTransaction): number =>
      t.kind === "sale" ? (t.reversed ? 0 : 1) : t.kind === "refund" ? -1 : 0;
    const counted = open.filter((t) => sign(t) !== 0);
    const total = Math.max(
      0,
      counted.reduce((sum, t) => sum + sign(t) * t.amount, 0),
    );
    const groups = TOTALS_BRANDS.map((brand) => {
      const inGroup = counted.filter(
        (t) => (TOTALS_BRANDS.includes(t.brand as (typeof TOTALS_BRANDS)[number]) ? t.brand : "other") === brand,
      );
      return {
        count: inGroup.length,
        total: Math.max(
          0,
          inGroup.reduce((sum, t) => sum + sign(t) * t.amount, 0),
        ),
      };
    });
    const receipts = open.map((t) => Number(t.receiptNumber));
    const totals = concatBytes(
      encodeBcd(String(receipts.length > 0 ? Math.min(...receipts) : 0), 2),
      encodeBcd(String(receipts.length > 0 ? Math.max(...receipts) : 0), 2),
      ...groups.map((g) => concatBytes([Math.min(g.count, 255)], encodeAmount(g.total))),
    );
    traceCounter = (traceCounter % 999_999) + 1;
    const message = apdu(
      0x04,
      0x0f,
      [0x27, 0x00, 0x04],
      encodeAmount(total),
      [0x0b],
      encodeBcd(String(traceCounter), 3),
      [0x60],
      encodeVarLength(totals.length, 3),
      totals,
    );
    if (!(await send(session, message))) return;
    for (const t of open) t.settled = true;
    const lines = [
      "   ** Kassenschnitt **",
      `Terminal-ID: ${terminalId}`,
      `Anzahl: ${counted.length}`,
      `Summe: EUR ${(total / 100).toFixed(2).replace(".", ",")}`,
    ];
    if (!(await printReceipts(session, [{ type: 0x03, lines }]))) return;
    await send(session, apdu(0x06, 0x0f, []));
  }

  // ---- endpoints --------------------------------------------------------------------------------

  const api = (uri: string, dropConnection: () => void, close: () => Promise<void>): ZvtSimulator => ({
    uri,
    script(...outcomes) {
      queue.push(...outcomes);
    },
    pending: () => queue.length,
    transactions: () => booked.map((t) => ({ ...t })),
    received: () => [...log],
    connections: () => connectionCount,
    dropConnection,
    close,
  });

  if (options.transport === "serial") {
    const pair: PtyPair = await startPtyPair(options.socatPath === undefined ? {} : { socatPath: options.socatPath });
    const baudRate = options.baudRate ?? 9600;
    const transport: ByteTransport = createSerialTransport({
      scheme: "serial",
      path: pair.devicePath,
      baudRate,
      dataBits: 8,
      parity: "none",
      stopBits: 1,
      flow: "none",
      drain: false,
    });
    try {
      await transport.open();
    } catch (error) {
      await pair.close();
      throw error;
    }
    connectionCount = 1;
    let session = newSession(createSerialChannel(transport), drop);
    // Serial has no connection to drop: forget this transaction's conversation and listen afresh.
    function drop(): void {
      endSession(session);
      session = newSession(createSerialChannel(transport), drop);
    }
    return api(`serial:${pair.hostPath}?baud=${baudRate}`, drop, async () => {
      endSession(session);
      await transport.close();
      await pair.close();
    });
  }

  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    connectionCount++;
    sockets.add(socket);
    const listeners = new Set<(chunk: Uint8Array) => void>();
    const pipe: BytePipe = {
      write: (bytes) =>
        new Promise((resolve, reject) => {
          if (socket.destroyed) {
            reject(new Error("socket closed"));
            return;
          }
          socket.write(bytes, (error) => {
            if (error) reject(error);
            else resolve();
          });
        }),
      onData(listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    };
    const session = newSession(createStreamChannel(pipe), () => socket.destroy());
    socket.on("data", (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (const listener of [...listeners]) listener(bytes);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      sockets.delete(socket);
      endSession(session);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return api(
    `tcp://127.0.0.1:${port}`,
    () => {
      for (const socket of sockets) socket.destroy();
    },
    () => {
      for (const socket of sockets) socket.destroy();
      for (const session of [...sessions]) endSession(session);
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  );
}
