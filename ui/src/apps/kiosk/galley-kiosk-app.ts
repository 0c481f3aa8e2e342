/**
 * The kiosk: attract loop → menu → item page → cart → upsell → checkout → confirmation, and back
 * to the attract loop after the order or after `idle` seconds without a touch.
 *
 * This element owns the state and wires the data layer (screen session, menu availability and
 * device pushes, the appliance's cart session, order submission) to the views, which are thin
 * components that only render and emit events. The cart lives on the appliance: the customer
 * starting opens it, every change goes there, starting over (or the idle reset) abandons it and
 * so releases its stock holds, and checkout commits it. While the appliance pauses ordering (no
 * kitchen route works) the kiosk asks customers to order at the counter, and resumes by itself.
 *
 * The live menu (controllers/kiosk-menu-feed.ts), placing the order (controllers/kiosk-checkout.ts),
 * paying by card on the terminal (kiosk-card-flow.ts: the order is placed only once the terminal
 * approves; until then the cart stays open and the customer cannot be sent away mid-payment) and
 * the refused-change notice (controllers/kiosk-cart-notice.ts) are controllers; the steps
 * (kiosk-views.ts), what opens over them (kiosk-overlays.ts) and the kiosk's own screens
 * (kiosk-screens.ts) are render helpers; the customer's moves (what the overlays do to the cart,
 * and the way on to checkout and the card step) are kiosk-order-moves.ts.
 */
import { html, nothing, type PropertyValues } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { OrderView } from "../../../../protocol/index.ts";
import "../../components/galley-idle-overlay.ts";
import { icon } from "../../components/icons.ts";
import { IdleController } from "../../controllers/idle-controller.ts";
import { KioskCartNotice } from "../../controllers/kiosk-cart-notice.ts";
import { KioskCheckout } from "../../controllers/kiosk-checkout.ts";
import { KioskLockdown } from "../../controllers/kiosk-lockdown.ts";
import { KioskMenuFeed } from "../../controllers/kiosk-menu-feed.ts";
import { OfflineGrace } from "../../controllers/offline-grace.ts";
import { CartSession } from "../../data/cart-session.ts";
import { NO_FILTER, type MenuCatalog, type MenuFilter } from "../../data/menu-catalog.ts";
import { OrderingWatch } from "../../data/ordering.ts";
import { readKioskSettings } from "../../data/settings.ts";
import { cartErrorText } from "../../i18n/cart-text.ts";
import { localized, translator } from "../../i18n/index.ts";
import "../../i18n/screens/kiosk.ts";
import { PairedScreenShell } from "../../shell/paired-screen-shell.ts";
import { base, buttons, spinner } from "../../styles/shared.ts";
import type { KioskPaymentMethod } from "./galley-kiosk-checkout.ts";
import { KioskCardFlow } from "./kiosk-card-flow.ts";
import type { KioskOverlay } from "./kiosk-overlays.ts";
import { editLine, goToCheckout, payByCard, renderKioskOverlay } from "./kiosk-order-moves.ts";
import { renderHeader, renderNotice, renderOffline, renderPaused, renderStarting } from "./kiosk-screens.ts";
import { kioskStyles } from "./kiosk-styles.ts";
import { renderView, type KioskView } from "./kiosk-views.ts";

/** The connection may blink for this long before the kiosk says it can't take orders. */
const OFFLINE_GRACE_MS = 2_500;
/** A kitchen screen may reload for this long before the kiosk pauses ordering on screen. */
const PAUSE_GRACE_MS = 2_500;
/** A refused cart change is explained for this long (or until the next change, or OK). */
const NOTICE_MS = 10_000;

@customElement("galley-kiosk-app")
export class GalleyKioskApp extends PairedScreenShell {
  static override styles = [base, buttons, spinner, kioskStyles];

