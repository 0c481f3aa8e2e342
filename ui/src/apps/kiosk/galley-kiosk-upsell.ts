/**
 * "Anything else?" before checkout: the menu's suggestions for what is in the cart (configured
 * as pairs in the menu's `suggestions`). Emits `upsell-add` with a product, or `upsell-done`.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { pictureUrl } from "../../components/galley-product-card.ts";
import { icon } from "../../components/icons.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import type { MenuCatalog, Product } from "../../data/menu-catalog.ts";
import { localized, translator } from "../../i18n/index.ts";
import { onEscape } from "../../controllers/escape.ts";
import { base, buttons, sheet } from "../../styles/shared.ts";

@customElement("galley-kiosk-upsell")
export class GalleyKioskUpsell extends LitElement {
  static override styles = [
    base,
    buttons,
    sheet,
    css`
      section {
        gap: 1.3rem;
        padding: 1.8rem 1.5rem 1.5rem;
      }
      h2 {
        font-size: 2.2rem;
        font-weight: 900;
      }
      h2:focus {
        outline: none;
      }
      .subtitle {
        color: var(--g-ink-soft);
        font-size: 1.15rem;
      }
      ul {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
        gap: var(--g-space-4);
      }
      li {
        display: grid;
        grid-template-rows: auto auto 1fr;
        gap: var(--g-space-2);
        padding: var(--g-space-4);
        border-radius: var(--g-radius);
        background: var(--g-surface);
        box-shadow: var(--g-shadow);
        text-align: center;
      }
      img {
        width: 100%;
        aspect-ratio: 4 / 3;
        object-fit: contain;
      }
      .name {
        font-weight: 800;
        font-size: 1.15rem;
      }
      .price {
        color: var(--g-accent);
        font-weight: 800;
      }
      li .btn {
        align-self: end;
      }
      footer {
        display: flex;
        gap: var(--g-space-4);
      }
      footer .btn {
        flex: 1;
      }
    `,
  ];

  @property({ attribute: false }) catalog?: MenuCatalog;
  @property({ attribute: false }) products: readonly Product[] = [];
  @property() language = "en";

  override firstUpdated(): void {
    this.renderRoot.querySelector("h2")?.focus();
  }

  override render() {
    const catalog = this.catalog;
    if (!catalog) return nothing;
    const t = translator(this.language);
    const fallback = catalog.languages[0] ?? "en";
    return html`<section role="dialog" aria-modal="true" aria-labelledby="upsell-title" @keydown=${this.#onKey}>
      <h2 id="upsell-title" tabindex="-1">${t("upsell.title")}</h2>
      <p class="subtitle">${t("upsell.subtitle")}</p>
      <ul>
        ${this.products.map((product) => {
          const source = product.kind === "item" ? product.item : product.combo;
          const name = localized(source.name, this.language, fallback);
          return html`<li>
            ${source.picture ? html`<img src=${pictureUrl(source.picture) ?? ""} alt="" width="320" height="240" decoding="async" />` : html`<span></span>`}
            <span><span class="name">${name}</span><br /><span class="price num">${formatMoney(catalog.basePrice(product), catalog.currency, this.language)}</span></span>
            <button class="btn primary" type="button" aria-label=${t("upsell.add", { name })} @click=${() => {
              fireEvent(this, "upsell-add", product);
            }}>${icon("plus")}${t("upsell.add", { name: "" }).trim()}</button>
          </li>`;
        })}
      </ul>
      <footer>
        <button class="btn big" type="button" @click=${() => {
          fireEvent(this, "upsell-done");
        }}>${t("upsell.noThanks")}</button>
      </footer>
    </section>`;
  }

  readonly #onKey = onEscape(() => {
    fireEvent(this, "upsell-done");
  });
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-upsell": GalleyKioskUpsell;
  }
  interface GalleyDomEvents {
    "upsell-add": Product;
    "upsell-done": undefined;
  }
}
