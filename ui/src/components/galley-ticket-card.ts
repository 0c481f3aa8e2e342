/**
 * One kitchen ticket, readable from two metres: the order number big, its age ageing from
 * neutral to yellow to red, every line (and each combo component) as a tap target that marks it
 * done, and the bump button. A cancelled ticket is struck through until it leaves.
 * Emits `ticket-bump`, `ticket-mark` ({ mark, done }) and `ticket-select`.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { PricedLine } from "../../../protocol/index.ts";
import { fireEvent } from "../data/fire-event.ts";
import { formatAge } from "../data/format.ts";
import { componentMark, isLineDone, isTicketDone, marksOf, type Ticket } from "../data/kitchen-tickets.ts";
import { ageLevel, type KitchenSettings } from "../data/settings.ts";
import { localized, translator } from "../i18n/index.ts";
import { base, buttons } from "../styles/shared.ts";
import { icon } from "./icons.ts";

@customElement("galley-ticket-card")
export class GalleyTicketCard extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: block;
        contain: content;
        /* Off-screen tickets (a long queue) skip layout and paint until scrolled to. */
        content-visibility: auto;
        contain-intrinsic-size: auto 16rem;
      }
      article {
        display: grid;
        border-radius: var(--g-radius);
        background: var(--g-surface);
        border: 3px solid var(--g-line);
        overflow: hidden;
      }
      :host([selected]) article {
        border-color: var(--g-accent);
        box-shadow: 0 0 0 4px var(--g-accent);
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        padding: 0.45rem 0.8rem;
        background: var(--g-fresh);
        color: var(--g-fresh-ink);
      }
      .warn header {
        background: var(--g-warn);
        color: var(--g-warn-ink);
      }
      .late header {
        background: var(--g-late);
        color: var(--g-late-ink);
      }
      .ready header {
        background: var(--g-ticket-ready);
        color: var(--g-ticket-ready-ink);
      }
      .slot {
        display: grid;
        place-items: center;
        min-width: 1.8rem;
        height: 1.8rem;
        border-radius: var(--g-radius-s);
        background: var(--g-ticket-slot);
        color: var(--g-ticket-slot-ink);
        font-weight: 800;
        font-size: 1.05rem;
      }
      .number {
        font-size: 2.3rem;
        font-weight: 900;
        line-height: 1;
        letter-spacing: -0.02em;
      }
      .who {
        font-weight: 700;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        flex: 1;
      }
      .age {
        margin-left: auto;
        font-size: 1.6rem;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      ul {
        display: grid;
        padding: 0.3rem 0;
      }
      .line {
        all: unset;
        box-sizing: border-box;
        display: grid;
        grid-template-columns: 2.6rem 1fr auto;
        align-items: start;
        gap: 0.4rem;
        width: 100%;
        min-height: 2.8rem;
        padding: 0.35rem 0.8rem;
        cursor: pointer;
        font-size: 1.2rem;
      }
      .line:focus-visible {
        outline: 3px solid var(--g-focus-ring);
        outline-offset: -3px;
      }
      .component {
        padding-left: 3.4rem;
        grid-template-columns: 1fr auto;
        font-size: 1.1rem;
      }
      .qty {
        font-weight: 900;
        font-size: 1.35rem;
      }
      .name {
        font-weight: 750;
      }
      .options {
        display: block;
        font-weight: 500;
        color: var(--g-ink-soft);
        font-size: 0.95rem;
      }
      .tick {
        width: 1.6rem;
        height: 1.6rem;
        color: var(--g-ok);
        visibility: hidden;
      }
      .done .tick {
        visibility: visible;
      }
      .done .name,
      .done .qty,
      .done .options {
        text-decoration: line-through;
        text-decoration-thickness: 3px;
        color: var(--g-ink-soft);
      }
      .note {
        margin: 0.2rem 0.8rem 0.4rem;
        padding: 0.35rem 0.6rem;
        border-radius: var(--g-radius-m);
        background: var(--g-ticket-note);
        color: var(--g-ticket-note-ink);
        font-weight: 700;
      }
      footer {
        padding: 0.5rem 0.6rem 0.6rem;
      }
      footer .btn {
        width: 100%;
        border-radius: var(--g-radius-small);
        font-size: 1.15rem;
      }
      .all-done footer .btn {
        background: var(--g-ok);
        border-color: var(--g-ok);
        color: var(--g-ticket-done-ink);
      }
      .cancelled {
        position: relative;
        opacity: 0.75;
      }
      .cancelled .name,
      .cancelled .qty,
      .cancelled .number {
        text-decoration: line-through;
        text-decoration-thickness: 4px;
      }
      .stamp {
        padding: var(--g-space-2);
        text-align: center;
        font-size: 1.4rem;
        font-weight: 900;
        letter-spacing: 0.1em;
        text-transform: uppercase;
        background: var(--g-ticket-stamp);
        color: var(--g-ticket-stamp-ink);
      }
    `,
  ];

  @property({ attribute: false }) ticket?: Ticket;
  /** Appliance time, epoch ms. */
  @property({ type: Number }) now = 0;
  /** 1–9: the number key that selects it; 0 for none. */
  @property({ type: Number }) position = 0;
  @property({ type: Boolean, reflect: true }) selected = false;
  @property({ type: Boolean }) busy = false;
  @property({ attribute: false }) thresholds: Pick<KitchenSettings, "warnMinutes" | "lateMinutes"> = {
    warnMinutes: 5,
    lateMinutes: 8,
  };
  @property() language = "en";

  override render() {
    const ticket = this.ticket;
    if (!ticket) return nothing;
    const t = translator(this.language);
    const { order } = ticket;
    const age = Math.max(0, this.now - Date.parse(order.createdAt));
    const level = ticket.column === "ready" ? "ready" : ageLevel(age, this.thresholds);
    const cancelled = ticket.cancelledAt !== undefined;
    const marks = marksOf(order);
    const allDone = isTicketDone(order);
    const forward = order.next[0];
    const label = `${t("kitchen.ticket", { number: order.number })}, ${t("kitchen.ticketAge", { age: formatAge(age) })}${cancelled ? `, ${t("kitchen.cancelled")}` : ""}`;
    return html`<article class="${level} ${cancelled ? "cancelled" : ""} ${allDone ? "all-done" : ""}" aria-label=${label} data-order=${order.id} data-number=${order.number} @pointerdown=${this.#select}>
      <header>
        ${this.position > 0 ? html`<span class="slot" aria-hidden="true">${this.position}</span>` : nothing}
        <span class="number num">${order.number}</span>
        <span class="who">${order.pickupName ? t("kitchen.pickupName", { name: order.pickupName }) : ""}</span>
        <span class="age" data-level=${level}>${formatAge(age)}</span>
      </header>
      ${cancelled ? html`<div class="stamp" role="status">${t("kitchen.cancelled")}</div>` : nothing}
      <ul>
        ${order.lines.map((line) => this.#renderLine(line, marks, cancelled))}
      </ul>
      ${order.note ? html`<p class="note">${t("kitchen.note")}: ${order.note}</p>` : nothing}
      ${
        cancelled || !forward || forward === "cancelled"
          ? nothing
          : html`<footer>
            <button class="btn ${ticket.column === "ready" ? "" : "primary"}" type="button" ?disabled=${this.busy} data-testid="bump" @click=${this.#bump}>
              ${allDone && ticket.column !== "ready" ? icon("check") : nothing}${forward === "completed" ? t("kitchen.handOver") : t("kitchen.bumpTo", { status: t(`status.${forward}`) })}
            </button>
          </footer>`
      }
    </article>`;
  }

  #renderLine(line: PricedLine, marks: ReadonlySet<string>, cancelled: boolean) {
    const t = translator(this.language);
    const name = localized(line.name, this.language);
    const done = isLineDone(line, marks);
    const options = line.options.map((o) => localized(o.name, this.language)).join(", ");
    const lineButton = html`<li>
      <button class="line ${done ? "done" : ""}" type="button" ?disabled=${cancelled} aria-pressed=${done ? "true" : "false"} title=${done ? t("kitchen.markUndone", { name }) : t("kitchen.markDone", { name })} @click=${() => {
        this.#mark(line.id, !marks.has(line.id) && !done);
      }}>
        <span class="qty num">${line.quantity}×</span>
        <span class="name">${name}${options ? html`<span class="options">${options}</span>` : nothing}${line.note ? html`<span class="options">“${line.note}”</span>` : nothing}</span>
        <span class="tick">${icon("check")}</span>
      </button>
    </li>`;
    if (line.kind !== "combo") return lineButton;
    return html`${lineButton}${line.components.map((component) => {
      const mark = componentMark(line.id, component.slot);
      const componentDone = marks.has(mark) || marks.has(line.id);
      const componentName = localized(component.name, this.language);
      const componentOptions = component.options.map((o) => localized(o.name, this.language)).join(", ");
      return html`<li>
        <button class="line component ${componentDone ? "done" : ""}" type="button" ?disabled=${cancelled} aria-pressed=${componentDone ? "true" : "false"} title=${componentDone ? t("kitchen.markUndone", { name: componentName }) : t("kitchen.markDone", { name: componentName })} @click=${() => {
          this.#mark(mark, !componentDone);
        }}>
          <span class="name">${componentName}${componentOptions ? html`<span class="options">${componentOptions}</span>` : nothing}</span>
          <span class="tick">${icon("check")}</span>
        </button>
      </li>`;
    })}`;
  }

  #select(): void {
    if (this.ticket) fireEvent(this, "ticket-select", this.ticket.order.id);
  }

  #bump(): void {
    if (this.ticket) fireEvent(this, "ticket-bump", this.ticket.order.id);
  }

  #mark(mark: string, done: boolean): void {
    if (this.ticket) fireEvent(this, "ticket-mark", { id: this.ticket.order.id, mark, done });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-ticket-card": GalleyTicketCard;
  }
  interface GalleyDomEvents {
    "ticket-select": string;
    "ticket-bump": string;
    "ticket-mark": { id: string; mark: string; done: boolean };
  }
}
