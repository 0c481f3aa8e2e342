/**
 * galley-counter-shift's modal dialog: open a shift (the float), cash in or out (amount and a
 * required reason), or close it (the count, counter-panels-shift-close.ts). A native `<dialog>`
 * shown modal: focus moves into it, Enter submits, Escape cancels. Pure template: the element
 * owns the values and what each change and the submit do.
 */
import { html, nothing } from "lit";
import type { CashMoveType, CashShiftView } from "../../../../protocol/index.ts";
import type { Translate } from "../../i18n/index.ts";
import { countForm, type CountState } from "./counter-panels-shift-close.ts";
import { moneyOf } from "./counter-panels-shift-views.ts";

export type ShiftDialog = "open" | CashMoveType | "close";

/** A cash movement being entered; `id` stays while the outcome of a send is unknown. */
export interface MoveForm {
  amount: string;
  reason: string;
  id: string;
  sent?: { amount: number; reason: string };
}

export interface ShiftDialogParts {
  dialog: ShiftDialog;
  shift: CashShiftView | null | undefined;
  currency: string;
  language: string;
  float: string;
  move: MoveForm;
  count: CountState;
  busy: boolean;
  error: string;
  on: {
    float: (text: string) => void;
    move: (patch: Partial<MoveForm>) => void;
    count: (count: CountState) => void;
    submit: (event: Event) => void;
    close: () => void;
    cancel: (event: Event) => void;
  };
}

const TITLES = {
  open: "counter.shift.open",
  close: "counter.shift.close",
  cash_in: "counter.shift.cashIn",
  cash_out: "counter.shift.cashOut",
} as const;

const SUBMITS = {
  open: "counter.shift.openSubmit",
  close: "counter.shift.closeSubmit",
  cash_in: "counter.shift.save",
  cash_out: "counter.shift.save",
} as const;

export function shiftDialog(t: Translate, parts: ShiftDialogParts) {
  const { dialog, busy, on } = parts;
  return html`<dialog aria-labelledby="dialog-title" data-testid="shift-dialog" @cancel=${on.cancel}>
    <form novalidate @submit=${on.submit}>
      <h2 id="dialog-title">${t(TITLES[dialog])}</h2>
      ${fields(t, parts)}
      ${parts.error ? html`<p class="error" role="alert" data-testid="dialog-error">${parts.error}</p>` : nothing}
      <div class="row">
        <button class="btn primary" type="submit" ?disabled=${busy}>${t(SUBMITS[dialog])}</button>
        <button class="btn" type="button" ?disabled=${busy} @click=${on.close}>${t("counter.panel.cancel")}</button>
      </div>
    </form>
  </dialog>`;
}

function fields(t: Translate, parts: ShiftDialogParts) {
  const { dialog, currency, on } = parts;
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  if (dialog === "open")
    return html`<label
      >${t("counter.shift.floatLabel", { currency })}
      <input name="float" type="text" inputmode="decimal" autocomplete="off" .value=${parts.float} @input=${(
        e: Event,
      ) => {
        on.float(value(e));
      }}
    /></label>`;
  if (dialog === "close") {
    const { shift, count } = parts;
    const money = moneyOf(currency, parts.language);
    return html`
      ${
        shift && !shift.blind && shift.summary.expected !== null
          ? html`<p>${t("counter.shift.expectedIs", { amount: money(shift.summary.expected) })}</p>`
          : nothing
      }
      ${countForm(
        t,
        money,
        currency,
        count,
        {
          mode: (mode) => {
            on.count({ ...count, mode });
          },
          count: (denomination, text) => {
            on.count({ ...count, counts: new Map(count.counts).set(denomination, text) });
          },
          total: (total) => {
            on.count({ ...count, total });
          },
          note: (note) => {
            on.count({ ...count, note });
          },
        },
        parts.busy,
      )}
    `;
  }
  return html`
    <label
      >${t("counter.shift.amountLabel", { currency })}
      <input name="amount" type="text" inputmode="decimal" autocomplete="off" required .value=${parts.move.amount} @input=${(
        e: Event,
      ) => {
        on.move({ amount: value(e) });
      }}
    /></label>
    <label
      >${t("counter.shift.reason")}
      <input name="reason" type="text" maxlength="140" autocomplete="off" required .value=${parts.move.reason} @input=${(
        e: Event,
      ) => {
        on.move({ reason: value(e) });
      }}
    /></label>
  `;
}
