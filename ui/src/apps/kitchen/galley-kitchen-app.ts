/**
 * The kitchen display: live tickets in New / Cooking / Ready columns (one station's items with
 * `?station=`), bump by touch or keyboard / bump bar, item done marks, recall and undo, ageing
 * colours, all-day counts, a sound on new tickets, and the connection state always in view.
 * Tickets come from the `kitchen` push topic; after a reconnect the push client resumes by seq,
 * so the screen catches up without a reload, a duplicate or a gap. Printer faults of the printers
 * that print this kitchen's tickets (paper out, cover open, offline, tickets that may not have
 * printed) show as a slim banner from the `devices` topic, with how many tickets wait.
 */
import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { DevicesStatus } from "../../../../protocol/index.ts";
import "../../components/galley-all-day-panel.ts";
import "../../components/galley-connection-status.ts";
import "./galley-kitchen-clock.ts";
import { icon } from "../../components/icons.ts";
import { commandForKey, moveSelection, selectByIndex, type KitchenCommand } from "../../controllers/bump-keys.ts";
import { playChime, unlockAudio } from "../../controllers/chime.ts";
import { ClockController } from "../../controllers/clock-controller.ts";
import { columnLayout, KitchenActions } from "../../controllers/kitchen-actions.ts";
import { KitchenHistory } from "../../controllers/kitchen-history.ts";
import { SubscribeController } from "../../controllers/subscribe-controller.ts";
import { fetchMenu } from "../../data/endpoints.ts";
import type { GalleyDomEvent } from "../../data/fire-event.ts";
import { formatClock } from "../../data/format.ts";
import { kitchenPrinterNotices, type PrinterNotice } from "../../data/printers.ts";
import { readKitchenSettings } from "../../data/settings.ts";
import { devicesStore, kitchenStore } from "../../data/stores.ts";
import { localized, translator } from "../../i18n/index.ts";
import "../../i18n/screens/kitchen.ts";
import { PairedScreenShell } from "../../shell/paired-screen-shell.ts";
import { base, buttons } from "../../styles/shared.ts";
import { kitchenStyles } from "./kitchen-styles.ts";
import { printerBanner, ticketColumns } from "./kitchen-views.ts";

const SOUND_KEY = "galley.kitchen.sound";

@customElement("galley-kitchen-app")
export class GalleyKitchenApp extends PairedScreenShell {
  static override styles = [base, buttons, kitchenStyles];

