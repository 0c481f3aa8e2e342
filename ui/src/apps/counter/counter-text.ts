/**
 * A failed request in the cashier's words. The shared error texts speak to customers ("Can't
 * reach the kitchen"); at the counter the same codes mean something to do: open a shift, wait
 * for galleyd, ask the customer for less. Codes without a counter text fall back to the shared ones.
 */
import { ApiError } from "../../data/api.ts";
import { errorText, type MessageKey, type Translate } from "../../i18n/index.ts";

const COUNTER_ERRORS: Readonly<Record<string, MessageKey>> = {
  network_error: "counter.error.offline",
  timeout: "counter.error.offline",
  shutting_down: "counter.error.offline",
  cash_shift_required: "counter.error.shiftRequired",
  payment_exceeds_due: "counter.error.exceedsDue",
  payment_in_progress: "counter.error.paymentInProgress",
  terminal_not_configured: "counter.error.noTerminal",
  terminal_unavailable: "counter.error.terminalUnavailable",
  kitchen_unreachable: "counter.error.kitchenUnreachable",
  forbidden: "counter.error.forbidden",
  item_sold_out: "counter.error.soldOut",
  option_sold_out: "counter.error.soldOut",
  out_of_stock: "counter.error.outOfStock",
};

export function failureText(t: Translate, error: unknown): string {
  const code = error instanceof ApiError ? error.code : "generic";
  const key = COUNTER_ERRORS[code];
  return key ? t(key) : errorText(t, code);
}
