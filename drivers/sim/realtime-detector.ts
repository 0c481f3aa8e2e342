/**
 * Finds real-time commands in the raw byte stream the way a printer does: on receipt, wherever
 * the pattern appears — also inside image data (TM-T88III specification).
 */
export type RealtimeCommand =
  | { type: "status"; n: number }
  | { type: "recover"; n: number }
  | { type: "pulse"; pin: 2 | 5; t: number }
  | { type: "power-off" }
  | { type: "clear-buffers" };

/** Argument bytes after `DLE DC4 fn` per fn (fn 1: m t; fn 2: a b; fn 7: m; fn 8: 7 fixed bytes). */
const DC4_ARGS: Readonly<Record<number, number>> = { 1: 2, 2: 2, 7: 1, 8: 7 };

export class RealtimeDetector {
  #state: "idle" | "dle" | "eot" | "enq" | "dc4" | "dc4-args" = "idle";
  #fn = 0;
  #args: number[] = [];

  /** Feeds one byte; returns the command it completes, if any. */
  push(byte: number): RealtimeCommand | undefined {
    switch (this.#state) {
      case "idle":
        if (byte === 0x10) this.#state = "dle";
        return undefined;
      case "dle":
        if (byte === 0x04) this.#state = "eot";
        else if (byte === 0x05) this.#state = "enq";
        else if (byte === 0x14) this.#state = "dc4";
        else this.#state = byte === 0x10 ? "dle" : "idle";
        return undefined;
      case "eot":
        this.#state = byte === 0x10 ? "dle" : "idle";
        return byte >= 1 && byte <= 4 ? { type: "status", n: byte } : undefined;
      case "enq":
        this.#state = byte === 0x10 ? "dle" : "idle";
        return byte >= 0 && byte <= 2 ? { type: "recover", n: byte } : undefined;
      case "dc4": {
        const count = DC4_ARGS[byte];
        if (count === undefined) {
          this.#state = byte === 0x10 ? "dle" : "idle";
          return undefined;
        }
        this.#fn = byte;
        this.#args = [];
        this.#state = "dc4-args";
        return undefined;
      }
      case "dc4-args":
        this.#args.push(byte);
        if (this.#args.length < (DC4_ARGS[this.#fn] ?? 0)) return undefined;
        this.#state = "idle";
        return this.#dc4();
    }
  }

  #dc4(): RealtimeCommand | undefined {
    const [a, b] = this.#args;
    if (this.#fn === 1 && (a === 0 || a === 1) && b !== undefined && b >= 1 && b <= 8)
      return { type: "pulse", pin: a === 0 ? 2 : 5, t: b };
    if (this.#fn === 2 && a === 1 && b === 8) return { type: "power-off" };
    if (this.#fn === 8 && this.#args.join(",") === "1,3,20,1,6,2,8") return { type: "clear-buffers" };
    return undefined;
  }
}
