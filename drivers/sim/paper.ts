import type { Alignment, MonoImage } from "../escpos/print-document.ts";

/**
 * What came out of the simulated printer: a list of pages (one per cut), each a list of items in
 * paper order. Renderers turn a page into text or PNG.
 */
export interface PaperRun {
  text: string;
  bold: boolean;
  underline: boolean;
  invert: boolean;
  /** Character width/height multipliers (GS !). */
  width: number;
  height: number;
}

export type PaperItem =
  | { kind: "text"; runs: PaperRun[]; align: Alignment; columns: number; height: number }
  | { kind: "image"; image: MonoImage; align: Alignment }
  | { kind: "qr"; data: string; moduleSize: number; errorLevel: "L" | "M" | "Q" | "H"; align: Alignment }
  | { kind: "barcode"; symbology: number; data: string; align: Alignment }
  | { kind: "pulse"; pin: 2 | 5; realtime: boolean }
  | { kind: "cut"; partial: boolean };

export interface PaperPage {
  items: PaperItem[];
  /** True once a cut ended the page. */
  cut: boolean;
}

/** Display width in columns of a text item (sum of runs' characters × width). */
export function itemWidth(runs: readonly PaperRun[]): number {
  let width = 0;
  // Code points, not UTF-16 units: printers print one cell per character.
  for (const run of runs) width += Array.from(run.text).length * run.width;
  return width;
}
