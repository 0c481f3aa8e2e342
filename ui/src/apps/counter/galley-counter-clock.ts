/**
 * Clocking in and out at the counter. "staff": the signed-in person's state (out, in, on a break;
 * since when; worked today) and the actions legal now. "device": the screen itself (`deviceApi`,
 * the counter's own token) asks for a PIN first, then offers the actions for that person and says
 * what happened; the next person starts again at the PIN. Who is in is listed below. Managers
 * (`attendance:manage`) see the day's entries with "Correct": move, remove or add an entry, always
 * with a reason; the corrected entry stays, struck through.
 */
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type {
  AttendanceAction,
  AttendanceEntryView,
  AttendanceState,
  AttendanceStatusView,
  Principal,
} from "../../../../protocol/index.ts";
import "../../components/galley-pin-pad.ts";
import type { GalleyPinPad } from "../../components/galley-pin-pad.ts";
import type { ApiClient } from "../../data/api.ts";
import type { GalleyDomEvent } from "../../data/fire-event.ts";
import { translator, type Translate } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { legalActions, refusedState } from "./counter-panels-clock-actions.ts";
import {
  correctionBody,
  correctionFields,
  entriesTable,
  toLocalInput,
  type CorrectionForm,
} from "./counter-panels-clock-corrections.ts";
import { createAttendanceCorrection, createClock, fetchAttendance, fetchStaff } from "./counter-panels-endpoints.ts";
import { allows, failureText, formatMinutes, formatTime, panel, showDialog } from "./counter-panels-shared.ts";

/** How long a paired screen shows who just clocked and their hours. */
const FORGET_MS = 20_000;

@customElement("galley-counter-clock")
export class GalleyCounterClock extends LitElement {
  static override styles = [
    base,
    buttons,
    panel,
    css`
      .state {
        font-size: 1.6rem;
        font-weight: 800;
      }
      .actions .btn {
        min-width: 12rem;
      }
      galley-pin-pad {
        max-width: 22rem;
        margin-inline: auto;
      }
      ul.who {
        display: flex;
        flex-wrap: wrap;
        gap: var(--g-space-2);
      }
      ul.who li {
        padding: var(--g-space-1) var(--g-space-3);
        border-radius: var(--g-radius-pill);
        background: var(--g-surface-2, var(--g-bg));
        border: 1px solid var(--g-line);
      }
      tr.superseded td {
        color: var(--g-ink-soft);
      }
      .btn[aria-pressed="true"] {
        background: var(--g-ink);
        border-color: var(--g-ink);
        color: var(--g-bg);
      }
    `,
  ];

  @property({ attribute: false }) api?: ApiClient;
  @property({ attribute: false }) deviceApi?: ApiClient;
  @property({ attribute: false }) me?: Principal;
  @property() language = "en";
  @property() mode: "staff" | "device" = "staff";

  /** Staff: the signed-in person now. Device: the person who just acted. */
  @state() status: AttendanceStatusView | undefined;
  /** Device: the PIN typed, kept until the person has acted (or walked away). */
  @state() pin = "";
  /** Device: what the last refusal said the person's state is (narrows the actions offered). */
  @state() knownState: AttendanceState | undefined;
  @state() whoIn: AttendanceStatusView[] = [];
  @state() entries: AttendanceEntryView[] = [];
  @state() staff: { id: string; name: string }[] = [];
  @state() correction: CorrectionForm | undefined;
  @state() busy = false;
  @state() error = "";
  @state() dialogError = "";
  @state() note = "";

  @query("galley-pin-pad") private pinPad?: GalleyPinPad;

