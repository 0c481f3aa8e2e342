/**
 * The pickup board: "Preparing" and "Ready" with big numbers, readable across the room. A number
 * that moves to Ready is highlighted and chimes; it leaves when its order is completed or after
 * `clearAfter` minutes. Orders come from the `board` push topic, resumed by seq after a drop.
 */
import { css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import "../../components/galley-connection-status.ts";
import { playChime, unlockAudio } from "../../controllers/chime.ts";
import { ClockController } from "../../controllers/clock-controller.ts";
import { SubscribeController } from "../../controllers/subscribe-controller.ts";
import { formatClock } from "../../data/format.ts";
import { readBoardSettings } from "../../data/settings.ts";
import { boardStore } from "../../data/stores.ts";
import { translator } from "../../i18n/index.ts";
import "../../i18n/screens/board.ts";
import { PairedScreenShell } from "../../shell/paired-screen-shell.ts";
import { base } from "../../styles/shared.ts";

@customElement("galley-board-app")
export class GalleyBoardApp extends PairedScreenShell {
  static override styles = [
    base,
    css`
      :host {
        display: grid;
        grid-template-rows: minmax(0, 1fr) auto;
        height: 100%;
        background: var(--g-bg);
        color: var(--g-ink);
      }
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.25fr);
        min-height: 0;
      }
      section {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        min-height: 0;
        padding: 2.5vh 2.5vw;
      }
      .ready {
        background: linear-gradient(180deg, var(--g-ready-glow-top), var(--g-ready-glow-bottom));
        border-left: 4px solid var(--g-line);
      }
      h1 {
        display: flex;
        align-items: center;
        gap: 0.8rem;
        font-size: clamp(2rem, 4.2vw, 5rem);
        font-weight: 900;
        letter-spacing: -0.02em;
        padding-bottom: 2vh;
        border-bottom: 4px solid var(--g-line);
        margin-bottom: 2.5vh;
      }
      .ready h1 {
        color: var(--g-ready);
        border-bottom-color: var(--g-ready);
      }
      .dot {
        width: 0.55em;
        height: 0.55em;
        border-radius: var(--g-radius-round);
        background: var(--g-ink-soft);
      }
      .ready .dot {
        background: var(--g-ready);
      }
      ul {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(clamp(7rem, 12vw, 15rem), 1fr));
        align-content: start;
        gap: 1.6vh 1.6vw;
        padding: 14px;
        margin: -14px;
        overflow: hidden;
      }
      li {
        display: grid;
        place-items: center;
        padding: 1.2vh 0;
        border-radius: var(--g-radius-xl);
        font-size: clamp(3rem, 6.4vw, 8.5rem);
        font-weight: 900;
        line-height: 1;
        font-variant-numeric: tabular-nums;
        letter-spacing: -0.03em;
      }
      .preparing li {
        color: var(--g-ink-soft);
        background: var(--g-surface);
      }
      .ready li {
        color: var(--g-ready-ink);
        background: var(--g-ready);
      }
      .ready li.new {
        animation: flash 1.1s ease-in-out infinite alternate;
        box-shadow:
          0 0 0 6px var(--g-bg),
          0 0 0 12px var(--g-accent);
      }
      @keyframes flash {
        from {
          transform: scale(1);
        }
        to {
          transform: scale(1.07);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .ready li.new {
          animation: none;
        }
      }
      footer {
        display: flex;
        align-items: center;
        gap: var(--g-space-5);
        padding: 1.2vh 2.5vw;
        background: var(--g-surface);
        font-size: clamp(1rem, 1.5vw, 2rem);
        font-weight: 700;
      }
      footer p {
        margin-right: auto;
        color: var(--g-ink-soft);
      }
      .clock {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  readonly settings = readBoardSettings(location.search);
  readonly boardStore = boardStore(this.session.push, {
    clearAfterMs: this.settings.clearAfterMinutes * 60_000,
    highlightMs: this.settings.highlightSeconds * 1_000,
  });
  /** The numbers, followed from the first time the session is ready while the page shows. */
  readonly subscriptions = new SubscribeController(this, () =>
    this.phase === "ready" ? [this.#followBoard()] : undefined,
  );
  readonly clock = new ClockController(this, 1_000, () => this.session.clock.now());

  @state() version = 0;
  @state() announcement = "";

  constructor() {
    super("board");
  }

  protected override get shellLanguage(): string {
    return this.settings.lang;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = this.settings.lang;
    window.addEventListener("pointerdown", unlockAudio, { passive: true });
    window.addEventListener("keydown", unlockAudio);
  }

  protected override screenReady(): void {
    this.#start();
  }

  protected override renderScreen() {
    const t = translator(this.settings.lang);
    const view = this.board.view(this.clock.value);
    const localNow = Date.now();
    return html`
      <div class="columns">
        <section class="preparing" aria-labelledby="preparing-title" data-column="preparing">
          <h1 id="preparing-title"><span class="dot" aria-hidden="true"></span>${t("board.preparing")}</h1>
          <ul>
            ${repeat(
              view.preparing,
              (e) => e.id,
              (e) => html`<li data-number=${e.number}>${e.number}</li>`,
            )}
          </ul>
        </section>
        <section class="ready" aria-labelledby="ready-title" data-column="ready">
          <h1 id="ready-title"><span class="dot" aria-hidden="true"></span>${t("board.ready")}</h1>
          <ul>
            ${repeat(
              view.ready,
              (e) => e.id,
              (e) =>
                html`<li class=${this.board.isHighlighted(e, localNow) ? "new" : ""} data-number=${e.number}>${e.number}</li>`,
            )}
          </ul>
        </section>
      </div>
      <footer>
        <p>${t("board.collect")}</p>
        <galley-connection-status .state=${this.connection} .phase=${this.phase} .language=${this.settings.lang}></galley-connection-status>
        <span class="clock">${formatClock(this.clock.value, this.settings.lang)}</span>
      </footer>
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
    `;
  }

  /** The store keeps one PickupBoard for good (a snapshot resets it in place). */
  get board() {
    return this.boardStore.state;
  }

  #start(): void {
    this.subscriptions.check();
    this.session.push.start();
  }

  #followBoard(): () => void {
    return this.boardStore.subscribe((_board, update) => {
      this.version += 1;
      if (update.kind === "delta" && update.change.turnedReady) {
        this.announcement = translator(this.settings.lang)("board.readyNow", { number: update.change.order.number });
        if (this.settings.sound) playChime("ready");
      }
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-board-app": GalleyBoardApp;
  }
}
