/**
 * Clocking in and out on the kitchen display: a modal dialog over the board with a PIN pad; after
 * the PIN, the clock actions (narrowed to the legal ones once galleyd has said the person's state),
 * then what happened ("Ana clocked in · worked today 0 min"). It acts with the display's own
 * device token, sending the PIN with the action. While it is open the board's keys (bump bar,
 * 1–9, Enter) stay with the dialog. Closes with Escape, its Close button, or `clock-close`.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { AttendanceAction, AttendanceState, AttendanceStatusView } from "../../../../protocol/index.ts";
import "../../components/galley-pin-pad.ts";
import type { GalleyPinPad } from "../../components/galley-pin-pad.ts";
import type { ApiClient } from "../../data/api.ts";
import { fireEvent, type GalleyDomEvent } from "../../data/fire-event.ts";
import { errorText, translator, type Translate } from "../../i18n/index.ts";
import { ApiError } from "../../data/api.ts";
import { base, buttons } from "../../styles/shared.ts";
import { legalActions, refusedState } from "../counter/counter-panels-clock-actions.ts";
import { createClock } from "../counter/counter-panels-endpoints.ts";

@customElement("galley-kitchen-clock")
export class GalleyKitchenClock extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      dialog {
        width: min(34rem, 94vw);
        padding: var(--g-space-5);
        border: 2px solid var(--g-line);
        border-radius: var(--g-radius);
        background: var(--g-surface);
        color: var(--g-ink);
      }
      dialog::backdrop {
        background: var(--g-scrim-warm);
      }
      .body {
        display: grid;
        gap: var(--g-space-4);
        justify-items: center;
        text-align: center;
      }
      h2 {
        font-size: 1.6rem;
        font-weight: 900;
      }
      .actions {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--g-space-3);
        width: 100%;
      }
      .result {
        font-size: 1.4rem;
        font-weight: 800;
      }
      .error {
        color: var(--g-danger);
        font-weight: 700;
      }
      .btn {
        min-height: max(44px, var(--g-touch));
        border-radius: var(--g-radius-l);
      }
    `,
  ];

  /** The kitchen display's own client (its device token). */
  @property({ attribute: false }) api?: ApiClient;
  @property() language = "en";

  @state() pin = "";
  @state() knownState: AttendanceState | undefined;
  @state() result: { action: AttendanceAction; status: AttendanceStatusView } | undefined;
  @state() busy = false;
  @state() error = "";

  @query("dialog") private dialog?: HTMLDialogElement;
  @query("galley-pin-pad") private pinPad?: GalleyPinPad;

  override firstUpdated(): void {
    this.dialog?.showModal();
  }

  override render() {
    const t = translator(this.language);
    return html`<dialog aria-labelledby="clock-title" data-testid="kitchen-clock" @cancel=${this.#onCancel} @keydown=${this.#onKey}>
      <div class="body">
        <h2 id="clock-title">${t("kitchen.clock.title")}</h2>
        ${this.error ? html`<p class="error" role="alert" data-testid="kitchen-clock-error">${this.error}</p>` : nothing}
        ${this.#renderStep(t)}
        <button class="btn" type="button" ?disabled=${this.busy} @click=${this.#close}>${t("kitchen.clock.close")}</button>
      </div>
    </dialog>`;
  }

  #renderStep(t: Translate) {
    if (this.result) {
      const { action, status } = this.result;
      return html`<p class="result" role="status" data-testid="kitchen-clock-result" data-state=${status.state}>
          ${t(`kitchen.clock.done.${action}`, { name: status.name })}
        </p>
        <p>${t("kitchen.clock.worked", { hours: Math.floor(status.workedMinutesToday / 60), minutes: String(status.workedMinutesToday % 60).padStart(2, "0") })}</p>
        <button class="btn primary" type="button" @click=${this.#next}>${t("kitchen.clock.nextPerson")}</button>`;
    }
    if (!this.pin)
      return html`<p>${t("kitchen.clock.pinPrompt")}</p>
        <galley-pin-pad .language=${this.language} .busy=${this.busy} submit-label=${t("kitchen.clock.next")} @pin-submit=${this.#onPin}></galley-pin-pad>`;
    return html`<p>${t("kitchen.clock.chooseAction")}</p>
      <div class="actions">
        ${legalActions(this.knownState).map(
          (
            action,
          ) => html`<button class="btn ${action === "clock_in" || action === "clock_out" ? "primary" : ""}" type="button" ?disabled=${this.busy} @click=${() => void this.#clock(action)}>
            ${t(`kitchen.clock.do.${action}`)}
          </button>`,
        )}
      </div>
      <button class="btn ghost" type="button" ?disabled=${this.busy} @click=${this.#next}>${t("kitchen.clock.back")}</button>`;
  }

  readonly #onPin = (event: GalleyDomEvent<"pin-submit">): void => {
    this.pin = event.detail;
    this.knownState = undefined;
    this.error = "";
  };

  async #clock(action: AttendanceAction): Promise<void> {
    const api = this.api;
    if (!api || this.busy) return;
    const t = translator(this.language);
    this.busy = true;
    this.error = "";
    try {
      const status = await createClock(api, action, this.pin);
      this.result = { action, status };
      this.pin = "";
    } catch (error) {
      const state = refusedState(error);
      if (state) {
        this.knownState = state;
        this.error = t("kitchen.clock.refused", { state: t(`kitchen.clock.state.${state}`) });
      } else {
        // A wrong PIN, too many tries, no connection: back to the pad.
        this.pin = "";
        void this.updateComplete.then(() => this.pinPad?.clear());
        const code = error instanceof ApiError ? error.code : "generic";
        this.error = `${errorText(t, code)}${code === "generic" ? "" : ` (${code})`}`;
      }
    } finally {
      this.busy = false;
    }
  }

  readonly #next = (): void => {
    this.result = undefined;
    this.pin = "";
    this.knownState = undefined;
    this.error = "";
  };

  /** The board's window-wide keys (bump bar) must not act while the dialog has the keyboard. */
  readonly #onKey = (event: KeyboardEvent): void => {
    if (event.key !== "Escape") event.stopPropagation();
  };

  readonly #onCancel = (event: Event): void => {
    event.preventDefault();
    this.#close();
  };

  readonly #close = (): void => {
    if (this.busy) return;
    this.dialog?.close();
    fireEvent(this, "clock-close");
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kitchen-clock": GalleyKitchenClock;
  }
  interface GalleyDomEvents {
    "clock-close": undefined;
  }
}
