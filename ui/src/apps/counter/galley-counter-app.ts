/**
 * The counter: where a cashier takes orders and money (a 10–15-inch touch screen or a laptop).
 *
 * The screen is paired once as the `counter` screen role (PairedScreenShell: the device token
 * keeps the push connection, the menu and the heartbeat). While nobody is signed in it is
 * locked: a PIN pad signs a cashier in (counter-staff.ts: their own token, so every order, payment
 * and drawer movement names them) and "Clock in / out" lets anyone clock with their PIN. Signed
 * in: the tabs New order, Orders, Shift, Sold out and Clock (F1–F5 or Alt+1–5), the cashier's
 * name and role, Lock; it locks itself after `?lock=` seconds without a touch or key.
 *
 * The ticket being built and what is being paid are kept in the browser's storage
 * (counter-ticket.ts): a lock, a reload or galleyd restarting leaves them; when the connection
 * comes back, anything sent without an answer is sent again with the same ids
 * (counter-pay-flow.ts). The panels other than New order load their own data; a tab's element
 * stays once opened, so switching tabs keeps what is on it.
 */
import { html, nothing } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import type { OrderView, Principal } from "../../../../protocol/index.ts";
import "../../components/galley-connection-status.ts";
import "../../components/galley-staff-sign-in.ts";
import type { GalleyStaffSignIn } from "../../components/galley-staff-sign-in.ts";
import { IdleController } from "../../controllers/idle-controller.ts";
import type { GalleyDomEvent } from "../../data/fire-event.ts";
import { translator } from "../../i18n/index.ts";
import "../../i18n/screens/counter.ts";
import "../../i18n/screens/kiosk.ts";
import { PairedScreenShell } from "../../shell/paired-screen-shell.ts";
import { base, buttons, spinner } from "../../styles/shared.ts";
import { isTyping } from "./counter-keys.ts";
import { CounterMenuFeed } from "./counter-menu-feed.ts";
import { CounterPayFlow } from "./counter-pay-flow.ts";
import { readCounterSettings } from "./counter-settings.ts";
import { CounterStaff } from "./counter-staff.ts";
import { counterStyles } from "./counter-styles.ts";
import { failureText } from "./counter-text.ts";
import { Ticket } from "./counter-ticket.ts";
import { loadPanel, ROLE_TEXT, TAB_TEXT, TABS, type CounterTab } from "./counter-tabs.ts";
import "./galley-counter-order.ts";
import type { GalleyCounterOrder } from "./galley-counter-order.ts";

@customElement("galley-counter-app")
export class GalleyCounterApp extends PairedScreenShell {
  static override styles = [base, buttons, spinner, counterStyles];

  readonly settings = readCounterSettings(location.search, navigator.language);
  readonly staff = new CounterStaff({
    origin: location.origin,
    fetch: (url, init) => fetch(url, init),
    storage: sessionStorage,
  });
  readonly ticket = new Ticket(localStorage);
  readonly flow = new CounterPayFlow(this.staff.api, this.ticket, () => {
    this.version += 1;
  });
  readonly menu = new CounterMenuFeed(this, this.session);
  readonly idle = new IdleController(
    this,
    (this.settings.lockSeconds || 1) * 1_000,
    this.settings.lockWarnSeconds * 1_000,
    () => {
      void this.lock();
    },
  );

  @state() language = this.settings.lang;
  @state() tab: CounterTab = "order";
  @state() me: Principal | undefined;
  /** Bumped with every change of the ticket or its payment. */
  @state() version = 0;
  @state() signInBusy = false;
  @state() signInError = "";
  /** The lock screen shows the clock instead of the PIN pad. */
  @state() clocking = false;
  /** A word about the last thing that could not be done (a payment asked for over a ticket being built). */
  @state() notice = "";
  /** Tabs opened since sign-in: their elements stay. */
  @state() private opened = new Set<CounterTab>(["order"]);
  @query("galley-counter-order") private order?: GalleyCounterOrder;
  #wasOnline = false;

  constructor() {
    super("counter");
  }

  protected override get shellLanguage(): string {
    return this.language;
  }

