/**
 * The kitchen display: live tickets in New / Cooking / Ready columns (one station's items with
 * `?station=`), bump by touch or keyboard / bump bar, item done marks, recall and undo, ageing
 * colours, all-day counts, a sound on new tickets, and the connection state always in view.
 * Tickets come from the `kitchen` push topic; after a reconnect the push client resumes by seq,
 * so the screen catches up without a reload, a duplicate or a gap. Printer faults of the printers
 * that print this kitchen's tickets (paper out, cover open, offline, tickets that may not have
 * printed) show as a slim banner from the `devices` topic, with how many tickets wait.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { DevicesStatus, OrderStatus, OrderView } from "../../../../appliance/protocol/index.ts";
import "../../components/galley-all-day-panel.ts";
import "../../components/galley-connection-status.ts";
import "../../components/galley-pairing-screen.ts";
import "../../components/galley-ticket-card.ts";
import { icon } from "../../components/icons.ts";
import { commandForKey, moveSelection, selectByIndex, type ColumnLayout, type KitchenCommand } from "../../controllers/bump-keys.ts";
import { playChime, unlockAudio } from "../../controllers/chime.ts";
import { ClockController } from "../../controllers/clock-controller.ts";
import { HeartbeatController } from "../../controllers/heartbeat-controller.ts";
import { KitchenHistory, type Step } from "../../controllers/kitchen-history.ts";
import { ApiError } from "../../data/api.ts";
import { fetchMenu, updateOrderMark, updateOrderStatus } from "../../data/endpoints.ts";
import { formatClock } from "../../data/format.ts";
import { heartbeatPage } from "../../data/heartbeat.ts";
import { KITCHEN_COLUMNS, KitchenTickets, stationView, type KitchenColumn } from "../../data/kitchen-tickets.ts";
import { kitchenPrinterNotices, PRINTER_ALERT_TEXT, type PrinterNotice } from "../../data/printers.ts";
import type { ConnectionState } from "../../data/push.ts";
import { browserScreenSession, type SessionPhase } from "../../data/screen-session.ts";
import { readKitchenSettings } from "../../data/settings.ts";
import { errorText, localized, translator, type MessageKey } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";

const SOUND_KEY = "galley.kitchen.sound";
/** Order-changing key presses waiting for galleyd at most; more are dropped (a stuck key). */
const MAX_QUEUED_KEYS = 4;
const COLUMN_TITLES: Readonly<Record<KitchenColumn, MessageKey>> = { new: "kitchen.new", cooking: "kitchen.cooking", ready: "kitchen.ready" };

