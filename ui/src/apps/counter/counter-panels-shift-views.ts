/**
 * How galley-counter-shift draws a shift's figures, its movements, the result of a close, a kept
 * X or Z report and the list of past shifts. Pure templates: the element owns the state and
 * passes what to do on a press.
 */
import { html, nothing } from "lit";
import type {
  CashMovementView,
  CashReportView,
  CashSessionsResponse,
  CashShiftView,
  CashSummary,
} from "../../../../protocol/index.ts";
import { formatMoney } from "../../data/format.ts";
import type { Translate } from "../../i18n/index.ts";
import { formatTime } from "./counter-panels-shared.ts";

type PastShift = CashSessionsResponse["shifts"][number];

/** Money in the screen's language. */
export type Money = (minor: number) => string;

export function moneyOf(currency: string, language: string): Money {
  return (minor) => formatMoney(minor, currency, language);
}

/** Over (+), short (−) or even, with the word beside the colour. */
export function overShortText(t: Translate, money: Money, overShort: number): string {
  if (overShort > 0) return t("counter.shift.over", { amount: money(overShort) });
  if (overShort < 0) return t("counter.shift.short", { amount: money(-overShort) });
  return t("counter.shift.even");
}

/** The figures of a summary: float, cash sales and refunds, in and out, expected (or hidden). */
export function summaryFigures(t: Translate, money: Money, summary: CashSummary, blind: boolean) {
  const expected =
    summary.expected === null || blind
      ? html`<span class="muted" data-testid="expected-hidden">${t("counter.shift.hiddenUntilCount")}</span>`
      : money(summary.expected);
  return html`<dl class="figures" data-testid="shift-summary">
    <dt>${t("counter.shift.float")}</dt>
    <dd data-figure="float">${money(summary.openingFloat)}</dd>
    <dt>${t("counter.shift.cashSales", { count: summary.cashSalesCount })}</dt>
    <dd data-figure="cashSales">${money(summary.cashSales)}</dd>
    <dt>${t("counter.shift.cashRefunds", { count: summary.cashRefundsCount })}</dt>
    <dd data-figure="cashRefunds">${money(summary.cashRefunds)}</dd>
    <dt>${t("counter.shift.cashIn")}</dt>
    <dd data-figure="cashIn">${money(summary.cashIn)}</dd>
    <dt>${t("counter.shift.cashOut")}</dt>
    <dd data-figure="cashOut">${money(summary.cashOut)}</dd>
    <dt>${t("counter.shift.expected")}</dt>
    <dd data-figure="expected">${expected}</dd>
    ${
      summary.counted === null
        ? nothing
        : html`<dt>${t("counter.shift.counted")}</dt>
            <dd data-figure="counted">${money(summary.counted)}</dd>`
    }
    ${
      summary.overShort === null
        ? nothing
        : html`<dt>${t("counter.shift.overShort")}</dt>
            <dd data-figure="overShort">${overShortText(t, money, summary.overShort)}</dd>`
    }
  </dl>`;
}

