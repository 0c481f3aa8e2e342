import { nextToken, type Token } from "../escpos/tokenizer.ts";
import { RealtimeDetector, type RealtimeCommand } from "./realtime-detector.ts";

/** What the receive buffer hands its printer. */
export interface ReceiveBufferHost {
  /** False while the printer is offline: commands wait in the buffer (real-time ones still run). */
  online(): boolean;
  /** Before a whole command of `length` bytes is processed; false stops processing there (paper out). */
  mayProcess(length: number): boolean;
  /** A whole command, in sequence. */
  onCommand(bytes: Uint8Array, token: Token): void;
  /** A real-time command (DLE EOT, DLE ENQ, DLE DC4), executed on receipt. */
  onRealtime(command: RealtimeCommand): void;
}

/**
 * A printer's receive buffer: bytes wait here until the printer processes them command by
 * command, which it only does while online. Real-time commands are found on receipt wherever they
 * appear (also while the buffer waits) and run at once; DLE DC4 8 / DLE ENQ 2 clear the buffer.
 */
export class ReceiveBuffer {
  readonly #host: ReceiveBufferHost;
  readonly #detector = new RealtimeDetector();
  #buffer = new Uint8Array(0);
  /** Bytes of the buffer already seen by the real-time detector. */
  #detected = 0;
  #processing = false;
  #cleared = false;

  constructor(host: ReceiveBufferHost) {
    this.#host = host;
  }

  /** Bytes waiting (not yet printed). */
  get length(): number {
    return this.#buffer.length;
  }

  /** Appends received bytes and processes what it can. */
  push(bytes: Uint8Array): void {
    const merged = new Uint8Array(this.#buffer.length + bytes.length);
    merged.set(this.#buffer);
    merged.set(bytes, this.#buffer.length);
    this.#buffer = merged;
    this.#process();
  }

  /** The printer came back online: go on where processing stopped. */
  resume(): void {
    if (this.#host.online() && !this.#processing && this.#buffer.length > 0) this.#process();
  }

  /** Everything not yet processed is dropped (DLE DC4 8 / DLE ENQ 2). */
  clear(): void {
    this.#buffer = new Uint8Array(0);
    this.#detected = 0;
    this.#cleared = true;
  }

  #process(): void {
    if (this.#processing) return;
    this.#processing = true;
    try {
      let pos = 0;
      for (;;) {
        if (this.#cleared) {
          this.#cleared = false;
          pos = 0;
        }
        if (!this.#host.online()) break;
        const token = nextToken(this.#buffer, pos);
        if (token === null) break;
        if (!this.#host.mayProcess(token.length)) break;
        this.#detectTo(pos + token.length);
        if (this.#wasCleared()) continue;
        const command = this.#buffer.subarray(pos, pos + token.length);
        pos += token.length;
        this.#host.onCommand(command, token);
      }
      // Real-time commands are executed on receipt even while the buffer is not processed.
      this.#detectTo(this.#buffer.length);
      if (this.#wasCleared()) {
        this.#cleared = false;
        pos = 0;
      }
      this.#buffer = this.#buffer.slice(pos);
      this.#detected -= pos;
    } finally {
      this.#processing = false;
    }
  }

  // A real-time "clear buffers" may happen inside #detectTo; read the flag through a call.
  #wasCleared(): boolean {
    return this.#cleared;
  }

  #detectTo(end: number): void {
    while (this.#detected < Math.min(end, this.#buffer.length) && !this.#cleared) {
      const command = this.#detector.push(this.#buffer[this.#detected] ?? 0);
      this.#detected++;
      if (command !== undefined) this.#host.onRealtime(command);
    }
  }
}
