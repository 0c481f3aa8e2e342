/**
 * Order backups (README "Sync and backups"): every order's backup record against the central
 * server — overall figures and the last business days (backup count against order count) — and
 * Verify now. Read again when the backlog moves (the shell passes the pending total in).
 */
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { BackupStats } from "../../../../protocol/index.ts";
import { createVerify, fetchBackupStats, type VerifyReport } from "../../data/endpoints.ts";
import { backupFigures } from "../../data/sync-status.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText } from "./admin-shared.ts";

const DAYS_SHOWN = 5;

@customElement("galley-admin-order-backups")
export class GalleyAdminOrderBackups extends AdminCard {
  static override styles = [
    base,
    buttons,
    card,
    css`
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(6.5rem, 1fr));
        gap: 0.6rem;
        margin: 0;
      }
      dl div {
        padding: 0.5rem 0.7rem;
        border-radius: var(--g-radius-small);
        background: var(--g-surface-2);
      }
      dt {
        color: var(--g-ink-soft);
        font-size: 0.88rem;
      }
      dd {
        margin: 0;
        font-size: 1.35rem;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** Orders not yet upstream (over all targets): the figures move with it. */
  @property({ type: Number }) pending = 0;
  @property({ type: Boolean }) canManage = false;
  @state() stats: BackupStats | undefined;
  @state() reports: VerifyReport[] | undefined;
  @state() busy = false;
  @state() error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("pending") && changed.get("pending") !== undefined) void this.#load();
  }

  override render() {
    const t = translator(this.language);
    const stats = this.stats;
    return this.renderCard(
      html`
        ${this.canManage ? html`<button class="btn" type="button" ?disabled=${this.busy} @click=${this.#verify}>${this.busy ? t("backups.verifying") : t("backups.verify")}</button>` : nothing}
      `,
      html`
        ${
          stats
            ? html`<dl aria-labelledby=${this.titleId} data-testid="order-backup-figures">
                ${backupFigures(stats).map((f) => html`<div data-figure=${f.key}><dt>${t(`backups.figure.${f.key}`)}</dt><dd class=${f.alert ? "tone-bad" : ""}>${f.value}</dd></div>`)}
              </dl>
              ${
                stats.days.length > 0
                  ? html`<table>
                    <caption class="visually-hidden">${t("backups.daysCaption")}</caption>
                    <thead><tr><th scope="col">${t("backups.day")}</th><th scope="col">${t("backups.orders")}</th><th scope="col">${t("backups.records")}</th><th scope="col">${t("backups.figure.verified")}</th><th scope="col">${t("backups.matches")}</th></tr></thead>
                    <tbody>
                      ${stats.days
                        .slice(-DAYS_SHOWN)
                        .reverse()
                        .map(
                          (day) => html`<tr>
                          <td>${day.businessDate}</td>
                          <td class="num">${day.orders}</td>
                          <td class="num">${day.total}</td>
                          <td class="num">${day.verified + day.imported + day.duplicate}</td>
                          <td>${day.matches ? html`<span class="badge tone-ok"><span aria-hidden="true">✓</span> ${t("backups.match")}</span>` : html`<span class="badge tone-bad"><span aria-hidden="true">✕</span> ${t("backups.noMatch")}</span>`}</td>
                        </tr>`,
                        )}
                    </tbody>
                  </table>`
                  : nothing
              }`
            : nothing
        }
        ${
          this.reports
            ? html`<ul role="status" data-testid="verify-reports">
              ${this.reports.length === 0 ? html`<li>${t("backups.verifyNothing")}</li>` : nothing}
              ${this.reports.map(
                (r) =>
                  html`<li class="note">${
                    r.skipped || r.failed
                      ? t("backups.verifySkipped", {
                          target: t(`sync.target.${r.target}`),
                          reason: r.skipped ?? r.failed ?? "",
                        })
                      : t("backups.verifyReport", {
                          target: t(`sync.target.${r.target}`),
                          checked: r.checked,
                          verified: r.verified,
                          missing: r.missing,
                          mismatched: r.mismatched,
                        })
                  }</li>`,
              )}
            </ul>`
            : nothing
        }
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  async #load(): Promise<void> {
    try {
      this.stats = await fetchBackupStats(this.api);
      this.error = "";
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    }
  }

  readonly #verify = async (): Promise<void> => {
    this.busy = true;
    this.error = "";
    try {
      this.reports = await createVerify(this.api);
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    } finally {
      this.busy = false;
    }
    await this.#load();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-order-backups": GalleyAdminOrderBackups;
  }
}
