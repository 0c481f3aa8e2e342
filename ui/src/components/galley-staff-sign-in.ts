/**
 * The staff sign-in card: a title, a line of help, the PIN pad and the last error. Any screen a
 * person signs in to uses it (StaffScreenShell renders it); the PIN goes up as `pin-submit`.
 */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { translator } from "../i18n/index.ts";
import { base } from "../styles/shared.ts";
import "./galley-pin-pad.ts";
import type { GalleyPinPad } from "./galley-pin-pad.ts";

@customElement("galley-staff-sign-in")
export class GalleyStaffSignIn extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .signin {
        display: grid;
        gap: var(--g-space-4);
        max-width: 24rem;
        margin: 8vh auto;
        padding: 1.4rem;
        border-radius: var(--g-radius);
        background: var(--g-surface);
        border: 1px solid var(--g-line);
      }
      .signin p {
        color: var(--g-ink-soft);
      }
      .error {
        color: var(--g-danger);
        font-weight: 700;
      }
    `,
  ];

  @property() language = "en";
  @property({ type: Boolean }) busy = false;
  /** The last failure, in words. */
  @property() error = "";

  override render() {
    const t = translator(this.language);
    return html`<section class="signin" aria-labelledby="signin-title">
      <h2 id="signin-title">${t("admin.signIn")}</h2>
      <p>${t("admin.signInBody")}</p>
      <galley-pin-pad .language=${this.language} .busy=${this.busy}></galley-pin-pad>
      <p class="error" role="alert">${this.error}</p>
    </section>`;
  }

  /** Empties the PIN (after a wrong one). */
  clear(): void {
    this.renderRoot.querySelector<GalleyPinPad>("galley-pin-pad")?.clear();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-staff-sign-in": GalleyStaffSignIn;
  }
}
