/** Pair a screen: make a one-time code for a kiosk, kitchen display or pickup board (`devices:pair`). */
import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { SCREEN_ROLES, type PairingCodeResponse, type ScreenRole } from "../../../../protocol/index.ts";
import { createPairingCode } from "../../data/endpoints.ts";
import { formatClock } from "../../data/format.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText } from "./admin-shared.ts";

@customElement("galley-admin-pairing")
export class GalleyAdminPairing extends AdminCard {
  static override styles = [
    base,
    buttons,
    card,
    css`
      form {
        display: grid;
        gap: var(--g-space-2);
      }
      label {
        font-weight: 700;
      }
      form .btn {
        margin-top: 0.6rem;
      }
      input,
      form select {
        min-height: 3rem;
        padding: 0 0.8rem;
        border-radius: var(--g-radius-small);
        border: 2px solid var(--g-line);
        background: var(--g-bg);
      }
      input:focus-visible {
        outline: none;
        box-shadow: var(--g-focus);
      }
      .code {
        font-size: 2.6rem;
        font-weight: 900;
        letter-spacing: 0.2em;
        color: var(--g-accent);
        font-family: ui-monospace, "DejaVu Sans Mono", monospace;
      }
    `,
  ];

  @state() screenRole: ScreenRole = "kiosk";
  @state() name = "";
  @state() code: PairingCodeResponse | undefined;
  @state() busy = false;
  @state() error = "";

  override render() {
    const t = translator(this.language);
    return this.renderCard(
      nothing,
      html`
        <p>${t("admin.pairBody")}</p>
        <form aria-labelledby=${this.titleId} @submit=${this.#make}>
          <label for="pair-role">${t("admin.role")}</label>
          <select id="pair-role" .value=${this.screenRole} @change=${(e: Event) => {
            this.screenRole = (e.target as HTMLSelectElement).value as ScreenRole;
          }}>
            ${SCREEN_ROLES.map((role) => html`<option value=${role} ?selected=${role === this.screenRole}>${t(`role.${role}`)}</option>`)}
          </select>
          <label for="pair-name">${t("admin.name")}</label>
          <input id="pair-name" .value=${this.name} maxlength="60" @input=${(e: Event) => {
            this.name = (e.target as HTMLInputElement).value;
          }} />
          <button class="btn primary" type="submit" ?disabled=${this.busy || this.name.trim() === ""}>${t("admin.createCode")}</button>
        </form>
        ${
          this.code
            ? html`<div role="status">
              <p>${t("admin.codeFor", { name: this.code.name })}</p>
              <p class="code" data-testid="pairing-code">${this.code.code}</p>
              <p>${t("admin.validUntil", { time: formatClock(Date.parse(this.code.expiresAt), this.language) })}</p>
            </div>`
            : nothing
        }
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  async #make(event: Event): Promise<void> {
    event.preventDefault();
    this.busy = true;
    this.error = "";
    try {
      this.code = await createPairingCode(this.api, this.screenRole, this.name.trim());
      this.name = "";
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-pairing": GalleyAdminPairing;
  }
}
