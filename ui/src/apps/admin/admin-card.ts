/**
 * The base of every section of the admin page: a `galley-card` whose title comes from the
 * sections table (admin-sections.ts sets `heading` and `titleId`), with the API client and the
 * page language every section needs. A section renders through `renderCard(actions, content)`.
 */
import { LitElement, html, nothing } from "lit";
import { property } from "lit/decorators.js";
import "../../components/galley-card.ts";
import type { ApiClient } from "../../data/api.ts";

export class AdminCard extends LitElement {
  @property({ attribute: false }) api!: ApiClient;
  @property() language = "en";
  /** The card's title, in the page language. */
  @property() heading = "";
  /** The title's id: the section's content names itself after it (`aria-labelledby`). */
  @property({ attribute: "title-id" }) titleId = "";

  /** The card: its title, `actions` (buttons beside the title, or `nothing`) and its content. */
  protected renderCard(actions: unknown, content: unknown) {
    return html`<galley-card>
      <h2 slot="heading" id=${this.titleId}>${this.heading}</h2>
      ${actions === nothing ? nothing : html`<div slot="actions" class="actions">${actions}</div>`}
      ${content}
    </galley-card>`;
  }
}
