/**
 * Shown by a screen without a device token in production: a technician makes a code on the
 * admin page and types it here. Emits `pair` with the code.
 */
import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ScreenRole } from "../../../protocol/index.ts";
import { fireEvent } from "../data/fire-event.ts";
import { errorText, translator } from "../i18n/index.ts";
import { base, buttons } from "../styles/shared.ts";

@customElement("galley-pairing-screen")
export class GalleyPairingScreen extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: grid;
        place-items: center;
        height: 100%;
        padding: var(--g-space-6);
        background: var(--g-bg);
        color: var(--g-ink);
      }
      form {
        width: min(34rem, 100%);
        display: grid;
        gap: 1.2rem;
        padding: 2.5rem;
        border-radius: var(--g-radius);
        background: var(--g-surface);
        border: 1px solid var(--g-line);
      }
      h1 {
        font-size: 2rem;
      }
      p {
        color: var(--g-ink-soft);
      }
      label {
        font-weight: 700;
      }
      input {
        min-height: var(--g-touch);
        font-size: 2rem;
        letter-spacing: 0.25em;
        text-transform: uppercase;
        text-align: center;
        border-radius: var(--g-radius-small);
        border: 2px solid var(--g-line);
        background: var(--g-bg);
        padding: 0 0.5em;
        user-select: text;
      }
      input:focus-visible {
        outline: none;
        box-shadow: var(--g-focus);
      }
      .error {
        color: var(--g-danger);
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: "screen-role" }) screenRole: ScreenRole = "kiosk";
  @property() language = "en";
  /** Error code of the last attempt. */
  @property() error = "";
  @property({ type: Boolean }) busy = false;
  @state() private code = "";

  override render() {
    const t = translator(this.language);
    return html`
      <form @submit=${this.#submit} aria-labelledby="title">
        <h1 id="title">${t("pair.title")}</h1>
        <p>${t("pair.body")}</p>
        <p>${t("pair.role", { role: t(`role.${this.screenRole}`) })}</p>
        <label for="code">${t("pair.code")}</label>
        <input
          id="code"
          name="code"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck="false"
          maxlength="16"
          .value=${this.code}
          @input=${(e: Event) => {
            this.code = (e.target as HTMLInputElement).value;
          }}
        />
        <p class="error" role="alert">${this.error ? errorText(t, this.error) : ""}</p>
        <button class="btn primary big" type="submit" ?disabled=${this.busy || this.code.trim().length < 4}>${t("pair.submit")}</button>
      </form>
    `;
  }

  #submit(event: Event): void {
    event.preventDefault();
    fireEvent(this, "pair", this.code.trim());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-pairing-screen": GalleyPairingScreen;
  }
  interface GalleyDomEvents {
    pair: string;
  }
}
