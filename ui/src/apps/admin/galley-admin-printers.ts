/**
 * The printers, each one's state live from the `devices` topic (the shell passes them in), and the
 * print jobs that need someone (held by a fault, or uncertain) with Reprint and Cancel. The job
 * list is read again whenever a printer's held or uncertain count moves.
 */
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { PrinterStatusView, PrintJobView } from "../../../../protocol/index.ts";
import { createReprint, fetchPrintJobs, updatePrintJobCancelled } from "../../data/endpoints.ts";
import { newOrderId } from "../../data/ids.ts";
import {
  JOB_KIND_TEXT,
  jobActions,
  needsAttention,
  PRINTER_CONDITION_TEXT,
  printerCondition,
} from "../../data/printers.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText } from "./admin-shared.ts";

@customElement("galley-admin-printers")
export class GalleyAdminPrinters extends AdminCard {
  static override styles = [
    base,
    buttons,
    card,
    css`
      .condition {
        font-weight: 700;
      }
      .condition.ready {
        color: var(--g-ok);
      }
      .condition.bad {
        color: var(--g-danger);
      }
      ul.jobs {
        display: grid;
        gap: var(--g-space-2);
      }
      ul.jobs li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--g-space-2) var(--g-space-4);
        padding: var(--g-space-2) 0;
        border-bottom: 1px solid var(--g-line);
      }
      ul.jobs .what {
        font-weight: 700;
        margin-right: auto;
      }
    `,
  ];

  @property({ attribute: false }) printers: PrinterStatusView[] = [];
  /** May see and act on print jobs (any print permission). */
  @property({ type: Boolean }) jobsAllowed = false;
  @state() jobs: PrintJobView[] = [];
  @state() busy = new Set<string>();
  @state() note = "";
  @state() error = "";
  #counts: string | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has("printers") && !changed.has("jobsAllowed")) return;
    const counts = JSON.stringify(this.printers.map((p) => [p.id, p.jobs.held, p.jobs.needsAttention]));
    if (counts === this.#counts) return;
    this.#counts = counts;
    void this.#loadJobs();
  }

  override render() {
    const t = translator(this.language);
    const names = new Map(this.printers.map((p) => [p.id, p.name]));
    return this.renderCard(
      nothing,
      html`
        ${
          this.printers.length === 0
            ? html`<p>${t("admin.noPrinters")}</p>`
            : html`<table aria-labelledby=${this.titleId}>
              <thead><tr><th scope="col">${t("admin.printer")}</th><th scope="col">${t("admin.printerState")}</th><th scope="col">${t("admin.printerJobs")}</th></tr></thead>
              <tbody>
                ${this.printers.map((p) => {
                  const condition = printerCondition(p);
                  const tone =
                    condition === "ready"
                      ? "ready"
                      : condition === "paperLow" || condition === "unknown" || condition === "connecting"
                        ? ""
                        : "bad";
                  return html`<tr data-printer=${p.id}>
                    <td>${p.name}</td>
                    <td><span class="condition ${tone}">${t(PRINTER_CONDITION_TEXT[condition])}</span></td>
                    <td class="num">${t("admin.jobCounts", { waiting: p.jobs.waiting, held: p.jobs.held, uncertain: p.jobs.needsAttention })}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`
        }
        ${
          this.jobsAllowed
            ? html`<h3>${t("admin.jobsTitle")}</h3>
              ${
                this.jobs.length === 0
                  ? html`<p>${t("admin.noJobs")}</p>`
                  : html`<ul class="jobs">
                    ${this.jobs.map((job) => {
                      const what = this.#label(job);
                      const actions = jobActions(job);
                      const busy = this.busy.has(job.id);
                      return html`<li data-job=${job.id}>
                        <span class="what">${what}</span>
                        <span>${names.get(job.printerId) ?? job.printerId}</span>
                        <span class="condition bad">${t(job.state === "held" ? "admin.jobHeld" : "admin.jobUncertain")}</span>
                        ${
                          actions.reprint
                            ? html`<button class="btn" type="button" ?disabled=${busy} aria-label=${t("admin.reprintJob", { job: what })} @click=${() => {
                                void this.#reprint(job);
                              }}>${t("admin.reprint")}</button>`
                            : nothing
                        }
                        ${
                          actions.cancel
                            ? html`<button class="btn danger" type="button" ?disabled=${busy} aria-label=${t("admin.cancelJob", { job: what })} @click=${() => {
                                void this.#cancel(job);
                              }}>${t("admin.cancel")}</button>`
                            : nothing
                        }
                      </li>`;
                    })}
                  </ul>`
              }`
            : nothing
        }
        <p role="status" class="note">${this.note}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  #label(job: PrintJobView): string {
    const t = translator(this.language);
    const kind = t(JOB_KIND_TEXT[job.kind]);
    return job.orderNumber === null ? kind : t("admin.jobFor", { kind, number: job.orderNumber });
  }

  async #loadJobs(): Promise<void> {
    if (!this.jobsAllowed) return;
    try {
      this.jobs = (await fetchPrintJobs(this.api, ["uncertain", "held"])).filter(needsAttention);
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    }
  }

  async #reprint(job: PrintJobView): Promise<void> {
    await this.#onJob(job, async () => {
      await createReprint(this.api, job.id, newOrderId());
      return translator(this.language)("admin.reprinted", { job: this.#label(job) });
    });
  }

  async #cancel(job: PrintJobView): Promise<void> {
    await this.#onJob(job, async () => {
      await updatePrintJobCancelled(this.api, job.id);
      return translator(this.language)("admin.cancelled", { job: this.#label(job) });
    });
  }

  async #onJob(job: PrintJobView, run: () => Promise<string>): Promise<void> {
    this.busy = new Set([...this.busy, job.id]);
    this.error = "";
    try {
      this.note = await run();
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    } finally {
      const busy = new Set(this.busy);
      busy.delete(job.id);
      this.busy = busy;
    }
    await this.#loadJobs();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-printers": GalleyAdminPrinters;
  }
}
