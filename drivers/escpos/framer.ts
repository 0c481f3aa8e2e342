import { BLOCK_HEADERS, BLOCK_HEADER_37, BUFFER_CLEAR_RESPONSE, PROCESS_ID_RESPONSE, XOFF, XON } from "./commands.ts";
import { isAsbFirstByte, isRealtimeStatusByte } from "./status.ts";

/**
 * Splits the byte stream coming back from a printer into responses. Stateful and
 * fragment-tolerant: TCP and USB deliver arbitrary splits, so a 4-byte ASB block or a
 * `37 22 …` process-ID response may arrive one byte at a time.
 *
 * Classification follows Epson's "Transmission status identification" (also in Citizen manuals):
 *  - `0x37 / 0x5F / 0x35 / 0x3B / 0x3D` start a block that ends with NUL;
 *  - `0x11` XON, `0x13` XOFF (unless the kernel consumes them: software flow control);
 *  - `0xx1xx10` a DLE EOT reply; `0xx1xx00` the first of four ASB bytes;
 *  - `0xx0xxxx` a GS r / GS I single-byte reply.
 */
export type PrinterResponse =
  | { type: "realtime"; byte: number }
  | { type: "asb"; bytes: number[] }
  | { type: "sequence"; byte: number }
  | { type: "process-id"; id: string }
  | { type: "buffer-cleared" }
  | { type: "block"; header: number; data: number[] }
  | { type: "xon" }
  | { type: "xoff" }
  | { type: "garbage"; byte: number };

/** Longest block we accept before declaring it garbage (printer info strings are short). */
const MAX_BLOCK = 80;

export class ResponseFramer {
  #asb: number[] | null = null;
  #block: number[] | null = null;
  readonly #keepFlowBytes: boolean;

  /** `flowControlBytes: false` when software flow control is on and the kernel eats XON/XOFF. */
  constructor(options: { flowControlBytes?: boolean } = {}) {
    this.#keepFlowBytes = options.flowControlBytes ?? true;
  }

  /** Feeds bytes; returns the complete responses found (partial ones wait for more bytes). */
  push(chunk: Uint8Array): PrinterResponse[] {
    const out: PrinterResponse[] = [];
    for (const byte of chunk) this.#byte(byte, out);
    return out;
  }

  /** Drops any partial response (after a reconnect). */
  reset(): void {
    this.#asb = null;
    this.#block = null;
  }

  #byte(byte: number, out: PrinterResponse[]): void {
    if (this.#block !== null) {
      if (byte === 0x00) {
        out.push(blockResponse(this.#block));
        this.#block = null;
      } else if (this.#block.length >= MAX_BLOCK) {
        for (const b of this.#block) out.push({ type: "garbage", byte: b });
        this.#block = null;
      } else {
        this.#block.push(byte);
      }
      return;
    }
    if (this.#asb !== null) {
      this.#asb.push(byte);
      if (this.#asb.length === 4) {
        out.push({ type: "asb", bytes: this.#asb });
        this.#asb = null;
      }
      return;
    }
    if ((BLOCK_HEADERS as readonly number[]).includes(byte)) {
      this.#block = [byte];
      return;
    }
    if (byte === XON || byte === XOFF) {
      if (this.#keepFlowBytes) out.push({ type: byte === XON ? "xon" : "xoff" });
      return;
    }
    if (isRealtimeStatusByte(byte)) {
      out.push({ type: "realtime", byte });
      return;
    }
    if (isAsbFirstByte(byte)) {
      this.#asb = [byte];
      return;
    }
    if ((byte & 0x90) === 0) {
      out.push({ type: "sequence", byte });
      return;
    }
    out.push({ type: "garbage", byte });
  }
}

function blockResponse(block: number[]): PrinterResponse {
  const [header, kind, ...rest] = block;
  if (header === BLOCK_HEADER_37 && kind === PROCESS_ID_RESPONSE && rest.length === 4) {
    return { type: "process-id", id: String.fromCharCode(...rest) };
  }
  if (header === BLOCK_HEADER_37 && kind === BUFFER_CLEAR_RESPONSE && rest.length === 0) {
    return { type: "buffer-cleared" };
  }
  return { type: "block", header: header ?? 0, data: block.slice(1) };
}
