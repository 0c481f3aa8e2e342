import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import { encodeQR } from "@paulmillr/qr";
import { DriverError, toDriverError } from "../errors.ts";
import type { PrinterProfile } from "../printer/profiles.ts";
import { installCodepageCache } from "./codepage-cache.ts";
import { realtimeCommands } from "./commands.ts";
import { printableText } from "./printable-text.ts";
import type { Alignment, EncodedCommand, MonoImage, PrintBlock, PrintDocument, TextStyle } from "./print-document.ts";
import { tokenize } from "./tokenizer.ts";

/**
 * The content-encoding port. The application depends on this interface only, so the library
 * behind it (@point-of-sale/receipt-printer-encoder today) can be swapped; the simulator test
 * suite doubles as the conformance suite of any replacement.
 */
export interface ReceiptEncoder {
  /** Encodes a document for one printer profile into whole commands, in order. */
  encode(document: PrintDocument, profile: PrinterProfile): EncodedCommand[];
}

type Lib = InstanceType<typeof ReceiptPrinterEncoder>;

/** Fallback QR rendering: module size in dots when the printer has no native QR. */
const DEFAULT_QR_MODULE = 6;

function createLibEncoder(profile: PrinterProfile): Lib {
  const mapping: Record<string, number> = {};
  for (const [n, page] of Object.entries(profile.codePages)) mapping[page] = Number(n);
  return new ReceiptPrinterEncoder({
    language: "esc-pos",
    columns: profile.columns,
    codepageMapping: mapping,
    codepageCandidates: [...profile.codePageCandidates],
    imageMode: profile.imageMode,
    feedBeforeCut: 4,
    newline: "\n",
  });
}

function applyStyle(lib: Lib, style: TextStyle | undefined, on: boolean): void {
  if (style === undefined) return;
  if (style.bold === true) lib.bold(on);
  if (style.underline === true) lib.underline(on);
  if (style.invert === true) lib.invert(on);
  const width = style.width ?? 1;
  const height = style.height ?? 1;
  if (width !== 1 || height !== 1) {
    if (on) lib.size(clampSize(width), clampSize(height));
    else lib.size(1, 1);
  }
}

function clampSize(n: number): number {
  return Math.min(8, Math.max(1, Math.round(n)));
}

/** RGBA pixels for the library, padded to a width that is a multiple of 8 (white padding). */
function toImageData(image: MonoImage): { width: number; height: number; data: Uint8ClampedArray } {
  const width = Math.ceil(image.width / 8) * 8;
  const height = Math.ceil(image.height / 8) * 8;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.pixels[y * image.width + x] === 1) {
        const at = (y * width + x) * 4;
        data[at] = 0;
        data[at + 1] = 0;
        data[at + 2] = 0;
      }
    }
  }
  return { width, height, data };
}

/** The QR symbol as a 1-bit image, `moduleSize` dots per module, with a 4-module quiet zone. */
export function qrImage(data: string, moduleSize: number): MonoImage {
  const matrix = encodeQR(data, "raw", { ecc: "medium", border: 4 });
  const modules = matrix.length;
  const side = modules * moduleSize;
  const pixels = new Uint8Array(side * side);
  for (let my = 0; my < modules; my++) {
    const row = matrix[my] ?? [];
    for (let mx = 0; mx < modules; mx++) {
      if (row[mx] !== true) continue;
      for (let dy = 0; dy < moduleSize; dy++)
        pixels.fill(
          1,
          (my * moduleSize + dy) * side + mx * moduleSize,
          (my * moduleSize + dy) * side + (mx + 1) * moduleSize,
        );
    }
  }
  return { width: side, height: side, pixels };
}

function sliceImage(image: MonoImage, maxRows: number): MonoImage[] {
  const out: MonoImage[] = [];
  for (let top = 0; top < image.height; top += maxRows) {
    const height = Math.min(maxRows, image.height - top);
    out.push({
      width: image.width,
      height,
      pixels: image.pixels.slice(top * image.width, (top + height) * image.width),
    });
  }
  return out;
}