  readonly settings = readKioskSettings(location.search);
  readonly cart = new CartSession(this.session.api);
  readonly ordering = new OrderingWatch({
    graceMs: PAUSE_GRACE_MS,
    onChange: () => {
      this.requestUpdate();
    },
  });
  readonly offlineGrace = new OfflineGrace(this, OFFLINE_GRACE_MS);
  readonly idle = new IdleController(
    this,
    this.settings.idleSeconds * 1_000,
    this.settings.idleWarnSeconds * 1_000,
    () => {
      this.reset();
    },
  );
  readonly lockdown = new KioskLockdown(this);
  readonly notice = new KioskCartNotice(this, this.cart, NOTICE_MS);
  readonly menu = new KioskMenuFeed(this, {
    session: this.session,
    cart: this.cart,
    ordering: this.ordering,
    offlineGrace: this.offlineGrace,
    onFirstMenu: () => {
      this.language = this.defaultLang;
      this.category = this.catalog?.categories()[0]?.id ?? "";
    },
    onSoldOut: (line) => {
      this.announcement = this.t("cart.soldOut", {
        name: localized(line.draft.name, this.language, this.catalog?.languages[0]),
      });
    },
  });
  readonly checkout = new KioskCheckout(this, {
    api: this.session.api,
    cart: this.cart,
    catalog: () => this.catalog,
    ...this.#orderEnds(),
    onPlaced: (order) => {
      this.#confirm(order);
    },
  });
  readonly cardFlow = new KioskCardFlow(this, {
    api: this.session.api,
    cart: this.cart,
    ...this.#orderEnds(),
    onApproved: (order) => {
      this.#confirm(order);
    },
  });

  @state() language = "en";
  /** How the customer chose to pay; undefined: card when the terminal is online, else the counter. */
  @state() paymentChoice: KioskPaymentMethod | undefined;
  @state() access = false;
  @state() view: KioskView = "attract";
  @state() overlay: KioskOverlay | undefined;
  @state() category = "";
  @state() filter: MenuFilter = NO_FILTER;
  @state() announcement = "";
  @state() private cartVersion = 0;

  constructor() {
    super("kiosk");
  }