@customElement("galley-kitchen-app")
export class GalleyKitchenApp extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: grid;
        grid-template-rows: auto auto minmax(0, 1fr) auto;
        height: 100%;
        background: var(--g-bg);
        color: var(--g-ink);
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.8rem;
        padding: 0.5rem 1rem;
        background: var(--g-surface);
        border-bottom: 2px solid var(--g-line);
      }
      h1 {
        font-size: 1.6rem;
        font-weight: 900;
      }
      .count {
        color: var(--g-ink-soft);
        font-weight: 700;
        margin-right: auto;
      }
      .clock {
        font-size: 1.6rem;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      .btn {
        min-height: 3rem;
        border-radius: 10px;
        background: var(--g-surface-2);
      }
      .btn[aria-pressed="false"] {
        color: var(--g-ink-soft);
      }
      .board {
        display: grid;
        grid-template-columns: minmax(0, 4fr) minmax(0, 4fr) minmax(0, 2.4fr) minmax(13rem, 1.6fr);
        min-height: 0;
      }
      section {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        min-height: 0;
        border-right: 2px solid var(--g-line);
      }
      h2 {
        display: flex;
        justify-content: space-between;
        padding: 0.5rem 0.9rem;
        font-size: 1.2rem;
        text-transform: uppercase;
        letter-spacing: 0.08em;
        color: var(--g-ink-soft);
      }
      .tickets {
        overflow-y: auto;
        padding: 0 0.6rem 1rem;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
        align-content: start;
        align-items: start;
        gap: 0.7rem;
      }
      .ready .tickets {
        grid-template-columns: 1fr;
      }
      .empty {
        padding: 2rem 1rem;
        color: var(--g-ink-soft);
        text-align: center;
        font-size: 1.2rem;
      }
      footer {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        padding: 0.4rem 1rem;
        background: var(--g-surface);
        border-top: 2px solid var(--g-line);
        color: var(--g-ink-soft);
        font-weight: 600;
      }
      .toast {
        color: var(--g-ink);
        font-weight: 800;
      }
      .printers {
        display: grid;
      }
      .printer {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 0.3rem 0.6rem;
        padding: 0.35rem 1rem;
        font-weight: 650;
        background: #3a2f05;
        color: #fff4c2;
        border-bottom: 2px solid var(--g-warn);
      }
      .printer.error {
        background: #3b0d0d;
        color: #ffe1e1;
        border-bottom-color: var(--g-late);
      }
      .printer svg {
        width: 1.4rem;
        height: 1.4rem;
        flex: none;
      }
      .printer .counts {
        margin-left: auto;
        font-variant-numeric: tabular-nums;
      }
      .blocking {
        display: grid;
        place-content: center;
        gap: 1rem;
        text-align: center;
        grid-row: 1 / -1;
        font-size: 1.4rem;
      }
    `,
  ];

  readonly settings = readKitchenSettings(location.search, localStorage.getItem(SOUND_KEY));
  readonly session = browserScreenSession("kitchen", location.origin, `Kitchen display${this.settings.station ? ` (${this.settings.station})` : ""}`);
  readonly tickets = new KitchenTickets({ cancelLingerMs: this.settings.cancelLingerSeconds * 1_000 });
  readonly history = new KitchenHistory();
  readonly clock = new ClockController(this, 1_000, () => this.session.clock.now());
  /** The page heartbeat (the board restarts its own display when it stops); never shown, never in the way. */
  readonly heartbeat = new HeartbeatController(this, { api: this.session.api, page: heartbeatPage(location), active: () => this.session.phase === "ready" });

  @state() phase: SessionPhase = "starting";
  @state() connection: ConnectionState = "connecting";
  @state() version = 0;
  @state() selected: string | undefined;
  @state() sound = this.settings.sound;
  @state() toast = "";
  @state() stationName = "";
  @state() busy = new Set<string>();
  @state() pairingError = "";
  @state() printerNotices: readonly PrinterNotice[] = [];

  #toastTimer: ReturnType<typeof setTimeout> | undefined;
  #printerNoticesKey = "[]";
  #lastChime = 0;
  #subscribed = false;
  readonly #inFlight = new Map<string, Promise<boolean>>();
  #keyChain: Promise<void> = Promise.resolve();
  #queuedKeys = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = `Galley · ${translator(this.settings.lang)("kitchen.title")}`;
    document.documentElement.lang = this.settings.lang;
    this.session.onPhase((phase) => {
      this.phase = phase;
      if (phase === "ready") this.#start();
      if (phase === "ready") this.heartbeat.beat();
    });
    this.session.push.onState((state) => {
      this.connection = state;
    });
    window.addEventListener("keydown", this.#onKey);
    window.addEventListener("pointerdown", unlockAudio, { passive: true });
    window.addEventListener("keydown", unlockAudio);
    setInterval(() => {
      if (this.tickets.sweep()) this.version = this.tickets.version;
    }, 1_000);
    setInterval(() => {
      void this.session.refreshClock();
    }, 10 * 60_000);
    void this.session.start();
  }

  get t() {
    return translator(this.settings.lang);
  }

  override render() {
    const t = this.t;
    if (this.phase === "pairing") {
      return html`<galley-pairing-screen screen-role="kitchen" .language=${this.settings.lang} error=${this.pairingError} @pair=${this.#pair}></galley-pairing-screen>`;
    }
    const columns = this.tickets.columns();
    let slot = 0;
    const title = this.settings.station ? `${t("kitchen.title")} · ${this.stationName || this.settings.station}` : `${t("kitchen.title")} · ${t("kitchen.allStations")}`;
    return html`
      <header>
        <h1>${title}</h1>
        <span class="count" aria-live="polite">${t("kitchen.tickets", { count: columns.new.length + columns.cooking.length })}</span>
        <galley-connection-status .state=${this.connection} .phase=${this.phase} .language=${this.settings.lang}></galley-connection-status>
        <button class="btn" type="button" @click=${() => { void this.#run({ kind: "recall" }); }}>${icon("recall")}${t("kitchen.recall")}</button>
        <button class="btn" type="button" @click=${() => { void this.#run({ kind: "undo" }); }}>${icon("undo")}${t("kitchen.undo")}</button>
        <button class="btn" type="button" aria-pressed=${this.sound ? "true" : "false"} @click=${() => { void this.#run({ kind: "sound" }); }}>
          ${icon(this.sound ? "soundOn" : "soundOff")}${this.sound ? t("kitchen.soundOn") : t("kitchen.soundOff")}
        </button>
        <span class="clock">${formatClock(this.clock.value, this.settings.lang)}</span>
      </header>
      ${this.#renderPrinters()}
      <div class="board" @ticket-select=${this.#onSelect} @ticket-bump=${this.#onBump} @ticket-mark=${this.#onMark}>
        ${KITCHEN_COLUMNS.map(
          (column) => html`<section class=${column} aria-labelledby="col-${column}" data-column=${column}>
            <h2 id="col-${column}"><span>${t(COLUMN_TITLES[column])}</span><span class="num">${columns[column].length}</span></h2>
            <div class="tickets">
              ${columns[column].length === 0 ? html`<p class="empty">${t("kitchen.empty")}</p>` : nothing}
              ${repeat(
                columns[column],
                (ticket) => ticket.order.id,
                (ticket) => {
                  slot += 1;
                  return html`<galley-ticket-card
                    .ticket=${ticket}
                    .now=${this.clock.value}
                    .position=${slot <= 9 ? slot : 0}
                    .selected=${ticket.order.id === this.selected}
                    .busy=${this.busy.has(ticket.order.id)}
                    .thresholds=${this.settings}
                    .language=${this.settings.lang}
                  ></galley-ticket-card>`;
                },
              )}
            </div>
          </section>`,
        )}
        <galley-all-day-panel .counts=${this.tickets.allDay()} .language=${this.settings.lang}></galley-all-day-panel>
      </div>
      <footer>
        <span>${t("kitchen.keys")}</span>
        <span class="toast" role="status">${this.toast}</span>
      </footer>
    `;
  }

  /** Printer trouble, one slim line per printer: its name, what is wrong, tickets waiting or uncertain. */
  #renderPrinters() {
    const t = this.t;
    return html`<div class="printers" role="status" aria-label=${t("kitchen.printerAlerts")} data-testid="printer-alerts">
      ${this.printerNotices.map(
        (n) => html`<p class="printer ${n.severity}" data-printer=${n.printerId}>
          ${icon("printer")}<strong>${n.name}:</strong><span>${n.codes.map((code) => t(PRINTER_ALERT_TEXT[code])).join(" · ")}</span>
          <span class="counts">${[n.held > 0 ? t("printer.held", { count: n.held }) : "", n.uncertain > 0 ? t("printer.uncertain", { count: n.uncertain }) : ""].filter(Boolean).join(" · ")}</span>
        </p>`,
      )}
    </div>`;
  }

  // One listener per kind on the board (events bubble from the cards): rendering 200 cards then
  // binds nothing per card, which keeps an update within a frame.
  readonly #onSelect = (e: CustomEvent<string>): void => {
    this.selected = e.detail;
  };

  readonly #onBump = (e: CustomEvent<string>): void => {
    void this.#bump(e.detail);
  };

  readonly #onMark = (e: CustomEvent<{ id: string; mark: string; done: boolean }>): void => {
    void this.#mark(e.detail.id, e.detail.mark, e.detail.done);
  };

  #start(): void {
    if (!this.#subscribed) {
      this.#subscribed = true;
      this.session.push.subscribe(
        "kitchen",
        {
          snapshot: (data) => {
            if (data.topic !== "kitchen") return;
            this.tickets.applySnapshot(data.orders);
            this.#changed();
          },
          delta: (data) => {
            if (data.kind !== "order") return;
            const started = performance.now();
            const result = this.tickets.applyOrder(data.order);
            if (result === "ignored") return;
            if (result === "added") this.#chime();
            this.#changed(started);
          },
        },
        this.settings.station ? { station: this.settings.station } : {},
      );
      this.session.push.subscribe(
        "devices",
        {
          snapshot: (data) => {
            if (data.topic === "devices") this.#showDevices(data.devices);
          },
          delta: (data) => {
            if (data.kind === "devices") this.#showDevices(data.devices);
          },
        },
        { fullStateDeltas: true, optional: true },
      );
    }
    this.session.push.start();
    if (this.settings.station) void this.#loadStationName();
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

  #layout(): ColumnLayout {
    const columns = this.tickets.columns();
    const ids = (c: KitchenColumn) => columns[c].filter((t) => t.cancelledAt === undefined).map((t) => t.order.id);
    return { new: ids("new"), cooking: ids("cooking"), ready: ids("ready") };
  }

  readonly #onKey = (event: KeyboardEvent): void => {
    if (this.phase !== "ready") return;
    const target = event.composedPath()[0];
    const interactive = target instanceof HTMLElement && (target.closest("button, input, select, textarea, a") !== null);
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
    // one before: Enter, Enter takes a ticket to Ready, R then U recalls and takes it back, however
    // fast the bump bar is. A bump applies to the ticket selected when its key was pressed.
    if (this.#queuedKeys >= MAX_QUEUED_KEYS) return;
    const selected = this.selected;
    this.#queuedKeys += 1;
    this.#keyChain = this.#keyChain
      .then(() => this.#run(command, selected))
      .catch(() => undefined)
      .finally(() => {
        this.#queuedKeys -= 1;
      });
  };

  async #run(command: KitchenCommand, selected = this.selected): Promise<void> {
    switch (command.kind) {
      case "select":
        this.selected = selectByIndex(this.#layout(), command.index) ?? this.selected;
        this.#reveal();
        return;
      case "move":
        this.selected = moveSelection(this.#layout(), this.selected, command.direction);
        this.#reveal();
        return;
      case "bump":
        // The ticket selected at the key press; if an earlier bump took it off the screen, the one
        // selected in its place.
        selected = selected && this.tickets.get(selected) ? selected : this.selected;
        if (selected) await this.#keyBump(selected);
        else this.selected = moveSelection(this.#layout(), undefined, "first");
        return;
      case "recall":
        await this.#carryOut(this.history.recall((id) => this.tickets.get(id)?.order), "recall");
        return;
      case "undo":
        await this.#carryOut(this.history.undo((id) => this.tickets.get(id)?.order), "undo");
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

  /**
   * A key bump while the ticket's own button is being answered waits for that answer (and is
   * dropped if it failed) instead of being lost. A touch on the button while busy is still ignored:
   * there a second touch is a double tap.
   */
  async #keyBump(id: string): Promise<void> {
    const pending = this.#inFlight.get(id);
    if (pending && !(await pending)) return;
    await this.#bump(id);
  }

  async #bump(id: string): Promise<void> {
    const ticket = this.tickets.get(id);
    const to = ticket?.order.next[0];
    if (!ticket || ticket.cancelledAt !== undefined || !to || to === "cancelled" || this.busy.has(id)) return;
    const layout = this.#layout();
    const column = ticket.column;
    const row = layout[column].indexOf(id);
    this.selected = id;
    const moved = await this.#move(ticket.order, to);
    if (!moved) return;
    this.history.record({ kind: "bump", orderId: id, number: ticket.order.number, from: ticket.order.status, to });
    if (!this.tickets.get(id)) {
      const after = this.#layout();
      this.selected = after[column][Math.min(row, after[column].length - 1)] ?? moveSelection(after, undefined, "first");
    }
  }

  async #mark(id: string, mark: string, done: boolean): Promise<void> {
    const ticket = this.tickets.get(id);
    if (!ticket || this.busy.has(id)) return;
    this.selected = id;
    await this.#request(ticket.order, () => updateOrderMark(this.session.api, id, mark, done));
    this.history.record({ kind: "mark", orderId: id, number: ticket.order.number, mark, done });
  }

  async #carryOut(step: Step, kind: "recall" | "undo"): Promise<void> {
    const t = this.t;
    switch (step.kind) {
      case "nothing":
        this.#say(t(kind === "recall" ? "kitchen.nothingToRecall" : "kitchen.nothingToUndo"));
        return;
      case "impossible":
        this.#say(t(kind === "recall" ? "kitchen.cannotRecall" : "kitchen.cannotUndo", { number: step.number }));
        return;
      case "mark": {
        const ticket = this.tickets.get(step.orderId);
        if (!ticket) return;
        if (await this.#request(ticket.order, () => updateOrderMark(this.session.api, step.orderId, step.mark, step.done))) this.#say(t("kitchen.undone", { number: step.number }));
        return;
      }
      case "status": {
        const ticket = this.tickets.get(step.orderId);
        if (!ticket) return;
        const from = ticket.order.status;
        if (!(await this.#move(ticket.order, step.status))) return;
        this.selected = step.orderId;
        if (kind === "recall") this.history.record({ kind: "recall", orderId: step.orderId, number: step.number, from, to: step.status });
        this.#say(kind === "recall" ? t("kitchen.recalled", { number: step.number, status: t(`status.${step.status}`) }) : t("kitchen.undone", { number: step.number }));
        return;
      }
    }
  }

  #move(order: OrderView, status: OrderStatus): Promise<boolean> {
    return this.#request(order, () => updateOrderStatus(this.session.api, order.id, status));
  }

  /** Sends one change; the reply is applied at once (the push delta with the same seq is then ignored). */
  #request(order: OrderView, send: () => Promise<OrderView>): Promise<boolean> {
    const request = this.#send(order, send).finally(() => this.#inFlight.delete(order.id));
    this.#inFlight.set(order.id, request);
    return request;
  }

  async #send(order: OrderView, send: () => Promise<OrderView>): Promise<boolean> {
    this.busy = new Set([...this.busy, order.id]);
    try {
      const view = stationView(await send(), this.settings.station);
      if (view) {
        this.tickets.applyOrder(view);
        this.#changed();
      }
      return true;
    } catch (error) {
      const code = error instanceof ApiError ? error.code : "generic";
      this.#say(this.t("kitchen.failed", { number: order.number, reason: errorText(this.t, code) }));
      return false;
    } finally {
      const busy = new Set(this.busy);
      busy.delete(order.id);
      this.busy = busy;
    }
  }

  #say(text: string): void {
    this.toast = text;
    clearTimeout(this.#toastTimer);
    this.#toastTimer = setTimeout(() => {
      this.toast = "";
    }, 5_000);
  }

  async #pair(event: CustomEvent<string>): Promise<void> {
    const ok = await this.session.pair(event.detail);
    this.pairingError = ok ? "" : (this.session.pairingError?.code ?? "generic");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kitchen-app": GalleyKitchenApp;
  }
}