// Every document's text passes here: the document layout turns any control byte that is still
// in a text run into "?" before encoding, so a name or a note can never become a command (see
// printable-text.ts). QR data is not a text run: it goes length-prefixed in GS ( k, or as an image.
function encodeBlock(lib: Lib, block: PrintBlock, profile: PrinterProfile): void {
  switch (block.type) {
    case "line":
      withAlign(lib, block.align, () => {
        applyStyle(lib, block.style, true);
        lib.text(printableText(block.text));
        applyStyle(lib, block.style, false);
        lib.newline();
      });
      return;
    case "spans":
      withAlign(lib, block.align, () => {
        for (const span of block.spans) {
          applyStyle(lib, span.style, true);
          lib.text(printableText(span.text));
          applyStyle(lib, span.style, false);
        }
        lib.newline();
      });
      return;
    case "feed":
      lib.newline(Math.max(1, block.lines));
      return;
    case "image":
      if (block.image.width > profile.dotsPerLine) {
        throw new DriverError(
          "encode_failed",
          `image is ${block.image.width} dots wide; ${profile.id} prints ${profile.dotsPerLine}`,
        );
      }
      withAlign(lib, block.align, () => {
        for (const slice of sliceImage(block.image, profile.maxRasterRows)) {
          const data = toImageData(slice);
          lib.image(data, data.width, data.height, "threshold", 128);
        }
      });
      return;
    case "qr":
      withAlign(lib, block.align, () => {
        if (profile.supportsQr) {
          lib.qrcode(block.data, {
            model: 2,
            size: clampQrSize(block.moduleSize ?? DEFAULT_QR_MODULE),
            errorlevel: "m",
          });
        } else {
          const image = qrImage(block.data, clampQrSize(block.moduleSize ?? DEFAULT_QR_MODULE));
          for (const slice of sliceImage(image, profile.maxRasterRows)) {
            const data = toImageData(slice);
            lib.image(data, data.width, data.height, "threshold", 128);
          }
        }
      });
      return;
    case "cut":
      if (profile.cutter) lib.cut(block.partial === true ? "partial" : "full");
      else lib.newline(4);
      return;
    case "pulse":
      // ESC p m t1 t2: the library takes milliseconds and halves them into 2 ms units.
      lib.pulse(block.pin === 2 ? 0 : 1, block.onMs ?? 50, block.offMs ?? 500);
      return;
  }
}

function clampQrSize(n: number): number {
  return Math.min(16, Math.max(1, Math.round(n)));
}

function withAlign(lib: Lib, align: Alignment | undefined, body: () => void): void {
  if (align === undefined || align === "left") {
    body();
    return;
  }
  lib.align(align);
  body();
  lib.align("left");
}

/**
 * Pixel bytes that spell a real-time command are executed by the printer wherever they appear
 * (TM-T88III spec). `10 04 n` would produce a stray status byte; `10 14 01` would fire the drawer
 * unless `GS ( D` disabled it. We clear one pixel in such sequences.
 */
function nudgeRealtimePatterns(bytes: Uint8Array, dataStart: number, wrapped: boolean): void {
  for (let i = dataStart; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0x10) continue;
    const next = bytes[i + 1];
    if (next === 0x04 || next === 0x05 || (next === 0x14 && !wrapped)) bytes[i] = 0x00;
  }
}

const IMAGE_DATA_OFFSET: Readonly<Record<string, number>> = { "GS v 0": 8, "ESC *": 5, "GS ( L": 5, "GS 8 L": 7 };

/** Turns library bytes into whole commands, guarding raster data against real-time look-alikes. */
export function splitCommands(
  bytes: Uint8Array,
  profile: Pick<PrinterProfile, "supportsRealtimeDisable">,
): EncodedCommand[] {
  const out: EncodedCommand[] = [];
  for (const token of tokenize(bytes)) {
    const slice = bytes.slice(token.offset, token.offset + token.length);
    if (token.kind === "image") {
      const wrap = profile.supportsRealtimeDisable;
      nudgeRealtimePatterns(slice, IMAGE_DATA_OFFSET[token.name] ?? 0, wrap);
      if (wrap) out.push({ kind: "realtime", name: "GS ( D", bytes: realtimeCommands(false), realtimeSafe: false });
      out.push({ kind: token.kind, name: token.name, bytes: slice, realtimeSafe: !wrap });
      if (wrap) out.push({ kind: "realtime", name: "GS ( D", bytes: realtimeCommands(true), realtimeSafe: true });
      continue;
    }
    out.push({ kind: token.kind, name: token.name, bytes: slice, realtimeSafe: true });
  }
  return out;
}

/** The default ReceiptEncoder, backed by @point-of-sale/receipt-printer-encoder. */
export function createReceiptEncoder(): ReceiptEncoder {
  installCodepageCache();
  return {
    encode(document, profile) {
      let bytes: Uint8Array;
      try {
        const lib = createLibEncoder(profile);
        lib.initialize().codepage("auto");
        for (const block of document.blocks) encodeBlock(lib, block, profile);
        bytes = lib.encode();
      } catch (error) {
        throw toDriverError(error, "encode_failed", `cannot encode for ${profile.id}`);
      }
      const commands = splitCommands(bytes, profile);
      // The library ends a cut with a line feed, which would print a blank line at the top of the next document.
      while (commands.length > 1 && commands.at(-1)?.name === "LF" && commands.at(-2)?.kind === "cut") commands.pop();
      return commands;
    },
  };
}

/** Wraps raw bytes (e.g. a drawer pulse) as commands for `send`. */
export function commandsFromBytes(bytes: Uint8Array): EncodedCommand[] {
  return splitCommands(bytes, { supportsRealtimeDisable: false });
}

/** All the bytes of a command list. */
export function commandBytes(commands: readonly EncodedCommand[]): Uint8Array {
  let length = 0;
  for (const c of commands) length += c.bytes.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of commands) {
    out.set(c.bytes, at);
    at += c.bytes.length;
  }
  return out;
}
