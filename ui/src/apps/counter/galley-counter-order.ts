/**
 * The "New order" tab: the item grid (galley-counter-order-menu.ts) beside the ticket
 * (galley-counter-order-ticket.ts); a dish with options or a combo opens the kiosk's own item
 * page (galley-kiosk-item, the same choices and rules), a plain one goes straight on the ticket.
 * "Pay" places the order and the grid gives way to the payment (galley-counter-pay.ts) until it is
 * paid or left for later; then a new, empty ticket. The ticket and its payment live in the app
 * (they outlive this tab and a reload); this element shows them and turns taps into changes.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { ApiClient } from "../../data/api.ts";
import type { GalleyDomEvent } from "../../data/fire-event.ts";
import { createDraft, lineTotal, type LineDraft } from "../../data/line-draft.ts";
import type { MenuCatalog, Product } from "../../data/menu-catalog.ts";
import { localized, translator } from "../../i18n/index.ts";
import { base } from "../../styles/shared.ts";
import "../kiosk/galley-kiosk-item.ts";
import { showOnPoleDisplay } from "./counter-endpoints.ts";
import type { CounterPayFlow } from "./counter-pay-flow.ts";
import type { Ticket } from "./counter-ticket.ts";
import "./galley-counter-order-menu.ts";
import type { GalleyCounterOrderMenu } from "./galley-counter-order-menu.ts";
import "./galley-counter-order-ticket.ts";
import "./galley-counter-pay.ts";

interface ItemDialog {
  product: Product;
  /** The ticket line being changed, with its choices. */
  key?: string;
  draft?: LineDraft;
}

@customElement("galley-counter-order")
export class GalleyCounterOrder extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        position: relative;
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(22rem, 28rem);
        gap: var(--g-space-4);
        height: 100%;
        min-height: 0;
      }
      .main {
        display: grid;
        min-height: 0;
      }
      .scrim {
        position: absolute;
        inset: 0;
        z-index: 20;
        background: var(--g-scrim-warm);
      }
      .scrim galley-kiosk-item {
        position: absolute;
        inset: 0 max(0px, calc(50% - 30rem));
        background: transparent;
      }
    `,
  ];

  @property({ attribute: false }) ticket?: Ticket;
  @property({ attribute: false }) flow?: CounterPayFlow;
  @property({ attribute: false }) catalog?: MenuCatalog;
  @property({ attribute: false }) api?: ApiClient;
  @property() language = "en";
  @property({ type: Number }) version = 0;
  @state() private dialog: ItemDialog | undefined;
  @state() private announcement = "";
  @query("galley-counter-order-menu") private menu?: GalleyCounterOrderMenu;

  /** `/`: the cursor in the search box (when the grid shows). */
  focusSearch(): boolean {
    if (!this.menu || this.dialog) return false;
    this.menu.focusSearch();
    return true;
  }

  /** F9: place the ticket and take payment. */
  pay(): void {
    if (this.dialog || !this.ticket || this.ticket.isEmpty || this.ticket.order) return;
    void this.flow?.place();
  }

  override render() {
    const { ticket, flow, catalog } = this;
    if (!ticket || !flow || !catalog) return nothing;
    const t = translator(this.language);
    const paying = ticket.order !== undefined;
    return html`
      <div class="main" ?inert=${this.dialog !== undefined}>
        ${
          paying
            ? html`<galley-counter-pay
                .flow=${flow}
                .ticket=${ticket}
                .api=${this.api}
                .currency=${catalog.currency}
                .language=${this.language}
                .version=${this.version}
                @counter-new-order=${this.#newOrder}
              ></galley-counter-pay>`
            : html`<galley-counter-order-menu .catalog=${catalog} .language=${this.language} @counter-pick=${this.#pick}></galley-counter-order-menu>`
        }
      </div>
      <galley-counter-order-ticket
        ?inert=${this.dialog !== undefined}
        .ticket=${ticket}
        .flow=${flow}
        .catalog=${catalog}
        .language=${this.language}
        .version=${this.version}
        @counter-pay=${() => {
          this.pay();
        }}
        @counter-clear=${() => {
          ticket.clear();
          this.announcement = t("counter.cleared");
        }}
        @counter-edit-line=${this.#editLine}
      ></galley-counter-order-ticket>
      ${this.dialog ? this.#renderDialog(catalog, this.dialog) : nothing}
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
    `;
  }

  #renderDialog(catalog: MenuCatalog, dialog: ItemDialog) {
    return html`<div class="scrim">
      <galley-kiosk-item
        .catalog=${catalog}
        .language=${this.language}
        .product=${dialog.product}
        .initial=${dialog.draft}
        .editing=${dialog.key !== undefined}
        @close=${this.#closeDialog}
        @line-commit=${(e: GalleyDomEvent<"line-commit">) => {
          e.stopPropagation();
          this.#commit(e.detail, dialog);
        }}
      ></galley-kiosk-item>
    </div>`;
  }

  readonly #pick = (event: GalleyDomEvent<"counter-pick">): void => {
    const catalog = this.catalog;
    const product = event.detail;
    if (!catalog || !this.ticket) return;
    const plain = product.kind === "item" && catalog.groupsOf(product.item).length === 0;
    if (plain) this.#commit(createDraft(catalog, product), { product });
    else this.dialog = { product };
  };

  readonly #editLine = (event: GalleyDomEvent<"counter-edit-line">): void => {
    const line = this.ticket?.lines.find((l) => l.key === event.detail);
    const product = line && this.catalog?.product(line.draft.productId);
    if (line && product) this.dialog = { product, key: line.key, draft: line.draft };
  };

  #commit(draft: LineDraft, dialog: ItemDialog): void {
    const ticket = this.ticket;
    if (!ticket) return;
    if (dialog.key) ticket.replace(dialog.key, draft);
    else ticket.add(draft);
    const name = localized(draft.name, this.language, this.catalog?.languages[0]);
    this.announcement = translator(this.language)("counter.added", { name, count: draft.quantity });
    // The customer sees the line just added on the pole display (when the store has one).
    if (this.api && this.catalog)
      showOnPoleDisplay(this.api, { name, quantity: draft.quantity, amount: lineTotal(this.catalog, draft) });
    if (this.dialog) this.#closeDialog();
  }

  readonly #closeDialog = (): void => {
    this.dialog = undefined;
    void this.updateComplete.then(() => this.menu?.focusSearch());
  };

  readonly #newOrder = (): void => {
    this.ticket?.clear();
    this.flow?.reset();
    this.announcement = "";
    void this.updateComplete.then(() => {
      this.menu?.reset();
      this.menu?.focusSearch();
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-order": GalleyCounterOrder;
  }
}
