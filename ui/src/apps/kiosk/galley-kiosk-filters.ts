/**
 * Allergen and diet filters: "hide dishes containing …" (the EU 14) and "show only … dishes".
 * Each change applies at once (`filter-change`); the button at the bottom says how many dishes
 * of the current category are left and closes the sheet.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Allergen, DietaryTag } from "../../../../protocol/index.ts";
import { allergenIcon, dietIcon, icon } from "../../components/icons.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { ALLERGEN_LIST, NO_FILTER, type MenuCatalog, type MenuFilter } from "../../data/menu-catalog.ts";
import { translator } from "../../i18n/index.ts";
import { onEscape } from "../../controllers/escape.ts";
import { base, buttons, sheet } from "../../styles/shared.ts";

/** Diet tags worth filtering by (spicy and alcohol are warnings, not diets). */
const DIETS: readonly DietaryTag[] = ["vegetarian", "vegan", "gluten_free", "lactose_free", "halal", "kosher"];

@customElement("galley-kiosk-filters")
export class GalleyKioskFilters extends LitElement {
  static override styles = [
    base,
    buttons,
    sheet,
    css`
      section {
        max-height: 100%;
        grid-template-rows: minmax(0, 1fr) auto;
      }
      .scroll {
        overflow-y: auto;
        padding: var(--g-space-5);
        display: grid;
        gap: 1.2rem;
      }
      h2 {
        font-size: 2rem;
        font-weight: 900;
      }
      h2:focus {
        outline: none;
      }
      h3 {
        font-size: 1.2rem;
        font-weight: 800;
      }
      .intro {
        color: var(--g-ink-soft);
      }
      .tiles {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
        gap: 0.6rem;
      }
      .tile {
        justify-content: flex-start;
        border-radius: var(--g-radius-small);
        font-weight: 700;
        padding: 0 var(--g-space-4);
      }
      .tile[aria-pressed="true"] {
        background: var(--g-ink);
        border-color: var(--g-ink);
        color: var(--g-bg);
      }
      footer {
        display: flex;
        gap: var(--g-space-4);
        padding: var(--g-space-4) var(--g-space-5);
        background: var(--g-surface);
        border-top: 1px solid var(--g-line);
      }
      footer .primary {
        flex: 1;
      }
    `,
  ];

  @property({ attribute: false }) catalog?: MenuCatalog;
  @property({ attribute: false }) filter: MenuFilter = NO_FILTER;
  @property() language = "en";
  @property() category = "";

  override firstUpdated(): void {
    this.renderRoot.querySelector("h2")?.focus();
  }

  override render() {
    const catalog = this.catalog;
    if (!catalog) return nothing;
    const t = translator(this.language);
    const count = catalog.productsIn(this.category, this.filter).length;
    return html`<section role="dialog" aria-modal="true" aria-labelledby="filters-title" @keydown=${this.#onKey}>
      <div class="scroll">
        <h2 id="filters-title" tabindex="-1">${t("kiosk.filterTitle")}</h2>
        <p class="intro">${t("kiosk.filterIntro")}</p>
        <h3>${t("kiosk.hideContaining")}</h3>
        <div class="tiles">
          ${ALLERGEN_LIST.map((a) =>
            this.#tile(this.filter.exclude.includes(a), allergenIcon(a), t(`allergen.${a}`), () => {
              this.#toggleAllergen(a);
            }),
          )}
        </div>
        <h3>${t("kiosk.showOnly")}</h3>
        <div class="tiles">
          ${DIETS.map((d) =>
            this.#tile(this.filter.require.includes(d), dietIcon(d), t(`diet.${d}`), () => {
              this.#toggleDiet(d);
            }),
          )}
        </div>
      </div>
      <footer>
        <button class="btn big" type="button" @click=${() => {
          this.#emit(NO_FILTER);
        }}>${t("kiosk.clearFilters")}</button>
        <button class="btn primary big" type="button" @click=${this.#close}>${icon("check")}${t("kiosk.showDishes", { count })}</button>
      </footer>
    </section>`;
  }

  #tile(on: boolean, picture: unknown, label: string, toggle: () => void) {
    return html`<button class="btn tile" type="button" aria-pressed=${on ? "true" : "false"} @click=${toggle}>${picture}${label}</button>`;
  }

  #toggleAllergen(allergen: Allergen): void {
    const exclude = this.filter.exclude.includes(allergen)
      ? this.filter.exclude.filter((a) => a !== allergen)
      : [...this.filter.exclude, allergen];
    this.#emit({ ...this.filter, exclude });
  }

  #toggleDiet(tag: DietaryTag): void {
    const require = this.filter.require.includes(tag)
      ? this.filter.require.filter((d) => d !== tag)
      : [...this.filter.require, tag];
    this.#emit({ ...this.filter, require });
  }

  #emit(filter: MenuFilter): void {
    fireEvent(this, "filter-change", filter);
  }

  #close(): void {
    fireEvent(this, "close");
  }

  readonly #onKey = onEscape(() => {
    this.#close();
  });
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-filters": GalleyKioskFilters;
  }
  interface GalleyDomEvents {
    "filter-change": MenuFilter;
    close: undefined;
  }
}
