/**
 * A card: a bordered surface with a heading row (the title, and the card's actions on the right)
 * above its content. Like Home Assistant's `ha-card`: the title is the `heading` slot (or the
 * `heading` property for a plain one), actions go in the `actions` slot, the rest is content.
 * Slotted content stays in its own component's tree, so that component's styles and its
 * `aria-labelledby` references to the slotted title keep working.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";

@customElement("galley-card")
export class GalleyCard extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      gap: var(--g-space-4);
      align-content: start;
      padding: 1.3rem;
      border-radius: var(--g-radius);
      background: var(--g-surface);
      border: 1px solid var(--g-line);
      color: var(--g-ink);
      min-width: 0;
      box-sizing: border-box;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.6rem var(--g-space-4);
    }
    h2 {
      margin: 0;
      font-size: 1.25rem;
    }
  `;

  /** A plain title, when the user puts nothing in the `heading` slot. */
  @property() heading = "";

  override render() {
    return html`
      <div class="head">
        <slot name="heading">${this.heading ? html`<h2>${this.heading}</h2>` : nothing}</slot>
        <slot name="actions"></slot>
      </div>
      <slot></slot>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-card": GalleyCard;
  }
}
