/**
 * Taking a card payment at the counter on the counter's terminal (card-checkout.ts, shared with
 * the kiosk): `POST /api/checkouts` for the placed order and the amount (all that is due, or the
 * card's part of a split), then its state as galleyd follows the terminal — what the customer
 * should do, approved, declined, cancelled — with Cancel while the terminal waits. The checkout's
 * id is kept on the ticket before it starts, so after a reload the same checkout is followed
 * again to its end (never a second charge). Emits `counter-card-done` once it ended.
 */
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { CheckoutView, PaymentOptionsView } from "../../../../protocol/index.ts";
import { ApiError, type ApiClient } from "../../data/api.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import { newOrderId } from "../../data/ids.ts";
import { translator, type MessageKey, type Translate } from "../../i18n/index.ts";
import { base, buttons, spinner } from "../../styles/shared.ts";
import { CardCheckout, fetchCheckout, fetchPaymentOptions, type CardCheckoutState } from "../kiosk/card-checkout.ts";
import { failureText } from "./counter-text.ts";
import type { Ticket } from "./counter-ticket.ts";

const STAGE_TEXT: Readonly<Record<NonNullable<CheckoutView["stage"]>, MessageKey>> = {
  connecting: "counter.card.connecting",
  present_card: "counter.card.present",
  reading_card: "counter.card.reading",
  enter_pin: "counter.card.pin",
  processing: "counter.card.processing",
  remove_card: "counter.card.remove",
  approved: "counter.card.approved",
  declined: "counter.card.declined",
  cancelled: "counter.card.cancelled",
  other: "counter.card.follow",
};

const OUTCOME_TEXT: Readonly<Partial<Record<CheckoutView["state"], MessageKey>>> = {
  approved: "counter.card.approved",
  declined: "counter.card.declined",
  cancelled: "counter.card.cancelled",
  failed: "counter.card.failed",
  reversed: "counter.card.reversed",
};

@customElement("galley-counter-pay-card")
export class GalleyCounterPayCard extends LitElement {
  static override styles = [
    base,
    buttons,
    spinner,
    css`
      :host {
        display: grid;
        gap: var(--g-space-3);
        align-content: start;
      }
      .status {
        display: grid;
        justify-items: center;
        gap: var(--g-space-3);
        padding: var(--g-space-5);
        border-radius: var(--g-radius-small);
        background: var(--g-surface-2);
        text-align: center;
      }
      .status h3 {
        font-size: 1.5rem;
        font-weight: 850;
      }
      .status[data-state="approved"] {
        background: var(--g-ok-soft, var(--g-surface-2));
      }
      .status[data-state="declined"],
      .status[data-state="failed"],
      .status[data-state="refused"] {
        background: var(--g-danger-soft, var(--g-surface-2));
      }
      .small {
        color: var(--g-ink-soft);
      }
      .btn {
        border-radius: var(--g-radius-small);
      }
    `,
  ];

  @property({ attribute: false }) api?: ApiClient;
  @property({ attribute: false }) ticket?: Ticket;
  /** The card's part of what is due (minor units). */
  @property({ type: Number }) amount = 0;
  @property() currency = "EUR";
  @property() language = "en";
  @state() private option: PaymentOptionsView["card"] | undefined;
  @state() private checkout: CardCheckout | undefined;
  @state() private view: CardCheckoutState | undefined;
  #stop: (() => void) | undefined;
  #unlisten: (() => void) | undefined;
  #reported = "";

  /** The checkout may still take money: the cashier cannot leave the payment meanwhile. */
  get running(): boolean {
    return this.checkout?.running ?? false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadOption();
    void this.#resume();
  }

  override disconnectedCallback(): void {
    this.#drop();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("view")) this.#reportEnd();
  }

  override render() {
    const t = translator(this.language);
    const money = formatMoney(this.amount, this.currency, this.language);
    const state = this.view;
    if (!state || !this.checkout) {
      const offline = this.option?.online === false;
      return html`
        ${this.option === null ? html`<p class="small">${t("counter.card.none")}</p>` : nothing}
        ${offline ? html`<p class="small">${t("counter.card.offline")}</p>` : nothing}
        <button class="btn primary big" type="button" data-testid="charge-card" ?disabled=${this.option === null || offline || this.amount <= 0} @click=${this.#start}>
          ${t("counter.card.charge", { amount: money })}
        </button>
      `;
    }
    return this.#status(t, state, money);
  }

