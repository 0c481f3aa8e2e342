/**
 * What simulated printers print, written to `<dataDir>/prints/<printer>/` as text and PNG
 * (docs/architecture.md#development-mode): open the folder to see every ticket, receipt and slip.
 *
 * Text is cheap and always written. A PNG costs tens of milliseconds of CPU, so PNGs are drawn
 * one at a time in the background and skipped (the text stays) when pages arrive faster than
 * that — a load test must not turn into a PNG renderer.
 */
import { mkdirSync, writeFile } from "node:fs";
import { join } from "node:path";
import { renderPagePng, renderPageText, type PaperPage } from "../../drivers/index.ts";
import type { Logger } from "../lib/logger.ts";

/** Pages waiting for their PNG; beyond this, new pages get text only. */
const MAX_PNG_BACKLOG = 8;
/** Pause between two PNGs, so rendering never hogs the event loop. */
const PNG_SPACING_MS = 100;

export class PrintArchive {
  readonly #dir: string;
  readonly #log: Logger;
  readonly #backlog: { path: string; page: PaperPage; dotsPerLine: number }[] = [];
  #drawing = false;
  #count = 0;
  #skipped = 0;
  #closed = false;

  constructor(dir: string, log: Logger) {
    this.#dir = dir;
    this.#log = log;
  }

  /** Files one printed page of `printerId`. Never throws. */
  save(printerId: string, page: PaperPage, dotsPerLine: number): void {
    if (this.#closed) return;
    try {
      const dir = join(this.#dir, printerId);
      mkdirSync(dir, { recursive: true });
      this.#count += 1;
      const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").replace(/\..*/, "");
      const base = join(dir, `${stamp}-${String(this.#count).padStart(5, "0")}`);
      writeFile(`${base}.txt`, renderPageText(page, { annotate: true }), (error) => {
        if (error) this.#log.debug({ err: error }, "could not write a print");
      });
      if (this.#backlog.length >= MAX_PNG_BACKLOG) {
        this.#skipped += 1;
        return;
      }
      this.#backlog.push({ path: `${base}.png`, page, dotsPerLine });
      this.#drain();
    } catch (error) {
      this.#log.debug({ err: error }, "could not save a print");
    }
  }

  #drain(): void {
    if (this.#drawing || this.#closed) return;
    const next = this.#backlog.shift();
    if (!next) return;
    this.#drawing = true;
    setTimeout(() => {
      try {
        writeFile(next.path, renderPagePng(next.page, { dotsPerLine: next.dotsPerLine }), (error) => {
          if (error) this.#log.debug({ err: error }, "could not write a print PNG");
        });
      } catch (error) {
        this.#log.debug({ err: error }, "could not draw a print PNG");
      } finally {
        this.#drawing = false;
        this.#drain();
      }
    }, PNG_SPACING_MS).unref();
  }

  /** Pages filed, and PNGs skipped because pages came faster than they could be drawn. */
  get stats(): { pages: number; pngSkipped: number } {
    return { pages: this.#count, pngSkipped: this.#skipped };
  }

  close(): void {
    this.#closed = true;
    this.#backlog.length = 0;
  }
}
