/**
 * Checkout: the order once more with the appliance's prices and totals (tax lines when tax is
 * added on top), how to pay (today "pay at the counter"; later payment methods plug in through
 * PAYMENT_METHODS), and "Place order". While the order is being sent the button waits; a
 * failure says so in plain words and offers "Try again", which re-sends the same order (same
 * id), so it can never be placed twice. Emits `place-order` and `back`.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { icon } from "../../components/icons.ts";
import { cartErrorOf, type CartSession } from "../../data/cart-session.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import type { MenuCatalog } from "../../data/menu-catalog.ts";
import type { SubmissionState } from "../../data/order-submission.ts";
import { PAYMENT_METHODS } from "../../data/payment-methods.ts";
import { cartErrorText, lineSummary } from "../../i18n/cart-text.ts";
import { localized, translator } from "../../i18n/index.ts";
import { base, buttons, page, spinner } from "../../styles/shared.ts";
import "./galley-kiosk-totals.ts";

@customElement("galley-kiosk-checkout")
export class GalleyKioskCheckout extends LitElement {
  static override styles = [
    base,
    buttons,
    page,
    spinner,
    css`
      main {
        display: grid;
        align-content: start;
        gap: var(--g-space-5);
      }
      h2 {
        font-size: 1.4rem;
        font-weight: 850;
      }
      .lines {
        display: grid;
        gap: var(--g-space-2);
        padding: 1rem 1.2rem;
        border-radius: var(--g-radius);
        background: var(--g-surface);
      }
      .lines ul {
        display: grid;
        gap: var(--g-space-2);
      }
      .lines li {
        display: flex;
        justify-content: space-between;
        gap: var(--g-space-4);
      }
      .lines small {
        display: block;
        color: var(--g-ink-soft);
      }
      .lines galley-kiosk-totals {
        padding-top: 0.6rem;
        border-top: 1px solid var(--g-line);
        --total-size: 1.5rem;
      }
      .method {
        display: flex;
        align-items: center;
        gap: var(--g-space-4);
        padding: 1rem 1.2rem;
        min-height: var(--g-touch);
        border-radius: var(--g-radius);
        border: 3px solid var(--g-accent);
        background: var(--g-accent-soft);
        position: relative;
      }
      .method input {
        width: 1.6rem;
        height: 1.6rem;
        accent-color: var(--g-accent);
      }
      .method strong {
        display: block;
        font-size: 1.25rem;
      }
      .method span span {
        color: var(--g-ink-soft);
      }
      .status {
        display: grid;
        gap: 0.4rem;
        padding: 1rem 1.2rem;
        border-radius: var(--g-radius);
        font-size: 1.15rem;
      }
      .status.failed {
        background: var(--g-danger-soft);
        color: var(--g-danger);
        font-weight: 750;
      }
      .status.sending {
        display: flex;
        align-items: center;
        gap: var(--g-space-4);
        background: var(--g-surface);
      }
      footer {
        display: flex;
        gap: var(--g-space-4);
      }
      footer .primary {
        flex: 1;
      }
    `,
  ];

  @property({ attribute: false }) catalog?: MenuCatalog;
  @property({ attribute: false }) cart?: CartSession;
  @property({ type: Number }) cartVersion = 0;
  @property({ attribute: false }) submissionState: SubmissionState = { phase: "idle" };
  /** The last attempt may have reached the appliance: only "try again" with the same order. */
  @property({ type: Boolean }) uncertain = false;
  @property() language = "en";

  override firstUpdated(): void {
    this.renderRoot.querySelector("h1")?.focus();
  }

  override render() {
    const { catalog, cart } = this;
    if (!catalog || !cart) return nothing;
    const t = translator(this.language);
    const fallback = catalog.languages[0] ?? "en";
    const state = this.submissionState;
    const sending = state.phase === "sending";
    const failed = state.phase === "failed";
    const total = formatMoney(cart.totals?.total ?? 0, catalog.currency, this.language);
    return html`
      <main>
        <h1 tabindex="-1">${t("checkout.title")}</h1>
        <div class="lines">
          <ul>
            ${cart.lines.map(
              ({ draft, line }) => html`<li>
                <span>${draft.quantity} × ${localized(draft.name, this.language, fallback)}<small>${lineSummary(catalog, draft, this.language)}</small></span>
                <span class="num">${line ? formatMoney(line.total, catalog.currency, this.language) : t("cart.adding")}</span>
              </li>`,
            )}
          </ul>
          <galley-kiosk-totals .totals=${cart.totals} .catalog=${catalog} .busy=${cart.busy} .language=${this.language}></galley-kiosk-totals>
        </div>
        <h2 id="pay">${t("checkout.payment")}</h2>
        <div role="radiogroup" aria-labelledby="pay">
          ${PAYMENT_METHODS.map(
            (method, index) => html`<label class="method">
              <input type="radio" name="payment" value=${method.id} ?checked=${index === 0} />
              <span><strong>${t(method.label)}</strong><span>${t(method.hint)}</span></span>
            </label>`,
          )}
        </div>
        ${
          sending
            ? html`<div class="status sending" role="status"><span class="spinner" aria-hidden="true"></span>${state.attempt > 1 ? t("checkout.stillSending") : t("checkout.sending")}</div>`
            : nothing
        }
        ${
          failed
            ? html`<div class="status failed" role="alert" data-testid="order-failed">
              <span>${t("checkout.notPlaced")} ${cartErrorText(catalog, cartErrorOf(state.error), this.language)}</span>
              ${this.uncertain ? html`<span>${t("checkout.retryHint")}</span>` : nothing}
            </div>`
            : nothing
        }
      </main>
      <footer>
        ${
          this.uncertain
            ? nothing
            : html`<button class="btn big" type="button" ?disabled=${sending} @click=${() => {
                this.#emit("back");
              }}>${icon("back")}${t("checkout.back")}</button>`
        }
        <button class="btn primary big" type="button" ?disabled=${sending} data-testid="place-order" @click=${() => {
          this.#emit("place-order");
        }}>
          ${failed && this.uncertain ? t("checkout.retry") : t("checkout.place", { total })}
        </button>
      </footer>
    `;
  }

  #emit(type: "back" | "place-order"): void {
    fireEvent(this, type);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-checkout": GalleyKioskCheckout;
  }
  interface GalleyDomEvents {
    back: undefined;
    "place-order": undefined;
  }
}