  get t() {
    return translator(this.language);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.staff.onChange(() => {
      this.me = this.staff.me;
      if (!this.me) {
        this.tab = "order";
        this.opened = new Set(["order"]);
      }
    });
    this.ticket.onChange(() => {
      this.version += 1;
    });
    this.session.push.onState((state) => {
      // galleyd is back: what was sent without an answer goes again, with the same ids.
      if (state === "online" && !this.#wasOnline) this.#reconnected();
      this.#wasOnline = state === "online";
    });
    window.addEventListener("keydown", this.#onKey);
  }

  override disconnectedCallback(): void {
    window.removeEventListener("keydown", this.#onKey);
    super.disconnectedCallback();
  }

  protected override screenReady(): void {
    void this.menu.load();
    void this.#restore();
  }

  override updated(): void {
    // Never locks in the middle of taking money (a card checkout follows the terminal to its end).
    this.idle.paused =
      this.me === undefined ||
      this.settings.lockSeconds === 0 ||
      this.flow.activity !== "idle" ||
      this.ticket.checkoutId !== undefined;
    document.documentElement.lang = this.language;
  }

  /** Signs the cashier out; the ticket stays for whoever signs in next. */
  async lock(): Promise<void> {
    this.clocking = false;
    await this.staff.signOut();
  }

  protected override renderScreen() {
    if (!this.me) return this.#renderLock();
    return this.#renderSignedIn(this.me);
  }

  #renderLock() {
    const t = this.t;
    return html`<div class="lock">
      <header>
        <h1 class="brand">${t("counter.title")}</h1>
        <span class="spacer"></span>
        <galley-connection-status .state=${this.connection} .phase=${this.phase} .language=${this.language}></galley-connection-status>
        ${
          this.clocking
            ? nothing
            : html`<button class="btn" type="button" data-testid="clock-in-out" @click=${() => {
                loadPanel("clock");
                this.clocking = true;
              }}>${t("counter.clockInOut")}</button>`
        }
      </header>
      <main class="lock-body">
        ${
          this.clocking
            ? html`<div class="clock-box">
                <galley-counter-clock mode="device" .deviceApi=${this.session.api} .language=${this.language}></galley-counter-clock>
              </div>
              <button class="btn big" type="button" @click=${() => {
                this.clocking = false;
              }}>${t("counter.backToSignIn")}</button>`
            : html`<galley-staff-sign-in .language=${this.language} .busy=${this.signInBusy} .error=${this.signInError} @pin-submit=${this.#signIn}></galley-staff-sign-in>`
        }
      </main>
    </div>`;
  }

  #renderSignedIn(me: Principal) {
    const t = this.t;
    // "offline" only after having been online (a fresh start says "connecting" in the status).
    const offline = this.phase === "unreachable" || this.connection === "offline";
    const role = ROLE_TEXT[me.role];
    return html`<div class="app">
      <header class="bar">
        <h1 class="brand">${t("counter.title")}</h1>
        <nav role="tablist" aria-label=${t("counter.tabs")}>
          ${TABS.map(
            (tab, index) => html`<button
              role="tab"
              id="tab-${tab}"
              type="button"
              aria-selected=${this.tab === tab ? "true" : "false"}
              aria-controls="panel-${tab}"
              aria-keyshortcuts="F${index + 1} Alt+${index + 1}"
              tabindex=${this.tab === tab ? "0" : "-1"}
              @click=${() => {
                this.#open(tab);
              }}
              @keydown=${this.#tabKey}
            >${t(TAB_TEXT[tab])}<kbd aria-hidden="true">F${index + 1}</kbd></button>`,
          )}
        </nav>
        <span class="spacer"></span>
        <galley-connection-status .state=${this.connection} .phase=${this.phase} .language=${this.language}></galley-connection-status>
        <span class="who" data-testid="cashier"><strong>${me.name}</strong><span>${role ? t(role) : me.role}</span></span>
        <button class="btn" type="button" data-testid="lock" @click=${() => void this.lock()}>${t("counter.lock")}</button>
      </header>
      ${offline ? html`<p class="banner" role="alert" data-testid="offline">${t("counter.offline")}</p>` : nothing}
      ${
        this.notice
          ? html`<div class="banner warn" role="status"><span>${this.notice}</span><button class="btn" type="button" @click=${() => {
              this.notice = "";
            }}>${t("counter.ok")}</button></div>`
          : nothing
      }
      ${
        this.idle.status.phase === "warning"
          ? html`<div class="banner warn" role="status"><span>${t("counter.lockingIn", { count: this.idle.status.secondsLeft })}</span><button class="btn" type="button" @click=${() => {
              this.idle.touch();
            }}>${t("counter.stay")}</button></div>`
          : nothing
      }
      <div class="panels">${TABS.map((tab) => this.#panel(tab, me))}</div>
    </div>`;
  }

  #panel(tab: CounterTab, me: Principal) {
    if (!this.opened.has(tab)) return nothing;
    const api = this.staff.api;
    const lang = this.language;
    let content: unknown;
    switch (tab) {
      case "order":
        content = this.menu.catalog
          ? html`<galley-counter-order
              .ticket=${this.ticket}
              .flow=${this.flow}
              .catalog=${this.menu.catalog}
              .api=${api}
              .language=${lang}
              .version=${this.version}
              @counter-tab=${(e: GalleyDomEvent<"counter-tab">) => {
                if ((TABS as readonly string[]).includes(e.detail)) this.#open(e.detail as CounterTab);
              }}
            ></galley-counter-order>`
          : html`<div class="starting" role="status"><span class="spinner"></span><p>${this.t("counter.loadingMenu")}</p></div>`;
        break;
      case "orders":
        content = html`<galley-counter-orders .api=${api} .me=${me} .language=${lang} @counter-pay-order=${this.#payOrder}></galley-counter-orders>`;
        break;
      case "shift":
        content = html`<galley-counter-shift .api=${api} .me=${me} .language=${lang}></galley-counter-shift>`;
        break;
      case "soldout":
        content = html`<galley-counter-soldout .api=${api} .me=${me} .language=${lang}></galley-counter-soldout>`;
        break;
      case "clock":
        content = html`<galley-counter-clock mode="staff" .api=${api} .deviceApi=${this.session.api} .me=${me} .language=${lang}></galley-counter-clock>`;
        break;
    }
    return html`<section class="panel ${tab}" role="tabpanel" id="panel-${tab}" aria-labelledby="tab-${tab}" ?hidden=${this.tab !== tab}>${content}</section>`;
  }

  #open(tab: CounterTab): void {
    loadPanel(tab);
    if (!this.opened.has(tab)) this.opened = new Set([...this.opened, tab]);
    this.tab = tab;
    void this.updateComplete.then(async () => {
      // New order starts in the search box (once its grid is drawn); the other tabs on their tab.
      const order = tab === "order" ? this.order : undefined;
      if (order) await order.updateComplete;
      if (!order?.focusSearch()) this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus();
    });
  }

  /** A token kept from before a reload signs the cashier in again (no answer: tried at the next connection). */
  async #restore(): Promise<void> {
    if (this.me || !this.staff.token) return;
    try {
      await this.staff.restore();
      void this.flow.resume();
    } catch {
      // galleyd did not answer: the token stays, the next connection tries again.
    }
  }

  #reconnected(): void {
    if (!this.me) void this.#restore();
    else void this.flow.resume();
  }

  readonly #signIn = async (event: GalleyDomEvent<"pin-submit">): Promise<void> => {
    this.signInBusy = true;
    this.signInError = "";
    try {
      const me = await this.staff.signIn(event.detail);
      if (!me.permissions.includes("orders:place") || !me.permissions.includes("payments:take")) {
        await this.staff.signOut();
        this.signInError = this.t("counter.notForRole");
        return;
      }
      this.idle.touch();
      void this.flow.resume();
      this.#open("order");
    } catch (error) {
      this.signInError = failureText(this.t, error);
    } finally {
      this.signInBusy = false;
      if (!this.me) this.renderRoot.querySelector<GalleyStaffSignIn>("galley-staff-sign-in")?.clear();
    }
  };

