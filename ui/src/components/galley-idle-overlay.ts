/** "Are you still there?" with the seconds left before the kiosk starts over; a tap anywhere (or Escape) dismisses it. */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { fireEvent } from "../data/fire-event.ts";
import { translator } from "../i18n/index.ts";
import { base, buttons } from "../styles/shared.ts";

@customElement("galley-idle-overlay")
export class GalleyIdleOverlay extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        position: fixed;
        inset: 0;
        z-index: 50;
        display: grid;
        place-items: end center;
        padding: 2rem 2rem 12vh;
        background: var(--g-scrim-warm);
        animation: fade 200ms ease-out;
      }
      .card {
        width: min(40rem, 100%);
        display: grid;
        justify-items: center;
        gap: 1.3rem;
        padding: 2.5rem 2rem;
        border-radius: var(--g-radius);
        background: var(--g-surface);
        color: var(--g-ink);
        box-shadow: var(--g-shadow);
        text-align: center;
      }
      h2 {
        font-size: 2rem;
      }
      .ring {
        display: grid;
        place-items: center;
        width: 8rem;
        height: 8rem;
        border-radius: var(--g-radius-round);
        border: 0.6rem solid var(--g-accent);
        font-size: 3.2rem;
        font-weight: 900;
      }
      p {
        font-size: 1.2rem;
        color: var(--g-ink-soft);
      }
      @keyframes fade {
        from {
          opacity: 0;
        }
      }
    `,
  ];

  @property({ type: Number }) seconds = 0;
  @property() language = "en";

  override render() {
    const t = translator(this.language);
    return html`<div class="card" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-left">
      <h2 id="idle-title">${t("idle.title")}</h2>
      <div class="ring num" aria-hidden="true">${this.seconds}</div>
      <p id="idle-left">${t("idle.resetIn", { count: this.seconds })}</p>
      <button class="btn primary big" type="button">${t("idle.continue")}</button>
    </div>`;
  }

  constructor() {
    super();
    // The whole dimmed screen answers, not only the button.
    this.addEventListener("click", this.#continue);
    this.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.#continue();
    });
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector("button")?.focus();
  }

  readonly #continue = (): void => {
    fireEvent(this, "idle-continue");
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-idle-overlay": GalleyIdleOverlay;
  }
  interface GalleyDomEvents {
    "idle-continue": undefined;
  }
}
