/**
 * "Thank you!" and the order number in large type, with what to do next: pay at the counter, or
 * nothing when the card terminal approved the payment (`paidByCard`). Emits `done`.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { OrderView } from "../../../../protocol/index.ts";
import { icon } from "../../components/icons.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";

@customElement("galley-kiosk-confirmation")
export class GalleyKioskConfirmation extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        position: absolute;
        inset: 0;
        display: grid;
        place-content: center;
        justify-items: center;
        gap: 1.4rem;
        padding: var(--g-space-6);
        text-align: center;
        animation: pop 420ms var(--g-ease);
      }
      .tick {
        display: grid;
        place-items: center;
        width: 6rem;
        height: 6rem;
        border-radius: var(--g-radius-round);
        background: var(--g-ok);
        color: var(--g-bg);
      }
      .tick svg {
        width: 3.6rem;
        height: 3.6rem;
        stroke-width: 3;
      }
      h1 {
        font-size: 2.8rem;
        font-weight: 900;
      }
      h1:focus {
        outline: none;
      }
      .label {
        font-size: 1.4rem;
        font-weight: 700;
        color: var(--g-ink-soft);
      }
      .number {
        font-size: clamp(7rem, 26vmin, 16rem);
        line-height: 0.95;
        font-weight: 950;
        letter-spacing: -0.04em;
        color: var(--g-accent);
        font-variant-numeric: tabular-nums;
      }
      .note {
        max-width: 30ch;
        font-size: 1.35rem;
      }
      .pay {
        font-size: 1.6rem;
        font-weight: 850;
      }
      @keyframes pop {
        from {
          transform: scale(0.94);
          opacity: 0;
        }
      }
    `,
  ];

  @property({ attribute: false }) order?: OrderView;
  @property() language = "en";
  /** The terminal approved the payment: nothing is left to pay. */
  @property({ type: Boolean }) paidByCard = false;

  override firstUpdated(): void {
    this.renderRoot.querySelector("h1")?.focus();
  }

  override render() {
    const order = this.order;
    if (!order) return nothing;
    const t = translator(this.language);
    return html`
      <div class="tick" aria-hidden="true">${icon("check")}</div>
      <h1 tabindex="-1">${t("confirm.thanks")}</h1>
      <p class="label" id="number-label">${t("confirm.number")}</p>
      <p class="number" aria-describedby="number-label" data-testid="order-number">${order.number}</p>
      <p class="pay" data-testid="confirm-total">${t(this.paidByCard ? "confirm.paid" : "confirm.total")}: <span class="num">${formatMoney(order.totals.total, order.totals.currency, this.language)}</span></p>
      <p class="note">${t(this.paidByCard ? "confirm.paidNote" : "confirm.payAtCounter")}</p>
      <p class="note">${t("confirm.watchBoard")}</p>
      <button class="btn primary big" type="button" @click=${() => {
        fireEvent(this, "done");
      }}>${t("confirm.done")}</button>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-confirmation": GalleyKioskConfirmation;
  }
  interface GalleyDomEvents {
    done: undefined;
  }
}
