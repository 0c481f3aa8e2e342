/**
 * The kiosk's steps — attract loop, menu, cart, checkout, the card step, confirmation — and how each is drawn
 * into galley-kiosk-app's stage. The views only render and emit events; the app owns the state
 * and decides what the events change.
 */
import { html, nothing } from "lit";
import type { OrderView } from "../../../../protocol/index.ts";
import type { CartSession } from "../../data/cart-session.ts";
import type { GalleyDomEvent } from "../../data/fire-event.ts";
import type { MenuCatalog, MenuFilter } from "../../data/menu-catalog.ts";
import type { SubmissionState } from "../../data/order-submission.ts";
import "./galley-kiosk-attract.ts";
import type { CardCheckout } from "./card-checkout.ts";
import "./galley-kiosk-card-payment.ts";
import "./galley-kiosk-cart.ts";
import "./galley-kiosk-checkout.ts";
import type { KioskPaymentMethod } from "./galley-kiosk-checkout.ts";
import "./galley-kiosk-confirmation.ts";
import "./galley-kiosk-menu.ts";
import type { CardOption } from "./kiosk-card-flow.ts";
import type { KioskOverlay } from "./kiosk-overlays.ts";

export type KioskView = "attract" | "menu" | "cart" | "checkout" | "card" | "confirmation";

export interface ViewParts {
  catalog: MenuCatalog;
  language: string;
  slideSeconds: number;
  category: string;
  filter: MenuFilter;
  cart: CartSession;
  /** Bumped on every cart change, so the views showing the cart re-render. */
  cartVersion: number;
  submissionState: SubmissionState;
  uncertain: boolean;
  placed: OrderView | undefined;
  /** The placed order was paid on the card terminal. */
  paidByCard: boolean;
  /** The card terminal serving this kiosk, or null. */
  card: CardOption | null;
  /** How the customer pays ("card" or one of PAYMENT_METHODS). */
  paymentMethod: KioskPaymentMethod;
  /** The card checkout the card step follows. */
  cardCheckout: CardCheckout | undefined;
  /** The customer touched the attract loop, maybe on a language. */
  onStart: (lang: string | undefined) => void;
  onCategory: (category: string) => void;
  onView: (view: KioskView) => void;
  onOverlay: (overlay: KioskOverlay) => void;
  onEditLine: (key: string) => void;
  onCheckout: () => void;
  onPlaceOrder: () => void;
  onPaymentMethod: (method: KioskPaymentMethod) => void;
  onPayByCard: () => void;
  /** From the card step after it ended unpaid. */
  onCardRetry: () => void;
  onCardCounter: () => void;
  onCardBack: () => void;
  onDone: () => void;
}

export function renderView(view: KioskView, parts: ViewParts) {
  const { catalog, language, cart, cartVersion } = parts;
  switch (view) {
    case "attract":
      return html`<galley-kiosk-attract
        .catalog=${catalog}
        .language=${language}
        .slideSeconds=${parts.slideSeconds}
        @kiosk-start=${(e: GalleyDomEvent<"kiosk-start">) => {
          parts.onStart(e.detail);
        }}
      ></galley-kiosk-attract>`;
    case "menu":
      return html`<galley-kiosk-menu
        .catalog=${catalog}
        .language=${language}
        .category=${parts.category}
        .filter=${parts.filter}
        .cart=${cart}
        .cartVersion=${cartVersion}
        @category-select=${(e: GalleyDomEvent<"category-select">) => {
          parts.onCategory(e.detail);
        }}
        @product-select=${(e: GalleyDomEvent<"product-select">) => {
          parts.onOverlay({ kind: "item", product: e.detail });
        }}
        @open-filters=${() => {
          parts.onOverlay({ kind: "filters" });
        }}
        @open-cart=${() => {
          parts.onView("cart");
        }}
      ></galley-kiosk-menu>`;
    case "cart":
      return html`<galley-kiosk-cart
        .catalog=${catalog}
        .language=${language}
        .cart=${cart}
        .cartVersion=${cartVersion}
        @add-more=${() => {
          parts.onView("menu");
        }}
        @line-edit=${(e: GalleyDomEvent<"line-edit">) => {
          parts.onEditLine(e.detail);
        }}
        @checkout=${parts.onCheckout}
      ></galley-kiosk-cart>`;
    case "checkout":
      return html`<galley-kiosk-checkout
        .catalog=${catalog}
        .language=${language}
        .cart=${cart}
        .cartVersion=${cartVersion}
        .submissionState=${parts.submissionState}
        .uncertain=${parts.uncertain}
        .card=${parts.card}
        .method=${parts.paymentMethod}
        @payment-method=${(e: GalleyDomEvent<"payment-method">) => {
          parts.onPaymentMethod(e.detail);
        }}
        @pay-card=${parts.onPayByCard}
        @place-order=${parts.onPlaceOrder}
        @back=${() => {
          parts.onView("cart");
        }}
      ></galley-kiosk-checkout>`;
    case "card":
      return parts.cardCheckout
        ? html`<galley-kiosk-card-payment
            .checkout=${parts.cardCheckout}
            .catalog=${catalog}
            .total=${cart.totals?.total ?? 0}
            .language=${language}
            @card-retry=${parts.onCardRetry}
            @card-counter=${parts.onCardCounter}
            @card-back=${parts.onCardBack}
          ></galley-kiosk-card-payment>`
        : nothing;
    case "confirmation":
      return parts.placed
        ? html`<galley-kiosk-confirmation .order=${parts.placed} .paidByCard=${parts.paidByCard} .language=${language} @done=${parts.onDone}></galley-kiosk-confirmation>`
        : nothing;
  }
}