  readonly settings = readKitchenSettings(location.search, localStorage.getItem(SOUND_KEY));
  readonly kitchen = kitchenStore(this.session.push, {
    station: this.settings.station,
    cancelLingerMs: this.settings.cancelLingerSeconds * 1_000,
  });
  readonly devices = devicesStore(this.session.push);
  /** The kitchen store keeps one KitchenTickets for good (a snapshot resets it in place). */
  readonly tickets = this.kitchen.state;
  /** The tickets and device state, followed from the first time the session is ready while the page shows. */
  readonly subscriptions = new SubscribeController(this, () =>
    this.phase === "ready" ? [this.#followTickets(), this.#followDevices()] : undefined,
  );
  readonly history = new KitchenHistory();
  readonly clock = new ClockController(this, 1_000, () => this.session.clock.now());
  /** Bumps, marks, undo and recall sent to galleyd; the tickets waiting for an answer show busy. */
  readonly actions = new KitchenActions({
    api: this.session.api,
    tickets: this.tickets,
    history: this.history,
    station: this.settings.station,
    t: translator(this.settings.lang),
    selection: {
      get: () => this.selected,
      set: (id) => {
        this.selected = id;
      },
    },
    say: (text) => {
      this.#say(text);
    },
    applied: () => {
      this.#changed();
    },
    busyChanged: () => {
      this.requestUpdate();
    },
  });

  @state() version = 0;
  @state() selected: string | undefined;
  @state() sound = this.settings.sound;
  @state() toast = "";
  @state() stationName = "";
  @state() printerNotices: readonly PrinterNotice[] = [];
  /** The clock-in dialog (a cook's PIN, then clock in or out) is open. */
  @state() clockOpen = false;

  #toastTimer: ReturnType<typeof setTimeout> | undefined;
  #printerNoticesKey = "[]";
  #lastChime = 0;

  constructor() {
    const station = readKitchenSettings(location.search, null).station;
    super("kitchen", `Kitchen display${station ? ` (${station})` : ""}`);
  }

  protected override get shellLanguage(): string {
    return this.settings.lang;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = `Galley · ${translator(this.settings.lang)("kitchen.title")}`;
    document.documentElement.lang = this.settings.lang;
    window.addEventListener("keydown", this.#onKey);
    window.addEventListener("pointerdown", unlockAudio, { passive: true });
    window.addEventListener("keydown", unlockAudio);
    setInterval(() => {
      if (this.tickets.sweep()) this.version = this.tickets.version;
    }, 1_000);
    setInterval(() => {
      void this.session.refreshClock();
    }, 10 * 60_000);
  }

  protected override screenReady(): void {
    this.#start();
  }

  get t() {
    return translator(this.settings.lang);
  }

  protected override renderScreen() {
    const t = this.t;
    const columns = this.tickets.columns();
    const title = this.settings.station
      ? `${t("kitchen.title")} · ${this.stationName || this.settings.station}`
      : `${t("kitchen.title")} · ${t("kitchen.allStations")}`;
    return html`
      <header>
        <h1>${title}</h1>
        <span class="count" aria-live="polite">${t("kitchen.tickets", { count: columns.new.length + columns.cooking.length })}</span>
        <galley-connection-status .state=${this.connection} .phase=${this.phase} .language=${this.settings.lang}></galley-connection-status>
        <button class="btn" type="button" @click=${() => {
          void this.#run({ kind: "recall" });
        }}>${icon("recall")}${t("kitchen.recall")}</button>
        <button class="btn" type="button" @click=${() => {
          void this.#run({ kind: "undo" });
        }}>${icon("undo")}${t("kitchen.undo")}</button>
        <button class="btn" type="button" aria-pressed=${this.sound ? "true" : "false"} @click=${() => {
          void this.#run({ kind: "sound" });
        }}>
          ${icon(this.sound ? "soundOn" : "soundOff")}${this.sound ? t("kitchen.soundOn") : t("kitchen.soundOff")}
        </button>
        <button class="btn" type="button" aria-haspopup="dialog" @click=${() => {
          this.clockOpen = true;
        }}>${t("kitchen.clockInOut")}</button>
        <span class="clock">${formatClock(this.clock.value, this.settings.lang)}</span>
      </header>
      ${printerBanner(t, this.printerNotices)}
      <div class="board" @ticket-select=${this.#onSelect} @ticket-bump=${this.#onBump} @ticket-mark=${this.#onMark}>
        ${ticketColumns(t, { columns, now: this.clock.value, selected: this.selected, busy: this.actions.busy, settings: this.settings })}
        <galley-all-day-panel .counts=${this.tickets.allDay()} .language=${this.settings.lang}></galley-all-day-panel>
      </div>
      <footer>
        <span>${t("kitchen.keys")}</span>
        <span class="toast" role="status">${this.toast}</span>
      </footer>
      ${
        this.clockOpen
          ? html`<galley-kitchen-clock .api=${this.session.api} .language=${this.settings.lang} @clock-close=${() => {
              this.clockOpen = false;
            }}></galley-kitchen-clock>`
          : nothing
      }
    `;
  }

  // One listener per kind on the board (events bubble from the cards): rendering 200 cards then
  // binds nothing per card, which keeps an update within a frame.
  readonly #onSelect = (e: GalleyDomEvent<"ticket-select">): void => {
    this.selected = e.detail;
  };

  readonly #onBump = (e: GalleyDomEvent<"ticket-bump">): void => {
    void this.actions.bump(e.detail);
  };

