/**
 * Payments (`orders:read`): the latest payments, newest first — order number, method, amount,
 * refunded, what is left, status — searchable by order number. With `orders:refund` (managers)
 * each payment with something left has "Refund…": a small form with the amount (what is left)
 * and a reason (required). One submission has one Idempotency-Key: pressing Refund again after
 * no answer sends the same key, so it can never refund twice; changed values or a definite answer
 * make the next submission a new one. A card refund waits for the customer at the terminal (up to
 * about a minute) and says so. Afterwards the list is read again and the note says what is left.
 * The refund's rules (the amount typed, the key, refusals in words) are in payments-refund.ts.
 */
import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { RecentPayment } from "../../../../protocol/index.ts";
import { formatMoney } from "../../data/format.ts";
import { translator, type Translate } from "../../i18n/index.ts";
import { base, buttons, spinner } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText, formatWhen } from "./admin-shared.ts";
import { createRefund, fetchRecentPayments } from "./payments-endpoints.ts";
import {
  outcomeUnknown,
  parseAmount,
  plainAmount,
  refundFailureText,
  submissionFor,
  type RefundForm,
  type RefundSubmission,
} from "./payments-refund.ts";

const LIMIT = 50;

@customElement("galley-admin-payments")
export class GalleyAdminPayments extends AdminCard {
  static override styles = [
    base,
    buttons,
    spinner,
    card,
    css`
      .search {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--g-space-2) var(--g-space-3);
        margin-bottom: var(--g-space-3);
      }
      label {
        display: grid;
        gap: var(--g-space-1);
        font-weight: 650;
      }
      .field {
        display: grid;
        gap: var(--g-space-1);
        align-content: start;
        min-width: 0;
      }
      input {
        min-height: 2.75rem;
        padding: 0 0.7rem;
        border-radius: var(--g-radius-small);
        border: 2px solid var(--g-line);
        background: var(--g-bg);
      }
      input:focus-visible {
        outline: none;
        box-shadow: var(--g-focus);
      }
      input[aria-invalid="true"] {
        border-color: var(--g-danger);
      }
      .search input {
        width: 9rem;
      }
      td.num,
      th.num {
        text-align: right;
      }
      tr.open td {
        background: var(--g-accent-soft);
      }
      form.refund {
        display: grid;
        gap: var(--g-space-3);
        padding: var(--g-space-3);
        border: 2px solid var(--g-accent);
        border-radius: var(--g-radius);
        background: var(--g-bg);
      }
      form.refund h3 {
        margin: 0;
      }
      .fields {
        display: grid;
        grid-template-columns: minmax(12rem, 16rem) minmax(14rem, 1fr);
        gap: var(--g-space-3) var(--g-space-4);
      }
      .fields input {
        box-sizing: border-box;
        width: 100%;
        min-width: 0;
      }
      .hint {
        font-weight: 400;
        font-size: 0.9rem;
        color: var(--g-ink-soft);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--g-space-3);
      }
      .waiting {
        display: flex;
        align-items: center;
        gap: var(--g-space-3);
        font-weight: 700;
      }
    `,
  ];

