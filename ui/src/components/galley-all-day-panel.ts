/** "All day": how many of each item are still to make across the open tickets, most first. */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { AllDayCount } from "../data/kitchen-tickets.ts";
import { localized, translator } from "../i18n/index.ts";
import { base } from "../styles/shared.ts";

@customElement("galley-all-day-panel")
export class GalleyAllDayPanel extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        overflow-y: auto;
        padding: 0.8rem;
        background: var(--g-surface);
        border-left: 2px solid var(--g-line);
      }
      h2 {
        font-size: 1.25rem;
        text-transform: uppercase;
        letter-spacing: 0.08em;
        color: var(--g-ink-soft);
        margin-bottom: 0.6rem;
      }
      li {
        display: grid;
        grid-template-columns: 3rem 1fr;
        align-items: baseline;
        gap: 0.4rem;
        padding: 0.3rem 0;
        border-bottom: 1px solid var(--g-line);
        font-size: 1.15rem;
      }
      .count {
        font-size: 1.6rem;
        font-weight: 900;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .name {
        font-weight: 650;
      }
      .empty {
        color: var(--g-ink-soft);
      }
    `,
  ];

  @property({ attribute: false }) counts: readonly AllDayCount[] = [];
  @property() language = "en";

  override render() {
    const t = translator(this.language);
    return html`<section aria-labelledby="all-day">
      <h2 id="all-day">${t("kitchen.allDay")}</h2>
      ${
        this.counts.length === 0
          ? html`<p class="empty">${t("kitchen.allDayEmpty")}</p>`
          : html`<ul>
            ${repeat(
              this.counts,
              (c) => c.itemId,
              (c) =>
                html`<li data-item=${c.itemId}><span class="count">${c.count}</span><span class="name">${localized(c.name, this.language)}</span></li>`,
            )}
          </ul>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-all-day-panel": GalleyAllDayPanel;
  }
}
