/**
 * The count at the end of a shift, drawn for galley-counter-shift's close dialog: a table of the
 * currency's notes and coins (a count per row, the row's sum and the total beside it), or a plain
 * total for a currency without one or a cashier who counted otherwise.
 */
import { html, nothing } from "lit";
import type { Translate } from "../../i18n/index.ts";
import { countedDenominations, denominationsOf, denominationsTotal } from "./counter-panels-denominations.ts";
import type { Money } from "./counter-panels-shift-views.ts";

export interface CountState {
  /** Count notes and coins, or type the total. */
  mode: "denominations" | "total";
  /** Denomination value → the count as typed. */
  counts: ReadonlyMap<number, string>;
  total: string;
  note: string;
}

export interface CountHandlers {
  mode(mode: CountState["mode"]): void;
  count(value: number, text: string): void;
  total(text: string): void;
  note(text: string): void;
}

/** What the counted denominations come to, or undefined while a count is not a whole number. */
export function countedTotal(state: CountState): number | undefined {
  const denominations = countedDenominations(state.counts);
  return denominations ? denominationsTotal(denominations) : undefined;
}

export function countForm(
  t: Translate,
  money: Money,
  currency: string,
  state: CountState,
  on: CountHandlers,
  disabled: boolean,
) {
  const rows = denominationsOf(currency);
  const byDenominations = state.mode === "denominations" && rows.length > 0;
  const total = countedTotal(state);
  return html`
    ${
      rows.length > 0
        ? html`<div class="row" role="group" aria-label=${t("counter.shift.countHow")}>
            <button class="btn" type="button" aria-pressed=${byDenominations ? "true" : "false"} @click=${() => {
              on.mode("denominations");
            }}>${t("counter.shift.countNotes")}</button>
            <button class="btn" type="button" aria-pressed=${byDenominations ? "false" : "true"} @click=${() => {
              on.mode("total");
            }}>${t("counter.shift.countTotal")}</button>
          </div>`
        : nothing
    }
    ${
      byDenominations
        ? html`<div class="count-scroll">
            <table class="count" data-testid="denominations">
              <caption class="visually-hidden">${t("counter.shift.countNotes")}</caption>
              <thead>
                <tr>
                  <th scope="col">${t("counter.shift.denomination")}</th>
                  <th scope="col">${t("counter.shift.pieces")}</th>
                  <th scope="col" class="num">${t("counter.shift.rowSum")}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((row) => {
                  const text = state.counts.get(row.value) ?? "";
                  const count = /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : 0;
                  const label = t(row.kind === "note" ? "counter.shift.notesOf" : "counter.shift.coinsOf", {
                    value: money(row.value),
                  });
                  return html`<tr data-value=${row.value}>
                    <th scope="row">${label}</th>
                    <td>
                      <input type="text" inputmode="numeric" autocomplete="off" maxlength="6" aria-label=${label} .value=${text} ?disabled=${disabled} aria-invalid=${text.trim() !== "" && !/^\d{1,6}$/.test(text.trim()) ? "true" : "false"} @input=${(
                        e: Event,
                      ) => {
                        on.count(row.value, (e.target as HTMLInputElement).value);
                      }} />
                    </td>
                    <td class="num">${count > 0 ? money(count * row.value) : ""}</td>
                  </tr>`;
                })}
              </tbody>
            </table>
          </div>
          <p class="count-total" role="status" data-testid="counted-total">
            ${total === undefined ? t("counter.shift.countInvalid") : t("counter.shift.countedTotal", { amount: money(total) })}
          </p>`
        : html`<label
            >${t("counter.shift.countedLabel", { currency })}
            <input name="counted" type="text" inputmode="decimal" autocomplete="off" required .value=${state.total} ?disabled=${disabled} @input=${(
              e: Event,
            ) => {
              on.total((e.target as HTMLInputElement).value);
            }}
          /></label>`
    }
    <label
      >${t("counter.shift.closeNote")}
      <input name="note" type="text" maxlength="280" autocomplete="off" .value=${state.note} ?disabled=${disabled} @input=${(
        e: Event,
      ) => {
        on.note((e.target as HTMLInputElement).value);
      }}
    /></label>
  `;
}