  /** May refund (`orders:refund`); otherwise the list only. */
  @property({ type: Boolean }) canRefund = false;
  @state() payments: RecentPayment[] | undefined;
  /** The order number searched for, or undefined for the latest of all. */
  @state() number: number | undefined;
  @state() search = "";
  @state() form: RefundForm | undefined;
  @state() refunding = false;
  @state() loading = false;
  @state() note = "";
  @state() error = "";
  /** The form's problem (an invalid amount, a refused or unanswered refund). */
  @state() formError = "";
  /** The amount typed is not one that can be refunded. */
  @state() amountInvalid = false;
  #submission: RefundSubmission | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override render() {
    const t = translator(this.language);
    return this.renderCard(
      html`<button class="btn" type="button" ?disabled=${this.loading} @click=${() => {
        void this.#load();
      }}>${t("diag.refresh")}</button>`,
      html`
        <form class="search" role="search" @submit=${this.#find}>
          <label>${t("pay.search")}<input name="number" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="off" .value=${this.search} @input=${(
            e: Event,
          ) => {
            this.search = (e.target as HTMLInputElement).value;
          }} /></label>
          <button class="btn" type="submit">${t("pay.find")}</button>
          ${
            this.number === undefined
              ? nothing
              : html`<button class="btn ghost" type="button" @click=${this.#showAll}>${t("pay.showAll")}</button>`
          }
        </form>
        ${this.#renderList(t)}
        <p role="status" class="note" data-testid="payments-note">${this.note}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  #renderList(t: Translate) {
    const payments = this.payments;
    if (payments === undefined) return html`<p>${t("pay.loading")}</p>`;
    if (payments.length === 0)
      return html`<p>${this.number === undefined ? t("pay.none") : t("pay.noneFor", { number: this.number })}</p>`;
    return html`
      ${this.number === undefined ? nothing : html`<p>${t("pay.shownFor", { number: this.number })}</p>`}
      <table aria-labelledby=${this.titleId} data-testid="payments">
        <thead>
          <tr>
            <th scope="col">${t("pay.order")}</th>
            <th scope="col">${t("pay.when")}</th>
            <th scope="col">${t("pay.method")}</th>
            <th scope="col" class="num">${t("pay.amount")}</th>
            <th scope="col" class="num">${t("pay.refunded")}</th>
            <th scope="col" class="num">${t("pay.left")}</th>
            <th scope="col">${t("pay.status")}</th>
            ${this.canRefund ? html`<th scope="col"><span class="visually-hidden">${t("pay.refund")}</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${payments.map((payment) => this.#renderPayment(t, payment))}
        </tbody>
      </table>
    `;
  }

  #renderPayment(t: Translate, payment: RecentPayment) {
    const money = (minor: number) => formatMoney(minor, payment.currency, this.language);
    const open = this.form?.payment.id === payment.id;
    const state = payment.refunded === 0 ? "paid" : payment.refundable === 0 ? "refunded" : ("partly" as const);
    const method = this.#method(t, payment);
    return html`
      <tr class=${open ? "open" : ""} data-payment=${payment.id} data-order=${payment.orderNumber}>
        <td class="num">${payment.orderNumber}</td>
        <td>${formatWhen(payment.createdAt, this.language)}</td>
        <td>${method}${payment.terminal ? html`<div class="muted">${payment.terminal}</div>` : nothing}</td>
        <td class="num">${money(payment.amount + payment.tip)}${payment.tip > 0 ? html`<div class="muted">${t("pay.tip", { amount: money(payment.tip) })}</div>` : nothing}</td>
        <td class="num" data-testid="refunded">${money(payment.refunded)}</td>
        <td class="num" data-testid="left">${money(payment.refundable)}</td>
        <td>
          <span class="badge ${state === "paid" ? "tone-ok" : "tone-warn"}">${t(`pay.state.${state}`)}</span>
          <div class="muted">${t("pay.orderStatus", { status: t(`status.${payment.orderStatus}`) })}</div>
        </td>
        ${
          this.canRefund
            ? html`<td>${
                payment.refundable > 0
                  ? html`<button class="btn" type="button" ?disabled=${this.refunding} aria-expanded=${open ? "true" : "false"} aria-label=${t("pay.refundNamed", { number: payment.orderNumber, method, amount: money(payment.amount + payment.tip) })} @click=${() => {
                      this.#open(payment);
                    }}>${t("pay.refund")}</button>`
                  : nothing
              }</td>`
            : nothing
        }
      </tr>
      ${open ? html`<tr><td colspan=${this.canRefund ? 8 : 7}>${this.#renderForm(t)}</td></tr>` : nothing}
    `;
  }

  #renderForm(t: Translate) {
    const form = this.form;
    if (!form) return nothing;
    const { payment } = form;
    const money = (minor: number) => formatMoney(minor, payment.currency, this.language);
    const title = t("pay.refundTitle", {
      number: payment.orderNumber,
      method: this.#method(t, payment),
      amount: money(payment.amount + payment.tip),
    });
    return html`<form class="refund" novalidate aria-labelledby="refund-title" data-testid="refund-form" @submit=${this.#submit}>
      <h3 id="refund-title">${title}</h3>
      <div class="fields">
        <div class="field">
          <label for="refund-amount">${t("pay.refundAmount", { currency: payment.currency })}</label>
          <input id="refund-amount" name="amount" type="text" inputmode="decimal" autocomplete="off" required aria-describedby="refund-max" aria-invalid=${this.amountInvalid ? "true" : "false"} .value=${form.amount} ?disabled=${this.refunding} @input=${(
            e: Event,
          ) => {
            this.#edit({ amount: (e.target as HTMLInputElement).value });
          }} />
          <span class="hint" id="refund-max">${t("pay.refundMax", { amount: money(payment.refundable) })}</span>
        </div>
        <div class="field">
          <label for="refund-reason">${t("pay.reason")}</label>
          <input id="refund-reason" name="reason" type="text" maxlength="200" autocomplete="off" required aria-describedby="refund-reason-hint" .value=${form.reason} ?disabled=${this.refunding} @input=${(
            e: Event,
          ) => {
            this.#edit({ reason: (e.target as HTMLInputElement).value });
          }} />
          <span class="hint" id="refund-reason-hint">${t("pay.reasonHint")}</span>
        </div>
      </div>
      ${
        this.refunding
          ? html`<p class="waiting" role="status"><span class="spinner" aria-hidden="true"></span>${payment.method === "card" && payment.terminal ? t("pay.refundingCard") : t("pay.refunding")}</p>`
          : nothing
      }
      ${this.formError ? html`<p class="error" role="alert" data-testid="refund-error">${this.formError}</p>` : nothing}
      <div class="row">
        <button class="btn primary" type="submit" ?disabled=${this.refunding}>${t("pay.refundSubmit")}</button>
        <button class="btn" type="button" ?disabled=${this.refunding} @click=${this.#close}>${t("pay.close")}</button>
      </div>
    </form>`;
  }

  #method(t: Translate, payment: RecentPayment): string {
    return t(`pay.method.${payment.method}`);
  }

  async #load(): Promise<void> {
    this.loading = true;
    try {
      this.payments = await fetchRecentPayments(this.api, {
        limit: LIMIT,
        ...(this.number === undefined ? {} : { number: this.number }),
      });
      this.error = "";
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    } finally {
      this.loading = false;
    }
  }

  readonly #find = (event: Event): void => {
    event.preventDefault();
    const text = this.search.trim();
    const number = Number(text);
    this.number = text !== "" && Number.isInteger(number) && number > 0 ? number : undefined;
    this.payments = undefined;
    void this.#load();
  };

  readonly #showAll = (): void => {
    this.number = undefined;
    this.search = "";
    this.payments = undefined;
    void this.#load();
  };

  #open(payment: RecentPayment): void {
    this.form = { payment, amount: plainAmount(payment.refundable, payment.currency), reason: "" };
    this.formError = "";
    this.amountInvalid = false;
    this.note = "";
    this.#submission = undefined;
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector<HTMLInputElement>("#refund-amount")?.focus();
    });
  }

  #edit(change: Partial<Omit<RefundForm, "payment">>): void {
    if (this.form) this.form = { ...this.form, ...change };
  }

  readonly #close = (): void => {
    this.form = undefined;
    this.formError = "";
    this.#submission = undefined;
  };

  readonly #submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = this.form;
    if (!form || this.refunding) return;
    const t = translator(this.language);
    const { payment } = form;
    const amount = parseAmount(form.amount, payment.currency);
    const reason = form.reason.trim();
    this.amountInvalid = amount === undefined || amount < 1 || amount > payment.refundable;
    if (amount === undefined || this.amountInvalid) {
      this.formError = t("pay.amountInvalid", {
        min: formatMoney(1, payment.currency, this.language),
        max: formatMoney(payment.refundable, payment.currency, this.language),
      });
      return;
    }
    if (!reason) {
      this.formError = t("pay.reasonMissing");
      return;
    }
    const submission = submissionFor(this.#submission, payment.id, amount, reason);
    this.#submission = submission;
    this.refunding = true;
    this.formError = "";
    try {
      const refund = await createRefund(this.api, payment.id, { amount, reason }, submission.key);
      this.#submission = undefined;
      this.form = undefined;
      await this.#load();
      const left = this.payments?.find((p) => p.id === payment.id)?.refundable ?? payment.refundable - refund.amount;
      const money = (minor: number) => formatMoney(minor, refund.currency, this.language);
      this.note =
        left > 0
          ? t("pay.refundDone", { amount: money(refund.amount), number: payment.orderNumber, left: money(left) })
          : t("pay.refundDoneAll", { amount: money(refund.amount), number: payment.orderNumber });
    } catch (error) {
      if (outcomeUnknown(error)) {
        this.formError = t("pay.uncertain");
      } else {
        // A definite answer: the next press is a new submission.
        this.#submission = undefined;
        this.formError = refundFailureText(t, error);
      }
    } finally {
      this.refunding = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-payments": GalleyAdminPayments;
  }
}
