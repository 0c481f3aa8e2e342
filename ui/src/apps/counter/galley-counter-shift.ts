/**
 * The counter's cash shift (`cash:operate`). No shift open: "Open shift" with the opening float.
 * A shift open: its figures (the expected cash hidden until the count on a blind close), who put
 * cash in or took it out and why, and the buttons Cash in, Cash out, X report and Close shift.
 * Closing is a count — notes and coins, or a plain total — and answers with expected, counted
 * and over/short in big type beside the Z report's paper. Past shifts below, each openable with
 * its movements and reports. A movement's id is made once per entry: pressing again after no
 * answer sends the same id, so galleyd records it once.
 */
import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type {
  CashCloseResponse,
  CashReportView,
  CashSessionsResponse,
  CashShiftView,
  Principal,
} from "../../../../protocol/index.ts";
import type { ApiClient } from "../../data/api.ts";
import { newOrderId } from "../../data/ids.ts";
import { translator, type Translate } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import {
  createCashMove,
  createShift,
  createShiftClose,
  createXReport,
  fetchOpenShift,
  fetchReport,
  fetchShift,
  fetchShifts,
} from "./counter-panels-endpoints.ts";
import { countedTotal, type CountState } from "./counter-panels-shift-close.ts";
import { shiftDialog, type MoveForm, type ShiftDialog, type ShiftDialogParts } from "./counter-panels-shift-dialog.ts";
import { countedDenominations, denominationsOf } from "./counter-panels-denominations.ts";
import { parseMoney } from "./counter-panels-money.ts";
import {
  allows,
  failureText,
  formatTime,
  outcomeUnknown,
  panel,
  PanelReader,
  showDialog,
} from "./counter-panels-shared.ts";
import {
  closeResultView,
  moneyOf,
  movementsTable,
  pastShiftView,
  pastShiftsTable,
  reportView,
  summaryFigures,
} from "./counter-panels-shift-views.ts";
import { ReportPaper } from "./counter-panels-report-paper.ts";
import { shiftStyles } from "./counter-panels-shift-styles.ts";

type Dialog = ShiftDialog;

const EMPTY_COUNT: CountState = { mode: "denominations", counts: new Map(), total: "", note: "" };

@customElement("galley-counter-shift")
export class GalleyCounterShift extends LitElement {
  static override styles = [base, buttons, panel, shiftStyles];

  @property({ attribute: false }) api?: ApiClient;
  @property({ attribute: false }) me?: Principal;
  @property() language = "en";

  /** The open shift; null when none is open; undefined until loaded. */
  @state() shift: CashShiftView | null | undefined;
  @state() past: CashSessionsResponse["shifts"] = [];
  @state() dialog: Dialog | undefined;
  @state() float = "";
  @state() move: MoveForm = { amount: "", reason: "", id: newOrderId() };
  @state() count: CountState = EMPTY_COUNT;
  @state() closed: CashCloseResponse | undefined;
  /** The X report just printed. */
  @state() xReport: CashReportView | undefined;
  /** A report of a past shift, opened from its list. */
  @state() pastReport: CashReportView | undefined;
  @state() opened: CashShiftView | undefined;
  @state() busy = false;
  @state() error = "";
  @state() dialogError = "";
  @state() note = "";

  /** The currency of the figures: the shift's, else the last known. */
  #currency = "EUR";
  /** The paper of the report shown last. */
  readonly #paper = new ReportPaper(this);
  readonly #reader = new PanelReader(this);

  override updated(): void {
    showDialog(this.renderRoot);
  }

