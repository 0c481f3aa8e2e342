/**
 * One modifier group on the item page: its rule ("Choose 1", "Choose up to 5"), whether it is
 * required, and its options as large tiles with their price change. A group of exactly one is a
 * radio group (arrow keys move); any other is a set of checkboxes. Emits `option-toggle`.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { ModifierGroup, SelectedOption } from "../../../protocol/index.ts";
import { fireEvent } from "../data/fire-event.ts";
import { formatPriceDelta } from "../data/format.ts";
import { localized, translator, type Translate } from "../i18n/index.ts";
import { base } from "../styles/shared.ts";
import { allergenIcon, icon } from "./icons.ts";

export function groupRule(t: Translate, group: Pick<ModifierGroup, "min" | "max">): string {
  if (group.min === group.max)
    return group.min === 1 ? t("item.chooseOne") : t("item.chooseExactly", { count: group.min });
  if (group.min === 0) return t("item.chooseUpTo", { count: group.max });
  return t("item.chooseBetween", { min: group.min, max: group.max });
}

@customElement("galley-option-group")
export class GalleyOptionGroup extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      legend {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.4rem 0.8rem;
        padding: 0;
        margin-bottom: var(--g-space-3);
        width: 100%;
      }
      .name {
        font-size: 1.3rem;
        font-weight: 800;
      }
      .rule {
        color: var(--g-ink-soft);
        font-weight: 600;
      }
      .badge {
        padding: 0.15em 0.7em;
        border-radius: var(--g-radius-pill);
        font-size: 0.85rem;
        font-weight: 800;
        background: var(--g-surface-2);
        color: var(--g-ink-soft);
      }
      .badge.required {
        background: var(--g-accent-soft);
        color: var(--g-accent);
      }
      .badge.done {
        background: var(--g-ok-soft);
        color: var(--g-ok);
      }
      .options {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(13.5rem, 1fr));
        gap: 0.65rem;
      }
      label {
        position: relative;
        display: flex;
        align-items: center;
        gap: var(--g-space-3);
        min-height: var(--g-touch);
        padding: 0.6rem 1rem;
        border-radius: var(--g-radius-small);
        border: 2px solid var(--g-line);
        background: var(--g-surface);
        cursor: pointer;
        transition:
          border-color 140ms,
          background-color 140ms;
      }
      input {
        position: absolute;
        opacity: 0;
        inset: 0;
        margin: 0;
        cursor: pointer;
      }
      .mark {
        flex: none;
        display: grid;
        place-items: center;
        width: 1.9rem;
        height: 1.9rem;
        border: 2px solid var(--g-line);
        background: var(--g-bg);
        color: var(--g-accent-ink);
      }
      .radio .mark {
        border-radius: var(--g-radius-round);
      }
      .check .mark {
        border-radius: var(--g-radius-m);
      }
      .mark svg {
        width: 1.2rem;
        height: 1.2rem;
        opacity: 0;
      }
      .text {
        display: grid;
        gap: 0.1rem;
        flex: 1;
      }
      .option-name {
        font-weight: 700;
      }
      .price {
        color: var(--g-ink-soft);
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .allergens {
        display: flex;
        gap: 0.2rem;
        color: var(--g-ink-soft);
        font-size: 0.8rem;
      }
      .allergens svg {
        width: 1.1rem;
        height: 1.1rem;
      }
      label.on {
        border-color: var(--g-accent);
        background: var(--g-accent-soft);
      }
      label.on .mark {
        background: var(--g-accent);
        border-color: var(--g-accent);
      }
      label.on .mark svg {
        opacity: 1;
      }
      label:has(input:focus-visible) {
        box-shadow: var(--g-focus);
      }
      label.off {
        cursor: not-allowed;
        color: var(--g-muted);
        border-style: dashed;
      }
      .unmet legend .name {
        color: var(--g-danger);
      }
      .message {
        margin-top: 0.6rem;
        color: var(--g-danger);
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) group?: ModifierGroup;
  @property({ attribute: false }) selected: readonly SelectedOption[] = [];
  @property({ attribute: false }) soldOut: ReadonlySet<string> = new Set();
  @property() currency = "EUR";
  @property() language = "en";
  @property() fallbackLang = "en";
  /** A message under the group (max reached, still required). */
  @property() message = "";
  @property({ type: Boolean }) unmet = false;

  override render() {
    const group = this.group;
    if (!group) return nothing;
    const t = translator(this.language);
    const chosen = this.selected.filter((s) => s.group === group.id);
    const single = group.min === 1 && group.max === 1;
    const name = localized(group.name, this.language, this.fallbackLang);
    const satisfied = chosen.length >= group.min;
    return html`<fieldset class=${this.unmet ? "unmet" : ""} role=${single ? "radiogroup" : "group"}>
      <legend>
        <span class="name">${name}</span>
        <span class="rule">${groupRule(t, group)}</span>
        ${
          group.min > 0
            ? html`<span class="badge ${satisfied ? "done" : "required"}">${satisfied ? html`${t("item.yourChoice")}` : t("item.required")}</span>`
            : html`<span class="badge">${t("item.optional")}</span>`
        }
        ${group.max > 1 ? html`<span class="rule num">${t("item.chosen", { count: chosen.length, max: group.max })}</span>` : nothing}
      </legend>
      <div class="options">
        ${group.options.map((option) => {
          const on = chosen.some((s) => s.option === option.id);
          const off = this.soldOut.has(option.id) && !on;
          const optionName = localized(option.name, this.language, this.fallbackLang);
          const price = formatPriceDelta(option.price, this.currency, this.language);
          return html`<label class="${single ? "radio" : "check"} ${on ? "on" : ""} ${off ? "off" : ""}" data-option=${option.id}>
            <input
              type=${single ? "radio" : "checkbox"}
              name=${group.id}
              .checked=${on}
              ?disabled=${off}
              @change=${() => {
                this.#toggle(option.id);
              }}
            />
            <span class="mark" aria-hidden="true">${icon("check")}</span>
            <span class="text">
              <span class="option-name">${optionName}</span>
              ${off ? html`<span class="price">${t("item.soldOut")}</span>` : price ? html`<span class="price">${price}</span>` : nothing}
              ${
                option.allergens?.length
                  ? html`<span class="allergens">${option.allergens.map((a) => html`<span title=${t(`allergen.${a}`)}>${allergenIcon(a)}</span>`)}<span class="visually-hidden">${option.allergens.map((a) => t(`allergen.${a}`)).join(", ")}</span></span>`
                  : nothing
              }
            </span>
          </label>`;
        })}
      </div>
      ${this.message ? html`<p class="message" role="alert">${this.message}</p>` : nothing}
    </fieldset>`;
  }

  override updated(): void {
    // Inputs are controlled: after a refused toggle, put the native state back.
    for (const input of this.renderRoot.querySelectorAll("input")) {
      const on = this.selected.some(
        (s) => s.group === this.group?.id && s.option === (input.closest("label")?.dataset.option ?? ""),
      );
      if (input.checked !== on) input.checked = on;
    }
  }

  #toggle(option: string): void {
    if (!this.group) return;
    fireEvent(this, "option-toggle", { group: this.group.id, option });
    this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-option-group": GalleyOptionGroup;
  }
  interface GalleyDomEvents {
    "option-toggle": { group: string; option: string };
  }
}
