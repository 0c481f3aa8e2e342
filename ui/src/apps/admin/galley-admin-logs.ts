/**
 * galleyd's recent log lines (`GET /api/diagnostics/logs?lines=200`, redacted by galleyd): newest
 * last, monospace, with a level filter. Read when shown and with Refresh (not polled: a line
 * someone is reading should not scroll away).
 */
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import {
  filterLogs,
  LOG_FILTERS,
  parseLogLine,
  type LogFilter,
  type LogLine,
  type LogsReply,
} from "../../data/diagnostics.ts";
import { fetchLogs } from "../../data/endpoints.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, loadCard } from "./admin-shared.ts";

export const LOG_LINES = 200;

@customElement("galley-admin-logs")
export class GalleyAdminLogs extends AdminCard {
  static override styles = [
    base,
    buttons,
    card,
    css`
      label {
        font-weight: 700;
      }
      .log {
        max-height: 28rem;
        overflow: auto;
        padding: 0.6rem 0.8rem;
        border-radius: var(--g-radius-small);
        background: var(--g-bg);
        border: 1px solid var(--g-line);
        font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace;
        font-size: 0.86rem;
        line-height: 1.45;
      }
      .log:focus-visible {
        outline: none;
        box-shadow: var(--g-focus);
      }
      .log li {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .time {
        color: var(--g-ink-soft);
      }
      .lvl {
        display: inline-block;
        min-width: 3.4em;
        font-weight: 800;
      }
      .lvl-warn {
        color: var(--g-warn);
      }
      .lvl-error,
      .lvl-fatal {
        color: var(--g-danger);
      }
      .lvl-debug,
      .lvl-trace {
        color: var(--g-ink-soft);
      }
    `,
  ];

  @state() reply: LogsReply | undefined;
  @state() lines: LogLine[] = [];
  @state() filter: LogFilter = "all";
  @state() loading = false;
  @state() error = "";
  @query(".log") logBox: HTMLElement | null | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Newest last: keep the end in view after a load or a filter change.
    if ((changed.has("lines") || changed.has("filter")) && this.logBox)
      this.logBox.scrollTop = this.logBox.scrollHeight;
  }

  override render() {
    const t = translator(this.language);
    const shown = filterLogs(this.lines, this.filter);
    return this.renderCard(
      html`
        <label for="log-filter">${t("diag.logLevel")}</label>
        <select id="log-filter" .value=${this.filter} @change=${(e: Event) => {
          this.filter = (e.target as HTMLSelectElement).value as LogFilter;
        }}>
          ${LOG_FILTERS.map((f) => html`<option value=${f} ?selected=${f === this.filter}>${t(`diag.logFilter.${f}`)}</option>`)}
        </select>
        <button class="btn" type="button" ?disabled=${this.loading} @click=${() => {
          void this.#load();
        }}>${t("diag.refresh")}</button>
      `,
      html`
        ${
          this.reply
            ? html`<p class="muted" data-testid="log-count">${t(this.reply.source === "journal" ? "diag.logSourceJournal" : "diag.logSourceMemory", { shown: shown.length, total: this.lines.length })}</p>
              ${
                shown.length === 0
                  ? html`<p>${t("diag.noLogs")}</p>`
                  : html`<div class="log" tabindex="0" role="region" aria-label=${t("diag.logsTitle")}><ol data-testid="log-lines">
                    ${shown.map(
                      (line) =>
                        html`<li data-level=${line.level ?? ""}>${line.time ? html`<span class="time">${line.time.slice(11, 23)}</span> ` : nothing}<span class="lvl lvl-${line.level ?? "none"}">${(line.level ?? "").toUpperCase()}</span> ${line.text}</li>`,
                    )}
                  </ol></div>`
              }`
            : nothing
        }
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  #load(): Promise<void> {
    return loadCard(this, async () => {
      const reply = await fetchLogs(this.api, LOG_LINES);
      this.reply = reply;
      this.lines = reply.lines.map(parseLogLine);
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-logs": GalleyAdminLogs;
  }
}
