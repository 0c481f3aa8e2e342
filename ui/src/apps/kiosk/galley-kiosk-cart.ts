/**
 * The order so far, as the appliance has it: each line with its choices, quantity and the price
 * the appliance computed, whether it is reserved for this customer (stock hold), change / remove,
 * and a clear message on any line that cannot be ordered right now (sold out while it sat in the
 * cart). A line on its way to the appliance shows at once, marked as pending.
 * Emits `line-edit`, `add-more`, `checkout`; quantity and removal change the cart directly.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import "../../components/galley-quantity-stepper.ts";
import { pictureUrl } from "../../components/galley-product-card.ts";
import { icon } from "../../components/icons.ts";
import type { CartLine, CartProblem, CartSession } from "../../data/cart-session.ts";
import { fireEvent, type GalleyDomEvent } from "../../data/fire-event.ts";
import { formatClock, formatMoney } from "../../data/format.ts";
import { MAX_KIOSK_QUANTITY } from "../../data/line-draft.ts";
import type { MenuCatalog } from "../../data/menu-catalog.ts";
import { lineSummary, problemText } from "../../i18n/cart-text.ts";
import { localized, translator } from "../../i18n/index.ts";
import { base, buttons, page } from "../../styles/shared.ts";
import "./galley-kiosk-totals.ts";

const PENDING_TEXT = { adding: "cart.adding", updating: "cart.updating", removing: "cart.removing" } as const;

@customElement("galley-kiosk-cart")
export class GalleyKioskCart extends LitElement {
  static override styles = [
    base,
    buttons,
    page,
    css`
      h1 {
        margin-bottom: var(--g-space-4);
      }
      .empty {
        padding: var(--g-space-7) 0;
        color: var(--g-ink-soft);
        font-size: 1.3rem;
      }
      ul {
        display: grid;
        gap: 0.9rem;
      }
      li {
        display: grid;
        grid-template-columns: 6rem minmax(0, 1fr) auto;
        grid-template-areas: "pic text price" "pic controls controls";
        gap: 0.6rem 1rem;
        align-items: center;
        padding: var(--g-space-4);
        border-radius: var(--g-radius);
        background: var(--g-surface);
        border: 2px solid transparent;
        box-shadow: var(--g-shadow);
      }
      li.pending {
        opacity: 0.7;
      }
      li.problem {
        border-color: var(--g-danger);
        background: var(--g-danger-soft);
      }
      li img {
        grid-area: pic;
        width: 6rem;
        height: 4.5rem;
        object-fit: contain;
      }
      .text {
        grid-area: text;
        display: grid;
        gap: 0.2rem;
      }
      .name {
        font-size: 1.3rem;
        font-weight: 800;
      }
      .summary {
        color: var(--g-ink-soft);
      }
      .message {
        color: var(--g-danger);
        font-weight: 750;
      }
      .hold {
        color: var(--g-ok);
        font-weight: 650;
      }
      .stale {
        opacity: 0.55;
      }
      .price {
        grid-area: price;
        font-size: 1.3rem;
        font-weight: 850;
        align-self: start;
      }
      .controls {
        grid-area: controls;
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem;
        align-items: center;
      }
      footer {
        display: grid;
        gap: 0.9rem;
      }
      .actions {
        display: flex;
        gap: var(--g-space-4);
      }
      .actions .primary {
        flex: 1;
      }
      .fix {
        color: var(--g-danger);
        font-weight: 750;
      }
    `,
  ];

  @property({ attribute: false }) catalog?: MenuCatalog;
  @property({ attribute: false }) cart?: CartSession;
  /** Changes with every cart change (the cart object itself stays the same). */
  @property({ type: Number }) cartVersion = 0;
  @property() language = "en";

  override firstUpdated(): void {
    this.renderRoot.querySelector("h1")?.focus();
  }

  override render() {
    const { catalog, cart } = this;
    if (!catalog || !cart) return nothing;
    const t = translator(this.language);
    const problems = cart.problems(catalog);
    return html`
      <main>
        <h1 tabindex="-1">${t("cart.title")}</h1>
        ${
          cart.isEmpty
            ? html`<p class="empty">${t("cart.empty")}</p>`
            : html`<ul>
              ${repeat(
                cart.lines,
                (line) => line.key,
                (line) => this.#renderLine(catalog, cart, line, problems.get(line.key)),
              )}
            </ul>`
        }
      </main>
      <footer>
        <galley-kiosk-totals .totals=${cart.totals} .catalog=${catalog} .busy=${cart.busy} .language=${this.language}></galley-kiosk-totals>
        ${problems.size > 0 ? html`<p class="fix">${t("cart.fixFirst")}</p>` : nothing}
        <div class="actions">
          <button class="btn big" type="button" @click=${() => {
            fireEvent(this, "add-more");
          }}>${icon("plus")}${t("cart.addMore")}</button>
          <button class="btn primary big" type="button" ?disabled=${cart.isEmpty || problems.size > 0} @click=${() => {
            fireEvent(this, "checkout");
          }}>
            ${t("cart.checkout")}${icon("next")}
          </button>
        </div>
      </footer>
    `;
  }

  #renderLine(catalog: MenuCatalog, cart: CartSession, entry: CartLine, problem: CartProblem | undefined) {
    const t = translator(this.language);
    const { draft, line, pending } = entry;
    const name = localized(draft.name, this.language, catalog.languages[0] ?? "en");
    const product = catalog.product(draft.productId);
    const picture = product ? (product.kind === "item" ? product.item.picture : product.combo.picture) : undefined;
    const locked = pending === "adding" || pending === "removing";
    // A dish that is gone cannot be changed into something orderable: only removed.
    const gone = problem !== undefined && problem.kind !== "option_sold_out";
    return html`<li class="${problem ? "problem" : ""} ${pending ? "pending" : ""}" data-line=${draft.productId} aria-busy=${pending ? "true" : "false"}>
      ${picture ? html`<img src=${pictureUrl(picture) ?? ""} alt="" width="96" height="72" decoding="async" />` : html`<span></span>`}
      <div class="text">
        <span class="name">${draft.quantity > 1 ? `${draft.quantity} × ` : ""}${name}</span>
        <span class="summary">${lineSummary(catalog, draft, this.language)}</span>
        ${line?.holdExpiresAt && !problem ? html`<span class="hold">${t("cart.held", { time: formatClock(Date.parse(line.holdExpiresAt), this.language) })}</span>` : nothing}
        ${problem ? html`<span class="message" role="alert">${problemText(catalog, draft, problem, this.language)}</span>` : nothing}
      </div>
      <span class="price num ${pending === "updating" ? "stale" : ""}">${line ? formatMoney(line.total, catalog.currency, this.language) : t(PENDING_TEXT.adding)}</span>
      <div class="controls">
        ${pending ? html`<span class="visually-hidden">${t(PENDING_TEXT[pending])}</span>` : nothing}
        <galley-quantity-stepper
          .value=${draft.quantity}
          .min=${1}
          .max=${MAX_KIOSK_QUANTITY}
          .language=${this.language}
          .label=${name}
          .disabled=${locked}
          @quantity=${(e: GalleyDomEvent<"quantity">) => {
            void cart.setQuantity(entry.key, e.detail);
          }}
        ></galley-quantity-stepper>
        ${
          gone || locked
            ? nothing
            : html`<button class="btn" type="button" @click=${() => {
                fireEvent(this, "line-edit", entry.key);
              }}>${icon("edit")}${t("cart.change")}</button>`
        }
        <button class="btn danger" type="button" ?disabled=${locked} aria-label=${t("cart.remove", { name })} @click=${() => {
          void cart.remove(entry.key);
        }}>${icon("trash")}</button>
      </div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-cart": GalleyKioskCart;
  }
  interface GalleyDomEvents {
    "add-more": undefined;
    checkout: undefined;
    "line-edit": string;
  }
}
