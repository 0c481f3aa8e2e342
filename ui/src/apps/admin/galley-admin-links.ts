/** Links to the screens this appliance serves. */
import { css, html, nothing } from "lit";
import { customElement } from "lit/decorators.js";
import { PAIRED_SCREENS } from "../../../../protocol/index.ts";
import { translator } from "../../i18n/index.ts";
import { base } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card } from "./admin-shared.ts";

@customElement("galley-admin-links")
export class GalleyAdminLinks extends AdminCard {
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

  override render() {
    const t = translator(this.language);
    return this.renderCard(
      nothing,
      html`
        <ul aria-labelledby=${this.titleId}>
          ${PAIRED_SCREENS.map((screen) => html`<li><a href=${screen.path}>${t(`role.${screen.access.role}`)}</a> <code>${screen.path}</code></li>`)}
        </ul>
      `,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-links": GalleyAdminLinks;
  }
}
