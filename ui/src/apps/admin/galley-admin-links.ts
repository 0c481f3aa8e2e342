/** Links to the screens this appliance serves. */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { PAIRED_SCREENS } from "../../../../protocol/index.ts";
import { translator } from "../../i18n/index.ts";
import { base } from "../../styles/shared.ts";
import { card } from "./admin-shared.ts";


@customElement("galley-admin-links")
export class GalleyAdminLinks extends LitElement {
  static override styles = [
    base,
    card,
    css`
      ul {
        display: grid;
        gap: var(--g-space-2);
      }
      a {
        color: var(--g-accent);
        font-weight: 700;
      }
      a:focus-visible {
        outline: 3px solid var(--g-focus-ring);
      }
    `,
  ];

  @property() language = "en";

  override render() {
    const t = translator(this.language);
    return html`
      <h2 id="screens-title">${t("admin.screens")}</h2>
      <ul aria-labelledby="screens-title">
        ${PAIRED_SCREENS.map((screen) => html`<li><a href=${screen.path}>${t(`role.${screen.access.role}`)}</a> <code>${screen.path}</code></li>`)}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-links": GalleyAdminLinks;
  }
}
