/**
 * The ticket beside the item grid: its lines with their choices, quantity − / +, remove; eat in
 * or take away with a table or a name to call; what it comes to; "Pay" (F9), which places the
 * order. Once placed, it shows the order as galleyd priced it (lines, tax, total) and its number,
 * and nothing on it can change. Emits `counter-pay`, `counter-edit-line` (a line's key),
 * `counter-clear`; changes the ticket itself otherwise.
 */
import { LitElement, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { PricedLine } from "../../../../protocol/index.ts";
import { icon } from "../../components/icons.ts";
import { fireEvent } from "../../data/fire-event.ts";
import { formatMoney } from "../../data/format.ts";
import { lineTotal, type LineDraft } from "../../data/line-draft.ts";
import type { MenuCatalog } from "../../data/menu-catalog.ts";
import { localized, translator, type Translate } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import type { CounterPayFlow } from "./counter-pay-flow.ts";
import { failureText } from "./counter-text.ts";
import type { ServiceMode, Ticket } from "./counter-ticket.ts";
import { ticketStyles } from "./counter-ticket-styles.ts";

@customElement("galley-counter-order-ticket")
export class GalleyCounterOrderTicket extends LitElement {
  static override styles = [base, buttons, ticketStyles];

  @property({ attribute: false }) ticket?: Ticket;
  @property({ attribute: false }) flow?: CounterPayFlow;
  @property({ attribute: false }) catalog?: MenuCatalog;
  @property() language = "en";
  /** Bumped by the app with every change of the ticket or its payment, to draw them again. */
  @property({ type: Number }) version = 0;

  override render() {
    const { ticket, catalog, flow } = this;
    if (!ticket || !catalog || !flow) return nothing;
    const t = translator(this.language);
    const order = ticket.order;
    return html`<section class="ticket" aria-labelledby="ticket-title">
      <header>
        <h2 id="ticket-title">${order ? t("counter.orderNumber", { number: order.number }) : t("counter.ticket")}</h2>
        <span class="count">${t("counter.units", { count: order ? order.lines.reduce((n, l) => n + l.quantity, 0) : ticket.count })}</span>
        ${
          !ticket.locked && !ticket.isEmpty
            ? html`<button class="btn ghost small" type="button" @click=${() => fireEvent(this, "counter-clear")}>${icon("trash")}${t("counter.clear")}</button>`
            : nothing
        }
      </header>
      <ul class="lines" aria-label=${t("counter.lines")} data-testid="ticket-lines">
        ${order ? order.lines.map((line) => this.#placedLine(t, line)) : ticket.lines.map((line) => this.#line(t, catalog, line.key, line.draft))}
        ${!order && ticket.isEmpty ? html`<li class="empty">${t("counter.emptyTicket")}</li>` : nothing}
      </ul>
      ${order ? nothing : this.#service(t, ticket)}
      ${this.#totals(t, catalog)}
      ${this.#actions(t, ticket, flow)}
    </section>`;
  }

  #line(t: Translate, catalog: MenuCatalog, key: string, draft: LineDraft) {
    const name = localized(draft.name, this.language, catalog.languages[0]);
    const locked = this.ticket?.locked ?? true;
    const product = catalog.product(draft.productId);
    const editable =
      !locked && product !== undefined && (product.kind === "combo" || catalog.groupsOf(product.item).length > 0);
    const gone = product === undefined || !catalog.isProductAvailable(product);
    return html`<li class="line ${gone ? "gone" : ""}" data-line=${key}>
      <div class="what">
        ${gone ? html`<span class="tag">${t("item.soldOut")}</span>` : nothing}
        ${
          editable
            ? html`<button class="name link" type="button" aria-label=${t("counter.editLine", { name })} @click=${() => fireEvent(this, "counter-edit-line", key)}>${name}</button>`
            : html`<span class="name">${name}</span>`
        }
        ${this.#details(catalog, draft)}
      </div>
      <div class="qty" role="group" aria-label=${t("counter.quantityOf", { name })}>
        <button class="btn icon-btn" type="button" ?disabled=${locked} aria-label=${t("item.less")} @click=${() => this.ticket?.setQuantity(key, draft.quantity - 1)}>${icon("minus")}</button>
        <span class="num" aria-live="polite">${draft.quantity}</span>
        <button class="btn icon-btn" type="button" ?disabled=${locked} aria-label=${t("item.more")} @click=${() => this.ticket?.setQuantity(key, draft.quantity + 1)}>${icon("plus")}</button>
      </div>
      <span class="price num">${formatMoney(lineTotal(catalog, draft), catalog.currency, this.language)}</span>
      <button class="btn icon-btn ghost remove" type="button" ?disabled=${locked} aria-label=${t("counter.removeLine", { name })} @click=${() => this.ticket?.remove(key)}>${icon("close")}</button>
    </li>`;
  }

  /** A line's options, or a combo's choices with theirs: "Large, no onions" / "Fries (large) · Cola". */
  #details(catalog: MenuCatalog, draft: LineDraft) {
    const lang = this.language;
    const fallback = catalog.languages[0];
    const optionNames = (options: LineDraft["options"]) =>
      options.map((o) => localized(catalog.option(o.group, o.option)?.name, lang, fallback)).join(", ");
    const text =
      draft.kind === "item"
        ? optionNames(draft.options)
        : draft.slots
            .map((s) => {
              const item = localized(catalog.item(s.item)?.name, lang, fallback);
              const options = optionNames(s.options);
              return options ? `${item} (${options})` : item;
            })
            .join(" · ");
    return text ? html`<span class="details">${text}</span>` : nothing;
  }

  #placedLine(t: Translate, line: PricedLine) {
    const catalog = this.catalog;
    const fallback = catalog?.languages[0];
    const lang = this.language;
    const options = (list: PricedLine["options"]) => list.map((o) => localized(o.name, lang, fallback)).join(", ");
    const details =
      line.kind === "item"
        ? options(line.options)
        : line.components
            .map((c) => {
              const extra = options(c.options);
              const name = localized(c.name, lang, fallback);
              return extra ? `${name} (${extra})` : name;
            })
            .join(" · ");
    return html`<li class="line placed">
      <div class="what">
        <span class="name">${localized(line.name, lang, fallback)}</span>
        ${details ? html`<span class="details">${details}</span>` : nothing}
      </div>
      <span class="qty num" aria-label=${t("item.quantity")}>× ${line.quantity}</span>
      <span class="price num">${formatMoney(line.total, catalog?.currency ?? "EUR", lang)}</span>
    </li>`;
  }

  #service(t: Translate, ticket: Ticket) {
    const mode = ticket.serviceMode;
    const choose = (next: ServiceMode) => {
      ticket.setServiceMode(mode === next ? undefined : next);
    };
    return html`<div class="service">
      <div class="modes" role="group" aria-label=${t("counter.serviceMode")}>
        <button class="btn" type="button" aria-pressed=${mode === "eat_in" ? "true" : "false"} ?disabled=${ticket.locked} @click=${() => {
          choose("eat_in");
        }}>${t("counter.eatIn")}</button>
        <button class="btn" type="button" aria-pressed=${mode === "take_away" ? "true" : "false"} ?disabled=${ticket.locked} @click=${() => {
          choose("take_away");
        }}>${t("counter.takeAway")}</button>
      </div>
      <div class="fields">
        <label>
          <span>${t("counter.pickupName")}</span>
          <input type="text" maxlength="40" autocomplete="off" .value=${ticket.pickupName} ?disabled=${ticket.locked} @input=${(
            e: Event,
          ) => {
            ticket.setPickupName((e.target as HTMLInputElement).value);
          }} />
        </label>
        ${
          mode === "eat_in"
            ? html`<label class="table">
                <span>${t("counter.table")}</span>
                <input type="text" maxlength="12" autocomplete="off" .value=${ticket.table} ?disabled=${ticket.locked} @input=${(
                  e: Event,
                ) => {
                  ticket.setTable((e.target as HTMLInputElement).value);
                }} />
              </label>`
            : nothing
        }
      </div>
    </div>`;
  }

  #totals(t: Translate, catalog: MenuCatalog) {
    const ticket = this.ticket;
    if (!ticket) return nothing;
    const money = (minor: number) => formatMoney(minor, catalog.currency, this.language);
    const order = ticket.order;
    if (!order) {
      return html`<dl class="totals">
        <div class="total"><dt>${t("counter.subtotal")}</dt><dd class="num" data-testid="ticket-total">${money(ticket.subtotal(catalog))}</dd></div>
      </dl>`;
    }
    const totals = order.totals;
    return html`<dl class="totals">
      ${totals.taxIncluded ? nothing : html`<div><dt>${t("counter.subtotal")}</dt><dd class="num">${money(totals.subtotal)}</dd></div>`}
      ${totals.taxes.map(
        (tax) =>
          html`<div class="tax"><dt>${t(totals.taxIncluded ? "counter.taxIncluded" : "counter.tax", { rate: (tax.rateBasisPoints / 100).toLocaleString(this.language) })}</dt><dd class="num">${money(tax.amount)}</dd></div>`,
      )}
      <div class="total"><dt>${t("counter.total")}</dt><dd class="num" data-testid="ticket-total">${money(totals.total)}</dd></div>
    </dl>`;
  }

  #actions(t: Translate, ticket: Ticket, flow: CounterPayFlow) {
    if (ticket.order) return nothing;
    const placing = flow.activity === "placing";
    return html`<div class="actions">
      ${flow.trouble && placing ? html`<p class="notice" role="status">${t("counter.retrying")}</p>` : nothing}
      ${
        flow.error && !placing
          ? html`<p class="error" role="alert">${failureText(t, flow.error)}${
              ticket.sending
                ? html` <button class="btn small" type="button" @click=${() => fireEvent(this, "counter-pay")}>${t("counter.tryAgain")}</button>`
                : nothing
            }</p>`
          : nothing
      }
      <button class="btn primary big pay" type="button" data-testid="pay" aria-keyshortcuts="F9" ?disabled=${ticket.isEmpty || placing} @click=${() => fireEvent(this, "counter-pay")}>
        ${placing ? t("counter.placing") : t("counter.pay")} <kbd aria-hidden="true">F9</kbd>
      </button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-order-ticket": GalleyCounterOrderTicket;
  }
  interface GalleyDomEvents {
    "counter-pay": undefined;
    "counter-clear": undefined;
    "counter-edit-line": string;
  }
}
