import type { DisplayCommandSetId } from "../display/command-sets.ts";
import { decodeCodePage } from "./code-page-decoder.ts";

/**
 * A 2×20 pole display holding its cells, for the Epson, CD5220 and Logic Controls command sets
 * (same sources as display/command-sets.ts). Tests assert on the 40 visible characters.
 */
export class PoleDisplaySimulator {
  readonly commandSet: DisplayCommandSetId;
  readonly columns: number;
  readonly rows = 2;
  brightness = 4;
  cursorVisible = true;
  readonly unknownBytes: number[] = [];
  #cells: string[];
  #pos = 0;
  #pending = new Uint8Array(0);
  /** CD5220 `ESC Q A/B`: writing a line until CR. */
  #stringRow: number | undefined;

  constructor(commandSet: DisplayCommandSetId, columns = 20) {
    this.commandSet = commandSet;
    this.columns = columns;
    this.#cells = new Array<string>(columns * 2).fill(" ");
  }

  /** The two visible rows. */
  lines(): [string, string] {
    return [this.#cells.slice(0, this.columns).join(""), this.#cells.slice(this.columns).join("")];
  }

  text(): string {
    return this.lines().join("\n") + "\n";
  }

  receive(bytes: Uint8Array): void {
    this.push(bytes);
  }

  push(chunk: Uint8Array): void {
    const bytes = new Uint8Array(this.#pending.length + chunk.length);
    bytes.set(this.#pending);
    bytes.set(chunk, this.#pending.length);
    let pos = 0;
    while (pos < bytes.length) {
      const used = this.#step(bytes, pos);
      if (used === 0) break;
      pos += used;
    }
    this.#pending = bytes.slice(pos);
  }

  #clear(): void {
    this.#cells.fill(" ");
    this.#pos = 0;
  }

  #put(byte: number): void {
    const ch = decodeCodePage(Uint8Array.of(byte), "cp437");
    if (this.#pos >= this.#cells.length) this.#pos = 0;
    this.#cells[this.#pos] = ch;
    this.#pos++;
  }

  /** Executes one command or character at `pos`; returns bytes used, 0 when incomplete. */
  #step(bytes: Uint8Array, pos: number): number {
    const b = bytes[pos] ?? 0;
    const need = (n: number): boolean => pos + n <= bytes.length;
    if (this.#stringRow !== undefined) {
      if (b === 0x0d) {
        this.#stringRow = undefined;
        return 1;
      }
      if (this.#pos < (this.#stringRow + 1) * this.columns) this.#put(b);
      return 1;
    }
    switch (b) {
      case 0x0c: // CLR
        this.#clear();
        return 1;
      case 0x0b: // HOM
        this.#pos = 0;
        return 1;
      case 0x0d: // CR: start of the current row
        this.#pos = Math.floor(this.#pos / this.columns) * this.columns;
        return 1;
      case 0x0a: // LF: next row
        this.#pos = Math.min(this.#cells.length - 1, this.#pos + this.columns);
        return 1;
      case 0x08: // BS
        this.#pos = Math.max(0, this.#pos - 1);
        return 1;
      case 0x18: // CAN: clear the current row
        for (let i = 0; i < this.columns; i++)
          this.#cells[Math.floor(this.#pos / this.columns) * this.columns + i] = " ";
        return 1;
      default:
        break;
    }
    switch (this.commandSet) {
      case "epson":
        return this.#epson(bytes, pos, b, need);
      case "cd5220":
        return this.#cd5220(bytes, pos, b, need);
      case "logic-controls":
        return this.#lci(bytes, pos, b, need);
    }
  }

  #printable(b: number): number {
    if (b >= 0x20) this.#put(b);
    else this.unknownBytes.push(b);
    return 1;
  }

  #escCommon(bytes: Uint8Array, pos: number, need: (n: number) => boolean): number | undefined {
    const op = bytes[pos + 1];
    if (op === undefined) return 0;
    if (op === 0x40) {
      this.#clear();
      return 2;
    }
    if (op === 0x74 || op === 0x52 || op === 0x3d || op === 0x66) return need(3) ? 3 : 0; // ESC t / R / = / f n
    return undefined;
  }

  #epson(bytes: Uint8Array, pos: number, b: number, need: (n: number) => boolean): number {
    if (b === 0x1b) return this.#escCommon(bytes, pos, need) ?? 2;
    if (b !== 0x1f) return this.#printable(b);
    const op = bytes[pos + 1];
    if (op === undefined) return 0;
    if (op === 0x24) {
      // US $ x y: column x 1–20, row y 1–2.
      if (!need(4)) return 0;
      this.#pos = ((bytes[pos + 3] ?? 1) - 1) * this.columns + ((bytes[pos + 2] ?? 1) - 1);
      return 4;
    }
    if (op === 0x01 || op === 0x02 || op === 0x03) return 2; // US MD1/2/3
    if (op === 0x43 || op === 0x58 || op === 0x45 || op === 0x72) {
      if (!need(3)) return 0;
      if (op === 0x43) this.cursorVisible = bytes[pos + 2] === 1;
      if (op === 0x58) this.brightness = bytes[pos + 2] ?? 4;
      return 3;
    }
    return 2;
  }

  #cd5220(bytes: Uint8Array, pos: number, b: number, need: (n: number) => boolean): number {
    if (b !== 0x1b) return this.#printable(b);
    const common = this.#escCommon(bytes, pos, need);
    if (common !== undefined) return common;
    const op = bytes[pos + 1] ?? 0;
    if (op === 0x11 || op === 0x12 || op === 0x13) return 2; // ESC DC1/DC2/DC3 modes
    if (op === 0x51) {
      // ESC Q A / ESC Q B / ESC Q D: write a line until CR.
      if (!need(3)) return 0;
      const which = bytes[pos + 2];
      this.#stringRow = which === 0x42 ? 1 : 0;
      this.#pos = this.#stringRow * this.columns;
      for (let i = 0; i < this.columns; i++) this.#cells[this.#pos + i] = " ";
      return 3;
    }
    if (op === 0x6c) {
      // ESC l x y
      if (!need(4)) return 0;
      this.#pos = ((bytes[pos + 3] ?? 1) - 1) * this.columns + ((bytes[pos + 2] ?? 1) - 1);
      return 4;
    }
    if (op === 0x5f || op === 0x2a) {
      if (!need(3)) return 0;
      if (op === 0x5f) this.cursorVisible = bytes[pos + 2] === 1;
      else this.brightness = bytes[pos + 2] ?? 4;
      return 3;
    }
    return 2;
  }

  #lci(bytes: Uint8Array, pos: number, b: number, need: (n: number) => boolean): number {
    switch (b) {
      case 0x1f: // reset
        this.#clear();
        return 1;
      case 0x11: // normal mode
      case 0x12: // vertical scroll
        return 1;
      case 0x13:
      case 0x14:
        this.cursorVisible = b === 0x13;
        return 1;
      case 0x10: // digit select nn
        if (!need(2)) return 0;
        this.#pos = Math.min(this.#cells.length - 1, bytes[pos + 1] ?? 0);
        return 2;
      case 0x04: {
        if (!need(2)) return 0;
        const level = bytes[pos + 1] ?? 0xff;
        this.brightness = level >= 0xff ? 4 : Math.max(1, Math.round(level / 0x20));
        return 2;
      }
      default:
        return this.#printable(b);
    }
  }
}

/** Creates a pole display simulator for one command set. */
export function createPoleDisplaySimulator(commandSet: DisplayCommandSetId, columns = 20): PoleDisplaySimulator {
  return new PoleDisplaySimulator(commandSet, columns);
}
