/**
 * The attract loop: the menu's highlights cross-fading, "Touch to order" and the language
 * choice. The whole screen is one button (touch anywhere); the language buttons sit above it.
 * Emits `kiosk-start` with the chosen language (or undefined).
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { pictureUrl } from "../../components/galley-product-card.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import type { MenuCatalog } from "../../data/menu-catalog.ts";
import { languageName, localized, translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";

@customElement("galley-kiosk-attract")
export class GalleyKioskAttract extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        position: absolute;
        inset: 0;
        display: block;
        overflow: hidden;
        background: radial-gradient(120% 80% at 50% 20%, var(--g-surface) 0%, var(--g-bg) 60%, var(--g-surface-2) 100%);
      }
      /* The whole screen is the start button; the show on top lets touches through. */
      .start {
        all: unset;
        position: absolute;
        inset: 0;
        display: grid;
        align-items: end;
        justify-items: center;
        padding: 0 6vw 24vh;
        cursor: pointer;
        touch-action: manipulation;
      }
      .show {
        position: absolute;
        inset: 0;
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        justify-items: center;
        padding: 6vh 6vw calc(24vh + 8rem);
        pointer-events: none;
      }
      .start:focus-visible {
        box-shadow: inset 0 0 0 8px var(--g-focus-ring);
      }
      .welcome,
      .favourites {
        display: block;
      }
      .welcome {
        font-size: clamp(2.2rem, 6vmin, 5rem);
        font-weight: 900;
        letter-spacing: -0.03em;
        color: var(--g-accent);
        text-align: center;
      }
      .favourites {
        margin-top: 0.6rem;
        font-size: 1.3rem;
        font-weight: 700;
        color: var(--g-ink-soft);
        text-align: center;
      }
      .slides {
        position: relative;
        width: 100%;
        height: 100%;
      }
      .slide {
        position: absolute;
        inset: 0;
        display: grid;
        grid-template-rows: minmax(0, 1fr) auto;
        justify-items: center;
        gap: var(--g-space-5);
        opacity: 0;
        transform: scale(0.96);
        transition:
          opacity 900ms ease,
          transform 1600ms var(--g-ease);
      }
      .slide.on {
        opacity: 1;
        transform: none;
      }
      .slide img {
        width: 100%;
        height: 100%;
        object-fit: contain;
        filter: drop-shadow(0 24px 40px var(--g-shadow-warm));
      }
      .caption {
        text-align: center;
      }
      .caption .name {
        display: block;
        font-size: clamp(1.8rem, 4.5vmin, 3.6rem);
        font-weight: 850;
        color: var(--g-ink);
      }
      .caption .price {
        display: block;
        font-size: clamp(1.4rem, 3vmin, 2.4rem);
        font-weight: 800;
        color: var(--g-accent);
      }
      .touch {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        min-height: 6rem;
        padding: 0 3.2rem;
        border-radius: var(--g-radius-pill);
        background: var(--g-accent);
        color: var(--g-accent-ink);
        font-size: clamp(1.6rem, 3.6vmin, 2.8rem);
        font-weight: 850;
        box-shadow: var(--g-shadow);
        animation: breathe 2.8s ease-in-out infinite;
      }
      @keyframes breathe {
        50% {
          transform: scale(1.04);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .touch {
          animation: none;
        }
        .slide {
          transition: none;
        }
      }
      .languages {
        position: absolute;
        inset: auto 0 6vh 0;
        display: grid;
        justify-items: center;
        gap: 0.9rem;
      }
      .languages p {
        font-weight: 700;
        color: var(--g-ink-soft);
      }
      .languages div {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        gap: var(--g-space-4);
      }
      .languages .btn {
        min-width: 12rem;
        font-size: 1.3rem;
        background: var(--g-surface);
      }
    `,
  ];

  @property({ attribute: false }) catalog?: MenuCatalog;
  @property() language = "en";
  @property({ type: Number }) slideSeconds = 6;
  @state() private slide = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = setInterval(() => {
      this.slide += 1;
    }, this.slideSeconds * 1_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  override render() {
    const catalog = this.catalog;
    if (!catalog) return nothing;
    const t = translator(this.language);
    const fallback = catalog.languages[0] ?? "en";
    const highlights = catalog.highlights().filter((p) => (p.kind === "item" ? p.item.picture : p.combo.picture));
    const current = highlights.length > 0 ? this.slide % highlights.length : 0;
    return html`
      <button class="start" type="button" @click=${() => {
        this.#start(undefined);
      }}><span class="touch">${t("attract.touch")}</span></button>
      <div class="show" aria-hidden="true">
        <span>
          <span class="welcome">${t("attract.welcome")}</span>
          <span class="favourites">${t("attract.favourites")}</span>
        </span>
        <span class="slides">
          ${highlights.map((product, index) => {
            const source = product.kind === "item" ? product.item : product.combo;
            const near = Math.abs(index - current) <= 1 || (current === highlights.length - 1 && index === 0);
            return html`<span class="slide ${index === current ? "on" : ""}">
              ${near ? html`<img src=${pictureUrl(source.picture) ?? ""} alt="" width="800" height="600" decoding="async" />` : html`<span></span>`}
              <span class="caption">
                <span class="name">${localized(source.name, this.language, fallback)}</span>
                <span class="price num">${formatMoney(catalog.basePrice(product), catalog.currency, this.language)}</span>
              </span>
            </span>`;
          })}
        </span>
      </div>
      <div class="languages">
        <p>${t("attract.language")}</p>
        <div>
          ${catalog.languages.map(
            (lang) =>
              html`<button class="btn" type="button" lang=${lang} @click=${() => {
                this.#start(lang);
              }}>${languageName(lang)}</button>`,
          )}
        </div>
      </div>
    `;
  }

  #start(lang: string | undefined): void {
    fireEvent(this, "kiosk-start", lang);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-attract": GalleyKioskAttract;
  }
  interface GalleyDomEvents {
    "kiosk-start": string | undefined;
  }
}
