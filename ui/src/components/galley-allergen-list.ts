/** Allergens and dietary tags of a dish, each as a pictogram with its name (never an icon alone). */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Allergen, DietaryTag } from "../../../protocol/index.ts";
import { translator } from "../i18n/index.ts";
import { base } from "../styles/shared.ts";
import { allergenIcon, dietIcon } from "./icons.ts";

@customElement("galley-allergen-list")
export class GalleyAllergenList extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.45rem;
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: 0.35em;
        padding: 0.3em 0.75em 0.3em 0.45em;
        border-radius: var(--g-radius-pill);
        font-size: 0.9rem;
        font-weight: 600;
        border: 1.5px solid var(--g-line);
        background: var(--g-surface);
        color: var(--g-ink);
      }
      li.diet {
        border-color: var(--g-ok);
        color: var(--g-ok);
        background: var(--g-ok-soft);
      }
      li.spicy {
        border-color: var(--g-danger);
        color: var(--g-danger);
        background: var(--g-danger-soft);
      }
      svg {
        width: 1.4em;
        height: 1.4em;
      }
      .none {
        color: var(--g-ink-soft);
        font-size: 0.95rem;
      }
      :host([compact]) li {
        font-size: 0.8rem;
        padding: 0.15em 0.55em 0.15em 0.35em;
      }
    `,
  ];

  @property({ type: Array }) allergens: readonly Allergen[] = [];
  @property({ type: Array }) dietary: readonly DietaryTag[] = [];
  @property() language = "en";
  /** Show "no declared allergens" when the list is empty. */
  @property({ type: Boolean, attribute: "show-none" }) showNone = false;
  @property({ type: Boolean, reflect: true }) compact = false;

  override render() {
    const t = translator(this.language);
    if (this.allergens.length === 0 && this.dietary.length === 0) {
      return this.showNone ? html`<p class="none">${t("item.noAllergens")}</p>` : html``;
    }
    return html`<ul>
      ${this.dietary.map((tag) => html`<li class="diet ${tag === "spicy" ? "spicy" : ""}">${dietIcon(tag)}${t(`diet.${tag}`)}</li>`)}
      ${this.allergens.map((a) => html`<li class="allergen">${allergenIcon(a)}${t(`allergen.${a}`)}</li>`)}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-allergen-list": GalleyAllergenList;
  }
}
