/**
 * Sold out ("86") at the counter: every item of the menu by category, and the choices (modifier
 * options), each with a switch, and a box to find one by name. A switch changes at once and is
 * sent to galleyd (`PUT /api/menu/availability`, `menu:availability`); the kiosks see it through
 * the `menu` topic. A refusal puts the switch back and says why.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Availability, MenuResponse, Principal } from "../../../../protocol/index.ts";
import type { ApiClient } from "../../data/api.ts";
import { fetchMenu } from "../../data/endpoints.ts";
import { localized, translator, type Translate } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { updateAvailability } from "./counter-panels-endpoints.ts";
import { allows, failureText, panel, PanelReader } from "./counter-panels-shared.ts";

interface Row {
  kind: "item" | "option";
  id: string;
  name: string;
}

@customElement("galley-counter-soldout")
export class GalleyCounterSoldout extends LitElement {
  static override styles = [
    base,
    buttons,
    panel,
    css`
      ul.rows {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr));
        gap: var(--g-space-2);
      }
      .switch {
        width: 100%;
        justify-content: space-between;
        border-radius: var(--g-radius-small);
        padding: 0 var(--g-space-4);
      }
      .switch[aria-checked="true"] {
        background: var(--g-danger-soft, var(--g-surface-2));
        border-color: var(--g-danger);
      }
      .switch span:first-child {
        text-align: left;
      }
      .switch .flag {
        font-weight: 800;
        color: var(--g-ink-soft);
      }
      .switch[aria-checked="true"] .flag {
        color: var(--g-danger);
      }
      input[type="search"] {
        width: min(24rem, 100%);
      }
    `,
  ];

  @property({ attribute: false }) api?: ApiClient;
  @property({ attribute: false }) me?: Principal;
  @property() language = "en";

  @state() menu: MenuResponse | undefined;
  @state() soldOut: { items: ReadonlySet<string>; options: ReadonlySet<string> } = {
    items: new Set(),
    options: new Set(),
  };
  @state() filter = "";
  @state() pending: ReadonlySet<string> = new Set();
  @state() error = "";
  @state() note = "";

  readonly #reader = new PanelReader(this);

  /** Reads the menu and what is sold out again. */
  async refresh(): Promise<void> {
    await this.#reader.read(async (api) => {
      const menu = await fetchMenu(api);
      this.menu = menu;
      this.#apply(menu.availability);
    });
  }

  get #t(): Translate {
    return translator(this.language);
  }

  override render() {
    const t = this.#t;
    const menu = this.menu;
    return html`<section class="panel" aria-labelledby="soldout-title" data-testid="soldout-panel">
      <div class="head">
        <h2 id="soldout-title">${t("counter.soldout.title")}</h2>
        <button class="btn" type="button" @click=${() => void this.refresh()}>${t("counter.panel.refresh")}</button>
      </div>
      <label
        >${t("counter.soldout.filter")}
        <input type="search" autocomplete="off" .value=${this.filter} @input=${(e: Event) => {
          this.filter = (e.target as HTMLInputElement).value;
        }}
      /></label>
      ${this.error ? html`<p class="error" role="alert" data-testid="soldout-error">${this.error}</p>` : nothing}
      <p class="note" role="status">${this.note}</p>
      ${menu ? this.#renderMenu(t, menu) : html`<p class="muted">${t("counter.panel.loading")}</p>`}
    </section>`;
  }

  #renderMenu(t: Translate, response: MenuResponse) {
    const { menu } = response;
    const lang = menu.languages[0] ?? "en";
    const name = (text: Parameters<typeof localized>[0]) => localized(text, this.language, lang);
    const q = this.filter.trim().toLocaleLowerCase(this.language);
    const match = (row: Row) => q === "" || row.name.toLocaleLowerCase(this.language).includes(q);
    const groups = menu.categories
      .map((category) => ({
        title: name(category.name),
        rows: menu.items
          .filter((item) => item.category === category.id)
          .map((item): Row => ({ kind: "item", id: item.id, name: name(item.name) }))
          .filter(match),
      }))
      .filter((group) => group.rows.length > 0);
    const seen = new Set<string>();
    const options = menu.modifierGroups
      .flatMap((group) => group.options)
      .filter((option) => (seen.has(option.id) ? false : (seen.add(option.id), true)))
      .map((option): Row => ({ kind: "option", id: option.id, name: name(option.name) }))
      .filter(match);
    if (groups.length === 0 && options.length === 0) return html`<p class="muted">${t("counter.soldout.noMatch")}</p>`;
    return html`
      ${groups.map((group) => html`<h3>${group.title}</h3>${this.#renderRows(t, group.rows)}`)}
      ${options.length > 0 ? html`<h3>${t("counter.soldout.options")}</h3>${this.#renderRows(t, options)}` : nothing}
    `;
  }

  #renderRows(t: Translate, rows: readonly Row[]) {
    const editable = allows(this.me, "menu:availability");
    return html`<ul class="rows">
      ${rows.map((row) => {
        const out = (row.kind === "item" ? this.soldOut.items : this.soldOut.options).has(row.id);
        return html`<li>
          <button class="btn switch" type="button" role="switch" aria-checked=${out ? "true" : "false"} data-item=${row.id} ?disabled=${!editable} aria-disabled=${this.pending.has(`${row.kind}:${row.id}`) ? "true" : "false"} @click=${() => void this.#toggle(row, !out)}>
            <span>${row.name}</span>
            <span class="flag">${out ? t("counter.soldout.soldOut") : t("counter.soldout.available")}</span>
          </button>
        </li>`;
      })}
    </ul>`;
  }

  async #toggle(row: Row, soldOut: boolean): Promise<void> {
    const api = this.api;
    if (!api) return;
    const key = `${row.kind}:${row.id}`;
    // One change per switch at a time (the button keeps its focus meanwhile: it is not disabled).
    if (this.pending.has(key)) return;
    const before = this.soldOut;
    this.#mark(row, soldOut);
    this.pending = new Set([...this.pending, key]);
    this.error = "";
    try {
      this.#apply(await updateAvailability(api, { kind: row.kind, id: row.id, available: !soldOut }));
      this.note = this.#t(soldOut ? "counter.soldout.markedOut" : "counter.soldout.markedBack", { name: row.name });
    } catch (error) {
      this.soldOut = before;
      this.error = failureText(this.#t, error);
    } finally {
      const pending = new Set(this.pending);
      pending.delete(key);
      this.pending = pending;
    }
  }

  #mark(row: Row, soldOut: boolean): void {
    const set = new Set(row.kind === "item" ? this.soldOut.items : this.soldOut.options);
    if (soldOut) set.add(row.id);
    else set.delete(row.id);
    this.soldOut = row.kind === "item" ? { ...this.soldOut, items: set } : { ...this.soldOut, options: set };
  }

  #apply(availability: Availability): void {
    this.soldOut = { items: new Set(availability.soldOutItems), options: new Set(availability.soldOutOptions) };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-counter-soldout": GalleyCounterSoldout;
  }
}
