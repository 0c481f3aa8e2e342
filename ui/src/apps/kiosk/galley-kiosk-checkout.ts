/**
 * Checkout: the order once more with the appliance's prices and totals (tax lines when tax is
 * added on top), how to pay — "Pay by card" first when a card terminal serves this kiosk (shown
 * disabled, with the reason, while it is offline), then PAYMENT_METHODS ("Pay at the counter") —
 * and the button that goes on: "Pay by card" emits `pay-card` (the card step takes over), "Place
 * order" emits `place-order`. While the order is being sent the button waits; a failure says so
 * in plain words and offers "Try again", which re-sends the same order (same id), so it can never
 * be placed twice (and card is then no longer offered). Emits `payment-method`, `pay-card`,
 * `place-order` and `back`.
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
import { localized, translator, type Translate } from "../../i18n/index.ts";
import { base, buttons, page, spinner } from "../../styles/shared.ts";
import "./galley-kiosk-totals.ts";
import type { CardOption } from "./kiosk-card-flow.ts";

/** "card", or the id of one of PAYMENT_METHODS. */
export type KioskPaymentMethod = string;

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
      .method:has(input:disabled) {
        border-color: var(--g-line);
        background: var(--g-surface);
      }
      .method:has(input:not(:checked):not(:disabled)) {
        border-color: var(--g-line);
        background: transparent;
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
      [role="radiogroup"] {
        display: grid;
        gap: var(--g-space-3);
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
  /** The card terminal serving this kiosk, or null. */
  @property({ attribute: false }) card: CardOption | null = null;
  @property() method: KioskPaymentMethod = "counter";

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
    const byCard = this.#byCard;
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
          ${this.#renderCard(t, sending || this.uncertain)}
          ${PAYMENT_METHODS.map(
            (method) => html`<label class="method">
              <input type="radio" name="payment" value=${method.id} .checked=${byCard ? false : method.id === this.#otherMethod} ?disabled=${sending} @change=${() => {
                fireEvent(this, "payment-method", method.id);
              }} />
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
        ${
          byCard
            ? html`<button class="btn primary big" type="button" ?disabled=${sending} data-testid="pay-card" @click=${() => {
                this.#emit("pay-card");
              }}>${t("checkout.pay", { total })}</button>`
            : html`<button class="btn primary big" type="button" ?disabled=${sending} data-testid="place-order" @click=${() => {
                this.#emit("place-order");
              }}>
                ${failed && this.uncertain ? t("checkout.retry") : t("checkout.place", { total })}
              </button>`
        }
      </footer>
    `;
  }

  /** Card is chosen and possible. An order that may have been sent already is only ever sent again, never paid by card. */
  get #byCard(): boolean {
    return this.method === "card" && this.card?.online === true && !this.uncertain;
  }

  /** The method chosen when it is not card (the first of PAYMENT_METHODS unless another was chosen). */
  get #otherMethod(): string {
    return PAYMENT_METHODS.some((m) => m.id === this.method) ? this.method : (PAYMENT_METHODS[0]?.id ?? "");
  }

  /** "Pay by card", first; disabled with the reason while the terminal is offline. */
  #renderCard(t: Translate, locked: boolean) {
    const card = this.card;
    if (!card) return nothing;
    const hint = this.uncertain
      ? t("checkout.counterOnly")
      : card.online
        ? t("checkout.payByCardHint")
        : t("checkout.cardOffline");
    return html`<label class="method" data-testid="method-card">
      <input type="radio" name="payment" value="card" aria-describedby="card-hint" .checked=${this.#byCard} ?disabled=${locked || !card.online} @change=${() => {
        fireEvent(this, "payment-method", "card");
      }} />
      <span><strong>${t("checkout.payByCard")}</strong><span id="card-hint">${hint}</span></span>
    </label>`;
  }

  #emit(type: "back" | "place-order" | "pay-card"): void {
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
    "pay-card": undefined;
    "payment-method": KioskPaymentMethod;
  }
}
