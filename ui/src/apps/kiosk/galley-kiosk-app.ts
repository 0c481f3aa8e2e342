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
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { OrderView } from "../../../../appliance/protocol/index.ts";
import "../../components/galley-idle-overlay.ts";
import "../../components/galley-pairing-screen.ts";
import { icon } from "../../components/icons.ts";
import { HeartbeatController } from "../../controllers/heartbeat-controller.ts";
import { IdleController } from "../../controllers/idle-controller.ts";
import { OfflineGrace } from "../../controllers/offline-grace.ts";
import { ApiError } from "../../data/api.ts";
import { CartSession } from "../../data/cart-session.ts";
import { fetchMenu } from "../../data/endpoints.ts";
import { heartbeatPage } from "../../data/heartbeat.ts";
import { createDraft, type LineDraft } from "../../data/line-draft.ts";
import { MenuCatalog, NO_FILTER, type MenuFilter, type Product } from "../../data/menu-catalog.ts";
import { OrderingWatch } from "../../data/ordering.ts";
import { mayHaveHappened, OrderSubmission, type SubmissionState } from "../../data/order-submission.ts";
import { browserScreenSession, type SessionPhase } from "../../data/screen-session.ts";
import { readKioskSettings } from "../../data/settings.ts";
import { cartErrorText } from "../../i18n/cart-text.ts";
import { languageName, localized, translator } from "../../i18n/index.ts";
import { base, buttons, spinner } from "../../styles/shared.ts";
import "./galley-kiosk-attract.ts";
import "./galley-kiosk-cart.ts";
import "./galley-kiosk-checkout.ts";
import "./galley-kiosk-confirmation.ts";
import "./galley-kiosk-filters.ts";
import "./galley-kiosk-item.ts";
import "./galley-kiosk-menu.ts";
import "./galley-kiosk-upsell.ts";

type View = "attract" | "menu" | "cart" | "checkout" | "confirmation";
type Overlay =
  /** `upsell`: the suggestions to go back to when the item page was opened from them. */
  | { kind: "item"; product: Product; draft?: LineDraft; key?: string; upsell?: Product[] } | { kind: "filters" } | { kind: "upsell"; products: Product[] } | undefined;

/** The connection may blink for this long before the kiosk says it can't take orders. */
const OFFLINE_GRACE_MS = 2_500;
/** A kitchen screen may reload for this long before the kiosk pauses ordering on screen. */
const PAUSE_GRACE_MS = 2_500;
/** A refused cart change is explained for this long (or until the next change, or OK). */
const NOTICE_MS = 10_000;

