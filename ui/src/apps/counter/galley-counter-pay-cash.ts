/**
 * Taking cash: what the customer hands over, by a quick button (exact, the next round amounts,
 * the notes that cover it) or the keypad (digits fill from the right: 2 0 0 0 is 20.00), and the
 * change to give back, big. The physical keyboard works too while it shows: digits, Backspace,
 * Escape to clear, Enter to take the cash (nothing typed: the exact amount). Less than the amount
 * is a part payment of that much (the rest stays due). Emits `counter-cash` {amount, tendered}.
 */
import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { icon } from "../../components/icons.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney, minorUnitsPer } from "../../data/format.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { isTyping, isShown } from "./counter-keys.ts";
import { keyHint } from "./counter-pay-styles.ts";

/** Bank notes (in major units) offered as quick amounts when they cover what is due. */
const NOTES = [5, 10, 20, 50, 100, 200];

/** The quick amounts for `amount` (minor units): exact, the next 1 / 5 / 10, then notes; at most six, ascending. */
export function quickTenders(amount: number, currency: string): number[] {
  const unit = minorUnitsPer(currency);
  const ups = [1, 5, 10].map((step) => Math.ceil(amount / (step * unit)) * step * unit);
  const notes = NOTES.map((n) => n * unit).filter((n) => n >= amount);
  const all = [...new Set([amount, ...ups, ...notes])].filter((n) => n >= amount && n > 0).sort((a, b) => a - b);
  return all.slice(0, 6);
}

@customElement("galley-counter-pay-cash")
export class GalleyCounterPayCash extends LitElement {
  static override styles = [
    base,
    buttons,
    keyHint,
    css`
      :host {
        display: grid;
        gap: var(--g-space-3);
      }
      .quick {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: var(--g-space-2);
      }
      .quick .btn,
      .keys .btn {
        border-radius: var(--g-radius-small);
        min-height: 3.4rem;
        padding: 0;
        font-size: 1.2rem;
        font-weight: 800;
      }
      .quick .exact {
        background: var(--g-accent-soft, var(--g-surface-2));
      }
      .entry {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--g-space-3);
      }
      .keys {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: var(--g-space-2);
      }
      .keys .btn {
        background: var(--g-surface-2);
      }
      .figures {
        display: grid;
        align-content: start;
        gap: var(--g-space-3);
      }
      .figure {
        display: grid;
        padding: var(--g-space-3);
        border-radius: var(--g-radius-small);
        background: var(--g-surface-2);
      }
      .figure span:first-child {
        color: var(--g-ink-soft);
        font-weight: 700;
      }
      .figure .num {
        font-size: 2rem;
        font-weight: 900;
      }
      .figure.change {
        background: var(--g-ok-soft, var(--g-surface-2));
      }
      .figure.change .num {
        font-size: 3rem;
        color: var(--g-ok, var(--g-ink));
      }
      .take {
        border-radius: var(--g-radius-small);
        font-size: 1.3rem;
      }
    `,
  ];

  /** What this payment is for (minor units): what is due, or the part the cashier set. */
  @property({ type: Number }) amount = 0;
  @property() currency = "EUR";
  @property() language = "en";
  @property({ type: Boolean }) busy = false;
  /** Handed over, in minor units; "" when nothing was typed (then: exactly the amount). */
  @state() private tendered = "";

  /** Nothing typed (a new payment). */
  clear(): void {
    this.tendered = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("keydown", this.#onKey);
  }

  override disconnectedCallback(): void {
    window.removeEventListener("keydown", this.#onKey);
    super.disconnectedCallback();
  }

  override render() {
    const t = translator(this.language);
    const money = (minor: number) => formatMoney(minor, this.currency, this.language);
    const tendered = this.#tendered();
    const change = Math.max(0, tendered - this.amount);
    const part = tendered < this.amount;
    return html`
      <div class="quick" role="group" aria-label=${t("counter.cash.quick")}>
        ${quickTenders(this.amount, this.currency).map(
          (value, index) => html`<button
            class="btn num ${index === 0 ? "exact" : ""}"
            type="button"
            data-tender=${value}
            ?disabled=${this.busy}
            @click=${() => {
              this.tendered = String(value);
            }}
          >${index === 0 ? t("counter.cash.exact", { amount: money(value) }) : money(value)}</button>`,
        )}
      </div>
      <div class="entry">
        <div class="keys" role="group" aria-label=${t("counter.cash.keypad")}>
          ${["1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "0"].map(
            (k) =>
              html`<button class="btn" type="button" ?disabled=${this.busy} @click=${() => {
                this.#type(k);
              }}>${k}</button>`,
          )}
          <button class="btn" type="button" aria-label=${t("admin.deleteDigit")} ?disabled=${this.busy} @click=${() => {
            this.tendered = this.tendered.slice(0, -1);
          }}>${icon("back")}</button>
        </div>
        <div class="figures">
          <div class="figure">
            <span id="tendered-label">${t("counter.cash.tendered")}</span>
            <span class="num" aria-labelledby="tendered-label" data-testid="tendered">${money(tendered)}</span>
          </div>
          <div class="figure change" aria-live="polite">
            <span id="change-label">${t("counter.cash.change")}</span>
            <span class="num" aria-labelledby="change-label" data-testid="change-due">${money(change)}</span>
          </div>
        </div>
      </div>
      <button class="btn primary big take" type="button" data-testid="take-cash" ?disabled=${this.busy || tendered <= 0} @click=${this.#take}>
        ${part ? t("counter.cash.takePart", { amount: money(tendered) }) : t("counter.cash.take", { amount: money(this.amount) })}
        <kbd aria-hidden="true">Enter</kbd>
      </button>
    `;
  }

  /** Handed over in minor units (nothing typed: the amount). */
  #tendered(): number {
    return this.tendered === "" ? this.amount : Number(this.tendered);
  }

  #type(digits: string): void {
    const next = `${this.tendered}${digits}`.replace(/^0+/, "");
    if (next.length <= 8) this.tendered = next;
  }

  readonly #take = (): void => {
    const tendered = this.#tendered();
    if (this.busy || tendered <= 0) return;
    fireEvent(this, "counter-cash", { amount: Math.min(this.amount, tendered), tendered });
  };

  readonly #onKey = (event: KeyboardEvent): void => {
    if (!isShown(this) || isTyping(event) || event.altKey || event.ctrlKey || event.metaKey) return;
    if (/^\d$/.test(event.key)) this.#type(event.key);
    else if (event.key === "Backspace") this.tendered = this.tendered.slice(0, -1);
    else if (event.key === "Escape" && this.tendered) this.tendered = "";
    else if (event.key === "Enter" && !(event.composedPath()[0] instanceof HTMLButtonElement)) this.#take();
    else return;
    event.preventDefault();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-pay-cash": GalleyCounterPayCash;
  }
  interface GalleyDomEvents {
    "counter-cash": { amount: number; tendered: number };
  }
}
