import type { Alignment, MonoImage } from "../escpos/print-document.ts";
import type { Token } from "../escpos/tokenizer.ts";
import type { CodePageName } from "../printer/profiles.ts";
import { decodeCodePage } from "./code-page-decoder.ts";
import { itemWidth, type PaperItem, type PaperPage, type PaperRun } from "./paper.ts";

/** In-sequence effects the simulator must act on (replies, drawer, settings). */
export type InterpreterEvent =
  | { type: "init" }
  | { type: "cut"; page: PaperPage }
  | { type: "asb"; mask: number }
  | { type: "sequence-status"; n: number }
  | { type: "process-id"; id: string }
  | { type: "printer-id"; n: number }
  | { type: "pulse"; pin: 2 | 5; onMs: number; offMs: number }
  | { type: "realtime-enable"; pulse: boolean | undefined; powerOff: boolean | undefined }
  | { type: "unknown"; name: string; bytes: Uint8Array };

interface Style {
  bold: boolean;
  underline: boolean;
  invert: boolean;
  width: number;
  height: number;
  align: Alignment;
  codePage: number;
  fontB: boolean;
}

const DEFAULT_STYLE: Style = {
  bold: false,
  underline: false,
  invert: false,
  width: 1,
  height: 1,
  align: "left",
  codePage: 0,
  fontB: false,
};

const ALIGN_BY_N: Readonly<Record<number, Alignment>> = {
  0: "left",
  1: "center",
  2: "right",
  48: "left",
  49: "center",
  50: "right",
};
const QR_ECC: Readonly<Record<number, "L" | "M" | "Q" | "H">> = { 48: "L", 49: "M", 50: "Q", 51: "H" };

/**
 * Interprets whole ESC/POS commands in order (the printer's buffer processing) into pages of
 * printed items. Real-time commands (DLE EOT, DLE DC4) are executed on receipt by the simulator,
 * not here.
 */
export class EscPosInterpreter {
  readonly #columns: number;
  readonly #codePages: Readonly<Record<number, CodePageName>>;
  #style: Style = { ...DEFAULT_STYLE };
  #line: PaperRun[] = [];
  #lineAlign: Alignment = "left";
  #pages: PaperPage[] = [{ items: [], cut: false }];
  #qr = { data: "", moduleSize: 3, ecc: "L" as "L" | "M" | "Q" | "H" };
  #unknownCodePages = new Set<number>();

  constructor(options: { columns: number; codePages: Readonly<Record<number, CodePageName>> }) {
    this.#columns = options.columns;
    this.#codePages = options.codePages;
  }

  get pages(): readonly PaperPage[] {
    return this.#pages;
  }

  /** Code-page numbers the host selected that this printer does not have. */
  get unknownCodePages(): number[] {
    return [...this.#unknownCodePages];
  }

  /** Clears all printed pages (tear off the paper). */
  clearPaper(): void {
    this.#pages = [{ items: [], cut: false }];
    this.#line = [];
  }

  get #page(): PaperPage {
    const page = this.#pages.at(-1);
    if (page === undefined) throw new Error("no page");
    return page;
  }

