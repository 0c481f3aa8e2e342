/**
 * The ZVT simulator's protocol side: one `Session` per connection, the commands it answers
 * (registration, status enquiry, sale, refund, reversal, repeat receipt, end of day, abort) and the
 * flows a sale or refund takes by its scripted outcome. Each message the simulator sends waits for
 * the ECR's `80 00 00`; a command that needs the password is refused (`84 83 00`) with a wrong one.
 */
import { ACK_APDU, apdu, concatBytes, type Apdu, type ApduChannel } from "../terminal/zvt/apdu.ts";
import { parseBmps } from "../terminal/zvt/bmp.ts";
import { decodeAmount, decodeBcd, encodeBcd, encodeVarLength } from "../terminal/zvt/codecs.ts";
import { encodeText } from "../terminal/zvt/text.ts";
import { encodeBerLength, encodeTlv, findTlv } from "../terminal/zvt/tlv.ts";
import {
  DEFAULT_CARD,
  slip,
  statusInformation,
  type ZvtSimBooks,
  type ZvtSimCard,
  type ZvtSimTransaction,
} from "./zvt-sim-bookings.ts";

const RESULT_ABORTED = 0x6c;
const WRONG_PASSWORD = 0x83;

/** A receipt the simulator prints on the ECR: 01 merchant, 02 customer, 03 administration. */
interface Receipt {
  type: number;
  lines: string[];
}

/** Intermediate status (04 FF): the status code and the terminal's display text (TLV 24/07). */
function intermediate(code: number, text: string): Apdu {
  const display = encodeTlv(0x24, encodeTlv(0x07, encodeText(text)));
  return apdu(0x04, 0xff, [code, 0x00, 0x06], encodeBerLength(display.length), display);
}

const INSERT_CARD = intermediate(0x0a, "Bitte Karte einstecken");

/** One connection's conversation: APDUs in and out, the ECR's acknowledgements awaited. */
export interface Session {
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

export interface ZvtSimProtocolOptions {
  password: string;
  terminalId: string;
  /** Pause between the simulator's status messages. */
  stepMs: number;
  /** How long the simulator waits for the ECR's `80 00 00`. */
  ackTimeoutMs: number;
  /** Send receipts as 06 D3 text blocks when the ECR permitted them at registration. */
  useTextBlocks: boolean;
  books: ZvtSimBooks;
  /** Hears every APDU the ECR sent, in order (acknowledgements included). */
  onReceived: (message: Apdu) => void;
}

export interface ZvtSimProtocol {
  /** Starts the conversation on a new connection; `drop` pulls the cable (TCP) or goes silent (serial). */
  open(channel: ApduChannel, drop: () => void): Session;
  /** Ends a connection's conversation: its flow stops at the next message. */
  end(session: Session): void;
  /** Ends every open conversation. */
  endAll(): void;
}

export function createZvtSimProtocol(options: ZvtSimProtocolOptions): ZvtSimProtocol {
  const { password, terminalId, stepMs, ackTimeoutMs, books } = options;
  let flowCounter = 0;
  const sessions = new Set<Session>();

  function open(channel: ApduChannel, drop: () => void): Session {
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
      options.onReceived(message);
      void handle(session, message);
    });
    return session;
  }

  function end(session: Session): void {
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

  /**
   * Status-information of `t`, its `receipts` (printed on the ECR when it asked for that), then
   * `end` (completion or abort). Stops where the ECR fails to acknowledge.
   */
  async function report(
    session: Session,
    t: ZvtSimTransaction,
    card: ZvtSimCard,
    receipts: Receipt[],
    end: Apdu,
  ): Promise<void> {
    if (!(await send(session, statusInformation(t, card, terminalId)))) return;
    if (!(await printReceipts(session, receipts))) return;
    await send(session, end);
  }

  function customerSlip(t: ZvtSimTransaction, copy = false, extra?: string): Receipt {
    return { type: 0x02, lines: slip(t, terminalId, "Kundenbeleg", copy, extra) };
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

  /** Merchant copy, then the customer's slip, as 06 D1 lines or 06 D3 blocks. */
  async function printReceipts(session: Session, receipts: Receipt[]): Promise<boolean> {
    if (!session.printOnEcr) return true;
    for (const receipt of receipts) {
      if (options.useTextBlocks && session.textBlocks) {
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
    const outcome = books.nextOutcome();
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
        await send(session, INSERT_CARD);
        session.drop();
        return;
      case "customer_cancels":
        if (!(await send(session, INSERT_CARD))) return;
        if (!(await pause(session))) return;
        await send(session, apdu(0x06, 0x1e, [RESULT_ABORTED]));
        return;
      case "slow_customer": {
        const until = Date.now() + outcome.durationMs;
        // Bounded by durationMs: one status per step.
        while (Date.now() < until) {
          if (await aborted()) return;
          if (!(await send(session, INSERT_CARD))) return;
          if (!(await pause(session))) return;
        }
        if (await aborted()) return;
        break;
      }
      case "decline": {
        if (!(await send(session, INSERT_CARD))) return;
        if (!(await pause(session))) return;
        const code = outcome.resultCode ?? 0x05;
        const t = books.book(kind, amount, "declined", code, card);
        await report(session, t, card, [customerSlip(t)], apdu(0x06, 0x1e, [code]));
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
    const t = books.book(kind, amount, "approved", 0x00, card);
    if (outcome.kind === "approve_then_drop") {
      session.drop();
      return;
    }
    const extra = outcome.kind === "approve" ? outcome.receiptText : undefined;
    const merchantSlip = { type: 0x01, lines: slip(t, terminalId, "Haendlerbeleg", false, extra) };
    await report(session, t, card, [merchantSlip, customerSlip(t, false, extra)], apdu(0x06, 0x0f, []));
  }

  async function reversal(session: Session, receiptField: Uint8Array | undefined): Promise<void> {
    reply(session, ACK_APDU);
    const receipt = receiptField === undefined ? undefined : decodeBcd(receiptField);
    const original = books.sale(receipt);
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
    const t = books.book("reversal", original.amount, "approved", 0x00, card);
    await report(session, t, card, [customerSlip(t)], apdu(0x06, 0x0f, []));
  }

  async function repeatReceipt(session: Session): Promise<void> {
    reply(session, ACK_APDU);
    const last = books.last();
    if (last === undefined) {
      await send(session, apdu(0x06, 0x1e, [0x83]));
      return;
    }
    const card = { ...DEFAULT_CARD, brand: last.brand };
    const end = last.result === "approved" ? apdu(0x06, 0x0f, []) : apdu(0x06, 0x1e, [last.resultCode]);
    await report(session, last, card, [customerSlip(last, true)], end);
  }

  async function endOfDay(session: Session): Promise<void> {
    reply(session, ACK_APDU);
    if (!(await send(session, intermediate(0x0e, "Bitte warten")))) return;
    const { message, count, total, settle } = books.settlement();
    if (!(await send(session, message))) return;
    settle();
    const lines = [
      "   ** Kassenschnitt **",
      `Terminal-ID: ${terminalId}`,
      `Anzahl: ${count}`,
      `Summe: EUR ${(total / 100).toFixed(2).replace(".", ",")}`,
    ];
    if (!(await printReceipts(session, [{ type: 0x03, lines }]))) return;
    await send(session, apdu(0x06, 0x0f, []));
  }

  return {
    open,
    end,
    endAll() {
      for (const session of [...sessions]) end(session);
    },
  };
}