  readonly #onMark = (e: GalleyDomEvent<"ticket-mark">): void => {
    void this.actions.mark(e.detail.id, e.detail.mark, e.detail.done);
  };

  #start(): void {
    this.subscriptions.check();
    this.session.push.start();
    if (this.settings.station) void this.#loadStationName();
  }

  #followTickets(): () => void {
    return this.kitchen.subscribe((_tickets, update) => {
      if (update.kind === "snapshot") {
        this.#changed();
        return;
      }
      if (update.change.result === "added") this.#chime();
      this.#changed(update.change.started);
    });
  }

  #followDevices(): () => void {
    return this.devices.subscribe((status) => {
      if (status) this.#showDevices(status);
    });
  }

  /** Device state comes with every job that moves: the board re-renders only when the banner changes. */
  #showDevices(status: DevicesStatus): void {
    const notices = kitchenPrinterNotices(status, this.settings.station);
    const key = JSON.stringify(notices);
    if (key === this.#printerNoticesKey) return;
    this.#printerNoticesKey = key;
    this.printerNotices = notices;
  }

  /** Re-renders after a change; with `started`, records how long applying it took (bench). */
  #changed(started?: number): void {
    this.version = this.tickets.version;
    if (this.selected && !this.tickets.get(this.selected)) this.selected = undefined;
    if (started === undefined) return;
    void this.updateComplete.then(() => {
      // Lay out now so the figure includes it (the browser does it before the next frame anyway).
      this.getBoundingClientRect();
      performance.measure("galley:kitchen-apply", { start: started, end: performance.now() });
    });
  }

  async #loadStationName(): Promise<void> {
    try {
      const { menu } = await fetchMenu(this.session.api);
      const station = menu.stations.find((s) => s.id === this.settings.station);
      if (station) this.stationName = localized(station.name, this.settings.lang, menu.languages[0]);
    } catch {
      // the id is shown instead
    }
  }

  #chime(): void {
    if (!this.sound || Date.now() - this.#lastChime < 1_500) return;
    this.#lastChime = Date.now();
    playChime("new-ticket");
  }

  readonly #onKey = (event: KeyboardEvent): void => {
    if (this.phase !== "ready") return;
    const target = event.composedPath()[0];
    const interactive = target instanceof HTMLElement && target.closest("button, input, select, textarea, a") !== null;
    const command = commandForKey(event);
    if (!command) return;
    // A focused button handles Enter itself; don't bump twice.
    if (interactive && command.kind === "bump") return;
    if (target instanceof HTMLInputElement) return;
    event.preventDefault();
    if (command.kind !== "bump" && command.kind !== "recall" && command.kind !== "undo") {
      void this.#run(command);
      return;
    }
    // Keys that change orders run in the order they were pressed, each after galleyd answered the
    // one before (however fast the bump bar is).
    this.actions.press(command);
  };

  async #run(command: KitchenCommand): Promise<void> {
    switch (command.kind) {
      case "select":
        this.selected = selectByIndex(columnLayout(this.tickets), command.index) ?? this.selected;
        this.#reveal();
        return;
      case "move":
        this.selected = moveSelection(columnLayout(this.tickets), this.selected, command.direction);
        this.#reveal();
        return;
      case "bump":
      case "recall":
      case "undo":
        await this.actions.run(command);
        return;
      case "sound":
        this.sound = !this.sound;
        localStorage.setItem(SOUND_KEY, this.sound ? "on" : "off");
        unlockAudio();
        return;
    }
  }

  #reveal(): void {
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector("galley-ticket-card[selected]")?.scrollIntoView({ block: "nearest" });
    });
  }

  #say(text: string): void {
    this.toast = text;
    clearTimeout(this.#toastTimer);
    this.#toastTimer = setTimeout(() => {
      this.toast = "";
    }, 5_000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kitchen-app": GalleyKitchenApp;
  }
}
