/**
 * ZVT (ZVT-Protokoll 13.x, "Kassenschnittstelle") application protocol data units: framing, the
 * stream reader and the APDU channel over one connection.
 *
 * An APDU is `CLASS INSTR LEN DATA`: LEN is one byte, or — for 255 bytes and more — `FF` followed
 * by a two-byte little-endian length. Over TCP (port 20007) APDUs follow each other with no other
 * framing, so a reader has to cut the stream by these lengths, across arbitrary partial reads.
 * Over serial each APDU is wrapped in DLE STX … DLE ETX CRC (see `serial-framing.ts`).
 *
 * The fields an APDU carries are encoded by `codecs.ts` (BCD numbers, LLVAR lengths, card
 * number), `tlv.ts` (the BMP 06 container) and `text.ts` (terminal text).
 */
import { DriverError } from "../../errors.ts";

export interface Apdu {
  cls: number;
  instr: number;
  data: Uint8Array;
}

/** The largest data part an APDU can carry (two-byte extended length). */
export const MAX_APDU_DATA = 0xffff;

/** `80 00 00`: the positive acknowledgement either side sends for each message it accepted. */
export const ACK_APDU: Apdu = { cls: 0x80, instr: 0x00, data: new Uint8Array(0) };

/** Serialises an APDU, choosing the extended length form for 255 data bytes and more. */
export function encodeApdu(apdu: Apdu): Uint8Array {
  const length = apdu.data.length;
  if (length > MAX_APDU_DATA) throw new DriverError("encode_failed", `ZVT APDU data too long (${length} bytes)`);
  const header =
    length < 0xff ? [apdu.cls, apdu.instr, length] : [apdu.cls, apdu.instr, 0xff, length & 0xff, length >> 8];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(apdu.data, header.length);
  return out;
}

/** Builds an APDU from a class, an instruction and data parts (numbers are single bytes). */
export function apdu(cls: number, instr: number, ...parts: Array<Uint8Array | number[]>): Apdu {
  return { cls, instr, data: concatBytes(...parts) };
}

export function concatBytes(...parts: Array<Uint8Array | number[]>): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Cuts a byte stream into APDUs. `push` takes whatever the transport delivered (a partial APDU,
 * several, or the end of one and the start of the next) and returns the complete ones.
 */
export class ApduReader {
  #buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Apdu[] {
    this.#buffer = this.#buffer.length === 0 ? chunk.slice() : concatBytes(this.#buffer, chunk);
    const out: Apdu[] = [];
    // Each pass consumes one APDU or stops: bounded by the buffer length.
    for (;;) {
      const next = readApdu(this.#buffer);
      if (next === undefined) break;
      out.push(next.apdu);
      this.#buffer = this.#buffer.subarray(next.consumed);
    }
    return out;
  }

  /** Bytes held back waiting for the rest of an APDU. */
  get pending(): number {
    return this.#buffer.length;
  }

  reset(): void {
    this.#buffer = new Uint8Array(0);
  }
}

/** Reads one APDU at the start of `bytes`, or undefined when it is not complete yet. */
export function readApdu(bytes: Uint8Array): { apdu: Apdu; consumed: number } | undefined {
  if (bytes.length < 3) return undefined;
  const [cls = 0, instr = 0, short = 0] = bytes;
  let length = short;
  let start = 3;
  if (short === 0xff) {
    if (bytes.length < 5) return undefined;
    length = (bytes[3] ?? 0) | ((bytes[4] ?? 0) << 8);
    start = 5;
  }
  if (bytes.length < start + length) return undefined;
  return { apdu: { cls, instr, data: bytes.slice(start, start + length) }, consumed: start + length };
}

export function hex2(value: number): string {
  return value.toString(16).padStart(2, "0");
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, hex2).join(" ");
}

// ---- channels ----------------------------------------------------------------------------------

/** The byte pipe a channel needs: a ByteTransport fits, and so does a simulator's socket. */
export interface BytePipe {
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): () => void;
}

/** APDUs in and out over one connection, whatever the link framing. */
export interface ApduChannel {
  /** Resolves once the APDU was handed over (serial: once the other side acknowledged the frame). */
  send(value: Apdu): Promise<void>;
  onApdu(listener: (value: Apdu) => void): () => void;
  /** Drops listeners and buffered bytes; the pipe itself stays open. */
  detach(): void;
}

/** TCP: APDUs back to back, no framing. */
export function createStreamChannel(pipe: BytePipe): ApduChannel {
  const reader = new ApduReader();
  const listeners = new Set<(value: Apdu) => void>();
  const off = pipe.onData((chunk) => {
    for (const value of reader.push(chunk)) for (const listener of [...listeners]) listener(value);
  });
  return {
    send: (value) => pipe.write(encodeApdu(value)),
    onApdu(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    detach() {
      off();
      listeners.clear();
      reader.reset();
    },
  };
}
