/**
 * The totals as the appliance computed them: with tax on top (`taxIncluded` false) the subtotal,
 * one line per tax class and the total; with prices that include tax the total and the tax in
 * it. `busy` dims the figures while a change is on its way (they are the last ones confirmed).
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Totals } from "../../../../protocol/index.ts";
import { formatMoney } from "../../data/format.ts";
import type { MenuCatalog } from "../../data/menu-catalog.ts";
import { taxLabel } from "../../i18n/cart-text.ts";
import { translator } from "../../i18n/index.ts";
import { base } from "../../styles/shared.ts";

@customElement("galley-kiosk-totals")
export class GalleyKioskTotals extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      dl {
        display: grid;
        gap: 0.3rem;
        margin: 0;
        transition: opacity 160ms;
      }
      dl[aria-busy="true"] {
        opacity: 0.55;
      }
      div {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: var(--g-space-4);
      }
      dt,
      dd {
        margin: 0;
      }
      .part {
        font-size: 1.1rem;
        color: var(--g-ink-soft);
      }
      .total {
        font-size: var(--total-size, 1.7rem);
        font-weight: 900;
      }
      .included {
        justify-content: flex-end;
        font-size: 1rem;
        color: var(--g-ink-soft);
      }
    `,
  ];

  @property({ attribute: false }) totals?: Totals;
  @property({ attribute: false }) catalog?: MenuCatalog;
  @property({ type: Boolean }) busy = false;
  @property() language = "en";

  override render() {
    const { catalog } = this;
    if (!catalog) return nothing;
    const t = translator(this.language);
    const currency = this.totals?.currency ?? catalog.currency;
    const money = (minor: number) => formatMoney(minor, currency, this.language);
    const totals = this.totals ?? { currency, taxIncluded: true, subtotal: 0, tax: 0, total: 0, taxes: [] };
    return html`<dl aria-busy=${this.busy ? "true" : "false"} data-testid="totals">
      ${
        totals.taxIncluded
          ? nothing
          : html`<div class="part"><dt>${t("cart.subtotal")}</dt><dd class="num">${money(totals.subtotal)}</dd></div>
            ${totals.taxes.map((tax) => html`<div class="part" data-tax=${tax.taxClass}><dt>${taxLabel(catalog, tax, this.language)}</dt><dd class="num">${money(tax.amount)}</dd></div>`)}`
      }
      <div class="total"><dt>${t("cart.total")}</dt><dd class="num" data-testid="total">${money(totals.total)}</dd></div>
      ${
        totals.taxIncluded && totals.tax > 0
          ? html`<div class="included"><dt class="visually-hidden">${t("cart.tax", { rate: "" }).trim()}</dt><dd class="num">${t("cart.taxIncluded", { amount: money(totals.tax) })}</dd></div>`
          : nothing
      }
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-totals": GalleyKioskTotals;
  }
}
