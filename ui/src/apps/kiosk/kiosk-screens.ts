/**
 * The kiosk's own parts of the screen, drawn into galley-kiosk-app's shadow root (kiosk-styles.ts):
 * the header with the language and accessibility buttons, the screens that stop ordering
 * (starting up, offline, paused), and the notice explaining a refused cart change.
 */
import { html } from "lit";
import { icon } from "../../components/icons.ts";
import { languageName, type Translate } from "../../i18n/index.ts";

export interface HeaderParts {
  languages: readonly string[];
  language: string;
  access: boolean;
  onLanguage: (lang: string) => void;
  onAccess: () => void;
  onStartOver: () => void;
}

export function renderHeader(t: Translate, parts: HeaderParts) {
  return html`<header>
    <span class="brand" aria-hidden="true">Galley</span>
    <div class="langs" role="group" aria-label=${t("kiosk.language")}>
      ${parts.languages.map(
        (lang) =>
          html`<button class="btn" type="button" lang=${lang} aria-pressed=${lang === parts.language ? "true" : "false"} @click=${() => {
            parts.onLanguage(lang);
          }}>${languageName(lang)}</button>`,
      )}
    </div>
    <button class="btn" type="button" aria-pressed=${parts.access ? "true" : "false"} @click=${parts.onAccess}>${icon("access")}${t("kiosk.accessibility")}</button>
    <button class="btn" type="button" @click=${parts.onStartOver}>${icon("home")}${t("kiosk.startOver")}</button>
  </header>`;
}

/** Before the menu arrived: starting up, or galleyd cannot be reached. */
export function renderStarting(t: Translate, unreachable: boolean) {
  return html`<div class="blocking" role=${unreachable ? "alert" : "status"}>
    ${unreachable ? html`${icon("offline")}<h1>${t("offline.title")}</h1><p>${t("offline.body")}</p>` : html`<div class="spinner" aria-hidden="true"></div><p>${t("conn.starting")}</p>`}
  </div>`;
}

/** The connection to galleyd is gone for longer than its grace. */
export function renderOffline(t: Translate) {
  return html`<div class="blocking" role="alert" data-testid="offline">
    ${icon("offline")}
    <h1>${t("offline.title")}</h1>
    <p>${t("offline.body")}</p>
    <p>${t("offline.reconnecting")}</p>
  </div>`;
}

/** No kitchen route works: order at the counter. */
export function renderPaused(t: Translate) {
  return html`<div class="blocking calm" role="status" data-testid="paused">
    ${icon("pause")}
    <h1>${t("paused.title")}</h1>
    <p>${t("paused.body")}</p>
    <p>${t("paused.back")}</p>
  </div>`;
}

/** A cart change the appliance refused, in words, until OK (or the next change). */
export function renderNotice(t: Translate, text: string, onDismiss: () => void) {
  return html`<div class="notice" role="alert" data-testid="cart-notice">
    <p>${text}</p>
    <button class="btn" type="button" @click=${onDismiss}>${t("cart.dismiss")}</button>
  </div>`;
}
