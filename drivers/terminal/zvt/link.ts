/**
 * The ZVT driver's connection handling: the APDU channel over a transport (APDUs back to back on
 * TCP, DLE/STX frames on serial); `Link`, one open connection with its inbox, the automatic
 * `80 00 00` to every terminal message and the command conversation (`converse`: send, await the
 * acknowledgement, hand each message on until one ends it); the registration every new
 * connection starts with and the status enquiry that tells whether the terminal is ready; and the
 * address a URI names.
 */
import { DriverError } from "../../errors.ts";
import type { DriverLogger } from "../../logger.ts";
import type { ByteTransport } from "../../transport/transport.ts";
import { parseDeviceUri, type DeviceAddress, type SimAddress } from "../../transport/uri.ts";
import { ACK_APDU, createStreamChannel, type Apdu, type ApduChannel } from "./apdu.ts";
import { completionTerminalStatus } from "./answers.ts";
import { parseBmps, readStatusInformation, resultCodeText } from "./bmp.ts";
import { decodeBcd } from "./codecs.ts";
import { createSerialChannel } from "./serial-framing.ts";

export const DEFAULT_ZVT_PORT = 20007;

/** The logger namespace of the ZVT driver. */
export const NS = "drivers:zvt";

type Incoming = Apdu | "closed" | "timeout";

/** How a command conversation ended. */
export type Conversation<T> =
  | { kind: "done"; value: T }
  | { kind: "not_written"; reason: string }
  | { kind: "refused"; code: number }
  | { kind: "no_ack" }
  | { kind: "closed"; reason: string }
  | { kind: "timeout" };

/** One open connection: the transport's APDU channel, an inbox, and the automatic `80 00 00`. */
export class Link {
  readonly channel: ApduChannel;
  closed = false;
  closeReason = "connection closed";
  #inbox: Apdu[] = [];
  #wake: (() => void) | undefined;
  readonly #offs: Array<() => void>;
  readonly transport: ByteTransport;
  /** Wait for the terminal's `80 00 00` to a command (ZVT T3). */
  readonly #ackTimeoutMs: number;

  constructor(
    transport: ByteTransport,
    channel: ApduChannel,
    options: { logger: DriverLogger; ackTimeoutMs: number },
    onLost: (reason: string) => void,
  ) {
    this.transport = transport;
    this.channel = channel;
    this.#ackTimeoutMs = options.ackTimeoutMs;
    this.#offs = [
      channel.onApdu((message) => {
        // Every PT message but an acknowledgement gets our 80 00 00 straight away.
        if (message.cls !== 0x80 && message.cls !== 0x84) {
          channel.send(ACK_APDU).catch((error: unknown) => {
            options.logger.warn({ ns: NS, err: error }, "could not acknowledge a terminal message");
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

  /** The next message, or "closed"/"timeout". Bounded by `deadline` (epoch ms). */
  async #next(deadline: number): Promise<Incoming> {
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

  /**
   * Sends `request`, waits for its acknowledgement, then hands each PT message to `onMessage`
   * until it returns a value or the deadline passes. Stray acknowledgements are skipped.
   */
  async converse<T>(
    request: Apdu,
    deadline: number,
    onMessage: (message: Apdu) => T | undefined,
  ): Promise<Conversation<T>> {
    this.#inbox = [];
    try {
      await this.channel.send(request);
    } catch (error) {
      return { kind: "not_written", reason: errorText(error) };
    }
    let acknowledged = false;
    const ackDeadline = Math.min(deadline, Date.now() + this.#ackTimeoutMs);
    // Each pass takes one message or ends: bounded by the deadline.
    for (;;) {
      const message = await this.#next(acknowledged ? deadline : ackDeadline);
      if (message === "closed") return { kind: "closed", reason: this.closeReason };
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

  async close(): Promise<void> {
    this.markClosed("closed by the driver");
    await this.transport.close().catch(() => undefined);
  }
}

/** The APDU channel over an open transport: DLE/STX frames on serial, APDUs back to back on TCP. */
export function openChannel(transport: ByteTransport, frameAckTimeoutMs: number | undefined): ApduChannel {
  if (transport.kind !== "serial") return createStreamChannel(transport);
  return createSerialChannel(transport, frameAckTimeoutMs === undefined ? {} : { ackTimeoutMs: frameAckTimeoutMs });
}

/** Registers at the terminal (06 00, see `registrationCommand`); returns the terminal id it reports. */
export async function register(link: Link, request: Apdu, deadline: number): Promise<string | undefined> {
  const result = await link.converse(request, deadline, (message) => {
    if (message.cls === 0x06 && message.instr === 0x0f) return { ok: true as const, data: message.data };
    if (message.cls === 0x06 && message.instr === 0x1e) return { ok: false as const, code: message.data[0] ?? 0xff };
    return undefined;
  });
  switch (result.kind) {
    case "done": {
      if (!result.value.ok)
        throw new DriverError("refused", `registration refused: ${resultCodeText(result.value.code)}`);
      const tid = parseBmps(result.value.data).fields.get(0x29);
      return tid === undefined ? undefined : decodeBcd(tid);
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
 * Status enquiry (`request`, 05 01): the terminal status byte of its completion, or the result
 * code of its abort; `onTerminalId` hears the terminal id of a status-information on the way.
 */
export function statusEnquiry(
  link: Link,
  request: Apdu,
  deadline: number,
  onTerminalId: (terminalId: string) => void,
): Promise<Conversation<{ status: number | undefined; refused: number | undefined }>> {
  return link.converse(request, deadline, (m) => {
    if (m.cls === 0x04 && m.instr === 0x0f) {
      const tid = readStatusInformation(m.data).terminalId;
      if (tid !== undefined) onTerminalId(tid);
    }
    if (m.cls === 0x06 && m.instr === 0x0f) return { status: completionTerminalStatus(m.data), refused: undefined };
    if (m.cls === 0x06 && m.instr === 0x1e) return { status: undefined, refused: m.data[0] ?? 0xff };
    return undefined;
  });
}

/** The address a ZVT URI names: TCP (port 20007 unless given) or serial. */
export function zvtAddress(uri: string): Exclude<DeviceAddress, SimAddress> {
  const address = parseDeviceUri(uri);
  if (address.scheme === "tcp") {
    // parseDeviceUri defaults to the printer port; a ZVT terminal listens on 20007.
    const explicitPort = /^tcp:\/\/(\[[^\]]*\]|[^/:]*):\d+\/?$/.test(uri);
    return explicitPort ? address : { ...address, port: DEFAULT_ZVT_PORT };
  }
  if (address.scheme === "serial") return address;
  throw new DriverError("uri_invalid", `a ZVT terminal is reached over tcp:// or serial:, not ${address.scheme}:`);
}

/** The transports trace every byte at debug: keep the ECR password out of those traces. */
export function redactingLogger(logger: DriverLogger, secretHex: string): DriverLogger {
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

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function conversationText(result: Conversation<unknown>): string {
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