  /** Reads the open shift and the past shifts again. */
  async refresh(): Promise<void> {
    if (!allows(this.me, "cash:operate")) return;
    await this.#reader.read(async (api) => {
      const [shift, past] = await Promise.all([fetchOpenShift(api), fetchShifts(api)]);
      this.shift = shift ?? null;
      if (shift) this.#currency = shift.summary.currency;
      this.past = past;
    });
  }

  get #t(): Translate {
    return translator(this.language);
  }

  override render() {
    const t = this.#t;
    if (!allows(this.me, "cash:operate"))
      return html`<section class="panel"><p class="muted">${t("counter.shift.notAllowed")}</p></section>`;
    return html`<section class="panel" aria-labelledby="shift-title" data-testid="shift-panel">
      <div class="head">
        <h2 id="shift-title">${t("counter.shift.title")}</h2>
        ${this.#renderActions(t)}
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="note" role="status" data-testid="shift-note">${this.note}</p>
      ${this.#renderBody(t)}
      ${this.xReport ? reportView(t, this.xReport, this.#paper.urlOf(this.xReport), this.language) : nothing}
      <h3>${t("counter.shift.past")}</h3>
      ${pastShiftsTable(t, this.past, this.#currency, this.language, this.opened?.id, (id) => {
        void this.#openPast(id);
      })}
      ${
        this.opened
          ? pastShiftView(t, this.opened, this.language, {
              report: this.pastReport,
              preview: this.#paper.urlOf(this.pastReport),
              show: (id) => {
                void this.#showReport(id);
              },
            })
          : nothing
      }
      ${
        this.dialog
          ? shiftDialog(t, {
              dialog: this.dialog,
              shift: this.shift,
              currency: this.shift?.summary.currency ?? this.#currency,
              language: this.language,
              float: this.float,
              move: this.move,
              count: this.count,
              busy: this.busy,
              error: this.dialogError,
              on: this.#dialogHandlers,
            })
          : nothing
      }
    </section>`;
  }

  #renderActions(t: Translate) {
    if (!this.shift) return nothing;
    return html`<div class="row">
      <button class="btn" type="button" ?disabled=${this.busy} @click=${() => {
        this.#openDialog("cash_in");
      }}>${t("counter.shift.cashIn")}</button>
      <button class="btn" type="button" ?disabled=${this.busy} @click=${() => {
        this.#openDialog("cash_out");
      }}>${t("counter.shift.cashOut")}</button>
      ${
        // A blind close keeps the figures from the cashier until the count: no X report either.
        this.shift.blind
          ? nothing
          : html`<button class="btn" type="button" ?disabled=${this.busy} @click=${this.#xReport}>${t("counter.shift.xReport")}</button>`
      }
      <button class="btn primary" type="button" ?disabled=${this.busy} @click=${() => {
        this.#openDialog("close");
      }}>${t("counter.shift.close")}</button>
    </div>`;
  }

  #renderBody(t: Translate) {
    if (this.closed) {
      const { shift, report } = this.closed;
      return html`<section class="closed" aria-labelledby="closed-title">
        <h3 id="closed-title">${t("counter.shift.closedTitle")}</h3>
        ${closeResultView(t, shift, this.language)}
        ${reportView(t, report, this.#paper.urlOf(report), this.language)}
        <div class="row">
          <button class="btn primary" type="button" @click=${this.#startOver}>${t("counter.shift.next")}</button>
        </div>
      </section>`;
    }
    if (this.shift === undefined) return html`<p class="muted">${t("counter.panel.loading")}</p>`;
    if (this.shift === null)
      return html`<div class="empty">
        <p>${t("counter.shift.none")}</p>
        <button class="btn primary big" type="button" @click=${() => {
          this.#openDialog("open");
        }}>${t("counter.shift.open")}</button>
      </div>`;
    const shift = this.shift;
    const money = moneyOf(shift.summary.currency, this.language);
    return html`
      <p class="muted">${t("counter.shift.openSince", { when: formatTime(shift.openedAt, this.language), name: shift.openedBy.name })}</p>
      ${summaryFigures(t, money, shift.summary, shift.blind)}
      <h3>${t("counter.shift.movements")}</h3>
      ${movementsTable(t, money, shift.movements, this.language)}
    `;
  }

  #openDialog(dialog: Dialog): void {
    this.dialog = dialog;
    this.dialogError = "";
    this.note = "";
    if (dialog === "open") this.float = "";
    if (dialog === "cash_in" || dialog === "cash_out") this.move = { amount: "", reason: "", id: newOrderId() };
    if (dialog === "close")
      this.count = {
        ...EMPTY_COUNT,
        mode: denominationsOf(this.shift?.summary.currency ?? "").length > 0 ? "denominations" : "total",
      };
  }

  readonly #dialogHandlers: ShiftDialogParts["on"] = {
    float: (text) => {
      this.float = text;
    },
    move: (patch) => {
      this.move = { ...this.move, ...patch };
    },
    count: (count) => {
      this.count = count;
    },
    submit: (event) => {
      void this.#submit(event);
    },
    close: () => {
      this.#closeDialog();
    },
    cancel: (event) => {
      event.preventDefault();
      this.#closeDialog();
    },
  };

  readonly #closeDialog = (): void => {
    if (this.busy) return;
    this.dialog = undefined;
  };

  readonly #submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const api = this.api;
    const dialog = this.dialog;
    if (!api || !dialog || this.busy) return;
    const t = this.#t;
    const currency = this.shift?.summary.currency ?? this.#currency;
    let work: (() => Promise<void>) | undefined;
    if (dialog === "open") {
      const float = this.float.trim() === "" ? 0 : parseMoney(this.float, currency);
      if (float === undefined) {
        this.dialogError = t("counter.shift.amountInvalid");
        return;
      }
      work = async () => {
        this.shift = await createShift(api, float);
        this.note = t("counter.shift.openedNote");
      };
    } else if (dialog === "close") {
      const denominations = this.count.mode === "denominations" ? countedDenominations(this.count.counts) : undefined;
      const counted =
        this.count.mode === "denominations" ? countedTotal(this.count) : parseMoney(this.count.total, currency);
      if (counted === undefined) {
        this.dialogError = t("counter.shift.countInvalid");
        return;
      }
      const note = this.count.note.trim();
      work = async () => {
        const result = await createShiftClose(api, {
          counted,
          ...(denominations ? { denominations } : {}),
          ...(note ? { note } : {}),
        });
        this.closed = result;
        this.shift = null;
        this.xReport = undefined;
        this.#paper.load(this.api, result.report);
      };
    } else {
      const amount = parseMoney(this.move.amount, currency);
      const reason = this.move.reason.trim();
      if (amount === undefined || amount < 1) {
        this.dialogError = t("counter.shift.amountInvalid");
        return;
      }
      if (!reason) {
        this.dialogError = t("counter.shift.reasonMissing");
        return;
      }
      // Changed values after an unanswered send are a new movement: a new id.
      const sent = this.move.sent;
      const id = sent && (sent.amount !== amount || sent.reason !== reason) ? newOrderId() : this.move.id;
      this.move = { ...this.move, id, sent: { amount, reason } };
      work = async () => {
        await createCashMove(api, { id, type: dialog, amount, reason });
        this.note = t(dialog === "cash_in" ? "counter.shift.cashInDone" : "counter.shift.cashOutDone");
      };
    }
    this.busy = true;
    this.dialogError = "";
    try {
      await work();
      this.dialog = undefined;
      await this.refresh();
    } catch (error) {
      this.dialogError = outcomeUnknown(error) ? t("counter.panel.uncertain") : failureText(t, error);
    } finally {
      this.busy = false;
    }
  };

  readonly #xReport = async (): Promise<void> => {
    const api = this.api;
    if (!api || this.busy) return;
    this.busy = true;
    this.error = "";
    try {
      const report = await createXReport(api);
      this.xReport = report;
      this.note = this.#t("counter.shift.xDone");
      this.#paper.load(this.api, report);
      await this.refresh();
    } catch (error) {
      this.error = failureText(this.#t, error);
    } finally {
      this.busy = false;
    }
  };

  readonly #startOver = (): void => {
    this.closed = undefined;
    this.#paper.clear();
    void this.refresh();
  };

  async #openPast(id: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    if (this.opened?.id === id) {
      this.opened = undefined;
      return;
    }
    try {
      this.opened = await fetchShift(api, id);
    } catch (error) {
      this.error = failureText(this.#t, error);
    }
  }

  async #showReport(id: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      const report = await fetchReport(api, id);
      this.pastReport = report;
      this.#paper.load(this.api, report);
    } catch (error) {
      this.error = failureText(this.#t, error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-shift": GalleyCounterShift;
  }
}
