/** A dish or meal on the kiosk's menu: picture, name, price, diet badges; greyed out when sold out. */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { fireEvent } from "../data/fire-event.ts";
import { formatMoney } from "../data/format.ts";
import type { MenuCatalog, Product } from "../data/menu-catalog.ts";
import { localized, translator } from "../i18n/index.ts";
import { base } from "../styles/shared.ts";
import { dietIcon } from "./icons.ts";

export function pictureUrl(picture: string | undefined): string | undefined {
  return picture ? `/media/pictures/${encodeURIComponent(picture)}` : undefined;
}

@customElement("galley-product-card")
export class GalleyProductCard extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      button {
        all: unset;
        box-sizing: border-box;
        display: grid;
        grid-template-rows: auto 1fr;
        width: 100%;
        height: 100%;
        border-radius: var(--g-radius);
        background: var(--g-surface);
        box-shadow: var(--g-shadow);
        border: 2px solid transparent;
        overflow: hidden;
        cursor: pointer;
        transition:
          transform 140ms var(--g-ease),
          border-color 140ms;
        touch-action: manipulation;
      }
      button:active:not([aria-disabled="true"]) {
        transform: scale(0.98);
      }
      button:focus-visible {
        box-shadow: var(--g-focus);
      }
      .picture {
        position: relative;
        aspect-ratio: 4 / 3;
        background: var(--g-surface-2);
      }
      img {
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      .body {
        display: grid;
        align-content: start;
        gap: 0.35rem;
        padding: 0.9rem 1rem 1rem;
      }
      .name {
        font-size: 1.15rem;
        font-weight: 750;
        line-height: 1.2;
        color: var(--g-ink);
      }
      .row {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--g-space-2);
      }
      .price {
        font-size: 1.1rem;
        font-weight: 800;
        color: var(--g-accent);
      }
      .tags {
        display: flex;
        gap: var(--g-space-1);
        color: var(--g-ok);
      }
      .tags svg {
        width: 1.35em;
        height: 1.35em;
      }
      .tags .spicy {
        color: var(--g-danger);
      }
      .badge {
        position: absolute;
        inset: auto 0.6rem 0.6rem auto;
        padding: 0.3em 0.8em;
        border-radius: var(--g-radius-pill);
        font-weight: 800;
        font-size: 0.9rem;
        background: var(--g-surface);
        color: var(--g-ink);
      }
      .low {
        background: var(--g-accent-soft);
        color: var(--g-accent);
      }
      [aria-disabled="true"] {
        cursor: not-allowed;
      }
      [aria-disabled="true"] img {
        filter: grayscale(1);
        opacity: 0.45;
      }
      [aria-disabled="true"] .name,
      [aria-disabled="true"] .price {
        color: var(--g-muted);
      }
      .sold {
        background: var(--g-ink);
        color: var(--g-bg);
      }
    `,
  ];

  @property({ attribute: false }) product?: Product;
  @property({ attribute: false }) catalog?: MenuCatalog;
  @property() language = "en";

  override render() {
    const { product, catalog } = this;
    if (!product || !catalog) return nothing;
    const t = translator(this.language);
    const fallback = catalog.languages[0] ?? "en";
    const source = product.kind === "item" ? product.item : product.combo;
    const name = localized(source.name, this.language, fallback);
    const available = catalog.isProductAvailable(product);
    const left = product.kind === "item" ? catalog.stockLeft(product.id) : undefined;
    const price = formatMoney(catalog.basePrice(product), catalog.currency, this.language);
    const tags = catalog
      .dietaryOf(product)
      .filter((tag) => tag === "vegan" || tag === "vegetarian" || tag === "spicy" || tag === "gluten_free");
    const shownTags = tags.includes("vegan") ? tags.filter((tag) => tag !== "vegetarian") : tags;
    const src = pictureUrl(source.picture);
    const label = [name, price, ...shownTags.map((tag) => t(`diet.${tag}`)), available ? "" : t("kiosk.soldOut")]
      .filter(Boolean)
      .join(", ");
    return html`<button type="button" aria-disabled=${available ? "false" : "true"} aria-label=${label} data-product=${product.id} @click=${this.#select}>
      <div class="picture">
        ${src ? html`<img src=${src} alt="" width="400" height="300" loading="lazy" decoding="async" />` : nothing}
        ${
          !available
            ? html`<span class="badge sold">${t("kiosk.soldOut")}</span>`
            : left !== undefined && left <= 5
              ? html`<span class="badge low">${t("kiosk.onlyLeft", { count: left })}</span>`
              : nothing
        }
      </div>
      <div class="body">
        <span class="name">${name}</span>
        <span class="row">
          <span class="price num">${price}</span>
          <span class="tags">${shownTags.map((tag) => html`<span class=${tag === "spicy" ? "spicy" : ""} title=${t(`diet.${tag}`)}>${dietIcon(tag)}</span>`)}</span>
        </span>
      </div>
    </button>`;
  }

  #select(): void {
    if (!this.product || !this.catalog?.isProductAvailable(this.product)) return;
    fireEvent(this, "product-select", this.product);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-product-card": GalleyProductCard;
  }
  interface GalleyDomEvents {
    "product-select": Product;
  }
}
