/**
 * The counter's item grid: the categories as a strip, every product as a compact tile with its
 * price (sold out: greyed and not pickable), and a search box that filters across the whole menu
 * as the cashier types. Made for the keyboard as much as for touch: `/` (the app) focuses the
 * search, ↓ goes to the tiles, the arrows move between them, Enter picks; Enter in the search
 * picks the first match. Emits `counter-pick` with the product.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import type { MenuCatalog, Product } from "../../data/menu-catalog.ts";
import { localized, translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";

/** Lower case without accents: "Café" matches "cafe". */
function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLocaleLowerCase();
}

function productName(product: Product) {
  return product.kind === "item" ? product.item.name : product.combo.name;
}

@customElement("galley-counter-order-menu")
export class GalleyCounterOrderMenu extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: grid;
        grid-template-rows: auto auto minmax(0, 1fr);
        gap: var(--g-space-3);
        min-height: 0;
      }
      .search {
        display: flex;
        align-items: center;
        gap: var(--g-space-2);
      }
      .search input {
        flex: 1;
        min-height: 3rem;
        padding: 0 var(--g-space-4);
        border-radius: var(--g-radius-small);
        border: 2px solid var(--g-line);
        background: var(--g-surface);
        font-size: 1.1rem;
      }
      .search input:focus-visible {
        outline: none;
        box-shadow: var(--g-focus);
      }
      kbd {
        font: inherit;
        font-size: 0.8rem;
        padding: 0.1em 0.45em;
        border-radius: var(--g-radius-s);
        border: 1px solid var(--g-line);
        color: var(--g-ink-soft);
      }
      .strip {
        display: flex;
        gap: var(--g-space-2);
        overflow-x: auto;
        padding-bottom: var(--g-space-1);
      }
      .strip .btn {
        min-height: 2.75rem;
        padding: 0 1em;
        white-space: nowrap;
        font-size: 0.95rem;
      }
      .strip .btn[aria-pressed="true"] {
        background: var(--g-ink);
        border-color: var(--g-ink);
        color: var(--g-bg);
      }
      .grid {
        overflow-y: auto;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
        grid-auto-rows: minmax(4.75rem, auto);
        gap: var(--g-space-2);
        align-content: start;
        padding: 4px;
      }
      .tile {
        display: grid;
        align-content: space-between;
        gap: var(--g-space-1);
        padding: 0.6rem 0.7rem;
        text-align: start;
        border-radius: var(--g-radius-small);
        border: 2px solid var(--g-line);
        background: var(--g-surface);
        cursor: pointer;
        touch-action: manipulation;
      }
      .tile:focus-visible {
        outline: none;
        box-shadow: var(--g-focus);
      }
      .tile:active:not([disabled]) {
        transform: scale(0.98);
      }
      .tile.combo {
        border-color: var(--g-accent);
      }
      .tile .name {
        font-weight: 700;
        line-height: 1.15;
      }
      .tile .price {
        font-weight: 800;
        color: var(--g-ink-soft);
      }
      .tile[disabled] {
        cursor: not-allowed;
        background: var(--g-surface-2);
        color: var(--g-muted);
        border-style: dashed;
      }
      .tile[disabled] .price {
        color: var(--g-muted);
      }
      .empty {
        color: var(--g-ink-soft);
        padding: var(--g-space-4);
      }
    `,
  ];

  @property({ attribute: false }) catalog?: MenuCatalog;
  @property() language = "en";
  @state() private category = "";
  @state() private search = "";
  @query("input[type=search]") private searchInput?: HTMLInputElement;

  /** Puts the cursor in the search box (`/`). */
  focusSearch(): void {
    // Also right after the grid appeared (a new order, sign-in): once it is drawn.
    void this.updateComplete.then(() => {
      this.searchInput?.focus();
      this.searchInput?.select();
    });
  }

  /** Back to the first category with an empty search (a new ticket). */
  reset(): void {
    this.search = "";
    this.category = "";
  }

  override render() {
    const catalog = this.catalog;
    if (!catalog) return nothing;
    const t = translator(this.language);
    const categories = catalog.categories();
    const current = categories.some((c) => c.id === this.category) ? this.category : (categories[0]?.id ?? "");
    const products = this.#products(current);
    return html`
      <div class="search">
        <label class="visually-hidden" for="search">${t("counter.search")}</label>
        <input
          id="search"
          type="search"
          autocomplete="off"
          placeholder=${t("counter.searchHint")}
          aria-keyshortcuts="/"
          aria-controls="tiles"
          .value=${this.search}
          @input=${(e: Event) => {
            this.search = (e.target as HTMLInputElement).value;
          }}
          @keydown=${this.#searchKey}
        />
        <kbd aria-hidden="true">/</kbd>
      </div>
      <div class="strip" role="group" aria-label=${t("counter.categories")}>
        ${categories.map(
          (c) => html`<button
            class="btn"
            type="button"
            aria-pressed=${!this.search && c.id === current ? "true" : "false"}
            @click=${() => {
              this.category = c.id;
              this.search = "";
            }}
          >${localized(c.name, this.language, catalog.languages[0])}</button>`,
        )}
      </div>
      <div class="grid" id="tiles" role="group" aria-label=${this.search ? t("counter.results", { count: products.length }) : t("counter.items")} @keydown=${this.#gridKey}>
        ${products.length === 0 ? html`<p class="empty">${t("counter.noMatch", { search: this.search })}</p>` : nothing}
        ${products.map((p) => this.#tile(catalog, p))}
      </div>
    `;
  }

  #tile(catalog: MenuCatalog, product: Product) {
    const t = translator(this.language);
    const available = catalog.isProductAvailable(product);
    const name = localized(productName(product), this.language, catalog.languages[0]);
    const price = formatMoney(catalog.basePrice(product), catalog.currency, this.language);
    return html`<button
      class="tile ${product.kind}"
      type="button"
      data-product=${product.id}
      ?disabled=${!available}
      @click=${() => {
        fireEvent(this, "counter-pick", product);
      }}
    >
      <span class="name">${name}</span>
      <span class="price num">${available ? price : t("item.soldOut")}</span>
    </button>`;
  }

  /** The category's products, or every product matching the search, in menu order. */
  #products(category: string): Product[] {
    const catalog = this.catalog;
    if (!catalog) return [];
    const words = fold(this.search).split(/\s+/).filter(Boolean);
    if (words.length === 0) return catalog.productsIn(category);
    return catalog
      .categories()
      .flatMap((c) => catalog.productsIn(c.id))
      .filter((p) => {
        const names = fold(`${Object.values(productName(p)).join(" ")} ${p.id}`);
        return words.every((w) => names.includes(w));
      });
  }

  #tiles(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>(".tile:not([disabled])")];
  }

  readonly #searchKey = (event: KeyboardEvent): void => {
    if (event.key === "/" && this.search === "") {
      // `/` means "search" (the app's key): already here, it types nothing.
      event.preventDefault();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      this.#tiles()[0]?.focus();
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.#tiles()[0]?.click();
      // The next word typed replaces this one.
      this.searchInput?.select();
    } else if (event.key === "Escape" && this.search) {
      event.stopPropagation();
      this.search = "";
    }
  };

  /** Arrow keys between the tiles: left/right one, up/down one row (as many as fit across). */
  readonly #gridKey = (event: KeyboardEvent): void => {
    const tiles = this.#tiles();
    const at = tiles.indexOf(event.composedPath()[0] as HTMLButtonElement);
    if (at < 0) return;
    const top = tiles[0]?.offsetTop ?? 0;
    const columns = Math.max(1, tiles.filter((tile) => tile.offsetTop === top).length);
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      Home: -at,
      End: tiles.length - 1 - at,
    };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    if (event.key === "ArrowUp" && at - columns < 0) {
      this.focusSearch();
      return;
    }
    tiles[Math.max(0, Math.min(tiles.length - 1, at + move))]?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-order-menu": GalleyCounterOrderMenu;
  }
  interface GalleyDomEvents {
    "counter-pick": Product;
  }
}
