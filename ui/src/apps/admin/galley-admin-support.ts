/**
 * The support bundle download (`GET /api/diagnostics/support-bundle`): an authenticated fetch,
 * the bytes as a Blob, saved under the name galleyd gives it. The bundle holds the doctor's
 * report, the configuration without secrets, logs and journal statistics; no customer data.
 */
import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { formatBytes } from "../../data/diagnostics.ts";
import { fetchSupportBundle } from "../../data/endpoints.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText } from "./admin-shared.ts";

@customElement("galley-admin-support")
export class GalleyAdminSupport extends AdminCard {
  static override styles = [base, buttons, card];

  @state() busy = false;
  @state() note = "";
  @state() error = "";

  override render() {
    const t = translator(this.language);
    return this.renderCard(
      nothing,
      html`
        <p>${t("diag.bundleBody")}</p>
        <div><button class="btn primary" type="button" ?disabled=${this.busy} @click=${this.#download}>${this.busy ? t("diag.bundleMaking") : t("diag.bundleDownload")}</button></div>
        <p class="note" role="status" data-testid="bundle-note">${this.note}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  readonly #download = async (): Promise<void> => {
    const t = translator(this.language);
    this.busy = true;
    this.error = "";
    this.note = "";
    try {
      const file = await fetchSupportBundle(this.api);
      const url = URL.createObjectURL(new Blob([file.bytes], { type: file.type }));
      const link = document.createElement("a");
      link.href = url;
      link.download = file.fileName;
      link.hidden = true;
      this.renderRoot.append(link);
      link.click();
      link.remove();
      // The browser has taken the file once the click is handled; the URL can go a moment later.
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 10_000);
      this.note = t("diag.bundleSaved", { file: file.fileName, size: formatBytes(file.bytes.byteLength) });
    } catch (error) {
      this.error = failureText(t, error);
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-support": GalleyAdminSupport;
  }
}
