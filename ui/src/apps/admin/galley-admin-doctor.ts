/**
 * `galley doctor`'s checks, live (`GET /api/diagnostics/doctor`): the overall verdict on top, then
 * one line per check with its verdict as a word, a shape and a colour, what was found, and the fix
 * hint. Read again every 10 s while the page is visible, and with Refresh.
 */
import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { PollController } from "../../controllers/poll-controller.ts";
import { VERDICT_ICON, VERDICT_TEXT, verdictCounts, type DoctorReport, type Verdict } from "../../data/diagnostics.ts";
import { fetchDoctor } from "../../data/endpoints.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, formatWhen, loadCard } from "./admin-shared.ts";

export const DOCTOR_POLL_MS = 10_000;

@customElement("galley-admin-doctor")
export class GalleyAdminDoctor extends AdminCard {
  static override styles = [
    base,
    buttons,
    card,
    css`
      .overall {
        display: flex;
        align-items: center;
        gap: 0.9rem;
        padding: 0.8rem 1rem;
        border-radius: var(--g-radius-small);
        border: 2px solid currentColor;
        background: var(--g-surface-2);
      }
      .overall strong {
        font-size: 1.3rem;
      }
      .overall > span:not(.icon) {
        color: var(--g-ink);
      }
      .icon {
        display: inline-grid;
        place-items: center;
        width: 1.7em;
        height: 1.7em;
        flex: none;
        border-radius: var(--g-radius-round);
        border: 2px solid currentColor;
        font-weight: 900;
        line-height: 1;
      }
      .ok {
        color: var(--g-ok);
      }
      .warn {
        color: var(--g-warn);
      }
      .fail {
        color: var(--g-danger);
      }
      .unavailable {
        color: var(--g-ink-soft);
      }
      ul {
        display: grid;
      }
      li {
        display: grid;
        grid-template-columns: 1.7em 4.2em minmax(8rem, 14rem) minmax(0, 1fr);
        gap: 0.2rem 0.8rem;
        align-items: baseline;
        padding: 0.55rem 0;
        border-bottom: 1px solid var(--g-line);
      }
      li .icon {
        align-self: start;
      }
      .word {
        font-weight: 800;
        font-family: ui-monospace, "DejaVu Sans Mono", monospace;
      }
      .title {
        font-weight: 700;
        color: var(--g-ink);
      }
      .summary {
        color: var(--g-ink);
        overflow-wrap: anywhere;
      }
      .hint {
        grid-column: 4;
        color: var(--g-ink-soft);
        overflow-wrap: anywhere;
      }
      .hint b {
        color: var(--g-ink);
      }
      @media (max-width: 44rem) {
        li {
          grid-template-columns: 1.7em 4.2em minmax(0, 1fr);
        }
        .summary,
        .hint {
          grid-column: 2 / -1;
        }
      }
    `,
  ];

  @state() report: DoctorReport | undefined;
  @state() loading = false;
  @state() error = "";
  readonly poll = new PollController(this, DOCTOR_POLL_MS, () => this.#load());

  override render() {
    const t = translator(this.language);
    const report = this.report;
    return this.renderCard(
      html`
        ${this.loading && report ? html`<span class="muted">${t("diag.checking")}</span>` : nothing}
        <button class="btn" type="button" @click=${() => {
          void this.poll.refresh();
        }}>${t("diag.refresh")}</button>
      `,
      html`
        ${report ? this.#renderReport(report) : html`<p role="status">${this.error ? "" : t("diag.runningChecks")}</p>`}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  #renderReport(report: DoctorReport) {
    const t = translator(this.language);
    const counts = verdictCounts(report.checks);
    return html`
      <div class="overall ${report.verdict}" data-testid="doctor-verdict" data-verdict=${report.verdict} role="status">
        <span class="icon" aria-hidden="true">${VERDICT_ICON[report.verdict]}</span>
        <strong>${t(`diag.overall.${report.verdict}`)}</strong>
        <span>${t("diag.counts", { ok: counts.ok, warn: counts.warn, fail: counts.fail, unavailable: counts.unavailable })}</span>
      </div>
      <p class="muted">${t("diag.checkedAt", { time: formatWhen(report.at, this.language), host: report.host, version: report.version, ms: report.durationMs })}</p>
      <ul aria-labelledby=${this.titleId} aria-busy=${this.loading ? "true" : "false"} data-testid="doctor-checks">
        ${report.checks.map((check) => this.#renderCheck(check.id, check.verdict, check.title, check.summary, check.hint))}
      </ul>
    `;
  }

  #renderCheck(id: string, verdict: Verdict, title: string, summary: string, hint: string | undefined) {
    const t = translator(this.language);
    return html`<li data-check=${id} data-verdict=${verdict}>
      <span class="icon ${verdict}" aria-hidden="true">${VERDICT_ICON[verdict]}</span>
      <span class="word ${verdict}">${t(VERDICT_TEXT[verdict])}</span>
      <span class="title">${title} <code class="muted">${id}</code></span>
      <span class="summary">${summary}</span>
      ${hint && verdict !== "ok" ? html`<span class="hint"><b>${t("diag.fix")}</b> ${hint}</span>` : nothing}
    </li>`;
  }

  #load(): Promise<void> {
    return loadCard(this, async () => {
      this.report = await fetchDoctor(this.api);
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-doctor": GalleyAdminDoctor;
  }
}
