import type { DrawerPin } from "./commands.ts";
import type { CommandKind } from "./tokenizer.ts";

/**
 * What a document renderer produces and the encoder port consumes: laid-out lines with styles,
 * images and symbols. Layout (columns, padding, wrapping) is done by the documents; the encoder
 * only turns this into bytes for one printer profile.
 */
export interface TextStyle {
  bold?: boolean;
  underline?: boolean;
  /** White on black. */
  invert?: boolean;
  /** Character width multiplier 1..8 (GS !). */
  width?: number;
  /** Character height multiplier 1..8 (GS !). */
  height?: number;
}

export type Alignment = "left" | "center" | "right";

/** A 1-bit image: `pixels[y * width + x]` is 1 for black. */
export interface MonoImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface TextSpan {
  text: string;
  style?: TextStyle;
}

export type PrintBlock =
  | { type: "line"; text: string; style?: TextStyle; align?: Alignment }
  | { type: "spans"; spans: TextSpan[]; align?: Alignment }
  | { type: "feed"; lines: number }
  | { type: "image"; image: MonoImage; align?: Alignment }
  | { type: "qr"; data: string; moduleSize?: number; align?: Alignment }
  | { type: "cut"; partial?: boolean }
  | { type: "pulse"; pin: DrawerPin; onMs?: number; offMs?: number };

export interface PrintDocument {
  blocks: PrintBlock[];
}

/** One whole ESC/POS command (or text run) ready for a transport. */
export interface EncodedCommand {
  kind: CommandKind;
  /** Mnemonic for traces and golden files, e.g. `GS v 0`. */
  name: string;
  bytes: Uint8Array;
  /** False between `GS ( D` disable/enable: the writer must not put a real-time command after it. */
  realtimeSafe: boolean;
}