  /** How an order's end plays out, alike placed at the counter (checkout) and paid by card (cardFlow). */
  #orderEnds() {
    return {
      confirmMs: this.settings.confirmSeconds * 1_000,
      onConfirmationOver: () => {
        if (this.view === "confirmation") this.reset();
      },
      onKitchenUnreachable: () => {
        // Paused now; a fresh device state from galleyd says when it takes orders again.
        this.ordering.refused();
        this.menu.refreshDevices();
      },
      onCartExpired: () => {
        // The cart expired: a new, empty one replaces it and the customer is told.
        this.view = "menu";
      },
    };
  }

  /** The order exists (placed, or approved on the terminal): its number shows. */
  #confirm(order: OrderView): void {
    this.view = "confirmation";
    this.announcement = `${this.t("confirm.number")}: ${order.number}`;
  }

  protected override get shellLanguage(): string {
    return this.language;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.cart.onChange(() => {
      this.cartVersion += 1;
      this.notice.changed();
    });
    this.session.push.onState((state) => {
      this.offlineGrace.update(state);
    });
  }

  protected override screenReady(): void {
    void this.menu.load();
    void this.cardFlow.refreshOptions();
    // A reload while a customer was at the card terminal: show that payment again, to its end.
    void this.cardFlow.resumeRunning().then((resumed) => {
      if (resumed) this.view = "card";
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Whether the card terminal is there (and online) is read again each time checkout shows.
    if (changed.has("view") && this.view === "checkout") void this.cardFlow.refreshOptions();
  }

  /** How the customer pays: card only while a terminal serves this kiosk and is online. */
  get paymentMethod(): KioskPaymentMethod {
    const cardOnline = this.cardFlow.card?.online === true;
    const choice = this.paymentChoice ?? (cardOnline ? "card" : "counter");
    return choice === "card" && !cardOnline ? "counter" : choice;
  }

  /** The menu with its live availability; undefined until it first loaded. */
  get catalog(): MenuCatalog | undefined {
    return this.menu.catalog;
  }

  get t() {
    return translator(this.language);
  }

  get defaultLang(): string {
    const languages = this.catalog?.languages ?? ["en"];
    return this.settings.lang && languages.includes(this.settings.lang) ? this.settings.lang : (languages[0] ?? "en");
  }

  protected override renderScreen() {
    const t = this.t;
    if (!this.catalog) return renderStarting(t, this.phase === "unreachable" || this.offlineGrace.offline);
    // The card step follows its payment through a lost connection by itself (and says so).
    const blocked =
      this.offlineGrace.offline && this.view !== "confirmation" && this.view !== "checkout" && this.view !== "card";
    // An order on its way (or maybe placed, or being paid) keeps its step: the customer learns its number.
    const committing =
      (this.view === "checkout" && (this.checkout.state.phase === "sending" || this.checkout.uncertain)) ||
      (this.view === "card" && this.cardFlow.running);
    // No "Start over" while the terminal may still take money.
    const header =
      this.view !== "attract" && this.view !== "confirmation" && !(this.view === "card" && this.cardFlow.running);
    const paused = this.ordering.paused && !blocked && this.view !== "confirmation" && !committing;
    const modal = this.overlay !== undefined || blocked || paused || this.idle.status.phase === "warning";
    return html`
      ${
        this.access
          ? html`<div class="reach" aria-hidden="true">${icon("access")}<p>${t("kiosk.accessibilityOn")}</p></div>`
          : nothing
      }
      <div class="stage" ?inert=${modal}>
        ${header ? this.#renderHeader() : nothing}
        <div class="view">${this.#renderView()}${this.#renderNotice()}</div>
      </div>
      ${renderKioskOverlay(this, blocked || paused)}
      ${blocked ? renderOffline(t) : nothing}
      ${paused ? renderPaused(t) : nothing}
      ${
        this.idle.status.phase === "warning"
          ? html`<galley-idle-overlay .seconds=${this.idle.status.secondsLeft} .language=${this.language} @idle-continue=${() => {
              this.idle.touch();
            }}></galley-idle-overlay>`
          : nothing
      }
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
    `;
  }

  override updated(): void {
    this.idle.paused =
      this.view === "attract" ||
      this.view === "confirmation" ||
      this.checkout.state.phase === "sending" ||
      this.cardFlow.running ||
      this.catalog === undefined;
    document.documentElement.lang = this.language;
    document.documentElement.dataset.access = this.access ? "on" : "off";
    this.toggleAttribute("access", this.access);
  }

  #renderHeader() {
    return renderHeader(this.t, {
      languages: this.catalog?.languages ?? [],
      language: this.language,
      access: this.access,
      onLanguage: (lang) => {
        this.language = lang;
      },
      onAccess: () => {
        this.#toggleAccess();
      },
      onStartOver: () => {
        this.reset();
      },
    });
  }

  #renderView() {
    const catalog = this.catalog;
    if (!catalog) return nothing;
    return renderView(this.view, {
      catalog,
      language: this.language,
      slideSeconds: this.settings.slideSeconds,
      category: this.category,
      filter: this.filter,
      cart: this.cart,
      cartVersion: this.cartVersion,
      submissionState: this.checkout.state,
      uncertain: this.checkout.uncertain,
      placed: this.checkout.placed ?? this.cardFlow.placed,
      paidByCard: this.checkout.placed === undefined && this.cardFlow.placed !== undefined,
      card: this.cardFlow.card,
      paymentMethod: this.paymentMethod,
      cardCheckout: this.cardFlow.checkout,
      onStart: (lang) => {
        this.#start(lang);
      },
      onCategory: (category) => {
        this.category = category;
      },
      onView: (view) => {
        this.view = view;
      },
      onOverlay: (overlay) => {
        this.overlay = overlay;
      },
      onEditLine: (key) => {
        editLine(this, key);
      },
      onCheckout: () => {
        void goToCheckout(this);
      },
      onPlaceOrder: () => {
        void this.checkout.placeOrder();
      },
      onPaymentMethod: (method) => {
        this.paymentChoice = method;
      },
      onPayByCard: () => {
        void payByCard(this);
      },
      onCardRetry: () => {
        void payByCard(this);
      },
      onCardCounter: () => {
        // The cart is still open: it is committed the usual way, as a new order.
        this.paymentChoice = "counter";
        this.view = "checkout";
        void this.checkout.placeOrder();
      },
      onCardBack: () => {
        this.view = "cart";
      },
      onDone: () => {
        this.reset();
      },
    });
  }

  /** A cart change the appliance refused, in words, until OK (or the next change). */
  #renderNotice() {
    const error = this.cart.error;
    if (!error || !this.catalog || this.view === "attract" || this.view === "confirmation") return nothing;
    return renderNotice(this.t, cartErrorText(this.catalog, error, this.language), () => {
      this.cart.clearError();
    });
  }

  /** Back to the attract loop with nothing left of the last customer. */
  reset(): void {
    if (this.checkout.state.phase === "sending" || !this.cardFlow.reset()) return;
    // Releases the cart's stock holds at once (after a placed order there is nothing left to abandon).
    void this.cart.abandon();
    this.overlay = undefined;
    this.view = "attract";
    this.filter = NO_FILTER;
    this.checkout.reset();
    this.paymentChoice = undefined;
    this.access = false;
    this.language = this.defaultLang;
    this.category = this.catalog?.categories()[0]?.id ?? "";
    this.announcement = "";
  }

  #start(lang: string | undefined): void {
    if (lang) this.language = lang;
    this.view = "menu";
    this.idle.touch();
    void this.cart.start();
  }

  #toggleAccess(): void {
    this.access = !this.access;
    this.announcement = this.t(this.access ? "kiosk.accessibilityOn" : "kiosk.accessibilityOff");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-app": GalleyKioskApp;
  }
}
