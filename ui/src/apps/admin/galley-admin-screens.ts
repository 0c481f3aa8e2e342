/**
 * The screens talking to galleyd now (`GET /api/diagnostics/screens`): open WebSockets and page
 * heartbeats, merged per screen; a page whose heartbeats stopped is flagged. Read again every
 * 10 s while visible. Pairing a new screen is one click away (Devices).
 */
import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { PollController } from "../../controllers/poll-controller.ts";
import { screenRows, type ScreenRow } from "../../data/diagnostics.ts";
import { fetchScreens } from "../../data/endpoints.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText } from "./admin-shared.ts";

@customElement("galley-admin-screens")
export class GalleyAdminScreens extends AdminCard {
  static override styles = [base, buttons, card];

  /** Offer the way to pairing (`devices:pair`). */
  @property({ type: Boolean }) canPair = false;
  @state() rows: ScreenRow[] | undefined;
  @state() error = "";
  readonly poll = new PollController(this, 10_000, () => this.#load());

  override render() {
    const t = translator(this.language);
    return this.renderCard(
      html`
        ${this.canPair ? html`<a class="btn" href="#devices">${t("diag.pairScreen")}</a>` : nothing}
        <button class="btn" type="button" @click=${() => {
          void this.poll.refresh();
        }}>${t("diag.refresh")}</button>
      `,
      html`
        ${
          this.rows === undefined
            ? nothing
            : this.rows.length === 0
              ? html`<p>${t("diag.noScreens")}</p>`
              : html`<table aria-labelledby=${this.titleId} data-testid="screens">
                <thead><tr><th scope="col">${t("admin.name")}</th><th scope="col">${t("diag.page")}</th><th scope="col">${t("diag.live")}</th><th scope="col">${t("diag.heartbeat")}</th></tr></thead>
                <tbody>
                  ${this.rows.map(
                    (row) => html`<tr data-role=${row.role} data-page=${row.page ?? ""}>
                      <td class="long">${row.name}<div class="muted">${row.role}${row.local ? ` · ${t("diag.thisBoard")}` : ""}</div></td>
                      <td class="long"><code>${row.page ?? "—"}</code></td>
                      <td>${row.sockets > 0 ? html`<span class="badge tone-ok"><span aria-hidden="true">●</span> ${t("diag.connected", { count: row.sockets })}</span>` : html`<span class="muted">${t("diag.notConnected")}</span>`}</td>
                      <td>
                        ${
                          row.lastBeatSeconds === null
                            ? html`<span class="muted">${t("diag.noHeartbeat")}</span>`
                            : html`<span class=${row.stale ? "badge tone-bad" : "badge tone-ok"}>${row.stale ? html`<span aria-hidden="true">✕</span> ` : nothing}${t(row.stale ? "diag.heartbeatStale" : "diag.heartbeatAgo", { seconds: row.lastBeatSeconds })}</span>`
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
      this.rows = screenRows(await fetchScreens(this.api));
      this.error = "";
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-screens": GalleyAdminScreens;
  }
}
