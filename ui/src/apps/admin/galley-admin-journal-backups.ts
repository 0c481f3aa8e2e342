/**
 * Journal backups (README "Sync and backups"): the newest few with state, time, size, last seq and
 * integrity, where they go, and Back up now (a checked, hashed copy; galleyd keeps serving).
 */
import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { JournalBackupView } from "../../../../protocol/index.ts";
import { formatBytes } from "../../data/diagnostics.ts";
import { createJournalBackup, fetchJournalBackups } from "../../data/endpoints.ts";
import { journalBackupsNewestFirst } from "../../data/sync-status.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText, formatWhen } from "./admin-shared.ts";

const SHOWN = 6;

@customElement("galley-admin-journal-backups")
export class GalleyAdminJournalBackups extends AdminCard {
  static override styles = [base, buttons, card];

  @property({ type: Boolean }) canManage = false;
  @state() folder = "";
  @state() backups: JournalBackupView[] | undefined;
  @state() busy = false;
  @state() note = "";
  @state() error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override render() {
    const t = translator(this.language);
    const backups = this.backups ?? [];
    return this.renderCard(
      html`
        ${this.canManage ? html`<button class="btn" type="button" ?disabled=${this.busy} @click=${this.#backUp}>${this.busy ? t("backups.backingUp") : t("backups.backUpNow")}</button>` : nothing}
      `,
      html`
        ${this.folder ? html`<p>${t("backups.folder")} <code>${this.folder}</code></p>` : nothing}
        ${
          this.backups === undefined
            ? nothing
            : backups.length === 0
              ? html`<p>${t("backups.none")}</p>`
              : html`<table aria-labelledby=${this.titleId} data-testid="journal-backups">
                <thead><tr><th scope="col">${t("backups.when")}</th><th scope="col">${t("sync.state")}</th><th scope="col">${t("backups.size")}</th><th scope="col">${t("backups.seq")}</th><th scope="col">${t("backups.integrity")}</th></tr></thead>
                <tbody>
                  ${backups.slice(0, SHOWN).map(
                    (b) => html`<tr data-state=${b.state}>
                      <td class="long">${formatWhen(b.createdAt, this.language)}<div class="muted mono" title=${b.file}>${b.file.split("/").pop()}</div></td>
                      <td class="long ${b.state === "ready" ? "tone-ok" : b.state === "failed" ? "tone-bad" : ""}">${t(`backups.state.${b.state}`)}${b.error ? html`<div class="muted">${b.error}</div>` : nothing}</td>
                      <td class="num">${b.sizeBytes === null ? "—" : formatBytes(b.sizeBytes)}</td>
                      <td class="num">${b.seq ?? "—"}</td>
                      <td class="long">${b.integrity ?? "—"}${b.sha256 ? html`<div class="muted mono">${b.sha256.slice(0, 12)}…</div>` : nothing}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
              ${backups.length > SHOWN ? html`<p>${t("backups.more", { count: backups.length - SHOWN })}</p>` : nothing}`
        }
        <p class="note" role="status">${this.note}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  async #load(): Promise<void> {
    try {
      const reply = await fetchJournalBackups(this.api);
      this.folder = reply.folder;
      this.backups = journalBackupsNewestFirst(reply.backups);
      this.error = "";
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    }
  }

  readonly #backUp = async (): Promise<void> => {
    const t = translator(this.language);
    this.busy = true;
    this.error = "";
    this.note = "";
    try {
      const made = await createJournalBackup(this.api);
      this.note = t("backups.made", {
        seq: made.seq ?? 0,
        size: made.sizeBytes === null ? "—" : formatBytes(made.sizeBytes),
      });
    } catch (error) {
      this.error = failureText(t, error);
    } finally {
      this.busy = false;
    }
    await this.#load();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-journal-backups": GalleyAdminJournalBackups;
  }
}