  /** The Orders tab asks to take payment for an order placed earlier. */
  readonly #payOrder = (event: CustomEvent<OrderView>): void => {
    this.notice = "";
    if (!this.ticket.adopt(event.detail)) {
      this.notice = this.t("counter.ticketBusy");
      return;
    }
    this.flow.reset();
    void this.flow.refresh();
    this.#open("order");
  };

  /** Arrow keys move between the tabs (the ARIA tabs pattern). */
  readonly #tabKey = (event: KeyboardEvent): void => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = TABS[(TABS.indexOf(this.tab) + step + TABS.length) % TABS.length] ?? "order";
    this.#open(next);
  };

  /** F1–F5 / Alt+1–5: the tabs; `/`: search; F9: pay. Only while signed in. */
  readonly #onKey = (event: KeyboardEvent): void => {
    if (!this.me || event.ctrlKey || event.metaKey) return;
    const fKey = /^F([1-5])$/.exec(event.key)?.[1];
    const altDigit = event.altKey ? /^Digit([1-5])$/.exec(event.code)?.[1] : undefined;
    const index = Number(fKey ?? altDigit ?? 0);
    const tab = TABS[index - 1];
    if (index > 0 && tab) {
      event.preventDefault();
      this.#open(tab);
      return;
    }
    if (this.tab !== "order" || event.altKey) return;
    if (event.key === "F9") {
      event.preventDefault();
      this.order?.pay();
    } else if (event.key === "/" && !isTyping(event) && this.order?.focusSearch()) {
      event.preventDefault();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-app": GalleyCounterApp;
  }
}