  #emitItem(item: PaperItem): void {
    this.#page.items.push(item);
  }

  #columnsNow(): number {
    // Font B (9×17) fits 4/3 as many characters as font A (12×24).
    return this.#style.fontB ? Math.floor((this.#columns * 12) / 9) : this.#columns;
  }

  /** Prints the line buffer (LF); an empty buffer feeds one blank line. */
  #printLine(): void {
    const height = this.#line.reduce(
      (h, run) => Math.max(h, run.height),
      this.#line.length === 0 ? this.#style.height : 1,
    );
    this.#emitItem({ kind: "text", runs: this.#line, align: this.#lineAlign, columns: this.#columnsNow(), height });
    this.#line = [];
    this.#lineAlign = this.#style.align;
  }

  #flushIfPending(): void {
    if (this.#line.length > 0) this.#printLine();
  }

  #addText(text: string): void {
    if (this.#line.length === 0) this.#lineAlign = this.#style.align;
    for (const ch of text) {
      if (itemWidth(this.#line) + this.#style.width > this.#columnsNow()) this.#printLine();
      const last = this.#line.at(-1);
      const s = this.#style;
      if (
        last !== undefined &&
        last.bold === s.bold &&
        last.underline === s.underline &&
        last.invert === s.invert &&
        last.width === s.width &&
        last.height === s.height
      ) {
        last.text += ch;
      } else {
        this.#line.push({
          text: ch,
          bold: s.bold,
          underline: s.underline,
          invert: s.invert,
          width: s.width,
          height: s.height,
        });
      }
    }
  }

  #codePageName(): CodePageName {
    return this.#codePages[this.#style.codePage] ?? "cp437";
  }

  /** Executes one whole command; returns the in-sequence events it caused. */
  execute(bytes: Uint8Array, token: Token): InterpreterEvent[] {
    const b = (i: number): number => bytes[i] ?? 0;
    switch (token.name) {
      case "text":
        this.#addText(decodeCodePage(bytes, this.#codePageName()));
        return [];
      case "LF":
        this.#printLine();
        return [];
      case "CR":
      case "NUL":
      case "CAN":
        return [];
      case "HT": {
        const width = itemWidth(this.#line);
        this.#addText(" ".repeat(8 - (width % 8)));
        return [];
      }
      case "FF":
        this.#flushIfPending();
        return [];
      case "ESC @":
        this.#flushIfPending();
        this.#style = { ...DEFAULT_STYLE };
        this.#lineAlign = "left";
        return [{ type: "init" }];
      case "ESC E":
      case "ESC G":
        this.#style.bold = (b(2) & 1) === 1;
        return [];
      case "ESC -":
        this.#style.underline = (b(2) & 3) !== 0 && b(2) !== 48;
        return [];
      case "GS B":
        this.#style.invert = (b(2) & 1) === 1;
        return [];
      case "GS !":
        this.#style.width = (b(2) >> 4) + 1;
        this.#style.height = (b(2) & 0x0f) + 1;
        return [];
      case "ESC !": {
        const n = b(2);
        this.#style.fontB = (n & 0x01) !== 0;
        this.#style.bold = (n & 0x08) !== 0;
        this.#style.height = n & 0x10 ? 2 : 1;
        this.#style.width = n & 0x20 ? 2 : 1;
        this.#style.underline = (n & 0x80) !== 0;
        return [];
      }
      case "ESC M":
        this.#style.fontB = b(2) === 1 || b(2) === 49;
        return [];
      case "ESC a":
        this.#style.align = ALIGN_BY_N[b(2)] ?? "left";
        if (this.#line.length === 0) this.#lineAlign = this.#style.align;
        return [];
      case "ESC t":
        this.#style.codePage = b(2);
        if (this.#codePages[b(2)] === undefined) this.#unknownCodePages.add(b(2));
        return [];
      case "ESC d":
        this.#printLine();
        for (let i = 1; i < b(2); i++) this.#printLine();
        return [];
      case "ESC J":
        this.#flushIfPending();
        return [];
      case "GS V":
      case "ESC i":
      case "ESC m":
        this.#flushIfPending();
        this.#emitItem({ kind: "cut", partial: token.name === "ESC m" || b(2) === 1 || b(2) === 49 || b(2) === 66 });
        this.#page.cut = true;
        {
          const finished = this.#page;
          this.#pages.push({ items: [], cut: false });
          return [{ type: "cut", page: finished }];
        }
      case "GS v 0":
        this.#flushIfPending();
        this.#emitItem({ kind: "image", image: decodeRaster(bytes), align: this.#style.align });
        return [];
      case "ESC *":
        this.#flushIfPending();
        this.#emitItem({ kind: "image", image: decodeColumn(bytes), align: this.#style.align });
        return [];
      case "GS ( k":
        return this.#qrCommand(bytes);
      case "GS k":
        this.#flushIfPending();
        this.#emitItem({ kind: "barcode", symbology: b(2), data: barcodeData(bytes), align: this.#style.align });
        return [];
      case "ESC p":
        return [{ type: "pulse", pin: (b(2) & 1) === 0 ? 2 : 5, onMs: b(3) * 2, offMs: b(4) * 2 }];
      case "GS a":
        return [{ type: "asb", mask: b(2) }];
      case "GS r":
        return [{ type: "sequence-status", n: b(2) }];
      case "GS I":
        return [{ type: "printer-id", n: b(2) }];
      case "GS ( H":
        // fn 48 (0x30), m 48: process ID response with d1..d4.
        if (b(5) === 0x30 && bytes.length === 11)
          return [{ type: "process-id", id: String.fromCharCode(b(7), b(8), b(9), b(10)) }];
        return [{ type: "unknown", name: token.name, bytes }];
      case "GS ( D":
        return [realtimeEnable(bytes)];
      default:
        if (token.kind === "unknown") return [{ type: "unknown", name: token.name, bytes }];
        // Styles and settings with no visible effect here (spacing, fonts, Kanji, peripherals…).
        return [];
    }
  }

  #qrCommand(bytes: Uint8Array): InterpreterEvent[] {
    const cn = bytes[5];
    const fn = bytes[6];
    if (cn !== 0x31) return [{ type: "unknown", name: "GS ( k", bytes }];
    switch (fn) {
      case 0x43:
        this.#qr.moduleSize = bytes[7] ?? 3;
        return [];
      case 0x45:
        this.#qr.ecc = QR_ECC[bytes[7] ?? 48] ?? "L";
        return [];
      case 0x50:
        this.#qr.data = new TextDecoder("latin1").decode(bytes.subarray(8));
        return [];
      case 0x51:
      case undefined:
        if (fn === undefined) return [];
        this.#flushIfPending();
        this.#emitItem({
          kind: "qr",
          data: this.#qr.data,
          moduleSize: this.#qr.moduleSize,
          errorLevel: this.#qr.ecc,
          align: this.#style.align,
        });
        return [];
      default:
        return [];
    }
  }
}