@customElement("galley-kiosk-app")
export class GalleyKioskApp extends LitElement {
  static override styles = [
    base,
    buttons,
    spinner,
    css`
      :host {
        display: block;
        position: relative;
        height: 100%;
        overflow: hidden;
        background: var(--g-bg);
        color: var(--g-ink);
      }
      .reach {
        position: absolute;
        inset: 0 0 auto 0;
        height: var(--reach-top);
        display: grid;
        place-content: center;
        gap: 1rem;
        padding: 2rem;
        text-align: center;
        color: var(--g-ink-soft);
        border-bottom: 2px solid var(--g-line);
      }
      .reach svg {
        width: 4rem;
        height: 4rem;
        margin: 0 auto;
      }
      .stage {
        position: absolute;
        inset: var(--reach-top, 0) 0 0 0;
        display: flex;
        flex-direction: column;
      }
      :host([access]) {
        --reach-top: 36vh;
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.8rem 1.2rem;
        background: var(--g-surface);
        border-bottom: 1px solid var(--g-line);
      }
      :host([access]) .brand {
        display: none;
      }
      .brand {
        font-size: 1.6rem;
        font-weight: 900;
        letter-spacing: -0.02em;
        color: var(--g-accent);
        margin-right: auto;
      }
      .langs {
        display: flex;
        gap: 0.4rem;
        margin-left: auto;
      }
      .btn[aria-pressed="true"] {
        background: var(--g-ink);
        border-color: var(--g-ink);
        color: var(--g-bg);
      }
      .view {
        flex: 1;
        min-height: 0;
        position: relative;
      }
      .layer {
        position: absolute;
        inset: var(--reach-top, 0) 0 0 0;
        z-index: 20;
      }
      .blocking {
        position: absolute;
        inset: 0;
        z-index: 40;
        display: grid;
        place-content: center;
        justify-items: center;
        gap: 1.2rem;
        padding: 3rem;
        text-align: center;
        background: var(--g-bg);
      }
      .blocking h1 {
        font-size: 2.4rem;
        max-width: 22ch;
      }
      .blocking p {
        font-size: 1.3rem;
        color: var(--g-ink-soft);
        max-width: 32ch;
      }
      .blocking svg {
        width: 6rem;
        height: 6rem;
        color: var(--g-accent);
      }
      .blocking.calm svg {
        color: var(--g-ink-soft);
      }
      .notice {
        position: absolute;
        z-index: 15;
        left: 50%;
        bottom: 8rem;
        transform: translateX(-50%);
        width: min(46rem, calc(100% - 2rem));
        display: flex;
        align-items: center;
        gap: 1rem;
        padding: 1rem 1rem 1rem 1.4rem;
        border-radius: var(--g-radius);
        background: var(--g-ink);
        color: var(--g-bg);
        box-shadow: var(--g-shadow);
        font-size: 1.2rem;
        font-weight: 700;
      }
      .notice p {
        flex: 1;
      }
      .spinner {
        width: 4rem;
        height: 4rem;
        border-width: 0.5rem;
      }
    `,
  ];

  readonly settings = readKioskSettings(location.search);
  readonly session = browserScreenSession("kiosk", location.origin, "Kiosk (this machine)");
  readonly cart = new CartSession(this.session.api);
  /** The page heartbeat (the board restarts its own display when it stops); never shown, never in the way. */
  readonly heartbeat = new HeartbeatController(this, { api: this.session.api, page: heartbeatPage(location), active: () => this.session.phase === "ready" });
  readonly ordering = new OrderingWatch({
    graceMs: PAUSE_GRACE_MS,
    onChange: () => {
      this.requestUpdate();
    },
  });
  readonly offlineGrace = new OfflineGrace(this, OFFLINE_GRACE_MS);
  readonly idle = new IdleController(this, this.settings.idleSeconds * 1_000, this.settings.idleWarnSeconds * 1_000, () => {
    this.reset();
  });

  @state() phase: SessionPhase = "starting";
  @state() catalog: MenuCatalog | undefined;
  @state() language = "en";
  @state() access = false;
  @state() view: View = "attract";
  @state() overlay: Overlay;
  @state() category = "";
  @state() filter: MenuFilter = NO_FILTER;
  @state() submission: OrderSubmission | undefined;
  @state() submissionState: SubmissionState = { phase: "idle" };
  @state() placed: OrderView | undefined;
  @state() announcement = "";
  @state() pairingError = "";
  @state() private cartVersion = 0;

