/**
 * Upstream sync (`GET /api/sync/status`, then the `sync` topic; the shell passes it in): per
 * target its state and "N orders not yet upstream, oldest X min", Sync now, the open
 * notifications with Clear, and the dead items (refused for good) with Re-queue.
 */
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { HistoryEntry, NotificationView, SyncTargetStatus, TargetName } from "../../../../protocol/index.ts";
import { ClockController } from "../../controllers/clock-controller.ts";
import {
  createRequeue,
  createSyncNow,
  fetchDeadItems,
  fetchOpenNotifications,
  updateNotificationCleared,
} from "../../data/endpoints.ts";
import {
  attentionKey,
  backlogText,
  targetsWithDead,
  targetTone,
  type ReceivedSyncStatus,
} from "../../data/sync-status.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, failureText, formatWhen, runCardAction } from "./admin-shared.ts";

const TONE_ICON = { ok: "✓", warn: "!", bad: "✕", off: "–" } as const;

interface DeadItem extends HistoryEntry {
  target: TargetName;
}

@customElement("galley-admin-sync")
export class GalleyAdminSync extends AdminCard {
  static override styles = [
    base,
    buttons,
    card,
    css`
      ul.items {
        display: grid;
      }
      ul.items li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.3rem 1rem;
        padding: var(--g-space-2) 0;
        border-bottom: 1px solid var(--g-line);
      }
      ul.items .what {
        margin-right: auto;
        color: var(--g-ink);
        overflow-wrap: anywhere;
      }
      .backlog {
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) sync: ReceivedSyncStatus | undefined;
  /** Sync now, clear, re-queue (`sync:manage`). */
  @property({ type: Boolean }) canManage = false;
  @state() notifications: NotificationView[] = [];
  @state() dead: DeadItem[] = [];
  @state() busy = new Set<string>();
  @state() note = "";
  @state() error = "";
  /** Ages keep counting between pushes. */
  readonly clock = new ClockController(this, 30_000);
  #attention: string | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has("sync")) return;
    const key = attentionKey(this.sync?.status);
    if (key === this.#attention) return;
    this.#attention = key;
    void this.#loadLists();
  }

  override render() {
    const t = translator(this.language);
    const status = this.sync?.status;
    return this.renderCard(
      html`
        ${
          this.canManage && status && status.targets.length > 0
            ? html`<button class="btn primary" type="button" ?disabled=${this.busy.has("now")} @click=${this.#syncNow}>${t("sync.now")}</button>`
            : nothing
        }
      `,
      html`
        ${
          !status
            ? html`<p>${t("sync.loading")}</p>`
            : status.targets.length === 0
              ? html`<p>${t("sync.noTargets")}</p>`
              : html`<table aria-labelledby=${this.titleId} data-testid="sync-targets">
                <thead><tr><th scope="col">${t("sync.target")}</th><th scope="col">${t("sync.state")}</th><th scope="col">${t("sync.backlogTitle")}</th><th scope="col">${t("sync.dead")}</th><th scope="col">${t("sync.last")}</th></tr></thead>
                <tbody>${status.targets.map((target) => this.#renderTarget(target))}</tbody>
              </table>`
        }
        ${status ? this.#renderNotifications(status.openNotifications) : nothing}
        ${this.dead.length > 0 ? this.#renderDead() : nothing}
        <p class="note" role="status">${this.note}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  #renderTarget(target: SyncTargetStatus) {
    const t = translator(this.language);
    const receivedAt = this.sync?.receivedAt ?? this.clock.value;
    const tone = targetTone(target, receivedAt, this.clock.value);
    const stateText =
      target.state === "active"
        ? t(target.online ? "sync.active" : "sync.activeOffline")
        : t(target.state === "blocked" ? "sync.blocked" : "sync.disconnected");
    return html`<tr data-target=${target.target} data-state=${target.state}>
      <th scope="row">${t(`sync.target.${target.target}`)}</th>
      <td class="long">
        <span class="badge tone-${tone}"><span aria-hidden="true">${TONE_ICON[tone]}</span> ${stateText}</span>
        ${target.blockedReason ? html`<div class="muted">${target.blockedReason}</div>` : nothing}
      </td>
      <td class="backlog num" data-testid=${`backlog-${target.target}`} data-pending=${target.pending}>${backlogText(t, target, receivedAt, this.clock.value)}</td>
      <td class="num ${target.dead > 0 ? "tone-bad" : ""}">${target.dead}</td>
      <td class="long">
        ${target.lastSuccessAt ? html`<div>${t("sync.lastSuccess", { time: formatWhen(target.lastSuccessAt, this.language) })}</div>` : nothing}
        ${target.lastError ? html`<div class="muted">${t("sync.lastError", { error: target.lastError, count: target.consecutiveFailures })}</div>` : nothing}
      </td>
    </tr>`;
  }

  #renderNotifications(open: number) {
    const t = translator(this.language);
    return html`<h3 id="notes-title">${t("sync.notifications", { count: open })}</h3>
      ${
        this.notifications.length === 0
          ? html`<p>${t("sync.noNotifications")}</p>`
          : html`<ul class="items" aria-labelledby="notes-title">
            ${this.notifications.map((n) => {
              const tone = n.severity === "critical" ? "bad" : n.severity === "warning" ? "warn" : "off";
              return html`<li data-notification=${n.id}>
                <span class="badge tone-${tone}"><span aria-hidden="true">${TONE_ICON[tone]}</span> ${t(`sync.severity.${n.severity}`)}</span>
                <span class="what">${n.message}</span>
                <span class="muted">${formatWhen(n.raisedAt, this.language)}</span>
                ${
                  this.canManage
                    ? html`<button class="btn" type="button" ?disabled=${this.busy.has(`n:${n.id}`)} aria-label=${t("sync.clearNamed", { message: n.message })} @click=${() => {
                        void this.#clear(n);
                      }}>${t("sync.clear")}</button>`
                    : nothing
                }
              </li>`;
            })}
          </ul>`
      }`;
  }

  #renderDead() {
    const t = translator(this.language);
    return html`<h3 id="dead-title">${t("sync.deadTitle")}</h3>
      <p>${t("sync.deadBody")}</p>
      <ul class="items" aria-labelledby="dead-title">
        ${this.dead.map(
          (item) => html`<li data-item=${item.id}>
            <span class="what"><b>${t(`sync.target.${item.target}`)}</b> · ${item.operation}${item.orderId ? html` · <code>${item.orderId.slice(0, 8)}</code>` : nothing}${item.httpStatus ? ` · HTTP ${item.httpStatus}` : ""}${item.errorMessage ? html`<br /><span class="muted">${item.errorMessage}</span>` : nothing}</span>
            ${
              this.canManage
                ? html`<button class="btn" type="button" ?disabled=${this.busy.has(`d:${item.id}`)} aria-label=${t("sync.requeueNamed", { id: item.id })} @click=${() => {
                    void this.#requeue(item);
                  }}>${t("sync.requeue")}</button>`
                : nothing
            }
          </li>`,
        )}
      </ul>`;
  }

