/**
 * Taking payment for the placed order: what is due, big; cash (galley-counter-pay-cash.ts) or
 * card (galley-counter-pay-card.ts), for all of it or a part (the amount field: a split pays part
 * by card and the rest in cash, the remaining due shows after each payment). Refusals are said in
 * words; "no open cash shift" offers the Shift tab. Paid in full: the change to give back, the
 * receipt (galleyd prints it by itself, this says when it did) and "New order" (Enter).
 * Emits `counter-new-order` (also "Pay later": the order stays, unpaid, under Orders) and
 * `counter-tab` ("shift").
 */
import { LitElement, html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { PrintJobView } from "../../../../protocol/index.ts";
import type { ApiClient } from "../../data/api.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney, minorUnitsPer } from "../../data/format.ts";
import { translator, type Translate } from "../../i18n/index.ts";
import { base, buttons, spinner } from "../../styles/shared.ts";
import { isShown, isTyping } from "./counter-keys.ts";
import { fetchReceiptJobs } from "./counter-panels-endpoints.ts";
import type { CounterPayFlow } from "./counter-pay-flow.ts";
import { payStyles } from "./counter-pay-styles.ts";
import { failureText } from "./counter-text.ts";
import type { Ticket } from "./counter-ticket.ts";
import "./galley-counter-pay-card.ts";
import "./galley-counter-pay-cash.ts";
import type { GalleyCounterPayCash } from "./galley-counter-pay-cash.ts";

export type PayMethod = "cash" | "card";

/** How the receipt is doing: printing, printed, or it needs the printer looked at. */
type ReceiptState = "waiting" | "printed" | "problem" | "none";

/** Checks of the receipt's print job after the order is paid (one a second). */
const RECEIPT_CHECKS = 30;

/** "12.50" or "12,50" in major units → minor units; undefined when it is not an amount. */
export function parseAmount(text: string, currency: string): number | undefined {
  const clean = text.trim().replace(",", ".");
  if (!/^\d+(\.\d*)?$/.test(clean)) return undefined;
  const minor = Math.round(Number(clean) * minorUnitsPer(currency));
  return minor > 0 ? minor : undefined;
}

function receiptState(jobs: readonly PrintJobView[]): ReceiptState {
  if (jobs.length === 0) return "none";
  if (jobs.some((j) => j.state === "done")) return "printed";
  if (jobs.every((j) => ["held", "uncertain", "failed", "expired", "cancelled"].includes(j.state))) return "problem";
  return "waiting";
}

@customElement("galley-counter-pay")
export class GalleyCounterPay extends LitElement {
  static override styles = [base, buttons, spinner, payStyles];

  @property({ attribute: false }) flow?: CounterPayFlow;
  @property({ attribute: false }) ticket?: Ticket;
  @property({ attribute: false }) api?: ApiClient;
  @property() currency = "EUR";
  @property() language = "en";
  @property({ type: Number }) version = 0;
  @state() private method: PayMethod = "cash";
  /** The part to pay now, as typed; "" is all that is due. */
  @state() private partText = "";
  @state() private receipt: ReceiptState = "waiting";
  @query("galley-counter-pay-cash") private cash?: GalleyCounterPayCash;
  #receiptFor = "";

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("keydown", this.#onKey);
  }

  override disconnectedCallback(): void {
    window.removeEventListener("keydown", this.#onKey);
    super.disconnectedCallback();
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLElement>("#due-title")?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const flow = this.flow;
    const order = this.ticket?.order;
    if (changed.has("version") && flow?.paidInFull && order && this.#receiptFor !== order.id) {
      this.#receiptFor = order.id;
      void this.#watchReceipt(order.id);
      this.renderRoot.querySelector<HTMLElement>("[data-testid=new-order]")?.focus();
    }
  }

  override render() {
    const { flow, ticket } = this;
    const order = ticket?.order;
    if (!flow || !ticket || !order) return nothing;
    const t = translator(this.language);
    const money = (minor: number) => formatMoney(minor, this.currency, this.language);
    const summary = flow.summary;
    const due = flow.due ?? order.totals.total;
    const dueBox = html`<div class="due ${flow.paidInFull ? "paid" : ""}">
        <h2 id="due-title" tabindex="-1">${flow.paidInFull ? t("counter.paid") : t("counter.due")}</h2>
        <p class="big num" data-testid="amount-due">${money(flow.paidInFull ? (summary?.paid ?? 0) : due)}</p>
        <p class="sub">
          ${t("counter.orderNumber", { number: order.number })} · ${t("counter.total")} <span class="num">${money(order.totals.total)}</span>
          ${summary && summary.paid > 0 && !flow.paidInFull ? html` · ${t("counter.paidSoFar")} <span class="num" data-testid="paid-so-far">${money(summary.paid)}</span>` : nothing}
        </p>
      </div>`;
    return flow.paidInFull
      ? html`<section class="pay done" aria-labelledby="due-title">${dueBox}${this.#done(t, money)}</section>`
      : html`<section class="pay" aria-labelledby="due-title">${this.#taking(t, flow, due, money, dueBox)}</section>`;
  }

  #taking(t: Translate, flow: CounterPayFlow, due: number, money: (minor: number) => string, dueBox: unknown) {
    const parsed = parseAmount(this.partText, this.currency);
    const amount = Math.min(parsed ?? due, due);
    const busy = flow.activity !== "idle";
    // A card checkout under way (its id is kept on the ticket until it ended): the method stays.
    const cardRunning = this.ticket?.checkoutId !== undefined;
    const error = flow.error;
    return html`<div class="side">
      ${dueBox}
      <div class="methods" role="group" aria-label=${t("counter.method")}>
        ${(["cash", "card"] as const).map(
          (m) =>
            html`<button class="btn" type="button" aria-pressed=${this.method === m ? "true" : "false"} ?disabled=${busy || cardRunning} @click=${() => {
              this.method = m;
              flow.clearError();
            }}>${t(m === "cash" ? "counter.cash" : "counter.card")}</button>`,
        )}
      </div>
      <label class="part">
        <span>${t("counter.amountNow")}</span>
        <input
          type="text"
          inputmode="decimal"
          autocomplete="off"
          data-testid="pay-amount"
          placeholder=${money(due)}
          .value=${this.partText}
          ?disabled=${busy || cardRunning}
          @input=${(e: Event) => {
            this.partText = (e.target as HTMLInputElement).value;
          }}
        />
        ${this.partText && parsed === undefined ? html`<span class="error">${t("counter.amountInvalid")}</span>` : nothing}
        ${parsed !== undefined && parsed > due ? html`<span class="error">${t("counter.amountCapped", { amount: money(due) })}</span>` : nothing}
      </label>
      ${flow.trouble && flow.activity === "cash" ? html`<p class="notice" role="status">${t("counter.retrying")}</p>` : nothing}
      ${
        error && !busy
          ? html`<div class="error" role="alert">
              <p>${failureText(t, error)}</p>
              ${
                error.code === "cash_shift_required"
                  ? html`<button class="btn" type="button" @click=${() => fireEvent(this, "counter-tab", "shift")}>${t("counter.toShift")}</button>`
                  : nothing
              }
              ${
                this.ticket?.pendingCash
                  ? html`<button class="btn" type="button" @click=${() => void flow.resume()}>${t("counter.tryAgain")}</button>`
                  : nothing
              }
            </div>`
          : nothing
      }
      <div class="later">
        <button class="btn ghost" type="button" ?disabled=${busy || cardRunning} @click=${() => fireEvent(this, "counter-new-order")}>${t("counter.payLater")}</button>
      </div>
      </div>
      ${
        this.method === "cash"
          ? html`<galley-counter-pay-cash
              .amount=${amount}
              .currency=${this.currency}
              .language=${this.language}
              .busy=${busy}
              @counter-cash=${(e: CustomEvent<{ amount: number; tendered: number }>) => {
                void this.#payCash(e.detail.amount, e.detail.tendered);
              }}
            ></galley-counter-pay-cash>`
          : html`<galley-counter-pay-card
              .api=${this.api}
              .ticket=${this.ticket}
              .amount=${amount}
              .currency=${this.currency}
              .language=${this.language}
              @counter-card-done=${() => {
                this.partText = "";
                void flow.refresh();
              }}
            ></galley-counter-pay-card>`
      }
    `;
  }

  #done(t: Translate, money: (minor: number) => string) {
    const change = this.flow?.lastCash?.change ?? 0;
    const receipt: Record<ReceiptState, string> = {
      waiting: t("counter.receipt.printing"),
      printed: t("counter.receipt.printed"),
      problem: t("counter.receipt.problem"),
      none: t("counter.receipt.none"),
    };
    return html`
      ${
        change > 0
          ? html`<div class="change" aria-live="polite"><span>${t("counter.cash.change")}</span><span class="num" data-testid="change-given">${money(change)}</span></div>`
          : nothing
      }
      <p class="receipt" role="status" data-testid="receipt" data-state=${this.receipt}>${receipt[this.receipt]}</p>
      <button class="btn primary big" type="button" data-testid="new-order" aria-keyshortcuts="Enter" @click=${() => fireEvent(this, "counter-new-order")}>
        ${t("counter.newOrder")} <kbd aria-hidden="true">Enter</kbd>
      </button>
    `;
  }

  async #payCash(amount: number, tendered: number): Promise<void> {
    const payment = await this.flow?.payCash(amount, tendered);
    if (payment) {
      this.partText = "";
      this.cash?.clear();
    }
  }

  async #watchReceipt(orderId: string): Promise<void> {
    this.receipt = "waiting";
    for (let check = 0; check < RECEIPT_CHECKS && this.#receiptFor === orderId && this.isConnected; check += 1) {
      try {
        const state = receiptState(this.api ? await fetchReceiptJobs(this.api, orderId) : []);
        if (this.#receiptFor !== orderId) return;
        if (state === "printed" || state === "problem") {
          this.receipt = state;
          return;
        }
      } catch {
        // No answer: ask again.
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    if (this.#receiptFor === orderId && this.receipt === "waiting") this.receipt = "none";
  }

  readonly #onKey = (event: KeyboardEvent): void => {
    if (event.key !== "Enter" || !this.flow?.paidInFull || !isShown(this) || isTyping(event)) return;
    if (event.composedPath()[0] instanceof HTMLButtonElement) return;
    event.preventDefault();
    fireEvent(this, "counter-new-order");
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-pay": GalleyCounterPay;
  }
  interface GalleyDomEvents {
    "counter-new-order": undefined;
    "counter-tab": string;
  }
}