/** Cash in and out of the shift, oldest first: who, when, why. */
export function movementsTable(t: Translate, money: Money, movements: readonly CashMovementView[], language: string) {
  if (movements.length === 0) return html`<p class="muted">${t("counter.shift.noMovements")}</p>`;
  return html`<table data-testid="movements">
    <caption class="visually-hidden">${t("counter.shift.movements")}</caption>
    <thead>
      <tr>
        <th scope="col">${t("counter.shift.when")}</th>
        <th scope="col">${t("counter.shift.type")}</th>
        <th scope="col" class="num">${t("counter.shift.amount")}</th>
        <th scope="col">${t("counter.shift.reason")}</th>
        <th scope="col">${t("counter.shift.who")}</th>
      </tr>
    </thead>
    <tbody>
      ${movements.map(
        (m) => html`<tr data-movement=${m.type}>
          <td>${formatTime(m.at, language)}</td>
          <td>${m.type === "cash_in" ? t("counter.shift.cashIn") : t("counter.shift.cashOut")}</td>
          <td class="num">${m.type === "cash_out" ? "−" : "+"}${money(m.amount)}</td>
          <td>${m.reason}</td>
          <td>${m.by.name}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A kept report: its paper (when there is a preview) and its figures as text. */
export function reportView(t: Translate, report: CashReportView, previewUrl: string | undefined, language: string) {
  const money = moneyOf(report.summary.currency, language);
  const title = report.kind === "z" ? t("counter.shift.zReport") : t("counter.shift.xReport");
  return html`<section class="report" data-testid=${`report-${report.kind}`} aria-label=${title}>
    <h3>${title} · ${formatTime(report.at, language)}</h3>
    <div class="report-body">
      ${
        previewUrl
          ? html`<img class="paper" src=${previewUrl} alt=${t("counter.shift.paperAlt", { report: title })} />`
          : report.printJobId
            ? nothing
            : html`<p class="muted">${t("counter.shift.notPrinted")}</p>`
      }
      <div>
        ${summaryFigures(t, money, report.summary, false)}
        <p class="muted">${t("counter.shift.takenAll", { amount: money(report.summary.totalTaken), count: report.summary.orders })}</p>
        ${
          report.summary.otherMethods.length === 0
            ? nothing
            : html`<ul class="methods">
                ${report.summary.otherMethods.map(
                  (m) =>
                    html`<li>${t("counter.shift.method", { method: m.method, count: m.count, amount: money(m.amount + m.tips - m.refunds) })}</li>`,
                )}
              </ul>`
        }
      </div>
    </div>
  </section>`;
}

/** After a close: expected, counted and over/short in big type (red when short). */
export function closeResultView(t: Translate, shift: CashShiftView, language: string) {
  const money = moneyOf(shift.summary.currency, language);
  const overShort = shift.summary.overShort ?? 0;
  const tone = overShort < 0 ? "short" : overShort > 0 ? "over" : "even";
  return html`<div class="result" data-testid="close-result">
    <dl class="figures big">
      <dt>${t("counter.shift.expected")}</dt>
      <dd data-figure="expected">${shift.summary.expected === null ? "—" : money(shift.summary.expected)}</dd>
      <dt>${t("counter.shift.counted")}</dt>
      <dd data-figure="counted">${shift.summary.counted === null ? "—" : money(shift.summary.counted)}</dd>
    </dl>
    <p class="over-short ${tone}" data-testid="over-short" role="status">${overShortText(t, money, overShort)}</p>
  </div>`;
}

/** Past and open shifts, newest first; each opens with its movements and reports. */
export function pastShiftsTable(
  t: Translate,
  shifts: readonly PastShift[],
  currency: string,
  language: string,
  openedId: string | undefined,
  open: (id: string) => void,
) {
  if (shifts.length === 0) return html`<p class="muted">${t("counter.shift.noPast")}</p>`;
  const money = moneyOf(currency, language);
  return html`<table data-testid="past-shifts">
    <caption class="visually-hidden">${t("counter.shift.past")}</caption>
    <thead>
      <tr>
        <th scope="col">${t("counter.shift.opened")}</th>
        <th scope="col">${t("counter.shift.closed")}</th>
        <th scope="col">${t("counter.shift.who")}</th>
        <th scope="col" class="num">${t("counter.shift.counted")}</th>
        <th scope="col" class="num">${t("counter.shift.overShort")}</th>
        <th scope="col"><span class="visually-hidden">${t("counter.shift.show")}</span></th>
      </tr>
    </thead>
    <tbody>
      ${shifts.map(
        (s) => html`<tr data-shift=${s.id}>
          <td>${formatTime(s.openedAt, language)}</td>
          <td>${s.status === "open" ? t("counter.shift.stillOpen") : formatTime(s.closedAt, language)}</td>
          <td>${s.openedBy.name}</td>
          <td class="num">${s.counted === null ? "—" : money(s.counted)}</td>
          <td class="num ${s.overShort !== null && s.overShort < 0 ? "short" : ""}">${s.overShort === null ? "—" : overShortText(t, money, s.overShort)}</td>
          <td>
            <button class="btn" type="button" aria-expanded=${openedId === s.id ? "true" : "false"} aria-label=${t("counter.shift.showNamed", { when: formatTime(s.openedAt, language) })} @click=${() => {
              open(s.id);
            }}>${t("counter.shift.show")}</button>
          </td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A past shift opened from the list: its figures, movements and reports, one report shown. */
export function pastShiftView(
  t: Translate,
  shift: CashShiftView,
  language: string,
  report: { report: CashReportView | undefined; preview: string | undefined; show: (id: string) => void },
) {
  const money = moneyOf(shift.summary.currency, language);
  return html`<section class="opened" aria-labelledby="opened-title" data-testid="opened-shift">
    <h3 id="opened-title">${t("counter.shift.openedTitle", { when: formatTime(shift.openedAt, language) })}</h3>
    ${summaryFigures(t, money, shift.summary, shift.blind)} ${movementsTable(t, money, shift.movements, language)}
    <ul class="reports">
      ${shift.reports.map(
        (r) => html`<li>
          <button class="btn" type="button" @click=${() => {
            report.show(r.id);
          }}>${r.kind === "z" ? t("counter.shift.zReport") : t("counter.shift.xReport")} · ${formatTime(r.at, language)}</button>
        </li>`,
      )}
    </ul>
    ${report.report?.shiftId === shift.id ? reportView(t, report.report, report.preview, language) : nothing}
  </section>`;
}
