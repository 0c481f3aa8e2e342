/**
 * Today's orders at the counter, newest first, searchable by number, reference or name. A row
 * opens the order: its lines and totals, status history, payments and refunds, and what may be
 * done with it — reprint the receipt (a COPY), cancel it with a reason while its next states allow
 * it (`orders:cancel`), refund a payment fully or in part with a reason (`orders:refund`; galleyd
 * gives cash back from the drawer and card money back on its terminal or provider), or take
 * payment for what is still due (`counter-pay-order`: the order tab takes it). A refund keeps
 * its Idempotency-Key while its outcome is unknown, so pressing again never refunds twice.
 */
import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { OrderDetail, OrderView, PaymentView, PaymentsSummary, Principal } from "../../../../protocol/index.ts";
import type { ApiClient } from "../../data/api.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { createReprint } from "../../data/endpoints.ts";
import { formatMoney } from "../../data/format.ts";
import { newOrderId } from "../../data/ids.ts";
import { translator, type Translate } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { createRefund } from "../admin/payments-endpoints.ts";
import {
  fetchOrder,
  fetchOrderPayments,
  fetchReceiptJobs,
  fetchTodaysOrders,
  updateOrderCancelled,
} from "./counter-panels-endpoints.ts";
import { orderLines, ordersStyles, paymentMethod, paymentsView, statusHistory } from "./counter-panels-order-views.ts";
import { parseMoney, plainMoney } from "./counter-panels-money.ts";
import {
  allows,
  failureText,
  formatTime,
  outcomeUnknown,
  panel,
  PanelReader,
  showDialog,
} from "./counter-panels-shared.ts";

type Dialog = { kind: "cancel" } | { kind: "refund"; payment: PaymentView };

/**
 * What a search matches: digits are the order's number ("12" is order 12, not every reference
 * with a 12 in its date); anything else a part of the reference ("7QK2") or of the name to call.
 */
