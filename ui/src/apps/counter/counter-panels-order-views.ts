/**
 * How galley-counter-orders draws one order: its lines and totals, its status history (who, when,
 * why), its payments with what may still be refunded, and the refunds made; and the panel's
 * layout. Pure templates: the element owns the state and passes what a refund button does.
 */
import { css, html, nothing } from "lit";
import type { OrderDetail, PaymentView, PaymentsSummary } from "../../../../protocol/index.ts";
import { formatMoney } from "../../data/format.ts";
import { localized, type Translate } from "../../i18n/index.ts";
import { formatTime } from "./counter-panels-shared.ts";

/** The orders panel's layout: the list beside the open order (below it on a narrow screen). */
export const ordersStyles = css`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr);
        gap: var(--g-space-5);
        align-items: start;
      }
      @media (max-width: 60rem) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      .list {
        max-height: 70vh;
        overflow-y: auto;
      }
      tr[aria-current="true"] td {
        background: var(--g-accent-soft, var(--g-surface-2));
      }
      .detail {
        display: grid;
        gap: var(--g-space-4);
      }
      ol.history {
        display: grid;
        gap: var(--g-space-1);
      }
      ol.history li {
        display: flex;
        flex-wrap: wrap;
        gap: var(--g-space-3);
      }
      tr.total th,
      tr.total td {
        font-weight: 800;
        font-size: 1.1rem;
      }
      input[type="search"] {
        width: min(24rem, 100%);
      }
    `;

export function orderLines(t: Translate, order: OrderDetail, language: string) {
  const money = (minor: number) => formatMoney(minor, order.totals.currency, language);
  return html`<table data-testid="order-lines">
    <caption class="visually-hidden">${t("counter.orders.lines")}</caption>
    <thead>
      <tr>
        <th scope="col" class="num">${t("counter.orders.quantity")}</th>
        <th scope="col">${t("counter.orders.item")}</th>
        <th scope="col" class="num">${t("counter.orders.lineTotal")}</th>
      </tr>
    </thead>
    <tbody>
      ${order.lines.map(
        (line) => html`<tr>
          <td class="num">${line.quantity}×</td>
          <td>
            ${localized(line.name, language)}
            ${
              line.options.length + line.components.length === 0
                ? nothing
                : html`<div class="muted">
                    ${[
                      ...line.components.map((c) => localized(c.name, language)),
                      ...line.options.map((o) => localized(o.name, language)),
                    ].join(", ")}
                  </div>`
            }
            ${line.note ? html`<div class="muted">“${line.note}”</div>` : nothing}
          </td>
          <td class="num">${money(line.total)}</td>
        </tr>`,
      )}
    </tbody>
    <tfoot>
      ${
        order.totals.taxIncluded
          ? nothing
          : html`<tr>
              <th scope="row" colspan="2">${t("counter.orders.subtotal")}</th>
              <td class="num">${money(order.totals.subtotal)}</td>
            </tr>`
      }
      <tr>
        <th scope="row" colspan="2">${order.totals.taxIncluded ? t("counter.orders.taxIncluded") : t("counter.orders.tax")}</th>
        <td class="num">${money(order.totals.tax)}</td>
      </tr>
      <tr class="total">
        <th scope="row" colspan="2">${t("counter.orders.total")}</th>
        <td class="num" data-testid="order-total">${money(order.totals.total)}</td>
      </tr>
    </tfoot>
  </table>`;
}

export function statusHistory(t: Translate, order: OrderDetail, language: string) {
  return html`<ol class="history" data-testid="order-history">
    ${order.history.map(
      (change) => html`<li>
        <span class="when">${formatTime(change.at, language)}</span>
        <span>${t(`status.${change.to}`)}</span>
        <span class="muted">${change.actor.name}</span>
        ${change.reason ? html`<span class="reason">“${change.reason}”</span>` : nothing}
      </li>`,
    )}
  </ol>`;
}

export function paymentMethod(t: Translate, payment: PaymentView): string {
  return t(`counter.orders.method.${payment.method}`);
}

/** The order's payments (refund buttons with `orders:refund`) and its refunds. */
export function paymentsView(
  t: Translate,
  summary: PaymentsSummary,
  currency: string,
  language: string,
  refund: ((payment: PaymentView) => void) | undefined,
) {
  const money = (minor: number) => formatMoney(minor, currency, language);
  return html`
    <p data-testid="order-paid">
      ${t("counter.orders.paidDue", { paid: money(summary.paid), due: money(summary.due), refunded: money(summary.refunded) })}
    </p>
    ${
      summary.payments.length === 0
        ? html`<p class="muted">${t("counter.orders.noPayments")}</p>`
        : html`<table data-testid="order-payments">
            <caption class="visually-hidden">${t("counter.orders.payments")}</caption>
            <thead>
              <tr>
                <th scope="col">${t("counter.orders.when")}</th>
                <th scope="col">${t("counter.orders.method")}</th>
                <th scope="col" class="num">${t("counter.orders.amount")}</th>
                <th scope="col" class="num">${t("counter.orders.refundable")}</th>
                ${refund ? html`<th scope="col"><span class="visually-hidden">${t("counter.orders.refund")}</span></th>` : nothing}
              </tr>
            </thead>
            <tbody>
              ${summary.payments.map(
                (p) => html`<tr data-payment=${p.id}>
                  <td>${formatTime(p.createdAt, language)}</td>
                  <td>${paymentMethod(t, p)}${p.terminal ? html`<div class="muted">${p.terminal}</div>` : nothing}</td>
                  <td class="num">${money(p.amount + p.tip)}</td>
                  <td class="num">${money(p.refundable)}</td>
                  ${
                    refund
                      ? html`<td>
                          ${
                            p.refundable > 0
                              ? html`<button class="btn" type="button" aria-label=${t("counter.orders.refundNamed", { method: paymentMethod(t, p), amount: money(p.amount + p.tip) })} @click=${() => {
                                  refund(p);
                                }}>${t("counter.orders.refund")}</button>`
                              : nothing
                          }
                        </td>`
                      : nothing
                  }
                </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      summary.refunds.length === 0
        ? nothing
        : html`<h4>${t("counter.orders.refunds")}</h4>
            <ul class="refunds" data-testid="order-refunds">
              ${summary.refunds.map(
                (r) => html`<li>
                  ${formatTime(r.createdAt, language)} · ${money(r.amount)} · ${t(`counter.orders.route.${r.route}`)} ·
                  “${r.reason}” · ${r.takenBy.name}
                </li>`,
              )}
            </ul>`
    }
  `;
}
