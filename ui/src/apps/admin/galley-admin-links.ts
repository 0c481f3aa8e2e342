/** Links to the screens this appliance serves. */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { translator } from "../../i18n/index.ts";
import { base } from "../../styles/shared.ts";
import { card } from "./admin-shared.ts";

const SCREEN_LINKS = [
  { href: "/kiosk", role: "kiosk" },
  { href: "/kitchen", role: "kitchen" },
  { href: "/board", role: "board" },
] as const;

@customElement("galley-admin-links")
export class GalleyAdminLinks extends LitElement {
  static override styles = [
    base,
    card,
    css`
      ul {
        display: grid;
        gap: 0.5rem;
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
        ${SCREEN_LINKS.map((link) => html`<li><a href=${link.href}>${t(`role.${link.role}`)}</a> <code>${link.href}</code></li>`)}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-links": GalleyAdminLinks;
  }
}
