/**
 * A manager's view of a day's attendance in galley-counter-clock: every entry (corrected ones
 * struck through, never hidden) with "Correct", and the correction form — move an entry's time,
 * remove it, or add one that was missed — always with a reason. Pure templates and the
 * conversion between an entry's instant and the form's local date-time field.
 */
import { html, nothing } from "lit";
import type { AttendanceAction, AttendanceCorrectionBody, AttendanceEntryView } from "../../../../protocol/index.ts";
import type { Translate } from "../../i18n/index.ts";
import { CLOCK_ACTIONS } from "./counter-panels-clock-actions.ts";
import { formatTime } from "./counter-panels-shared.ts";

export interface CorrectionForm {
  kind: "move" | "remove" | "add";
  entry?: AttendanceEntryView;
  userId: string;
  action: AttendanceAction;
  /** `YYYY-MM-DDTHH:MM` in the screen's time zone (an `<input type="datetime-local">`). */
  at: string;
  reason: string;
}

/** An instant as a local date-time field shows it. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The body of a correction, or undefined while the form is not complete (the message key says what is missing). */
export function correctionBody(
  form: CorrectionForm,
): { body: AttendanceCorrectionBody } | { missing: "reason" | "time" | "person" } {
  const reason = form.reason.trim();
  if (!reason) return { missing: "reason" };
  if (form.kind === "remove" && form.entry) return { body: { entryId: form.entry.id, void: true, reason } };
  const at = Date.parse(form.at);
  if (Number.isNaN(at)) return { missing: "time" };
  if (form.kind === "move" && form.entry) {
    const action = form.action === form.entry.action ? {} : { action: form.action };
    return { body: { entryId: form.entry.id, at: new Date(at).toISOString(), ...action, reason } };
  }
  if (!form.userId) return { missing: "person" };
  return { body: { userId: form.userId, action: form.action, at: new Date(at).toISOString(), reason } };
}

export function entriesTable(
  t: Translate,
  entries: readonly AttendanceEntryView[],
  language: string,
  correct: (entry: AttendanceEntryView) => void,
) {
  if (entries.length === 0) return html`<p class="muted">${t("counter.clock.noEntries")}</p>`;
  return html`<table data-testid="attendance-entries">
    <caption class="visually-hidden">${t("counter.clock.entries")}</caption>
    <thead>
      <tr>
        <th scope="col">${t("counter.clock.when")}</th>
        <th scope="col">${t("counter.clock.person")}</th>
        <th scope="col">${t("counter.clock.action")}</th>
        <th scope="col">${t("counter.clock.note")}</th>
        <th scope="col"><span class="visually-hidden">${t("counter.clock.correct")}</span></th>
      </tr>
    </thead>
    <tbody>
      ${entries.map((e) => {
        const live = !e.superseded && !e.voided;
        return html`<tr data-entry=${e.id} class=${live ? "" : "superseded"}>
          <td>${live ? formatTime(e.at, language) : html`<s>${formatTime(e.at, language)}</s>`}</td>
          <td>${e.name}</td>
          <td>${t(`counter.clock.action.${e.action}`)}${e.voided ? html` · ${t("counter.clock.removed")}` : nothing}</td>
          <td>${e.reason ? html`“${e.reason}” · ${e.by.name}` : nothing}</td>
          <td>
            ${
              live
                ? html`<button class="btn" type="button" aria-label=${t("counter.clock.correctNamed", { name: e.name, action: t(`counter.clock.action.${e.action}`), when: formatTime(e.at, language) })} @click=${() => {
                    correct(e);
                  }}>${t("counter.clock.correct")}</button>`
                : nothing
            }
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

export function correctionFields(
  t: Translate,
  form: CorrectionForm,
  people: readonly { id: string; name: string }[],
  change: (patch: Partial<CorrectionForm>) => void,
) {
  // An input or a select: both have `value` (typed without the DOM, so the form logic loads in Node tests).
  const value = (e: Event) => (e.target as unknown as { value: string }).value;
  return html`
    ${
      form.entry
        ? html`<div class="row" role="group" aria-label=${t("counter.clock.correctHow")}>
            <button class="btn" type="button" aria-pressed=${form.kind === "move" ? "true" : "false"} @click=${() => {
              change({ kind: "move" });
            }}>${t("counter.clock.move")}</button>
            <button class="btn" type="button" aria-pressed=${form.kind === "remove" ? "true" : "false"} @click=${() => {
              change({ kind: "remove" });
            }}>${t("counter.clock.remove")}</button>
          </div>`
        : html`<label
            >${t("counter.clock.person")}
            <select name="person" .value=${form.userId} @change=${(e: Event) => {
              change({ userId: value(e) });
            }}>
              <option value="">${t("counter.clock.choosePerson")}</option>
              ${people.map((p) => html`<option value=${p.id} ?selected=${p.id === form.userId}>${p.name}</option>`)}
            </select>
          </label>`
    }
    ${
      form.kind === "remove"
        ? nothing
        : html`<label
              >${t("counter.clock.action")}
              <select name="action" @change=${(e: Event) => {
                change({ action: value(e) as AttendanceAction });
              }}>
                ${CLOCK_ACTIONS.map((a) => html`<option value=${a} ?selected=${a === form.action}>${t(`counter.clock.action.${a}`)}</option>`)}
              </select>
            </label>
            <label
              >${t("counter.clock.time")}
              <input name="at" type="datetime-local" .value=${form.at} @input=${(e: Event) => {
                change({ at: value(e) });
              }}
            /></label>`
    }
    <label
      >${t("counter.clock.reason")}
      <input name="reason" type="text" maxlength="140" autocomplete="off" required .value=${form.reason} @input=${(
        e: Event,
      ) => {
        change({ reason: value(e) });
      }}
    /></label>
  `;
}
