/** A PIN pad for staff sign-in: big keys, masked digits, typing works too. Emits `pin-submit`. */
import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { fireEvent } from "../data/fire-event.ts";
import { translator } from "../i18n/index.ts";
import { base, buttons } from "../styles/shared.ts";
import { icon } from "./icons.ts";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

@customElement("galley-pin-pad")
export class GalleyPinPad extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: var(--g-space-4);
        justify-items: center;
      }
      label {
        font-weight: 700;
      }
      input {
        width: 100%;
        min-height: var(--g-touch);
        font-size: 2rem;
        letter-spacing: 0.5em;
        text-align: center;
        border-radius: var(--g-radius-small);
        border: 2px solid var(--g-line);
        background: var(--g-bg);
      }
      input:focus-visible {
        outline: none;
        box-shadow: var(--g-focus);
      }
      .keys {
        display: grid;
        grid-template-columns: repeat(3, 5rem);
        gap: 0.7rem;
      }
      .keys .btn {
        min-height: 4.2rem;
        border-radius: var(--g-radius-small);
        font-size: 1.6rem;
        padding: 0;
        background: var(--g-surface-2);
      }
      .keys .word {
        font-size: 1rem;
      }
      .submit {
        width: 100%;
      }
    `,
  ];

  @property() language = "en";
  @property({ type: Boolean }) busy = false;
  /** The submit button's text when the PIN is not for signing in (clocking in: "Next"). */
  @property({ attribute: "submit-label" }) submitLabel = "";
  @state() private pin = "";

  override render() {
    const t = translator(this.language);
    return html`<form @submit=${this.#submit}>
      <label for="pin">${t("admin.pin")}</label>
      <input
        id="pin"
        type="password"
        inputmode="numeric"
        autocomplete="off"
        maxlength="8"
        .value=${this.pin}
        @input=${(e: Event) => {
          this.pin = (e.target as HTMLInputElement).value.replace(/\D/g, "").slice(0, 8);
        }}
      />
      <div class="keys">
        ${KEYS.map(
          (k) =>
            html`<button class="btn" type="button" @click=${() => {
              this.#press(k);
            }}>${k}</button>`,
        )}
        <button class="btn word" type="button" @click=${() => {
          this.pin = "";
        }}>${t("admin.clear")}</button>
        <button class="btn" type="button" @click=${() => {
          this.#press("0");
        }}>0</button>
        <button class="btn" type="button" aria-label=${t("admin.deleteDigit")} @click=${() => {
          this.pin = this.pin.slice(0, -1);
        }}>${icon("back")}</button>
      </div>
      <button class="btn primary big submit" type="submit" ?disabled=${this.busy || this.pin.length < 4}>${this.submitLabel || t("admin.signIn")}</button>
    </form>`;
  }

  /** Empties the field (after a wrong PIN). */
  clear(): void {
    this.pin = "";
  }

  #press(digit: string): void {
    if (this.pin.length < 8) this.pin += digit;
  }

  #submit(event: Event): void {
    event.preventDefault();
    if (this.pin.length >= 4) fireEvent(this, "pin-submit", this.pin);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-pin-pad": GalleyPinPad;
  }
  interface GalleyDomEvents {
    "pin-submit": string;
  }
}