export function matchesOrder(order: OrderView, query: string): boolean {
  const q = query.trim().toLowerCase().replace(/^#/, "");
  if (q === "") return true;
  if (/^\d+$/.test(q)) return String(order.number) === q;
  return order.ref.toLowerCase().includes(q) || (order.pickupName ?? "").toLowerCase().includes(q);
}

@customElement("galley-counter-orders")
export class GalleyCounterOrders extends LitElement {
  static override styles = [base, buttons, panel, ordersStyles];

  @property({ attribute: false }) api?: ApiClient;
  @property({ attribute: false }) me?: Principal;
  @property() language = "en";

  @state() orders: OrderView[] | undefined;
  @state() date = "";
  @state() search = "";
  @state() selected: OrderDetail | undefined;
  @state() payments: PaymentsSummary | undefined;
  @state() receiptJob: string | undefined;
  @state() dialog: Dialog | undefined;
  @state() amount = "";
  @state() reason = "";
  @state() busy = false;
  @state() error = "";
  @state() dialogError = "";
  @state() note = "";

  /** The refund sent last, kept while its outcome is unknown: the same values send the same key. */
  #refundSent: { paymentId: string; amount: number; reason: string; key: string } | undefined;
  /** One key per reprint press of an order, so a retried tap gives the same copy. */
  #reprintKey = newOrderId();
  readonly #reader = new PanelReader(this);

  override updated(): void {
    showDialog(this.renderRoot);
  }

  /** Reads today's orders again, and the open order with them. */
  async refresh(): Promise<void> {
    const read = await this.#reader.read(async (api) => {
      const { date, orders } = await fetchTodaysOrders(api);
      this.date = date;
      this.orders = orders;
    });
    if (read && this.selected) await this.#load(this.selected.id);
  }

  get #t(): Translate {
    return translator(this.language);
  }

  override render() {
    const t = this.#t;
    return html`<section class="panel" aria-labelledby="orders-title" data-testid="orders-panel">
      <div class="head">
        <h2 id="orders-title">${this.date ? t("counter.orders.titleOf", { date: this.date }) : t("counter.orders.title")}</h2>
        <button class="btn" type="button" @click=${() => void this.refresh()}>${t("counter.panel.refresh")}</button>
      </div>
      <label
        >${t("counter.orders.search")}
        <input type="search" autocomplete="off" .value=${this.search} @input=${(e: Event) => {
          this.search = (e.target as HTMLInputElement).value;
        }}
      /></label>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="note" role="status" data-testid="orders-note">${this.note}</p>
      <div class="layout">
        <div class="list">${this.#renderList(t)}</div>
        ${this.selected ? this.#renderDetail(t, this.selected) : nothing}
      </div>
      ${this.dialog ? this.#renderDialog(t, this.dialog) : nothing}
    </section>`;
  }

  #renderList(t: Translate) {
    if (!this.orders) return html`<p class="muted">${t("counter.panel.loading")}</p>`;
    const shown = this.orders.filter((o) => matchesOrder(o, this.search));
    if (shown.length === 0) return html`<p class="muted">${t("counter.orders.none")}</p>`;
    return html`<table data-testid="orders">
      <caption class="visually-hidden">${t("counter.orders.title")}</caption>
      <thead>
        <tr>
          <th scope="col" class="num">${t("counter.orders.number")}</th>
          <th scope="col">${t("counter.orders.when")}</th>
          <th scope="col">${t("counter.orders.name")}</th>
          <th scope="col">${t("counter.orders.status")}</th>
          <th scope="col" class="num">${t("counter.orders.total")}</th>
        </tr>
      </thead>
      <tbody>
        ${shown.map(
          (o) => html`<tr data-order=${o.number} aria-current=${this.selected?.id === o.id ? "true" : "false"}>
            <td class="num">
              <button class="btn" type="button" aria-label=${t("counter.orders.openNamed", { number: o.number })} @click=${() => void this.#load(o.id)}>${o.number}</button>
            </td>
            <td>${formatTime(o.createdAt, this.language)}</td>
            <td>${o.pickupName ?? ""}<div class="muted">${o.ref}</div></td>
            <td>${t(`status.${o.status}`)}</td>
            <td class="num">${formatMoney(o.totals.total, o.totals.currency, this.language)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #renderDetail(t: Translate, order: OrderDetail) {
    const canCancel = allows(this.me, "orders:cancel") && order.next.includes("cancelled");
    const canRefund = allows(this.me, "orders:refund");
    const refund = canRefund
      ? (payment: PaymentView) => {
          this.#openRefund(payment);
        }
      : undefined;
    return html`<section class="detail" aria-labelledby="order-title" data-testid="order-detail">
      <div class="head">
        <h3 id="order-title">${t("counter.orders.detailTitle", { number: order.number })} · ${t(`status.${order.status}`)}</h3>
      </div>
      <p class="muted">${order.ref}${order.pickupName ? ` · ${order.pickupName}` : ""}</p>
      <div class="row">
        ${
          this.payments && this.payments.due > 0 && order.next.length > 0 && allows(this.me, "payments:take")
            ? html`<button class="btn primary" type="button" @click=${() => {
                fireEvent(this, "counter-pay-order", order);
              }}>${t("counter.orders.takePayment", { amount: formatMoney(this.payments.due, order.totals.currency, this.language) })}</button>`
            : nothing
        }
        ${
          allows(this.me, "print:receipts") || allows(this.me, "print:manage")
            ? html`<button class="btn" type="button" ?disabled=${this.busy || !this.receiptJob} @click=${this.#reprint}>${t("counter.orders.reprint")}</button>`
            : nothing
        }
        ${
          canCancel
            ? html`<button class="btn danger" type="button" ?disabled=${this.busy} @click=${() => {
                this.#openDialog({ kind: "cancel" });
              }}>${t("counter.orders.cancel")}</button>`
            : nothing
        }
      </div>
      ${this.receiptJob ? nothing : html`<p class="muted">${t("counter.orders.noReceipt")}</p>`}
      ${orderLines(t, order, this.language)}
      <h4>${t("counter.orders.history")}</h4>
      ${statusHistory(t, order, this.language)}
      <h4>${t("counter.orders.payments")}</h4>
      ${this.payments ? paymentsView(t, this.payments, order.totals.currency, this.language, refund) : nothing}
    </section>`;
  }

  #renderDialog(t: Translate, dialog: Dialog) {
    const order = this.selected;
    if (!order) return nothing;
    const currency = order.totals.currency;
    const money = (minor: number) => formatMoney(minor, currency, this.language);
    const title =
      dialog.kind === "cancel"
        ? t("counter.orders.cancelTitle", { number: order.number })
        : t("counter.orders.refundTitle", { number: order.number, method: paymentMethod(t, dialog.payment) });
    return html`<dialog aria-labelledby="order-dialog-title" data-testid="order-dialog" @cancel=${this.#onCancel}>
      <form novalidate @submit=${this.#submit}>
        <h2 id="order-dialog-title">${title}</h2>
        ${
          dialog.kind === "refund"
            ? html`<label
                >${t("counter.orders.refundAmount", { currency })}
                <input name="amount" type="text" inputmode="decimal" autocomplete="off" required aria-describedby="refund-max" .value=${this.amount} @input=${(
                  e: Event,
                ) => {
                  this.amount = (e.target as HTMLInputElement).value;
                }}
              /></label>
              <p class="muted" id="refund-max">${t("counter.orders.refundMax", { amount: money(dialog.payment.refundable) })}</p>`
            : nothing
        }
        <label
          >${t("counter.orders.reason")}
          <input name="reason" type="text" maxlength="200" autocomplete="off" required .value=${this.reason} @input=${(
            e: Event,
          ) => {
            this.reason = (e.target as HTMLInputElement).value;
          }}
        /></label>
        ${this.dialogError ? html`<p class="error" role="alert" data-testid="order-dialog-error">${this.dialogError}</p>` : nothing}
        <div class="row">
          <button class="btn primary" type="submit" ?disabled=${this.busy}>${dialog.kind === "cancel" ? t("counter.orders.cancelSubmit") : t("counter.orders.refundSubmit")}</button>
          <button class="btn" type="button" ?disabled=${this.busy} @click=${this.#closeDialog}>${t("counter.panel.back")}</button>
        </div>
      </form>
    </dialog>`;
  }

  async #load(id: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      const [order, payments, receipts] = await Promise.all([
        fetchOrder(api, id),
        fetchOrderPayments(api, id),
        fetchReceiptJobs(api, id).catch(() => []),
      ]);
      if (this.selected?.id !== id) this.#reprintKey = newOrderId();
      this.selected = order;
      this.payments = payments;
      // The newest receipt that is not itself a copy: a copy of the original is what a customer asks for.
      this.receiptJob = (receipts.find((job) => job.copyOf === null) ?? receipts[0])?.id;
      this.error = "";
    } catch (error) {
      this.error = failureText(this.#t, error);
    }
  }

  #openDialog(dialog: Dialog): void {
    this.dialog = dialog;
    this.dialogError = "";
    this.reason = "";
    this.note = "";
  }

  #openRefund(payment: PaymentView): void {
    this.#openDialog({ kind: "refund", payment });
    this.amount = plainMoney(payment.refundable, payment.currency);
    this.#refundSent = undefined;
  }

  readonly #closeDialog = (): void => {
    if (!this.busy) this.dialog = undefined;
  };

  readonly #onCancel = (event: Event): void => {
    event.preventDefault();
    this.#closeDialog();
  };

  readonly #reprint = async (): Promise<void> => {
    const api = this.api;
    const job = this.receiptJob;
    if (!api || !job || this.busy) return;
    this.busy = true;
    try {
      await createReprint(api, job, this.#reprintKey);
      this.note = this.#t("counter.orders.reprinted", { number: this.selected?.number ?? "" });
      this.error = "";
    } catch (error) {
      this.error = failureText(this.#t, error);
    } finally {
      this.busy = false;
    }
  };

  readonly #submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const api = this.api;
    const dialog = this.dialog;
    const order = this.selected;
    if (!api || !dialog || !order || this.busy) return;
    const t = this.#t;
    const reason = this.reason.trim();
    let work: () => Promise<string>;
    if (dialog.kind === "cancel") {
      if (!reason) {
        this.dialogError = t("counter.orders.reasonMissing");
        return;
      }
      work = async () => {
        await updateOrderCancelled(api, order.id, reason);
        return t("counter.orders.cancelled", { number: order.number });
      };
    } else {
      const { payment } = dialog;
      const amount = parseMoney(this.amount, payment.currency);
      if (amount === undefined || amount < 1 || amount > payment.refundable) {
        this.dialogError = t("counter.orders.amountInvalid", {
          max: formatMoney(payment.refundable, payment.currency, this.language),
        });
        return;
      }
      if (!reason) {
        this.dialogError = t("counter.orders.reasonMissing");
        return;
      }
      const sent = this.#refundSent;
      const key =
        sent && sent.paymentId === payment.id && sent.amount === amount && sent.reason === reason
          ? sent.key
          : newOrderId();
      this.#refundSent = { paymentId: payment.id, amount, reason, key };
      work = async () => {
        const refund = await createRefund(api, payment.id, { amount, reason }, key);
        this.#refundSent = undefined;
        return t("counter.orders.refunded", {
          amount: formatMoney(refund.amount, refund.currency, this.language),
          number: order.number,
          route: t(`counter.orders.route.${refund.route}`),
        });
      };
    }
    this.busy = true;
    this.dialogError = "";
    try {
      this.note = await work();
      this.dialog = undefined;
      await this.refresh();
    } catch (error) {
      if (outcomeUnknown(error)) this.dialogError = t("counter.panel.uncertain");
      else {
        this.#refundSent = undefined;
        this.dialogError = failureText(t, error);
      }
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-orders": GalleyCounterOrders;
  }
  interface GalleyDomEvents {
    /** Take payment for what is still due on an order placed earlier (the counter's order tab does it). */
    "counter-pay-order": OrderView;
  }
}
