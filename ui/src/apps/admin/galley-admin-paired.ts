/** The paired screens, with Unpair (`devices:manage`): an unpaired screen is refused on its next request. */
import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { DeviceView } from "../../../../protocol/index.ts";
import { fetchDevices, updateDeviceRevoked } from "../../data/endpoints.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText } from "./admin-shared.ts";

@customElement("galley-admin-paired")
export class GalleyAdminPaired extends AdminCard {
  static override styles = [base, buttons, card];

  @state() devices: DeviceView[] = [];
  @state() error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override render() {
    const t = translator(this.language);
    return this.renderCard(
      nothing,
      html`
        ${
          this.devices.length === 0
            ? html`<p>${t("admin.noDevices")}</p>`
            : html`<table aria-labelledby=${this.titleId}>
              <thead><tr><th scope="col">${t("admin.name")}</th><th scope="col">${t("admin.role")}</th><th scope="col">${t("admin.pairedAt")}</th><th scope="col">${t("admin.lastSeen")}</th><th scope="col"><span class="visually-hidden">${t("admin.revoke")}</span></th></tr></thead>
              <tbody>
                ${this.devices.map(
                  (d) => html`<tr class=${d.status === "revoked" ? "muted" : ""}>
                    <td>${d.name}</td>
                    <td>${t(d.role === "kiosk" || d.role === "kitchen" || d.role === "board" ? `role.${d.role}` : "role.kiosk")}</td>
                    <td>${new Date(d.pairedAt).toLocaleString(this.language)}</td>
                    <td>${d.lastSeenAt ? new Date(d.lastSeenAt).toLocaleString(this.language) : t("admin.never")}</td>
                    <td>
                      ${
                        d.status === "active"
                          ? html`<button class="btn danger" type="button" aria-label=${t("admin.revokeName", { name: d.name })} @click=${() => {
                              void this.#revoke(d);
                            }}>${t("admin.revoke")}</button>`
                          : t("admin.revoked")
                      }
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`
        }
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  async #load(): Promise<void> {
    try {
      this.devices = await fetchDevices(this.api);
      this.error = "";
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    }
  }

  async #revoke(device: DeviceView): Promise<void> {
    try {
      await updateDeviceRevoked(this.api, device.id);
    } catch (error) {
      this.error = failureText(translator(this.language), error);
      return;
    }
    await this.#load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-paired": GalleyAdminPaired;
  }
}