  #status(t: Translate, state: CardCheckoutState, money: string) {
    const again = html`<button class="btn big" type="button" @click=${this.#again}>${t("counter.tryAgain")}</button>`;
    switch (state.phase) {
      case "starting":
        return html`<div class="status" data-state="starting" role="status"><span class="spinner"></span><h3>${t("counter.card.connecting")}</h3>${state.trouble ? html`<p class="small">${t("counter.retrying")}</p>` : nothing}</div>`;
      case "refused":
        return html`<div class="status" data-state="refused" role="alert"><h3>${t("counter.card.notStarted")}</h3><p>${failureText(t, state.error)}</p></div>${again}`;
      case "lost":
        return html`<div class="status" data-state="lost" role="alert"><h3>${t("counter.card.lost")}</h3></div>
          <button class="btn big" type="button" @click=${() => {
            this.#follow();
          }}>${t("counter.card.checkAgain")}</button>`;
      case "following": {
        const view = state.view;
        const outcome = OUTCOME_TEXT[view.state];
        const reason = view.reason ? t("counter.card.reason", { reason: view.reason }) : view.message;
        if (outcome) {
          return html`<div class="status" data-state=${view.state} role="status" data-testid="card-status">
              <h3>${t(outcome)}</h3>
              <p class="num">${formatMoney(view.amount, view.currency, this.language)}</p>
              ${view.state !== "approved" && reason ? html`<p class="small">${reason}</p>` : nothing}
            </div>
            ${view.state === "approved" ? nothing : again}`;
        }
        const title =
          view.state === "uncertain" ? t("counter.card.checking") : t(STAGE_TEXT[view.stage ?? "connecting"]);
        const cancellable = view.state === "queued" || (view.state === "presenting" && view.stage !== "processing");
        return html`<div class="status" data-state=${view.state} role="status" data-testid="card-status">
            <span class="spinner"></span>
            <h3>${title}</h3>
            <p class="num">${money}</p>
            ${view.message ? html`<p class="small">${t("counter.card.terminalSays", { message: view.message })}</p>` : nothing}
            ${state.trouble ? html`<p class="small">${t("counter.retrying")}</p>` : nothing}
          </div>
          ${
            cancellable
              ? html`<button class="btn big danger" type="button" ?disabled=${state.cancelling} @click=${() => void this.checkout?.cancel()}>
                  ${state.cancelling ? t("counter.card.cancelling") : t("counter.card.cancel")}
                </button>`
              : nothing
          }`;
      }
    }
  }

  async #loadOption(): Promise<void> {
    if (!this.api) return;
    try {
      this.option = (await fetchPaymentOptions(this.api)).card;
    } catch (error) {
      if (error instanceof ApiError && error.status !== 0 && !error.retryable) this.option = null;
    }
  }

  /** A checkout this ticket started before a reload: followed again to its end. */
  async #resume(): Promise<void> {
    const id = this.ticket?.checkoutId;
    if (!id || !this.api || this.checkout) return;
    try {
      const view = await fetchCheckout(this.api, id, 0, 0);
      this.#adopt(CardCheckout.resume(this.api, view));
    } catch (error) {
      // It never reached galleyd: nothing was charged, nothing to follow.
      if (error instanceof ApiError && error.code === "checkout_not_found") this.ticket?.setCheckout(undefined);
    }
  }

  readonly #start = (): void => {
    const { api, ticket } = this;
    const order = ticket?.order;
    if (!api || !ticket || !order || this.amount <= 0 || this.running) return;
    // The first id is the checkout's, the second the order it pays: the existing one.
    const ids = [newOrderId(), order.id];
    const checkout = new CardCheckout(
      api,
      { sessionId: "", amount: this.amount },
      {},
      () => ids.shift() ?? newOrderId(),
    );
    ticket.setCheckout(checkout.id);
    this.#adopt(checkout);
  };

  readonly #again = (): void => {
    this.#drop();
    this.ticket?.setCheckout(undefined);
    this.checkout = undefined;
    this.view = undefined;
  };

  #adopt(checkout: CardCheckout): void {
    this.#drop();
    this.checkout = checkout;
    this.view = checkout.state;
    this.#unlisten = checkout.onChange((state) => {
      if (this.checkout === checkout) this.view = state;
    });
    this.#follow();
  }

  #follow(): void {
    this.#stop?.();
    this.#stop = this.checkout?.follow();
  }

  #drop(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#unlisten?.();
    this.#unlisten = undefined;
  }

  /** An ended checkout is reported once: approved (paid), or not (nothing charged). */
  #reportEnd(): void {
    const state = this.view;
    if (state?.phase !== "following" || !state.view.done || this.#reported === state.view.id) return;
    this.#reported = state.view.id;
    this.ticket?.setCheckout(undefined);
    fireEvent(this, "counter-card-done", { approved: state.view.state === "approved" });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-pay-card": GalleyCounterPayCard;
  }
  interface GalleyDomEvents {
    "counter-card-done": { approved: boolean };
  }
}