  async #loadLists(): Promise<void> {
    const status = this.sync?.status;
    if (!status) return;
    try {
      this.notifications =
        status.openNotifications > 0 || this.notifications.length > 0
          ? (await fetchOpenNotifications(this.api)).notifications
          : [];
      const dead: DeadItem[] = [];
      for (const target of targetsWithDead(status))
        dead.push(...(await fetchDeadItems(this.api, target)).items.map((item) => ({ ...item, target })));
      this.dead = dead;
    } catch (error) {
      this.error = failureText(translator(this.language), error);
    }
  }

  readonly #syncNow = async (): Promise<void> => {
    const t = translator(this.language);
    await runCardAction(this, "now", async () => {
      const reply = await createSyncNow(this.api);
      this.note = t("sync.nowDone", { count: reply.due });
    });
  };

  async #clear(notification: NotificationView): Promise<void> {
    await runCardAction(this, `n:${notification.id}`, async () => {
      await updateNotificationCleared(this.api, notification.id);
      this.notifications = this.notifications.filter((n) => n.id !== notification.id);
    });
  }

  async #requeue(item: DeadItem): Promise<void> {
    const t = translator(this.language);
    await runCardAction(this, `d:${item.id}`, async () => {
      await createRequeue(this.api, item.id);
      this.dead = this.dead.filter((d) => d.id !== item.id);
      this.note = t("sync.requeued", { id: item.id });
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-sync": GalleyAdminSync;
  }
}
