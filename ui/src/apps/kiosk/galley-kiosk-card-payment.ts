/**
 * The card step, full screen: the amount, a big pictogram of the terminal, what the terminal is
 * doing in plain words ("Insert, tap or swipe your card…", "Enter your PIN…") with the terminal's
 * own text small beneath, and Cancel. When the checkout ends without approval it says why and
 * offers "Try again", "Pay at the counter" and "Back to my order"; an approval is the kiosk's
 * business (it shows the confirmation with the order number, which exists only now).
 *
 * It follows the checkout (card-checkout.ts) while it is on screen: connected, the long-poll runs;
 * disconnected, it stops. Stage changes are announced (role=status); an outcome moves the focus
 * to its heading. Emits `card-retry`, `card-counter` and `card-back`.
 */
import { LitElement, html, nothing, svg, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { CheckoutView } from "../../../../protocol/index.ts";
import { cartErrorOf } from "../../data/cart-session.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import type { MenuCatalog } from "../../data/menu-catalog.ts";
import { cartErrorText } from "../../i18n/cart-text.ts";
import { translator, type MessageKey, type Translate } from "../../i18n/index.ts";
import { base, buttons, spinner } from "../../styles/shared.ts";
import type { CardCheckout, CardCheckoutState } from "./card-checkout.ts";
import { cardPaymentStyles } from "./kiosk-card-payment-styles.ts";

type Stage = NonNullable<CheckoutView["stage"]>;

const STAGE_TEXT: Readonly<Record<Stage, MessageKey>> = {
  connecting: "card.connecting",
  present_card: "card.present",
  reading_card: "card.reading",
  enter_pin: "card.pin",
  processing: "card.processing",
  remove_card: "card.remove",
  approved: "card.approved",
  declined: "card.processing",
  cancelled: "card.cancelling",
  other: "card.follow",
};

/** What the step shows: the terminal at work, or how it ended and what the customer can do. */
interface Shown {
  /** `data-state` for tests and styles: the checkout's state, or starting / refused / lost. */
  state: string;
  title: string;
  body: string;
  /** Small: the terminal's own text, or galleyd's reason. */
  small: string;
  working: boolean;
  /** Cancel is offered (the terminal may still be asked to abort). */
  cancel: boolean;
  /** "Try again", "Pay at the counter", "Back to my order" (nothing was charged). */
  choices: boolean;
  /** Following stopped at its bound: "Check again" only. */
  lost: boolean;
}

/** A terminal and a card going into it, 96×96, stroke = currentColor. */
const PICTOGRAM = svg`
  <rect x="26" y="20" width="44" height="70" rx="7"/>
  <rect x="33" y="28" width="30" height="18" rx="2"/>
  <path d="M35 56h4M46 56h4M57 56h4M35 65h4M46 65h4M57 65h4M35 74h4M46 74h4M57 74h4"/>
  <g class="card"><rect x="40" y="4" width="40" height="26" rx="3"/><path d="M40 12h40M46 22h10"/></g>
`;

@customElement("galley-kiosk-card-payment")
export class GalleyKioskCardPayment extends LitElement {
  static override styles = [base, buttons, spinner, cardPaymentStyles];

  @property({ attribute: false }) checkout?: CardCheckout;
  @property({ attribute: false }) catalog?: MenuCatalog;
  /** The cart's total, shown until galleyd's checkout names the amount. */
  @property({ type: Number }) total = 0;
  @property() language = "en";

  /** The checkout followed now, and how to stop following it. */
  #attached: CardCheckout | undefined;
  #unfollow: (() => void) | undefined;
  #unlisten: (() => void) | undefined;
  /** The outcome whose heading has the focus (a new one takes it). */
  #focused = "";

  override connectedCallback(): void {
    super.connectedCallback();
    this.#attach();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#detach();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // "Try again" hands over a new checkout: follow that one instead.
    if (changed.has("checkout") && this.isConnected && this.checkout !== this.#attached) {
      this.#detach();
      this.#attach();
    }
  }

  protected override updated(): void {
    const shown = this.checkout ? this.#shown(translator(this.language), this.checkout.state) : undefined;
    // The first render, and every outcome, puts the focus on the heading, so it is read out.
    const key = shown?.working ? "working" : (shown?.state ?? "");
    if (key === this.#focused) return;
    this.#focused = key;
    this.renderRoot.querySelector("h1")?.focus();
  }

  override render() {
    const checkout = this.checkout;
    if (!checkout) return nothing;
    const t = translator(this.language);
    const state = checkout.state;
    const shown = this.#shown(t, state);
    const view = state.phase === "following" || state.phase === "lost" ? state.view : undefined;
    const amount = formatMoney(
      view?.amount ?? this.total,
      view?.currency ?? this.catalog?.currency ?? "EUR",
      this.language,
    );
    const trouble = (state.phase === "following" || state.phase === "starting") && state.trouble;
    const cancelling = state.phase === "following" && state.cancelling;
    return html`
      <main class=${shown.working ? "working" : "ended"} data-testid="card-payment" data-state=${shown.state}>
        <p class="amount-label" id="amount-label">${t("card.amount")}</p>
        <p class="amount num" aria-describedby="amount-label" data-testid="card-amount">${amount}</p>
        <div class="picto" aria-hidden="true"><svg viewBox="0 0 96 96">${PICTOGRAM}</svg></div>
        <div class="now" role="status" aria-live="polite" aria-atomic="true">
          <h1 tabindex="-1" data-testid="card-stage">${shown.title}</h1>
          ${shown.body ? html`<p class="body">${shown.body}</p>` : nothing}
          ${shown.small ? html`<p class="small" data-testid="card-message">${shown.small}</p>` : nothing}
          ${trouble ? html`<p class="trouble">${t("card.trouble")}</p>` : nothing}
        </div>
        ${shown.working && !shown.cancel ? html`<div class="spinner" aria-hidden="true"></div>` : nothing}
      </main>
      ${this.#renderFooter(t, shown, cancelling)}
    `;
  }

  #renderFooter(t: Translate, shown: Shown, cancelling: boolean) {
    if (shown.cancel)
      return html`<footer>
        <button class="btn big" type="button" data-testid="card-cancel" ?disabled=${cancelling} @click=${this.#cancel}>
          ${cancelling ? t("card.cancelling") : t("card.cancel")}
        </button>
      </footer>`;
    if (shown.lost)
      return html`<footer>
        <button class="btn big" type="button" @click=${this.#checkAgain}>${t("card.checkAgain")}</button>
      </footer>`;
    if (!shown.choices) return nothing;
    return html`<footer>
      <button class="btn primary big" type="button" data-testid="card-retry" @click=${() => {
        fireEvent(this, "card-retry");
      }}>${t("card.tryAgain")}</button>
      <button class="btn big" type="button" data-testid="card-counter" @click=${() => {
        fireEvent(this, "card-counter");
      }}>${t("card.payAtCounter")}</button>
      <button class="btn big" type="button" data-testid="card-back" @click=${() => {
        fireEvent(this, "card-back");
      }}>${t("card.back")}</button>
    </footer>`;
  }

  #shown(t: Translate, state: CardCheckoutState): Shown {
    const idle = { body: "", small: "", working: true, cancel: true, choices: false, lost: false };
    const ended = { working: false, cancel: false, choices: true, lost: false };
    switch (state.phase) {
      case "starting":
        return { ...idle, state: "starting", title: t("card.connecting") };
      case "lost":
        return {
          ...ended,
          state: "lost",
          title: t("card.lost"),
          body: t("card.lostBody"),
          small: "",
          choices: false,
          lost: true,
        };
      case "refused": {
        const code = state.error.code;
        if (code === "terminal_unavailable" || code === "terminal_not_configured")
          return {
            ...ended,
            state: "refused",
            title: t("card.unavailable"),
            body: t("card.unavailableBody"),
            small: "",
          };
        if (code === "payment_in_progress")
          return { ...ended, state: "refused", title: t("card.busy"), body: t("card.busyBody"), small: "" };
        const body = this.catalog ? cartErrorText(this.catalog, cartErrorOf(state.error), this.language) : "";
        return { ...ended, state: "refused", title: t("card.notStarted"), body, small: "" };
      }
      case "following":
        return this.#following(t, state.view, idle, ended);
    }
  }

  #following(
    t: Translate,
    view: CheckoutView,
    idle: Omit<Shown, "state" | "title">,
    ended: Omit<Shown, "state" | "title" | "body" | "small">,
  ): Shown {
    const terminalText = view.message ? t("card.terminalSays", { message: view.message }) : "";
    const reason = view.reason ? t("card.reason", { reason: view.reason }) : "";
    const outcome = (title: MessageKey, body: MessageKey): Shown => ({
      ...ended,
      state: view.state,
      title: t(title),
      body: t(body),
      small: reason || terminalText,
    });
    switch (view.state) {
      case "queued":
        return { ...idle, state: "queued", title: t("card.connecting") };
      case "presenting": {
        const stage = view.stage ?? "present_card";
        return {
          ...idle,
          state: stage === "present_card" ? "present" : "presenting",
          title: t(STAGE_TEXT[stage]),
          small: terminalText,
          // Once the card is being charged, only the terminal can still stop it.
          cancel: stage !== "approved" && stage !== "declined" && stage !== "cancelled",
        };
      }
      case "uncertain":
        return {
          ...idle,
          state: "uncertain",
          title: t("card.checking"),
          body: t("card.checkingBody"),
          small: terminalText,
          cancel: false,
        };
      case "approved":
        return { ...idle, state: "approved", title: t("card.approved"), cancel: false };
      case "declined":
        return outcome("card.declined", "card.declinedBody");
      case "cancelled":
        return outcome("card.cancelled", "card.cancelledBody");
      case "failed":
        return outcome("card.failed", "card.failedBody");
      case "reversed":
        return outcome("card.reversed", "card.reversedBody");
    }
  }

  #attach(): void {
    const checkout = this.checkout;
    if (!checkout || this.#attached) return;
    this.#attached = checkout;
    this.#unlisten = checkout.onChange(() => {
      this.requestUpdate();
    });
    this.#unfollow = checkout.follow();
  }

  #detach(): void {
    this.#unfollow?.();
    this.#unlisten?.();
    this.#attached = undefined;
    this.#unfollow = undefined;
    this.#unlisten = undefined;
  }

  readonly #cancel = (): void => {
    void this.checkout?.cancel();
  };

  readonly #checkAgain = (): void => {
    // Following afresh (the bound starts over) from the last version seen.
    this.#detach();
    this.#attach();
    this.requestUpdate();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-card-payment": GalleyKioskCardPayment;
  }
  interface GalleyDomEvents {
    "card-retry": undefined;
    "card-counter": undefined;
    "card-back": undefined;
  }
}
