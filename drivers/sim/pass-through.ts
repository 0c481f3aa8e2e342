import { nextToken } from "../escpos/tokenizer.ts";

/**
 * A pole display wired between host and printer ("pass-through"): it watches for `ESC = n`
 * (1B 3D n; DM-D110 specification p.41) and sends the bytes that follow to the printer (n = 1),
 * itself (n = 2) or both (n = 3).
 */
export class PassThroughRouter {
  #mode: 1 | 2 | 3 = 1;
  #pending = new Uint8Array(0);
  readonly #toDisplay: (bytes: Uint8Array) => void;
  readonly #toPrinter: (bytes: Uint8Array) => void;

  constructor(toDisplay: (bytes: Uint8Array) => void, toPrinter: (bytes: Uint8Array) => void) {
    this.#toDisplay = toDisplay;
    this.#toPrinter = toPrinter;
  }

  get mode(): 1 | 2 | 3 {
    return this.#mode;
  }

  route(chunk: Uint8Array): void {
    const bytes = new Uint8Array(this.#pending.length + chunk.length);
    bytes.set(this.#pending);
    bytes.set(chunk, this.#pending.length);
    let pos = 0;
    while (pos < bytes.length) {
      if (this.#mode === 2) {
        // The display parses its own commands; the switch back is the 3-byte ESC = n.
        const at = findSelect(bytes, pos);
        if (at < 0) {
          // Keep a trailing ESC or ESC = for the next chunk.
          const keep =
            bytes.at(-1) === 0x1b ? 1 : bytes.length >= 2 && bytes.at(-2) === 0x1b && bytes.at(-1) === 0x3d ? 2 : 0;
          if (bytes.length - keep > pos) this.#toDisplay(bytes.subarray(pos, bytes.length - keep));
          pos = bytes.length - keep;
          break;
        }
        if (at > pos) this.#toDisplay(bytes.subarray(pos, at));
        this.#mode = selectMode(bytes[at + 2]);
        pos = at + 3;
        continue;
      }
      const token = nextToken(bytes, pos);
      if (token === null) break;
      const command = bytes.subarray(pos, pos + token.length);
      if (token.name === "ESC =") {
        this.#mode = selectMode(command[2]);
      } else {
        this.#toPrinter(command);
        if (this.#mode === 3) this.#toDisplay(command);
      }
      pos += token.length;
    }
    this.#pending = bytes.slice(pos);
  }
}

function selectMode(n: number | undefined): 1 | 2 | 3 {
  const m = (n ?? 1) & 3;
  return m === 2 ? 2 : m === 3 ? 3 : 1;
}

function findSelect(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 2 < bytes.length; i++) {
    if (bytes[i] === 0x1b && bytes[i + 1] === 0x3d && ((bytes[i + 2] ?? 0) & 3) !== 2) return i;
  }
  return -1;
}
