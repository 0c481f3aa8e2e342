/**
 * ZVT over RS-232: every APDU travels in a frame
 *
 *     DLE STX  <APDU, each 0x10 byte doubled>  DLE ETX  CRC-low CRC-high
 *
 * The CRC is CRC-16/CCITT in its reflected form (polynomial 0x1021 processed LSB first as 0x8408,
 * initial value 0, no final XOR — the "KERMIT" variant), computed over the APDU bytes as sent
 * before DLE doubling plus the closing ETX, and transmitted low byte first. The receiver answers
 * each frame with a single ACK (0x06) or, for a bad CRC or a garbled frame, NAK (0x15); the
 * sender repeats a NAKed or unanswered frame up to three times in all. The APDU inside still
 * gets its own `80 00 00` acknowledgement, in a frame of its own. TCP has none of this.
 *
 * Known vector (a PT's status-enquiry completion captured by python-ecrterm):
 * `10 02 06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00 10 03 B1 11`.
 */
import { DriverError } from "../../errors.ts";
import { encodeApdu, readApdu, type Apdu, type ApduChannel, type BytePipe } from "./apdu.ts";

export const DLE = 0x10;
export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;

/** CRC-16/KERMIT over `bytes` (the caller includes the ETX). */
export function crc16Kermit(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc & 1) !== 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}

/** The frame checksum of an APDU: CRC over the APDU and ETX. */
export function frameCrc(apduBytes: Uint8Array): number {
  const withEtx = new Uint8Array(apduBytes.length + 1);
  withEtx.set(apduBytes, 0);
  withEtx[apduBytes.length] = ETX;
  return crc16Kermit(withEtx);
}

/** Wraps serialised APDU bytes in DLE STX … DLE ETX CRC, doubling every DLE inside. */
export function encodeSerialFrame(apduBytes: Uint8Array): Uint8Array {
  const out: number[] = [DLE, STX];
  for (const byte of apduBytes) {
    out.push(byte);
    if (byte === DLE) out.push(DLE);
  }
  const crc = frameCrc(apduBytes);
  out.push(DLE, ETX, crc & 0xff, crc >> 8);
  return Uint8Array.from(out);
}

export type SerialEvent =
  { type: "ack" } | { type: "nak" } | { type: "frame"; apdu: Uint8Array } | { type: "bad_frame"; reason: string };

/** Longest frame body accepted before the decoder gives up on it (an extended-length APDU). */
const MAX_FRAME = 0xffff + 5;

type DecoderState = "idle" | "idle_dle" | "body" | "body_dle" | "crc_low" | "crc_high";

/**
 * Turns the received byte stream into events: single-byte ACK/NAK between frames, complete frames
 * (DLE un-doubled, CRC checked), and bad frames (the caller answers them with NAK). Bytes outside
 * a frame that are neither ACK nor NAK are line noise and are skipped.
 */
export class SerialFrameDecoder {
  #state: DecoderState = "idle";
  #body: number[] = [];
  #crcLow = 0;

  push(chunk: Uint8Array): SerialEvent[] {
    const events: SerialEvent[] = [];
    for (const byte of chunk) {
      const event = this.#step(byte);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  reset(): void {
    this.#state = "idle";
    this.#body = [];
  }

  #step(byte: number): SerialEvent | undefined {
    switch (this.#state) {
      case "idle":
        if (byte === ACK) return { type: "ack" };
        if (byte === NAK) return { type: "nak" };
        if (byte === DLE) this.#state = "idle_dle";
        return undefined;
      case "idle_dle":
        if (byte === STX) {
          this.#body = [];
          this.#state = "body";
        } else this.#state = byte === DLE ? "idle_dle" : "idle";
        return undefined;
      case "body":
        if (byte === DLE) this.#state = "body_dle";
        else if (this.#body.push(byte) > MAX_FRAME) return this.#fail("frame too long");
        return undefined;
      case "body_dle":
        if (byte === DLE) {
          this.#body.push(DLE);
          this.#state = "body";
          return undefined;
        }
        if (byte === ETX) {
          this.#state = "crc_low";
          return undefined;
        }
        if (byte === STX) {
          // A new frame started inside the old one: the old one is lost, follow the new one.
          this.#body = [];
          this.#state = "body";
          return { type: "bad_frame", reason: "frame restarted" };
        }
        return this.#fail(`DLE followed by 0x${byte.toString(16).padStart(2, "0")}`);
      case "crc_low":
        this.#crcLow = byte;
        this.#state = "crc_high";
        return undefined;
      case "crc_high": {
        const body = Uint8Array.from(this.#body);
        this.reset();
        const expected = frameCrc(body);
        if (((byte << 8) | this.#crcLow) !== expected) return { type: "bad_frame", reason: "CRC mismatch" };
        return { type: "frame", apdu: body };
      }
    }
  }

  #fail(reason: string): SerialEvent {
    this.reset();
    return { type: "bad_frame", reason };
  }
}

export interface SerialChannelOptions {
  /** How long to wait for the ACK/NAK of a frame. Default 1000 ms. */
  ackTimeoutMs?: number;
  /** Transmissions of one frame in all (first try + repeats). Default 3. */
  attempts?: number;
}

/**
 * An APDU channel over a serial line: frames out with ACK/NAK and repeats, frames in checked and
 * answered. Frames are sent one at a time (the next waits for the previous one's ACK); the
 * single-byte ACK/NAK for a received frame goes out at once, between frames.
 */
export function createSerialChannel(pipe: BytePipe, options: SerialChannelOptions = {}): ApduChannel {
  const decoder = new SerialFrameDecoder();
  const listeners = new Set<(value: Apdu) => void>();
  const ackTimeoutMs = options.ackTimeoutMs ?? 1000;
  const attempts = options.attempts ?? 3;
  let waiter: ((event: "ack" | "nak") => void) | undefined;
  let queue: Promise<void> = Promise.resolve();
  let detached = false;

  const off = pipe.onData((chunk) => {
    for (const event of decoder.push(chunk)) {
      switch (event.type) {
        case "ack":
        case "nak":
          waiter?.(event.type);
          break;
        case "bad_frame":
          pipe.write(Uint8Array.of(NAK)).catch(() => undefined);
          break;
        case "frame": {
          const parsed = readApdu(event.apdu);
          if (parsed?.consumed !== event.apdu.length) {
            pipe.write(Uint8Array.of(NAK)).catch(() => undefined);
            break;
          }
          pipe.write(Uint8Array.of(ACK)).catch(() => undefined);
          for (const listener of [...listeners]) listener(parsed.apdu);
          break;
        }
      }
    }
  });

  function transmit(frame: Uint8Array): Promise<"ack" | "nak" | "timeout"> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = undefined;
        resolve("timeout");
      }, ackTimeoutMs);
      waiter = (event) => {
        clearTimeout(timer);
        waiter = undefined;
        resolve(event);
      };
      pipe.write(frame).catch((error: unknown) => {
        clearTimeout(timer);
        waiter = undefined;
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  async function sendFrame(value: Apdu): Promise<void> {
    const frame = encodeSerialFrame(encodeApdu(value));
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (detached) throw new DriverError("closed", "ZVT serial channel closed");
      const answer = await transmit(frame);
      if (answer === "ack") return;
    }
    throw new DriverError("write_failed", `the terminal did not acknowledge the frame after ${attempts} attempts`);
  }

  return {
    send(value) {
      const result = queue.then(() => sendFrame(value));
      queue = result.catch(() => undefined);
      return result;
    },
    onApdu(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    detach() {
      detached = true;
      off();
      listeners.clear();
      decoder.reset();
      waiter = undefined;
    },
  };
}