  /** Device: the last person's state is shown for a while, then the pad is blank for the next one. */
  #forget: ReturnType<typeof setTimeout> | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("api") || changed.has("deviceApi") || changed.has("mode")) && this.#client) void this.refresh();
  }

  override updated(): void {
    showDialog(this.renderRoot);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#forget);
  }

  /** The client the clock acts with: the person's in staff mode, the screen's in device mode. */
  get #client(): ApiClient | undefined {
    return this.mode === "device" ? this.deviceApi : this.api;
  }

  /** Who may list who is in: the screen itself, or a manager (a cashier sees only their own hours). */
  get #whoSource(): ApiClient | undefined {
    return this.deviceApi ?? (this.#manager ? this.api : undefined);
  }

  get #manager(): boolean {
    return this.api !== undefined && allows(this.me, "attendance:manage");
  }

  get #t(): Translate {
    return translator(this.language);
  }

  /** Reads the person's state, who is in and (managers) the day's entries again. */
  async refresh(): Promise<void> {
    try {
      const api = this.api;
      if (this.mode === "staff" && api && this.me) {
        const own = await fetchAttendance(api, this.me.id);
        const me = this.me;
        this.status = own.people.find((p) => p.userId === me.id) ?? {
          userId: me.id,
          name: me.name,
          state: "out",
          since: null,
          workedMinutesToday: 0,
        };
      }
      const who = this.#whoSource;
      if (who) this.whoIn = (await fetchAttendance(who)).people.filter((p) => p.state !== "out");
      if (this.#manager && this.api) {
        this.entries = (await fetchAttendance(this.api)).entries;
        if (allows(this.me, "users:manage")) this.staff = await fetchStaff(this.api);
      }
      this.error = "";
    } catch (error) {
      this.error = failureText(this.#t, error);
    }
  }

  override render() {
    const t = this.#t;
    return html`<section class="panel" aria-labelledby="clock-title" data-testid="clock-panel">
      <div class="head"><h2 id="clock-title">${t("counter.clock.title")}</h2></div>
      ${this.error ? html`<p class="error" role="alert" data-testid="clock-error">${this.error}</p>` : nothing}
      <p class="note" role="status" data-testid="clock-note">${this.note}</p>
      ${this.mode === "device" ? this.#renderDevice(t) : this.#renderStaff(t)}
      ${this.#whoSource ? this.#renderWhoIn(t) : nothing}
      ${this.#manager ? this.#renderEntries(t) : nothing}
      ${this.correction ? this.#renderCorrection(t, this.correction) : nothing}
    </section>`;
  }

  #renderWhoIn(t: Translate) {
    return html`<h3>${t("counter.clock.whoIn")}</h3>
      ${
        this.whoIn.length === 0
          ? html`<p class="muted">${t("counter.clock.nobodyIn")}</p>`
          : html`<ul class="who" data-testid="who-in">
              ${this.whoIn.map((p) => html`<li>${p.name} · ${t(`counter.clock.state.${p.state}`)} ${formatTime(p.since, this.language)}</li>`)}
            </ul>`
      }`;
  }

  #renderStatus(t: Translate, status: AttendanceStatusView) {
    return html`<p class="state" data-testid="clock-state" data-state=${status.state}>
        ${t("counter.clock.stateOf", { name: status.name, state: t(`counter.clock.state.${status.state}`) })}
        ${status.since ? html`<span class="muted">· ${t("counter.clock.since", { when: formatTime(status.since, this.language) })}</span>` : nothing}
      </p>
      <p>${t("counter.clock.worked", { time: formatMinutes(status.workedMinutesToday) })}</p>`;
  }

  #renderActions(t: Translate, actions: readonly AttendanceAction[]) {
    return html`<div class="row actions">
      ${actions.map(
        (
          action,
        ) => html`<button class="btn ${action === "clock_in" || action === "clock_out" ? "primary" : ""} big" type="button" ?disabled=${this.busy} @click=${() => void this.#clock(action)}>
          ${t(`counter.clock.do.${action}`)}
        </button>`,
      )}
    </div>`;
  }

  #renderStaff(t: Translate) {
    if (!this.status) return html`<p class="muted">${t("counter.panel.loading")}</p>`;
    return html`${this.#renderStatus(t, this.status)} ${this.#renderActions(t, legalActions(this.status.state))}`;
  }

  #renderDevice(t: Translate) {
    if (!this.pin)
      return html`${this.status ? this.#renderStatus(t, this.status) : html`<p>${t("counter.clock.pinPrompt")}</p>`}
        <galley-pin-pad .language=${this.language} .busy=${this.busy} submit-label=${t("counter.clock.next")} @pin-submit=${this.#onPin}></galley-pin-pad>`;
    return html`<p>${t("counter.clock.chooseAction")}</p>
      ${this.#renderActions(t, legalActions(this.knownState))}
      <div class="row">
        <button class="btn" type="button" ?disabled=${this.busy} @click=${this.#resetPin}>${t("counter.panel.back")}</button>
      </div>`;
  }

  #renderEntries(t: Translate) {
    return html`<div class="head">
        <h3>${t("counter.clock.entries")}</h3>
        <button class="btn" type="button" @click=${() => {
          this.#openCorrection(undefined);
        }}>${t("counter.clock.addMissing")}</button>
      </div>
      ${entriesTable(t, this.entries, this.language, (entry) => {
        this.#openCorrection(entry);
      })}`;
  }

  #renderCorrection(t: Translate, form: CorrectionForm) {
    const title = form.entry
      ? t("counter.clock.correctTitle", { name: form.entry.name, when: formatTime(form.entry.at, this.language) })
      : t("counter.clock.addMissing");
    const people = this.staff.length > 0 ? this.staff : this.whoIn.map((p) => ({ id: p.userId, name: p.name }));
    return html`<dialog aria-labelledby="correction-title" data-testid="correction-dialog" @cancel=${this.#onCancel}>
      <form novalidate @submit=${this.#submitCorrection}>
        <h2 id="correction-title">${title}</h2>
        ${correctionFields(t, form, people, (patch) => {
          if (this.correction) this.correction = { ...this.correction, ...patch };
        })}
        ${this.dialogError ? html`<p class="error" role="alert" data-testid="correction-error">${this.dialogError}</p>` : nothing}
        <div class="row">
          <button class="btn primary" type="submit" ?disabled=${this.busy}>${t("counter.clock.saveCorrection")}</button>
          <button class="btn" type="button" ?disabled=${this.busy} @click=${this.#closeCorrection}>${t("counter.panel.cancel")}</button>
        </div>
      </form>
    </dialog>`;
  }

  readonly #onPin = (event: GalleyDomEvent<"pin-submit">): void => {
    this.pin = event.detail;
    this.knownState = undefined;
    this.status = undefined;
    this.note = "";
    this.error = "";
  };

  readonly #resetPin = (): void => {
    this.pin = "";
    this.knownState = undefined;
  };

  async #clock(action: AttendanceAction): Promise<void> {
    const client = this.#client;
    if (!client || this.busy) return;
    const t = this.#t;
    this.busy = true;
    this.error = "";
    try {
      const status = await createClock(client, action, this.mode === "device" ? this.pin : undefined);
      this.status = status;
      this.note = t(`counter.clock.done.${action}`, { name: status.name });
      this.pin = "";
      this.knownState = undefined;
      if (this.mode === "device") {
        clearTimeout(this.#forget);
        this.#forget = setTimeout(() => {
          this.status = undefined;
          this.note = "";
        }, FORGET_MS);
      }
      await this.refresh();
    } catch (error) {
      const state = refusedState(error);
      if (state) this.knownState = state;
      if (this.mode === "device" && !state) {
        // A wrong PIN (or any other refusal): start again at the pad.
        this.pin = "";
        void this.updateComplete.then(() => this.pinPad?.clear());
      }
      this.error = state
        ? t("counter.clock.refused", { state: t(`counter.clock.state.${state}`) })
        : failureText(t, error);
    } finally {
      this.busy = false;
    }
  }

  #openCorrection(entry: AttendanceEntryView | undefined): void {
    this.dialogError = "";
    this.correction = {
      kind: entry ? "move" : "add",
      ...(entry ? { entry } : {}),
      userId: entry?.userId ?? "",
      action: entry?.action ?? "clock_in",
      at: toLocalInput(entry?.at ?? new Date().toISOString()),
      reason: "",
    };
  }

  readonly #closeCorrection = (): void => {
    if (!this.busy) this.correction = undefined;
  };

  readonly #onCancel = (event: Event): void => {
    event.preventDefault();
    this.#closeCorrection();
  };

  readonly #submitCorrection = async (event: Event): Promise<void> => {
    event.preventDefault();
    const api = this.api;
    const form = this.correction;
    if (!api || !form || this.busy) return;
    const t = this.#t;
    const made = correctionBody(form);
    if ("missing" in made) {
      this.dialogError = t(`counter.clock.missing.${made.missing}`);
      return;
    }
    this.busy = true;
    this.dialogError = "";
    try {
      await createAttendanceCorrection(api, made.body);
      this.correction = undefined;
      this.note = t("counter.clock.corrected");
      await this.refresh();
    } catch (error) {
      this.dialogError = failureText(t, error);
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-clock": GalleyCounterClock;
  }
}
