/**
 * The admin shell: sign in with a staff PIN, then three views of cards, each a component of its
 * own, showing only what the signed-in role may use (data/admin-access.ts):
 *
 *   Devices       pair a screen, the screens' links, printers and print jobs, payments and refunds, paired screens
 *   Diagnostics   the doctor's checks live, device tests, card terminals, connected screens, support bundle, logs
 *   Sync          upstream sync, order backups, journal backups
 *
 * Which section shows in which view, for which access, is the table in admin-sections.ts; every
 * section is an AdminCard (admin-card.ts) around a galley-card.
 *
 * The staff shell (shell/staff-screen-shell.ts) owns the sign-in (token, `auth/me`, the PIN card)
 * and the page heartbeat; this app the live `devices` and `sync` topics it hands to the cards,
 * and the view (the location hash, so a reload stays put).
 */
import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { DevicesStatus, SyncStatus } from "../../../../protocol/index.ts";
import { SubscribeController, type Unsubscribe } from "../../controllers/subscribe-controller.ts";
import { adminAccess, adminViews, viewFromHash, type AdminAccess, type AdminView } from "../../data/admin-access.ts";
import { fetchDevicesStatus, fetchSyncStatus } from "../../data/endpoints.ts";
import { browserSocket, PushClient, socketUrl } from "../../data/push.ts";
import { devicesStore, syncStore } from "../../data/stores.ts";
import type { ReceivedSyncStatus } from "../../data/sync-status.ts";
import { translator } from "../../i18n/index.ts";
import "../../i18n/screens/admin.ts";
import { STAFF_TOKEN_KEY, StaffScreenShell } from "../../shell/staff-screen-shell.ts";
import { base, buttons } from "../../styles/shared.ts";
import { failureText } from "./admin-shared.ts";
import type { AdminCard } from "./admin-card.ts";
import { visibleSections, type AdminSection, type SectionContext } from "./admin-sections.ts";

