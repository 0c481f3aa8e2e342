/**
 * What the counter's panels share: their look (a light card with large touch targets, forms,
 * tables, a modal dialog), a failed request in words with its code (a cashier reads the words,
 * a technician on the phone asks for the code), how a panel reads its data, and times.
 */
import { css, type ReactiveController, type ReactiveControllerHost } from "lit";
import type { Permission, Principal } from "../../../../protocol/index.ts";
import { ApiError, type ApiClient } from "../../data/api.ts";
import { errorText, translator, type MessageKey, type Translate } from "../../i18n/index.ts";

export const panel = css`
  :host {
    display: block;
    min-width: 0;
    color: var(--g-ink);
  }
  .panel {
    display: grid;
    gap: var(--g-space-4);
    align-content: start;
    padding: var(--g-space-5);
    border-radius: var(--g-radius);
    background: var(--g-surface);
    border: 1px solid var(--g-line);
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--g-space-3);
  }
  .head h2 {
    margin-right: auto;
  }
  h2 {
    font-size: 1.4rem;
    font-weight: 800;
  }
  h3 {
    font-size: 1.1rem;
    font-weight: 750;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--g-space-3);
  }
  .muted {
    color: var(--g-ink-soft);
  }
  .error {
    color: var(--g-danger);
    font-weight: 700;
  }
  .note {
    font-weight: 650;
  }
  label,
  .field {
    display: grid;
    gap: var(--g-space-1);
    font-weight: 650;
    min-width: 0;
  }
  input,
  select,
  textarea {
    min-height: max(44px, var(--g-touch));
    padding: 0 0.8rem;
    border-radius: var(--g-radius-small);
    border: 2px solid var(--g-line);
    background: var(--g-bg);
    font-size: 1.1rem;
  }
  input[type="checkbox"] {
    min-height: 0;
    width: 1.6rem;
    height: 1.6rem;
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  button:focus-visible,
  [tabindex]:focus-visible {
    outline: none;
    box-shadow: var(--g-focus);
  }
  input[aria-invalid="true"] {
    border-color: var(--g-danger);
  }
  .btn {
    min-height: max(44px, var(--g-touch));
    border-radius: var(--g-radius-small);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: var(--g-space-2);
    border-bottom: 1px solid var(--g-line);
    vertical-align: middle;
  }
  th {
    color: var(--g-ink-soft);
    font-size: 0.9rem;
    font-weight: 650;
  }
  th.num,
  td.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  dl.figures {
    display: grid;
    grid-template-columns: auto auto;
    gap: var(--g-space-2) var(--g-space-5);
    margin: 0;
    justify-content: start;
  }
  dl.figures dt {
    color: var(--g-ink-soft);
  }
  dl.figures dd {
    margin: 0;
    text-align: right;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  dialog {
    width: min(40rem, 94vw);
    max-height: 92vh;
    padding: var(--g-space-5);
    border: 1px solid var(--g-line);
    border-radius: var(--g-radius);
    background: var(--g-surface);
    color: var(--g-ink);
  }
  dialog::backdrop {
    background: var(--g-scrim-warm);
  }
  dialog form {
    display: grid;
    gap: var(--g-space-4);
  }
`;

/** Codes of the cash, attendance and order calls with a sentence of their own. */
const FAILURES: Readonly<Record<string, MessageKey>> = {
  cash_shift_open: "counter.fail.cash_shift_open",
  cash_shift_required: "counter.fail.cash_shift_required",
  cash_shift_not_found: "counter.fail.cash_shift_not_found",
  cash_report_not_found: "counter.fail.cash_report_not_found",
  attendance_state: "counter.fail.attendance_state",
  attendance_entry_not_found: "counter.fail.attendance_entry_not_found",
  validation_failed: "counter.fail.validation_failed",
  forbidden: "counter.fail.forbidden",
  refund_exceeds_captured: "counter.fail.refund_exceeds_captured",
  terminal_declined: "counter.fail.terminal_declined",
  terminal_unavailable: "counter.fail.terminal_unavailable",
  provider_unreachable: "counter.fail.provider_unreachable",
  provider_declined: "counter.fail.provider_declined",
};

/** A failed request in words, followed by its code: "A shift is already open. (cash_shift_open)". */
export function failureText(t: Translate, error: unknown): string {
  const code = error instanceof ApiError ? error.code : "generic";
  const known = FAILURES[code];
  const forbidden = error instanceof ApiError && error.status === 403;
  const words = known ? t(known) : forbidden ? t("counter.fail.forbidden") : errorText(t, code);
  return code === "generic" ? words : `${words} (${code})`;
}

/** A request that got no answer: it may have been carried out, so the same one is sent again. */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 500 || error.status === 502 || error.status === 504;
}

export function allows(me: Principal | undefined, permission: Permission): boolean {
  return me?.permissions.includes(permission) ?? false;
}

/** A time of day ("14:05"), or a short date and time when it is not today. */
export function formatTime(iso: string | null | undefined, language: string, now = Date.now()): string {
  if (!iso) return "";
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return new Intl.DateTimeFormat(
    language,
    sameDay ? { hour: "2-digit", minute: "2-digit" } : { dateStyle: "short", timeStyle: "short" },
  ).format(at);
}

/** Minutes as hours and minutes: "3 h 05 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min`;
}

/**
 * Opens the panel's `<dialog>` as a modal once it is drawn (focus moves into it, the rest of the
 * page is inert, Escape fires `cancel`); a dialog no longer drawn is gone, and closed with it.
 */
export function showDialog(root: {
  querySelector(selector: "dialog"): { open: boolean; showModal(): void } | null;
}): void {
  const dialog = root.querySelector("dialog");
  if (dialog && !dialog.open) dialog.showModal();
}

/** A panel that reads its data with the signed-in person's api and says a failed read on its error line. */
export interface ReadingPanel extends ReactiveControllerHost {
  readonly api?: ApiClient | undefined;
  readonly language: string;
  error: string;
  /** Reads the panel's data again (with `PanelReader.read`). */
  refresh(): Promise<void>;
}

/**
 * How a panel reads its data: `refresh()` as soon as it has an api and again whenever it is given
 * another one (checked before each update, as `willUpdate` did), and `read`, which runs a read
 * with that api, clears the error line when it succeeds and puts a failure in words on it.
 */
export class PanelReader implements ReactiveController {
  readonly #host: ReadingPanel;
  #api: ApiClient | undefined;

  constructor(host: ReadingPanel) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdate(): void {
    const api = this.#host.api;
    if (api === this.#api) return;
    this.#api = api;
    if (api) void this.#host.refresh();
  }

  /** Runs `work` with the panel's api (nothing without one); true when it read without failing. */
  async read(work: (api: ApiClient) => Promise<void>): Promise<boolean> {
    const host = this.#host;
    const api = host.api;
    if (!api) return false;
    try {
      await work(api);
      host.error = "";
      return true;
    } catch (error) {
      host.error = failureText(translator(host.language), error);
      return false;
    }
  }
}
