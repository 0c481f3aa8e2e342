/**
 * The item page: picture, description, allergens; the modifier groups with their min/max rules
 * and the price each choice adds; for a combo, each slot's choices (with their upcharge) and the
 * chosen item's own options; quantity; "Add to order" with the line's price. Availability is
 * live: an option or dish that sells out while the page is open is disabled at once.
 * Emits `line-commit` with the draft, or `close`.
 */
import { LitElement, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { MenuItem, SelectedOption } from "../../../../protocol/index.ts";
import "../../components/galley-allergen-list.ts";
import "../../components/galley-option-group.ts";
import "../../components/galley-quantity-stepper.ts";
import { pictureUrl } from "../../components/galley-product-card.ts";
import { icon } from "../../components/icons.ts";
import { fireEvent, type GalleyDomEvent } from "../../data/fire-event.ts";
import { formatMoney, formatPriceDelta } from "../../data/format.ts";
import {
  chooseSlotItem,
  createDraft,
  lineTotal,
  MAX_KIOSK_QUANTITY,
  missingChoices,
  setSlotOptions,
  toggleOption,
  upchargeOf,
  type LineDraft,
} from "../../data/line-draft.ts";
import type { MenuCatalog, Product } from "../../data/menu-catalog.ts";
import { localized, translator } from "../../i18n/index.ts";
import { onEscape } from "../../controllers/escape.ts";
import { base, buttons, sheet } from "../../styles/shared.ts";
import { itemStyles } from "./kiosk-item-styles.ts";

@customElement("galley-kiosk-item")
export class GalleyKioskItem extends LitElement {
  static override styles = [base, buttons, sheet, itemStyles];

  @property({ attribute: false }) catalog?: MenuCatalog;
  @property({ attribute: false }) product?: Product;
  /** The cart line being changed, if any. */
  @property({ attribute: false }) initial?: LineDraft;
  @property({ type: Boolean }) editing = false;
  @property() language = "en";
  @state() private draft?: LineDraft;
  @state() private messages = new Map<string, string>();
  @state() private showMissing = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("product") || changed.has("initial")) && this.catalog && this.product) {
      this.draft = this.initial ? structuredClone(this.initial) : createDraft(this.catalog, this.product);
      this.messages = new Map();
      this.showMissing = false;
    }
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector("h2")?.focus();
  }

  override render() {
    const { catalog, product, draft } = this;
    if (!catalog || !product || !draft) return nothing;
    const t = translator(this.language);
    const fallback = catalog.languages[0] ?? "en";
    const source = product.kind === "item" ? product.item : product.combo;
    const name = localized(source.name, this.language, fallback);
    const total = formatMoney(lineTotal(catalog, draft), catalog.currency, this.language);
    const missing = missingChoices(catalog, draft);
    const unavailable = this.#unavailable();
    return html`<section role="dialog" aria-modal="true" aria-labelledby="item-title" @keydown=${this.#onKey}>
      <div class="scroll">
        <div class="hero">
          ${source.picture ? html`<img src=${pictureUrl(source.picture) ?? ""} alt="" width="640" height="480" decoding="async" />` : html`<span></span>`}
          <div class="hero-text">
            <h2 id="item-title" tabindex="-1">${name}</h2>
            <p class="price num">${formatMoney(source.price, catalog.currency, this.language)}</p>
            ${source.description ? html`<p class="description">${localized(source.description, this.language, fallback)}</p>` : nothing}
            <div>
              <h3>${t("item.allergens")}</h3>
              <galley-allergen-list .allergens=${this.#allergens()} .dietary=${catalog.dietaryOf(product)} .language=${this.language} show-none></galley-allergen-list>
            </div>
          </div>
        </div>
        <div class="groups">${product.kind === "item" ? this.#renderGroups(product.item, draft.options, undefined) : this.#renderSlots()}</div>
      </div>
      <footer>
        ${unavailable ? html`<p class="warning" role="alert">${unavailable}</p>` : nothing}
        ${
          this.showMissing && missing[0]
            ? html`<p class="warning" role="alert">${t("item.missing", { group: localized(missing[0].group.name, this.language, fallback) })}</p>`
            : nothing
        }
        <button class="btn big" type="button" @click=${this.#close}>${icon("back")}${t("item.close")}</button>
        <galley-quantity-stepper
          .value=${draft.quantity}
          .max=${MAX_KIOSK_QUANTITY}
          .language=${this.language}
          .label=${name}
          @quantity=${(e: GalleyDomEvent<"quantity">) => {
            if (this.draft) this.draft = { ...this.draft, quantity: e.detail };
          }}
        ></galley-quantity-stepper>
        <button class="btn primary big add" type="button" ?disabled=${unavailable !== undefined} data-testid="add-to-order" @click=${this.#commit}>
          ${this.editing ? t("item.update") : t("item.add")} · <span class="num">${total}</span>
        </button>
      </footer>
    </section>`;
  }

  #renderGroups(item: MenuItem, selected: readonly SelectedOption[], slot: string | undefined) {
    const catalog = this.catalog;
    if (!catalog) return nothing;
    const soldOut = new Set(catalog.availability.soldOutOptions);
    const missing = this.showMissing
      ? missingChoices(catalog, this.draft ?? createDraft(catalog, { kind: "item", id: item.id, item }))
      : [];
    return catalog.groupsOf(item).map(
      (group) => html`<galley-option-group
        data-group=${group.id}
        .group=${group}
        .selected=${selected}
        .soldOut=${soldOut}
        .currency=${catalog.currency}
        .language=${this.language}
        .fallbackLang=${catalog.languages[0] ?? "en"}
        .message=${this.messages.get(`${slot ?? ""}|${group.id}`) ?? ""}
        .unmet=${missing.some((m) => m.group.id === group.id && m.slot === slot)}
        @option-toggle=${(e: GalleyDomEvent<"option-toggle">) => {
          this.#toggle(item, slot, e.detail.group, e.detail.option);
        }}
      ></galley-option-group>`,
    );
  }

  #renderSlots() {
    const { catalog, product, draft } = this;
    if (!catalog || product?.kind !== "combo" || !draft) return nothing;
    const t = translator(this.language);
    const fallback = catalog.languages[0] ?? "en";
    return product.combo.slots.map((slot) => {
      const chosen = draft.slots.find((s) => s.slot === slot.id);
      const chosenItem = chosen ? catalog.item(chosen.item) : undefined;
      return html`<div class="slot" data-slot=${slot.id}>
        <fieldset class="choices" role="radiogroup" aria-labelledby="slot-${slot.id}">
          <legend class="slot-title" id="slot-${slot.id}">${localized(slot.name, this.language, fallback)}</legend>
          ${slot.choices.map((choice) => {
            const item = catalog.item(choice.item);
            if (!item) return nothing;
            const on = chosen?.item === item.id;
            const off = !catalog.isItemAvailable(item.id) && !on;
            const up = formatPriceDelta(
              upchargeOf(catalog, product.id, slot.id, item.id),
              catalog.currency,
              this.language,
            );
            return html`<label class="choice ${on ? "on" : ""} ${off ? "off" : ""}" data-choice=${item.id}>
              <input
                type="radio"
                name="slot-${slot.id}"
                .checked=${on}
                ?disabled=${off}
                @change=${() => {
                  if (this.draft) this.draft = chooseSlotItem(catalog, this.draft, slot.id, item.id);
                }}
              />
              ${item.picture ? html`<img src=${pictureUrl(item.picture) ?? ""} alt="" width="100" height="75" loading="lazy" decoding="async" />` : nothing}
              <span>${localized(item.name, this.language, fallback)}</span>
              <span class="up">${off ? t("item.soldOut") : up || t("item.included")}</span>
            </label>`;
          })}
        </fieldset>
        ${
          chosenItem && chosen && catalog.groupsOf(chosenItem).length > 0
            ? html`<div class="sub">${this.#renderGroups(chosenItem, chosen.options, slot.id)}</div>`
            : nothing
        }
      </div>`;
    });
  }

  #toggle(item: MenuItem, slot: string | undefined, group: string, option: string): void {
    const { catalog, draft } = this;
    if (!catalog || !draft) return;
    const current = slot === undefined ? draft.options : (draft.slots.find((s) => s.slot === slot)?.options ?? []);
    const result = toggleOption(catalog, item, current, group, option);
    const key = `${slot ?? ""}|${group}`;
    const messages = new Map(this.messages);
    if (!result.ok) {
      const max = catalog.group(group)?.max ?? 1;
      if (result.reason === "max") messages.set(key, translator(this.language)("item.maxReached", { count: max }));
      this.messages = messages;
      return;
    }
    messages.delete(key);
    this.messages = messages;
    this.draft =
      slot === undefined ? { ...draft, options: result.options } : setSlotOptions(draft, slot, result.options);
  }

  /** Why this draft cannot be added right now (sold out while the page was open). */
  #unavailable(): string | undefined {
    const { catalog, product, draft } = this;
    if (!catalog || !product || !draft) return undefined;
    const t = translator(this.language);
    const fallback = catalog.languages[0] ?? "en";
    if (!catalog.isProductAvailable(product))
      return t("cart.soldOut", { name: localized(draft.name, this.language, fallback) });
    for (const s of draft.slots) {
      if (!catalog.isItemAvailable(s.item))
        return t("cart.soldOut", { name: localized(catalog.item(s.item)?.name, this.language, fallback) });
    }
    const options = [...draft.options, ...draft.slots.flatMap((s) => s.options)];
    const gone = options.find((o) => !catalog.isOptionAvailable(o.option));
    if (gone)
      return t("cart.optionSoldOut", {
        option: localized(catalog.option(gone.group, gone.option)?.name, this.language, fallback),
        name: localized(draft.name, this.language, fallback),
      });
    return undefined;
  }

  #allergens() {
    const { catalog, product, draft } = this;
    if (!catalog || !product || !draft) return [];
    const all = new Set(catalog.allergensOf(product));
    if (product.kind === "combo") {
      all.clear();
      for (const s of draft.slots) for (const a of catalog.item(s.item)?.allergens ?? []) all.add(a);
    }
    for (const o of [...draft.options, ...draft.slots.flatMap((s) => s.options)]) {
      for (const a of catalog.option(o.group, o.option)?.allergens ?? []) all.add(a);
    }
    return [...all];
  }

  #commit(): void {
    const { catalog, draft } = this;
    if (!catalog || !draft || this.#unavailable()) return;
    const missing = missingChoices(catalog, draft);
    if (missing.length > 0) {
      this.showMissing = true;
      const first = missing[0];
      void this.updateComplete.then(() => {
        const selector = first?.slot
          ? `[data-slot="${first.slot}"] [data-group="${first.group.id}"]`
          : `[data-group="${first?.group.id ?? ""}"]`;
        this.renderRoot.querySelector(selector)?.scrollIntoView({ block: "center", behavior: "smooth" });
      });
      return;
    }
    fireEvent(this, "line-commit", draft);
  }

  #close(): void {
    fireEvent(this, "close");
  }

  readonly #onKey = onEscape(() => {
    this.#close();
  });
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-kiosk-item": GalleyKioskItem;
  }
  interface GalleyDomEvents {
    "line-commit": LineDraft;
    close: undefined;
  }
}
