/** − 2 + with big buttons; emits `quantity` with the new value. */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { fireEvent } from "../data/fire-event.ts";
import { translator } from "../i18n/index.ts";
import { base, buttons } from "../styles/shared.ts";
import { icon } from "./icons.ts";

@customElement("galley-quantity-stepper")
export class GalleyQuantityStepper extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: inline-flex;
      }
      .stepper {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        background: var(--g-surface-2);
        border-radius: var(--g-radius-pill);
        padding: 4px;
      }
      output {
        min-width: 2.2ch;
        text-align: center;
        font-size: 1.5rem;
        font-weight: 800;
      }
      .btn {
        border: none;
      }
    `,
  ];

  @property({ type: Number }) value = 1;
  @property({ type: Number }) min = 1;
  @property({ type: Number }) max = 20;
  @property() language = "en";
  /** What is being counted, for screen readers ("Quantity of Classic Burger"). */
  @property() label = "";
  /** Both buttons off (the line is on its way to the appliance). */
  @property({ type: Boolean }) disabled = false;

  override render() {
    const t = translator(this.language);
    const name = this.label || t("item.quantity");
    return html`<div class="stepper" role="group" aria-label=${name}>
      <button class="btn icon-btn" type="button" aria-label="${t("item.less")}: ${name}" ?disabled=${this.disabled || this.value <= this.min} @click=${() => {
        this.#emit(this.value - 1);
      }}>${icon("minus")}</button>
      <output class="num" aria-live="polite">${this.value}</output>
      <button class="btn icon-btn" type="button" aria-label="${t("item.more")}: ${name}" ?disabled=${this.disabled || this.value >= this.max} @click=${() => {
        this.#emit(this.value + 1);
      }}>${icon("plus")}</button>
    </div>`;
  }

  #emit(value: number): void {
    fireEvent(this, "quantity", Math.max(this.min, Math.min(this.max, value)));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-quantity-stepper": GalleyQuantityStepper;
  }
  interface GalleyDomEvents {
    quantity: number;
  }
}