@customElement("galley-admin-app")
export class GalleyAdminApp extends StaffScreenShell {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: block;
        min-height: 100%;
        background: var(--g-bg);
        color: var(--g-ink);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.6rem 1rem;
        padding: 0.8rem 1.5rem;
        background: var(--g-surface);
        border-bottom: 1px solid var(--g-line);
      }
      h1 {
        font-size: 1.4rem;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
      }
      nav a {
        display: inline-flex;
        align-items: center;
        min-height: 2.75rem;
        padding: 0 var(--g-space-4);
        border-radius: var(--g-radius-pill);
        color: var(--g-ink);
        font-weight: 700;
        text-decoration: none;
        border: 2px solid transparent;
      }
      nav a[aria-current="page"] {
        background: var(--g-accent);
        color: var(--g-accent-ink);
      }
      nav a:focus-visible {
        outline: none;
        box-shadow: var(--g-focus);
      }
      .who {
        margin-left: auto;
        color: var(--g-ink-soft);
      }
      .btn {
        min-height: 2.75rem;
      }
      main {
        max-width: 80rem;
        margin: 0 auto;
        padding: var(--g-space-5);
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(30rem, 100%), 1fr));
        gap: 1.2rem;
        align-items: start;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .error {
        color: var(--g-danger);
        font-weight: 700;
      }
    `,
  ];

  @state() view: AdminView = "devices";
  @state() devices: DevicesStatus | undefined;
  @state() sync: ReceivedSyncStatus | undefined;
  #push: PushClient | undefined;
  /** What the signed-in user may follow on `#push`. */
  #watched: AdminAccess | undefined;
  /** The device state and sync backlog, followed on the signed-in user's push client while the page shows. */
  readonly subscriptions = new SubscribeController(this, () => this.#follow());
  /** The sections on the page now, by id (admin-sections.ts). */
  readonly #sections = new Map<string, AdminCard>();
  readonly language = new URLSearchParams(location.search).get("lang") === "de" ? "de" : "en";

  constructor() {
    super("admin");
  }

  protected override get shellLanguage(): string {
    return this.language;
  }

  readonly #onHash = () => {
    this.#pickView();
  };

  get access(): AdminAccess {
    return adminAccess(this.me?.permissions ?? []);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = this.language;
    window.addEventListener("hashchange", this.#onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this.#onHash);
    this.#push?.stop();
  }

  override render() {
    const t = translator(this.language);
    const views = this.me ? adminViews(this.access) : [];
    return html`
      <header>
        <h1>${t("admin.title")}</h1>
        ${
          this.me
            ? html`<nav aria-label=${t("admin.sections")}>
                <ul>
                  ${views.map((view) => html`<li><a href=${`#${view}`} aria-current=${view === this.view ? "page" : nothing}>${t(`admin.view.${view}`)}</a></li>`)}
                </ul>
              </nav>
              <span class="who">${t("admin.signedInAs", { name: this.me.name, role: this.me.role })}</span>
              <button class="btn" type="button" @click=${this.signOut}>${t("admin.signOut")}</button>`
            : nothing
        }
      </header>
      ${this.me ? html`<main data-view=${this.view}>${this.#renderView()}</main>` : html`<main>${this.renderSignIn()}</main>`}
    `;
  }

  /** The current view's sections (admin-sections.ts), in one loop. */
  #renderView() {
    const t = translator(this.language);
    const context: SectionContext = {
      access: this.access,
      permissions: this.me?.permissions ?? [],
      devices: this.devices,
      sync: this.sync,
    };
    const rows = visibleSections(this.view, context.access, context.permissions);
    // A section leaves the page when it is not shown: shown again, it starts afresh (as before).
    const shown = new Set(rows.map((row) => row.id));
    for (const id of this.#sections.keys()) if (!shown.has(id)) this.#sections.delete(id);
    const cards = rows.map((row) => {
      const element = this.#sectionElement(row);
      element.api = this.api;
      element.language = this.language;
      element.heading = t(row.title);
      Object.assign(element, row.props?.(context));
      return element;
    });
    return html`${cards}${this.error ? html`<p class="error wide" role="alert">${this.error}</p>` : nothing}`;
  }

  #sectionElement(row: AdminSection): AdminCard {
    const existing = this.#sections.get(row.id);
    if (existing) return existing;
    const element = document.createElement(row.tag);
    element.titleId = `${row.id}-title`;
    if (row.wide) element.classList.add("wide");
    if (row.testId) element.dataset.testid = row.testId;
    this.#sections.set(row.id, element);
    return element;
  }

  #pickView(): void {
    this.view = viewFromHash(location.hash, adminViews(this.access));
  }

  protected override async signedIn(): Promise<void> {
    this.#pickView();
    const access = this.access;
    if (access.devices) this.devices = await fetchDevicesStatus(this.api);
    if (access.syncRead) this.#showSync(await fetchSyncStatus(this.api));
    this.#watch(access);
  }

  /** A 403 says what the role may not use. */
  protected override failureText(error: unknown): string {
    return failureText(translator(this.language), error);
  }

  #showSync(status: SyncStatus): void {
    this.sync = { status, receivedAt: Date.now() };
  }

  /** Device states and the sync backlog stay live through their topics (both send the whole state each time). */
  #watch(access: AdminAccess): void {
    this.#push?.stop();
    this.#push = undefined;
    this.subscriptions.reset();
    if (!access.devices && !access.syncRead) return;
    const push = new PushClient({
      url: () => {
        const token = localStorage.getItem(STAFF_TOKEN_KEY);
        return token ? socketUrl(location.origin, token) : undefined;
      },
      socket: browserSocket,
      probeIntervalMs: 0,
      onUnauthorized: () => {
        this.forgetSignIn();
      },
    });
    this.#push = push;
    this.#watched = access;
    this.subscriptions.reset();
    push.start();
  }

  #follow(): Unsubscribe[] | undefined {
    const push = this.#push;
    const access = this.#watched;
    if (!push || !access) return undefined;
    const unsubscribes: Unsubscribe[] = [];
    if (access.devices) {
      unsubscribes.push(
        devicesStore(push).subscribe((devices) => {
          if (devices) this.devices = devices;
        }),
      );
    }
    if (access.syncRead) {
      unsubscribes.push(
        syncStore(push).subscribe((status) => {
          if (status) this.#showSync(status);
        }),
      );
    }
    return unsubscribes;
  }

  protected override signedOut(): void {
    this.#push?.stop();
    this.#push = undefined;
    this.subscriptions.reset();
    this.devices = undefined;
    this.sync = undefined;
    this.#sections.clear();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-app": GalleyAdminApp;
  }
}
