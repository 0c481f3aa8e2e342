import { encodeQR } from "@paulmillr/qr";
import { PNG } from "pngjs";
import type { Alignment, MonoImage } from "../escpos/print-document.ts";
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from "./font.ts";
import { itemWidth, type PaperItem, type PaperPage } from "./paper.ts";

export interface PngRenderOptions {
  /** Printable width in dots (the profile's dotsPerLine). */
  dotsPerLine: number;
  /** White margin around the paper, in dots. Default 16. */
  margin?: number;
}

/** Default line spacing (ESC 2): 1/6 inch ≈ 30 dots for a 24-dot font. */
const LINE_GAP = 6;
const ECC = { L: "low", M: "medium", Q: "quartile", H: "high" } as const;

/** A 1-bit drawing surface that grows downwards. */
class Canvas {
  readonly width: number;
  height = 0;
  #rows: Uint8Array[] = [];

  constructor(width: number) {
    this.width = width;
  }

  ensure(height: number): void {
    while (this.#rows.length < height) this.#rows.push(new Uint8Array(this.width));
    this.height = Math.max(this.height, height);
  }

  set(x: number, y: number, black: boolean): void {
    if (x < 0 || x >= this.width || y < 0) return;
    this.ensure(y + 1);
    const row = this.#rows[y];
    if (row !== undefined) row[x] = black ? 1 : 0;
  }

  fill(x: number, y: number, w: number, h: number, black: boolean): void {
    for (let dy = 0; dy < h; dy++) for (let dx = 0; dx < w; dx++) this.set(x + dx, y + dy, black);
  }

  toPng(): Uint8Array {
    const png = new PNG({ width: this.width, height: Math.max(1, this.height) });
    png.data.fill(255);
    for (let y = 0; y < this.height; y++) {
      const row = this.#rows[y];
      if (row === undefined) continue;
      for (let x = 0; x < this.width; x++) {
        if (row[x] === 1) {
          const at = (y * this.width + x) * 4;
          png.data[at] = 0;
          png.data[at + 1] = 0;
          png.data[at + 2] = 0;
        }
      }
    }
    return PNG.sync.write(png);
  }
}

function alignX(align: Alignment, left: number, paper: number, width: number): number {
  if (align === "center") return left + Math.max(0, Math.floor((paper - width) / 2));
  if (align === "right") return left + Math.max(0, paper - width);
  return left;
}

function drawImage(canvas: Canvas, image: MonoImage, x: number, y: number): void {
  canvas.ensure(y + image.height);
  for (let iy = 0; iy < image.height; iy++) {
    for (let ix = 0; ix < image.width; ix++)
      if (image.pixels[iy * image.width + ix] === 1) canvas.set(x + ix, y + iy, true);
  }
}

function drawText(
  canvas: Canvas,
  item: Extract<PaperItem, { kind: "text" }>,
  left: number,
  paper: number,
  y: number,
): number {
  const cell = Math.max(1, Math.floor(paper / item.columns));
  const scaleX = cell / GLYPH_WIDTH;
  const lineHeight = GLYPH_HEIGHT * item.height + LINE_GAP;
  canvas.ensure(y + lineHeight);
  let x = alignX(item.align, left, paper, itemWidth(item.runs) * cell);
  const baseline = y + lineHeight - LINE_GAP;
  for (const run of item.runs) {
    for (const ch of run.text) {
      const w = cell * run.width;
      const h = GLYPH_HEIGHT * run.height;
      const top = baseline - h;
      if (run.invert) canvas.fill(x, top, w, h, true);
      const rows = glyphRows(ch);
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        const bits = rows[gy] ?? 0;
        for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
          if ((bits & (0x8000 >> gx)) === 0) continue;
          const px = x + Math.floor(gx * scaleX * run.width);
          const pw = Math.max(1, Math.ceil(scaleX * run.width)) + (run.bold ? 1 : 0);
          canvas.fill(px, top + gy * run.height, pw, run.height, !run.invert);
        }
      }
      if (run.underline) canvas.fill(x, baseline - 2, w, 2, !run.invert);
      x += w;
    }
  }
  return lineHeight;
}

function drawQr(
  canvas: Canvas,
  item: Extract<PaperItem, { kind: "qr" }>,
  left: number,
  paper: number,
  y: number,
): number {
  if (item.data === "") return 0;
  const matrix = encodeQR(item.data, "raw", { ecc: ECC[item.errorLevel], border: 0 });
  const size = Math.max(1, item.moduleSize);
  const side = matrix.length * size;
  const x = alignX(item.align, left, paper, side);
  canvas.ensure(y + side + 8);
  matrix.forEach((row, my) => {
    row.forEach((black, mx) => {
      if (black) canvas.fill(x + mx * size, y + 4 + my * size, size, size, true);
    });
  });
  return side + 8;
}

function drawItem(canvas: Canvas, item: PaperItem, left: number, paper: number, y: number): number {
  switch (item.kind) {
    case "text":
      return drawText(canvas, item, left, paper, y);
    case "image":
      drawImage(canvas, item.image, alignX(item.align, left, paper, item.image.width), y);
      return item.image.height;
    case "qr":
      return drawQr(canvas, item, left, paper, y);
    case "barcode": {
      // A preview only: one bar pattern per character, not a scannable symbol.
      const width = item.data.length * 11;
      const x = alignX(item.align, left, paper, width);
      for (let i = 0; i < item.data.length; i++) {
        const code = item.data.charCodeAt(i);
        for (let bit = 0; bit < 8; bit++) if (code & (1 << bit)) canvas.fill(x + i * 11 + bit, y, 1, 60, true);
      }
      return 64;
    }
    case "pulse":
      return 0;
    case "cut": {
      canvas.ensure(y + 24);
      for (let x = 0; x < canvas.width; x += 8) canvas.fill(x, y + 12, 4, 1, true);
      return 24;
    }
  }
}

/** Renders pages top to bottom as one PNG strip of receipt paper. */
export function renderPagesPng(pages: readonly PaperPage[], options: PngRenderOptions): Uint8Array {
  const margin = options.margin ?? 16;
  const canvas = new Canvas(options.dotsPerLine + 2 * margin);
  let y = margin;
  for (const page of pages) for (const item of page.items) y += drawItem(canvas, item, margin, options.dotsPerLine, y);
  canvas.ensure(y + margin);
  return canvas.toPng();
}

/** One page (one receipt) as a PNG. */
export function renderPagePng(page: PaperPage, options: PngRenderOptions): Uint8Array {
  return renderPagesPng([page], options);
}
