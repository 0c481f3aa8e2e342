import { itemWidth, type PaperItem, type PaperPage, type PaperRun } from "./paper.ts";

export interface TextRenderOptions {
  /** Append style markers after each line («2x2 bold», «inverse») and show drawer pulses. */
  annotate?: boolean;
}

function tags(runs: readonly PaperRun[]): string[] {
  const out = new Set<string>();
  for (const run of runs) {
    if (run.text.trim() === "") continue;
    if (run.width !== 1 || run.height !== 1) out.add(`${run.width}x${run.height}`);
    if (run.bold) out.add("bold");
    if (run.underline) out.add("underline");
    if (run.invert) out.add("inverse");
  }
  return [...out];
}

function indent(align: string, columns: number, width: number): number {
  if (align === "center") return Math.max(0, Math.floor((columns - width) / 2));
  if (align === "right") return Math.max(0, columns - width);
  return 0;
}

function centred(text: string, columns: number): string {
  return " ".repeat(Math.max(0, Math.floor((columns - text.length) / 2))) + text;
}

function renderItem(item: PaperItem, columns: number, annotate: boolean): string | undefined {
  switch (item.kind) {
    case "text": {
      const width = itemWidth(item.runs);
      // Wide characters are written once; the indentation is where they start on paper.
      const line = " ".repeat(indent(item.align, item.columns, width)) + item.runs.map((r) => r.text).join("");
      const found = annotate ? tags(item.runs) : [];
      return found.length === 0 ? line.trimEnd() : `${line.padEnd(columns)}  «${found.join(" ")}»`;
    }
    case "image":
      return centred(`[image ${item.image.width}x${item.image.height}]`, columns);
    case "qr":
      return centred(`[QR ${item.errorLevel}: ${item.data}]`, columns);
    case "barcode":
      return centred(`[barcode ${item.symbology}: ${item.data}]`, columns);
    case "pulse":
      return annotate ? `«drawer pulse pin ${item.pin}${item.realtime ? " (real-time)" : ""}»` : undefined;
    case "cut":
      return centred(item.partial ? "~~~~~~~~ partial cut ~~~~~~~~" : "~~~~~~~~~~~~ cut ~~~~~~~~~~~~", columns);
  }
}

/** One page as text: one line per printed line, width-faithful indentation. */
export function renderPageText(page: PaperPage, options: TextRenderOptions = {}): string {
  const lines: string[] = [];
  const columns = page.items.reduce((c, item) => (item.kind === "text" ? Math.max(c, item.columns) : c), 0) || 48;
  for (const item of page.items) {
    const line = renderItem(item, columns, options.annotate === true);
    if (line !== undefined) lines.push(line);
  }
  return lines.join("\n") + "\n";
}

/** All pages, one after the other. */
export function renderPagesText(pages: readonly PaperPage[], options: TextRenderOptions = {}): string {
  return pages.map((page) => renderPageText(page, options)).join("");
}