  #confirmTimer: ReturnType<typeof setTimeout> | undefined;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  #noticeError: CartSession["error"];
  #unsubscribeMenu: (() => void) | undefined;
  #watchingDevices = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.cart.onChange(() => {
      this.cartVersion += 1;
      this.#onCartError();
    });
    this.session.onPhase((phase) => {
      this.phase = phase;
      if (phase === "ready") void this.#load();
      if (phase === "ready") this.heartbeat.beat();
    });
    this.session.push.onState((state) => {
      this.offlineGrace.update(state);
    });
    // A public terminal: no context menu, no pinch or ctrl-wheel zoom.
    window.addEventListener("contextmenu", (e) => {
      e.preventDefault();
    });
    window.addEventListener("wheel", (e) => {
      if (e.ctrlKey) e.preventDefault();
    }, { passive: false });
    document.addEventListener("gesturestart", (e) => {
      e.preventDefault();
    });
    void this.session.start();
  }

  get t() {
    return translator(this.language);
  }

  get defaultLang(): string {
    const languages = this.catalog?.languages ?? ["en"];
    return this.settings.lang && languages.includes(this.settings.lang) ? this.settings.lang : (languages[0] ?? "en");
  }

  override render() {
    const t = this.t;
    if (this.phase === "pairing") {
      return html`<galley-pairing-screen screen-role="kiosk" .language=${this.language} error=${this.pairingError} @pair=${this.#pair}></galley-pairing-screen>`;
    }
    if (!this.catalog) return this.#renderStarting();
    const blocked = this.offlineGrace.offline && this.view !== "confirmation" && this.view !== "checkout";
    // An order on its way (or maybe placed) keeps its checkout: the customer learns its number.
    const committing = this.view === "checkout" && (this.submissionState.phase === "sending" || this.submission?.uncertain === true);
    const paused = this.ordering.paused && !blocked && this.view !== "confirmation" && !committing;
    const modal = this.overlay !== undefined || blocked || paused || this.idle.status.phase === "warning";
    return html`
      ${this.access
        ? html`<div class="reach" aria-hidden="true">${icon("access")}<p>${t("kiosk.accessibilityOn")}</p></div>`
        : nothing}
      <div class="stage" ?inert=${modal}>
        ${this.view === "attract" || this.view === "confirmation" ? nothing : this.#renderHeader()}
        <div class="view">${this.#renderView()}${this.#renderNotice()}</div>
      </div>
      ${this.#renderOverlay(blocked || paused)}
      ${blocked
        ? html`<div class="blocking" role="alert" data-testid="offline">
            ${icon("offline")}
            <h1>${t("offline.title")}</h1>
            <p>${t("offline.body")}</p>
            <p>${t("offline.reconnecting")}</p>
          </div>`
        : nothing}
      ${paused
        ? html`<div class="blocking calm" role="status" data-testid="paused">
            ${icon("pause")}
            <h1>${t("paused.title")}</h1>
            <p>${t("paused.body")}</p>
            <p>${t("paused.back")}</p>
          </div>`
        : nothing}
      ${this.idle.status.phase === "warning"
        ? html`<galley-idle-overlay .seconds=${this.idle.status.secondsLeft} .language=${this.language} @idle-continue=${() => { this.idle.touch(); }}></galley-idle-overlay>`
        : nothing}
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
    `;
  }

  override updated(): void {
    this.idle.paused = this.view === "attract" || this.view === "confirmation" || this.submissionState.phase === "sending" || this.catalog === undefined;
    document.documentElement.lang = this.language;
    document.documentElement.dataset.access = this.access ? "on" : "off";
    this.toggleAttribute("access", this.access);
  }

  #renderStarting() {
    const t = this.t;
    const unreachable = this.phase === "unreachable" || this.offlineGrace.offline;
    return html`<div class="blocking" role=${unreachable ? "alert" : "status"}>
      ${unreachable ? html`${icon("offline")}<h1>${t("offline.title")}</h1><p>${t("offline.body")}</p>` : html`<div class="spinner" aria-hidden="true"></div><p>${t("conn.starting")}</p>`}
    </div>`;
  }

  #renderHeader() {
    const t = this.t;
    const languages = this.catalog?.languages ?? [];
    return html`<header>
      <span class="brand" aria-hidden="true">Galley</span>
      <div class="langs" role="group" aria-label=${t("kiosk.language")}>
        ${languages.map(
          (lang) => html`<button class="btn" type="button" lang=${lang} aria-pressed=${lang === this.language ? "true" : "false"} @click=${() => { this.language = lang; }}>${languageName(lang)}</button>`,
        )}
      </div>
      <button class="btn" type="button" aria-pressed=${this.access ? "true" : "false"} @click=${this.#toggleAccess}>${icon("access")}${t("kiosk.accessibility")}</button>
      <button class="btn" type="button" @click=${() => { this.reset(); }}>${icon("home")}${t("kiosk.startOver")}</button>
    </header>`;
  }

  #renderView() {
    const catalog = this.catalog;
    if (!catalog) return nothing;
    switch (this.view) {
      case "attract":
        return html`<galley-kiosk-attract
          .catalog=${catalog}
          .language=${this.language}
          .slideSeconds=${this.settings.slideSeconds}
          @kiosk-start=${(e: CustomEvent<string | undefined>) => {
            this.#start(e.detail);
          }}
        ></galley-kiosk-attract>`;
      case "menu":
        return html`<galley-kiosk-menu
          .catalog=${catalog}
          .language=${this.language}
          .category=${this.category}
          .filter=${this.filter}
          .cart=${this.cart}
          .cartVersion=${this.cartVersion}
          @category-select=${(e: CustomEvent<string>) => {
            this.category = e.detail;
          }}
          @product-select=${(e: CustomEvent<Product>) => {
            this.overlay = { kind: "item", product: e.detail };
          }}
          @open-filters=${() => {
            this.overlay = { kind: "filters" };
          }}
          @open-cart=${() => {
            this.view = "cart";
          }}
        ></galley-kiosk-menu>`;
      case "cart":
        return html`<galley-kiosk-cart
          .catalog=${catalog}
          .language=${this.language}
          .cart=${this.cart}
          .cartVersion=${this.cartVersion}
          @add-more=${() => {
            this.view = "menu";
          }}
          @line-edit=${(e: CustomEvent<string>) => {
            this.#editLine(e.detail);
          }}
          @checkout=${this.#toCheckout}
        ></galley-kiosk-cart>`;
      case "checkout":
        return html`<galley-kiosk-checkout
          .catalog=${catalog}
          .language=${this.language}
          .cart=${this.cart}
          .cartVersion=${this.cartVersion}
          .submissionState=${this.submissionState}
          .uncertain=${this.submission?.uncertain ?? false}
          @place-order=${this.#placeOrder}
          @back=${() => {
            this.view = "cart";
          }}
        ></galley-kiosk-checkout>`;
      case "confirmation":
        return this.placed
          ? html`<galley-kiosk-confirmation .order=${this.placed} .language=${this.language} @done=${() => { this.reset(); }}></galley-kiosk-confirmation>`
          : nothing;
    }
  }

  /** A cart change the appliance refused, in words, until OK (or the next change). */
  #renderNotice() {
    const error = this.cart.error;
    if (!error || !this.catalog || this.view === "attract" || this.view === "confirmation") return nothing;
    return html`<div class="notice" role="alert" data-testid="cart-notice">
      <p>${cartErrorText(this.catalog, error, this.language)}</p>
      <button class="btn" type="button" @click=${() => { this.cart.clearError(); }}>${this.t("cart.dismiss")}</button>
    </div>`;
  }

  #renderOverlay(covered: boolean) {
    const catalog = this.catalog;
    const overlay = this.overlay;
    if (!catalog || !overlay) return nothing;
    const close = () => {
      this.overlay = overlay.kind === "item" && overlay.upsell ? { kind: "upsell", products: overlay.upsell } : undefined;
    };
    switch (overlay.kind) {
      case "item":
        return html`<galley-kiosk-item
          class="layer"
          ?inert=${covered}
          .catalog=${catalog}
          .language=${this.language}
          .product=${overlay.product}
          .initial=${overlay.draft}
          .editing=${overlay.key !== undefined}
          @close=${close}
          @line-commit=${(e: CustomEvent<LineDraft>) => {
            this.#commitLine(e.detail, overlay);
          }}
        ></galley-kiosk-item>`;
      case "filters":
        return html`<galley-kiosk-filters
          class="layer"
          ?inert=${covered}
          .catalog=${catalog}
          .language=${this.language}
          .filter=${this.filter}
          .category=${this.category}
          @filter-change=${(e: CustomEvent<MenuFilter>) => {
            this.filter = e.detail;
          }}
          @close=${close}
        ></galley-kiosk-filters>`;
      case "upsell":
        return html`<galley-kiosk-upsell
          class="layer"
          ?inert=${covered}
          .catalog=${catalog}
          .language=${this.language}
          .products=${overlay.products}
          @upsell-add=${(e: CustomEvent<Product>) => {
            this.#upsellAdd(e.detail);
          }}
          @upsell-done=${() => {
            this.overlay = undefined;
            this.view = "checkout";
          }}
        ></galley-kiosk-upsell>`;
    }
  }

  /** Back to the attract loop with nothing left of the last customer. */
  reset(): void {
    if (this.submissionState.phase === "sending") return;
    clearTimeout(this.#confirmTimer);
    // Releases the cart's stock holds at once (after a placed order there is nothing left to abandon).
    void this.cart.abandon();
    this.overlay = undefined;
    this.view = "attract";
    this.filter = NO_FILTER;
    this.submission = undefined;
    this.submissionState = { phase: "idle" };
    this.placed = undefined;
    this.access = false;
    this.language = this.defaultLang;
    this.category = this.catalog?.categories()[0]?.id ?? "";
    this.announcement = "";
  }

  async #load(): Promise<void> {
    for (let attempt = 0; this.session.phase === "ready"; attempt += 1) {
      try {
        const response = await fetchMenu(this.session.api);
        const first = this.catalog === undefined;
        this.catalog = new MenuCatalog(response);
        if (first) {
          this.language = this.defaultLang;
          this.category = this.catalog.categories()[0]?.id ?? "";
          void this.cart.releaseLeftover();
        }
        this.#subscribe();
        this.session.push.start();
        await this.updateComplete;
        if (first) performance.mark("galley:interactive");
        return;
      } catch (error) {
        if (error instanceof ApiError && error.unauthorized) return;
        this.offlineGrace.markOffline();
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 500 * 2 ** attempt)));
      }
    }
  }

  #subscribe(): void {
    if (!this.#watchingDevices) {
      this.#watchingDevices = true;
      this.session.push.subscribe(
        "devices",
        {
          snapshot: (data) => {
            if (data.topic === "devices") this.ordering.update(data.devices.ordering, true);
          },
          delta: (data) => {
            if (data.kind === "devices") this.ordering.update(data.devices.ordering, false);
          },
        },
        { fullStateDeltas: true, optional: true },
      );
    }
    this.#unsubscribeMenu?.();
    this.#unsubscribeMenu = this.session.push.subscribe(
      "menu",
      {
        snapshot: (data) => {
          if (data.topic === "menu") this.#setAvailability(data.availability);
        },
        delta: (data) => {
          if (data.kind === "availability") this.#setAvailability(data.availability);
          else if (data.kind === "menu_replaced") void this.#load();
        },
      },
      { fullStateDeltas: true },
    );
  }

  #setAvailability(availability: MenuCatalog["availability"]): void {
    if (!this.catalog) return;
    const before = this.cart.problems(this.catalog);
    const flags = (a: MenuCatalog["availability"]) => `${a.soldOutItems.join()}|${a.soldOutOptions.join()}`;
    const flagsChanged = flags(availability) !== flags(this.catalog.availability);
    this.catalog = this.catalog.withAvailability(availability);
    // Something sold out or came back: the appliance re-checks each line of the cart.
    if (flagsChanged && !this.cart.isEmpty) void this.cart.refresh();
    const after = this.cart.problems(this.catalog);
    const fresh = [...after.keys()].filter((key) => !before.has(key));
    const line = fresh.length > 0 ? this.cart.line(fresh[0] ?? "") : undefined;
    if (line) this.announcement = this.t("cart.soldOut", { name: localized(line.draft.name, this.language, this.catalog.languages[0]) });
  }

  /** A newly refused change shows for a while; a later change (or OK) replaces or clears it. */
  #onCartError(): void {
    const error = this.cart.error;
    if (error === this.#noticeError) return;
    this.#noticeError = error;
    clearTimeout(this.#noticeTimer);
    if (error) {
      this.#noticeTimer = setTimeout(() => {
        if (this.cart.error === error) this.cart.clearError();
      }, NOTICE_MS);
    }
  }

  async #pair(event: CustomEvent<string>): Promise<void> {
    const ok = await this.session.pair(event.detail);
    this.pairingError = ok ? "" : (this.session.pairingError?.code ?? "generic");
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

  #editLine(key: string): void {
    const line = this.cart.line(key);
    const product = line && this.catalog?.product(line.draft.productId);
    if (!line?.line || !product) return;
    this.overlay = { kind: "item", product, draft: line.draft, key };
  }

  #commitLine(draft: LineDraft, overlay: Extract<Overlay, { kind: "item" }>): void {
    if (overlay.key) void this.cart.replace(overlay.key, draft);
    else void this.cart.add(draft);
    this.announcement = this.t("kiosk.added", { name: localized(draft.name, this.language, this.catalog?.languages[0]) });
    if (overlay.upsell) this.#afterUpsell(overlay.upsell.filter((p) => p.id !== draft.productId));
    else this.overlay = undefined;
  }

  /** A suggestion tapped: dishes with choices open their page, plain ones go straight in. */
  #upsellAdd(product: Product): void {
    if (!this.catalog || this.overlay?.kind !== "upsell") return;
    const remaining = this.overlay.products;
    const plain = product.kind === "item" && this.catalog.groupsOf(product.item).length === 0;
    if (!plain) {
      this.overlay = { kind: "item", product, upsell: remaining };
      return;
    }
    const draft = createDraft(this.catalog, product);
    void this.cart.add(draft);
    this.announcement = this.t("kiosk.added", { name: localized(draft.name, this.language, this.catalog.languages[0]) });
    this.#afterUpsell(remaining.filter((p) => p.id !== product.id));
  }

  #afterUpsell(remaining: Product[]): void {
    if (remaining.length > 0) {
      this.overlay = { kind: "upsell", products: remaining };
      return;
    }
    this.overlay = undefined;
    this.view = "checkout";
  }

  async #toCheckout(): Promise<void> {
    // Lines still on their way first: the appliance's answer decides whether the cart can be ordered.
    await this.cart.settled();
    if (!this.catalog || this.view !== "cart" || this.cart.isEmpty || this.cart.problems(this.catalog).size > 0) return;
    const suggestions = this.catalog.suggestionsFor(this.cart.lines.map((l) => l.draft.productId));
    if (suggestions.length > 0 && this.submission === undefined) this.overlay = { kind: "upsell", products: suggestions };
    else this.view = "checkout";
  }

  async #placeOrder(): Promise<void> {
    await this.cart.settled();
    const sessionId = this.cart.sessionId;
    if (!this.catalog || !sessionId) return;
    const cart = { sessionId, signature: this.cart.signature };
    let submission = this.submission;
    // The same checkout keeps its order id for every retry; only a definite refusal (nothing
    // written) followed by a changed cart makes a new one. An uncertain one may only be retried.
    if (!submission?.uncertain) {
      if (this.cart.isEmpty || this.cart.problems(this.catalog).size > 0) return;
      if (!submission?.matches(cart)) {
        const created = new OrderSubmission(this.session.api, cart);
        created.onChange((state) => {
          if (this.submission === created) this.submissionState = state;
        });
        this.submission = created;
        submission = created;
      }
    }
    const result = await submission.submit();
    if (this.submission !== submission) return;
    if (result.phase === "failed") {
      this.#refused(result.error);
      return;
    }
    if (result.phase !== "placed") return;
    this.placed = result.order;
    this.view = "confirmation";
    this.cart.committed();
    this.announcement = `${this.t("confirm.number")}: ${result.order.number}`;
    clearTimeout(this.#confirmTimer);
    this.#confirmTimer = setTimeout(() => {
      if (this.view === "confirmation") this.reset();
    }, this.settings.confirmSeconds * 1_000);
  }

  /** A checkout the appliance refused (nothing was written). */
  #refused(error: ApiError): void {
    if (error.code === "kitchen_unreachable") {
      // Paused now; a fresh device state from galleyd says when it takes orders again.
      this.ordering.refused();
      this.session.push.resync("devices");
      return;
    }
    if (mayHaveHappened(error)) return;
    void this.cart.recover(error);
    if (error.code === "session_closed" || error.code === "session_not_found") {
      // The cart expired: a new, empty one replaces it and the customer is told.
      this.submission = undefined;
      this.submissionState = { phase: "idle" };
      this.view = "menu";
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-app": GalleyKioskApp;
  }
}
