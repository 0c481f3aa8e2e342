/**
 * The paper of a cash report, for an `<img>`: its print job's preview (`GET /api/print-jobs/:id/
 * preview`, a PNG) fetched with the panel's token — an image request cannot carry it — and shown
 * as an object URL, revoked when another report is shown or the panel goes away. One report's
 * paper at a time; an answer for a report no longer wanted is dropped.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CashReportView } from "../../../../protocol/index.ts";
import type { ApiClient } from "../../data/api.ts";
import { fetchPrintPreview } from "./counter-panels-endpoints.ts";

export class ReportPaper implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #shown: { reportId: string; url: string } | undefined;
  #wanted: string | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Fetches `report`'s paper (nothing without a print job: the figures are shown as text). */
  load(api: ApiClient | undefined, report: CashReportView): void {
    this.clear();
    this.#wanted = report.id;
    if (!api || !report.printJobId) return;
    fetchPrintPreview(api, report.printJobId).then(
      (url) => {
        if (this.#wanted !== report.id) {
          URL.revokeObjectURL(url);
          return;
        }
        this.#shown = { reportId: report.id, url };
        this.#host.requestUpdate();
      },
      () => {
        // No paper to show (no simulator behind the printer): the figures are shown as text.
      },
    );
  }

  /** The object URL of `report`'s paper, once fetched. */
  urlOf(report: CashReportView | undefined): string | undefined {
    return report && this.#shown?.reportId === report.id ? this.#shown.url : undefined;
  }

  clear(): void {
    this.#wanted = undefined;
    if (!this.#shown) return;
    URL.revokeObjectURL(this.#shown.url);
    this.#shown = undefined;
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.clear();
  }
}