function realtimeEnable(bytes: Uint8Array): InterpreterEvent {
  // GS ( D pL pH m [a b]…: m = 20; a = 1 → DLE DC4 fn 1 (pulse), a = 2 → fn 2 (power off).
  let pulse: boolean | undefined;
  let powerOff: boolean | undefined;
  for (let i = 6; i + 1 < bytes.length; i += 2) {
    if (bytes[i] === 1) pulse = bytes[i + 1] === 1;
    if (bytes[i] === 2) powerOff = bytes[i + 1] === 1;
  }
  return { type: "realtime-enable", pulse, powerOff };
}

function barcodeData(bytes: Uint8Array): string {
  const m = bytes[2] ?? 0;
  const data = m <= 6 ? bytes.subarray(3, bytes.length - 1) : bytes.subarray(4);
  return new TextDecoder("latin1").decode(data);
}

/** GS v 0 m xL xH yL yH d…: x bytes per row, y rows, MSB = leftmost dot. */
function decodeRaster(bytes: Uint8Array): MonoImage {
  const xBytes = (bytes[4] ?? 0) + (bytes[5] ?? 0) * 256;
  const height = (bytes[6] ?? 0) + (bytes[7] ?? 0) * 256;
  const width = xBytes * 8;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let xb = 0; xb < xBytes; xb++) {
      const byte = bytes[8 + y * xBytes + xb] ?? 0;
      for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) pixels[y * width + xb * 8 + bit] = 1;
    }
  }
  return { width, height, pixels };
}

/** ESC * m nL nH d…: column format; 8-dot (m 0/1) or 24-dot (m 32/33) tall stripe. */
function decodeColumn(bytes: Uint8Array): MonoImage {
  const m = bytes[2] ?? 0;
  const width = (bytes[3] ?? 0) + (bytes[4] ?? 0) * 256;
  const rowsPerColumn = m >= 32 ? 24 : 8;
  const bytesPerColumn = rowsPerColumn / 8;
  const pixels = new Uint8Array(width * rowsPerColumn);
  for (let x = 0; x < width; x++) {
    for (let k = 0; k < bytesPerColumn; k++) {
      const byte = bytes[5 + x * bytesPerColumn + k] ?? 0;
      for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) pixels[(k * 8 + bit) * width + x] = 1;
    }
  }
  return { width, height: rowsPerColumn, pixels };
}
