/**
 * The menu: categories on the left, the category's dishes as picture cards, the allergen and
 * diet filter, and the order bar at the bottom. Emits `category-select`, `product-select`,
 * `open-filters`, `open-cart`.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import "../../components/galley-product-card.ts";
import { pictureUrl } from "../../components/galley-product-card.ts";
import { icon } from "../../components/icons.ts";
import type { CartSession } from "../../data/cart-session.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import { filterCount, NO_FILTER, type MenuCatalog, type MenuFilter } from "../../data/menu-catalog.ts";
import { localized, translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";

@customElement("galley-kiosk-menu")
export class GalleyKioskMenu extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        position: absolute;
        inset: 0;
        display: grid;
        grid-template-columns: minmax(9rem, 12rem) minmax(0, 1fr);
        grid-template-rows: minmax(0, 1fr) auto;
        grid-template-areas: "nav main" "bar bar";
      }
      nav {
        grid-area: nav;
        overflow-y: auto;
        padding: 0.8rem 0.6rem;
        background: var(--g-surface);
        border-right: 1px solid var(--g-line);
        overscroll-behavior: contain;
      }
      nav ul {
        display: grid;
        gap: var(--g-space-2);
      }
      nav button {
        all: unset;
        box-sizing: border-box;
        display: grid;
        justify-items: center;
        gap: 0.3rem;
        width: 100%;
        min-height: var(--g-touch);
        padding: 0.6rem 0.4rem;
        border-radius: var(--g-radius-small);
        text-align: center;
        font-weight: 700;
        font-size: 0.95rem;
        color: var(--g-ink-soft);
        cursor: pointer;
        border: 2px solid transparent;
      }
      nav button img {
        width: 4.2rem;
        height: 4.2rem;
      }
      nav button[aria-current="true"] {
        background: var(--g-accent-soft);
        border-color: var(--g-accent);
        color: var(--g-ink);
      }
      nav button:focus-visible {
        box-shadow: var(--g-focus);
      }
      main {
        grid-area: main;
        overflow-y: auto;
        padding: 1.2rem 1.2rem 2rem;
        overscroll-behavior: contain;
      }
      .top {
        display: flex;
        align-items: center;
        gap: var(--g-space-4);
        margin-bottom: 1.1rem;
      }
      h1 {
        font-size: 2rem;
        font-weight: 850;
        margin-right: auto;
      }
      .filter-on {
        border-color: var(--g-accent);
        color: var(--g-accent);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14.5rem, 1fr));
        gap: var(--g-space-4);
      }
      .empty {
        padding: var(--g-space-7) var(--g-space-4);
        text-align: center;
        color: var(--g-ink-soft);
        font-size: 1.2rem;
      }
      .bar {
        grid-area: bar;
        display: flex;
        align-items: center;
        gap: var(--g-space-4);
        padding: 1rem 1.2rem;
        background: var(--g-surface);
        border-top: 1px solid var(--g-line);
        box-shadow: 0 -8px 24px var(--g-shadow-faint);
      }
      .summary {
        display: grid;
        margin-right: auto;
      }
      .summary strong {
        font-size: 1.5rem;
        transition: opacity 160ms;
      }
      .summary strong.busy {
        opacity: 0.55;
      }
      .summary span {
        color: var(--g-ink-soft);
        font-weight: 600;
      }
      .problem {
        color: var(--g-danger);
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) catalog?: MenuCatalog;
  @property({ attribute: false }) cart?: CartSession;
  /** Changes with every cart change (the cart object itself stays the same). */
  @property({ type: Number }) cartVersion = 0;
  @property() language = "en";
  @property() category = "";
  @property({ attribute: false }) filter: MenuFilter = NO_FILTER;

  override render() {
    const catalog = this.catalog;
    const cart = this.cart;
    if (!catalog || !cart) return nothing;
    const t = translator(this.language);
    const fallback = catalog.languages[0] ?? "en";
    const categories = catalog.categories();
    const current = categories.find((c) => c.id === this.category) ?? categories[0];
    const products = current ? catalog.productsIn(current.id, this.filter) : [];
    const filters = filterCount(this.filter);
    const problems = cart.problems(catalog);
    return html`
      <nav aria-label=${t("kiosk.categories")}>
        <ul>
          ${categories.map(
            (c) => html`<li>
              <button type="button" aria-current=${c.id === current?.id ? "true" : "false"} @click=${() => {
                fireEvent(this, "category-select", c.id);
              }}>
                ${c.picture ? html`<img src=${pictureUrl(c.picture) ?? ""} alt="" width="84" height="84" decoding="async" />` : nothing}
                ${localized(c.name, this.language, fallback)}
              </button>
            </li>`,
          )}
        </ul>
      </nav>
      <main>
        <div class="top">
          <h1>${current ? localized(current.name, this.language, fallback) : ""}</h1>
          <button class="btn ${filters > 0 ? "filter-on" : ""}" type="button" @click=${() => {
            fireEvent(this, "open-filters");
          }}>
            ${icon("filter")}${filters > 0 ? t("kiosk.filtersActive", { count: filters }) : t("kiosk.filters")}
          </button>
        </div>
        ${
          products.length === 0
            ? html`<p class="empty">${t("kiosk.noMatches")}</p>`
            : html`<ul class="grid">
              ${repeat(
                products,
                (p) => p.id,
                (p) =>
                  html`<li><galley-product-card .product=${p} .catalog=${catalog} .language=${this.language}></galley-product-card></li>`,
              )}
            </ul>`
        }
      </main>
      <div class="bar">
        <div class="summary" aria-live="polite">
          ${
            cart.isEmpty
              ? html`<span>${t("kiosk.cartEmpty")}</span>`
              : html`<strong class="num ${cart.busy ? "busy" : ""}">${formatMoney(cart.totals?.total ?? 0, catalog.currency, this.language)}</strong><span>${t("kiosk.itemCount", { count: cart.count })}</span>`
          }
          ${problems.size > 0 ? html`<span class="problem">${t("cart.fixFirst")}</span>` : nothing}
        </div>
        <button class="btn primary big" type="button" ?disabled=${cart.isEmpty} @click=${() => {
          fireEvent(this, "open-cart");
        }}>
          ${icon("cart")}${t("kiosk.viewOrder")}
        </button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-menu": GalleyKioskMenu;
  }
  interface GalleyDomEvents {
    "category-select": string;
    "open-filters": undefined;
    "open-cart": undefined;
  }
}
