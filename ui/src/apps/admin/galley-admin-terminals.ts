/**
 * Card terminals (`devices:read`): each terminal's state — online, busy, its terminal id, whether
 * its credentials are set, the last error, what it serves — read every 10 s, and the recent ends
 * of day (matched ✓, or the difference between the terminal's totals and the journal's card
 * payments). With `devices:operate`: "Test payment 0.01" (charged and reversed at once) and "End
 * of day", each with its result in words (and the terminal's slip).
 */
import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { TerminalClosingView, TerminalTestView, TerminalView } from "../../../../protocol/index.ts";
import { PollController } from "../../controllers/poll-controller.ts";
import { formatMoney } from "../../data/format.ts";
import { translator, type Translate } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, formatWhen, loadCard, runCardAction } from "./admin-shared.ts";
import { createEndOfDay, createTerminalTest, fetchClosings, fetchTerminals } from "./payments-endpoints.ts";

const SHOWN_CLOSINGS = 8;

type Busy = `test:${string}` | `close:${string}`;

/** The result of the last button pressed on a terminal, in words (and the slip it printed). */
interface Result {
  terminal: string;
  tone: "ok" | "bad";
  text: string;
  slip: string[];
}

@customElement("galley-admin-terminals")
export class GalleyAdminTerminals extends AdminCard {
  static override styles = [
    base,
    buttons,
    card,
    css`
      ul.terminals {
        display: grid;
      }
      ul.terminals li {
        display: grid;
        grid-template-columns: minmax(10rem, 1.2fr) minmax(12rem, 1.5fr) auto;
        gap: 0.3rem 1rem;
        align-items: center;
        padding: 0.6rem 0;
        border-bottom: 1px solid var(--g-line);
      }
      .name {
        font-weight: 700;
      }
      .name small,
      .facts small {
        display: block;
        font-weight: 400;
        color: var(--g-ink-soft);
      }
      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: 0.2rem 0.9rem;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: var(--g-space-2);
      }
      .result {
        margin-top: var(--g-space-3);
        font-weight: 700;
      }
      pre {
        margin: var(--g-space-2) 0 0;
        padding: var(--g-space-2);
        background: var(--g-paper);
        border: 1px solid var(--g-line);
        border-radius: var(--g-radius-s);
        font-size: 0.85rem;
        white-space: pre-wrap;
      }
      td.num,
      th.num {
        text-align: right;
      }
    `,
  ];

  /** May run the test payment and the end of day (`devices:operate`). */
  @property({ type: Boolean }) canOperate = false;
  @state() terminals: TerminalView[] | undefined;
  @state() closings: TerminalClosingView[] = [];
  @state() busy = new Set<Busy>();
  @state() result: Result | undefined;
  @state() loading = false;
  @state() error = "";
  readonly poll = new PollController(this, 10_000, () => this.#load());

  override render() {
    const t = translator(this.language);
    const terminals = this.terminals;
    return this.renderCard(
      html`<button class="btn" type="button" ?disabled=${this.loading} @click=${() => {
        void this.poll.refresh();
      }}>${t("diag.refresh")}</button>`,
      html`
        ${
          terminals === undefined
            ? html`<p>${t("term.loading")}</p>`
            : terminals.length === 0
              ? html`<p>${t("term.none")}</p>`
              : html`<ul class="terminals" aria-labelledby=${this.titleId}>
                ${terminals.map((terminal) => this.#renderTerminal(t, terminal))}
              </ul>`
        }
        ${
          this.result
            ? html`<div class="result ${this.result.tone === "ok" ? "tone-ok" : "tone-bad"}" role="status" data-testid="terminal-result">
              ${this.result.text}
              ${
                this.result.slip.length > 0
                  ? html`<details><summary>${t("term.slip")}</summary><pre>${this.result.slip.join("\n")}</pre></details>`
                  : nothing
              }
            </div>`
            : nothing
        }
        ${this.#renderClosings(t)}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  #renderTerminal(t: Translate, terminal: TerminalView) {
    const serves = [
      ...(terminal.kiosks.includes("*") ? [t("term.allKiosks")] : terminal.kiosks),
      ...(terminal.counter ? [t("term.counter")] : []),
    ];
    const testing = this.busy.has(`test:${terminal.id}`);
    const closing = this.busy.has(`close:${terminal.id}`);
    return html`<li data-terminal=${terminal.id}>
      <span class="name">${terminal.name}<small class="long">${terminal.protocol.toUpperCase()}${terminal.uri ? ` · ${terminal.uri}` : ""}</small><small>${t("term.serves", { what: serves.length > 0 ? serves.join(", ") : t("term.nothing") })}</small></span>
      <span class="facts">
        <span class="badge ${terminal.online ? "tone-ok" : "tone-bad"}" data-testid="terminal-online">${terminal.online ? "●" : "○"} ${t(terminal.online ? "term.online" : "term.offline")}</span>
        ${terminal.busy ? html`<span class="badge tone-warn">${t("term.busy")}</span>` : nothing}
        <span class=${terminal.credentials ? "tone-ok" : "tone-warn"}>${terminal.credentials ? "✓" : "✗"} ${t(terminal.credentials ? "term.credentials" : "term.noCredentials")}</span>
        <span class="mono">${terminal.terminalId ? t("term.id", { id: terminal.terminalId }) : t("term.noId")}</span>
        ${terminal.openCheckouts > 0 ? html`<span class="tone-warn">${t("term.openCheckouts", { count: terminal.openCheckouts })}</span>` : nothing}
        ${terminal.lastError ? html`<small class="long tone-bad">${t("term.lastError", { error: terminal.lastError })}</small>` : nothing}
      </span>
      ${
        this.canOperate
          ? html`<span class="buttons">
            <button class="btn" type="button" ?disabled=${testing || closing} aria-label=${t("term.testOn", { terminal: terminal.name })} @click=${() => {
              void this.#test(terminal);
            }}>${testing ? t("term.testing") : t("term.test")}</button>
            <button class="btn" type="button" ?disabled=${testing || closing} aria-label=${t("term.endOfDayOn", { terminal: terminal.name })} @click=${() => {
              void this.#endOfDay(terminal);
            }}>${closing ? t("term.closing") : t("term.endOfDay")}</button>
          </span>`
          : html`<span></span>`
      }
    </li>`;
  }

  #renderClosings(t: Translate) {
    const names = new Map((this.terminals ?? []).map((terminal) => [terminal.id, terminal.name]));
    const closings = this.closings.slice(0, SHOWN_CLOSINGS);
    return html`<h3 id="closings-title">${t("term.closings")}</h3>
      ${
        closings.length === 0
          ? html`<p>${t("term.noClosings")}</p>`
          : html`<table aria-labelledby="closings-title" data-testid="closings">
            <thead><tr>
              <th scope="col">${t("term.closedAt")}</th>
              <th scope="col">${t("term.terminal")}</th>
              <th scope="col" class="num">${t("term.terminalTotal")}</th>
              <th scope="col" class="num">${t("term.journalTotal")}</th>
              <th scope="col">${t("term.result")}</th>
            </tr></thead>
            <tbody>
              ${closings.map((closing) => {
                const money = (minor: number) => formatMoney(minor, closing.currency, this.language);
                return html`<tr data-closing=${closing.id}>
                  <td>${formatWhen(closing.closedAt, this.language)}</td>
                  <td>${names.get(closing.terminal) ?? closing.terminal}</td>
                  <td class="num">${t("term.totalCount", { total: money(closing.terminalTotal), count: closing.terminalCount })}</td>
                  <td class="num">${t("term.totalCount", { total: money(closing.journalTotal), count: closing.journalCount })}</td>
                  <td class="long">${
                    closing.error
                      ? html`<span class="tone-bad">✗ ${closing.error}</span>`
                      : closing.matched
                        ? html`<span class="badge tone-ok">✓ ${t("term.matched")}</span>`
                        : html`<span class="badge tone-bad">✗ ${t("term.difference", { amount: money(closing.difference) })}</span>`
                  }</td>
                </tr>`;
              })}
            </tbody>
          </table>`
      }`;
  }

  async #load(): Promise<void> {
    await loadCard(this, async () => {
      const [terminals, closings] = await Promise.all([fetchTerminals(this.api), fetchClosings(this.api)]);
      this.terminals = terminals;
      this.closings = closings;
    });
  }

  async #test(terminal: TerminalView): Promise<void> {
    await runCardAction(this, `test:${terminal.id}`, async () => {
      this.result = undefined;
      this.result = this.#testResult(
        translator(this.language),
        terminal,
        await createTerminalTest(this.api, terminal.id),
      );
    });
    await this.poll.refresh();
  }

  async #endOfDay(terminal: TerminalView): Promise<void> {
    await runCardAction(this, `close:${terminal.id}`, async () => {
      this.result = undefined;
      this.result = this.#closingResult(
        translator(this.language),
        terminal,
        await createEndOfDay(this.api, terminal.id),
      );
    });
    await this.poll.refresh();
  }

  #testResult(t: Translate, terminal: TerminalView, test: TerminalTestView): Result {
    const reason = test.reason ?? "—";
    const name = terminal.name;
    const slip = test.receiptLines;
    if (test.result === "approved")
      return test.reversed
        ? { terminal: terminal.id, tone: "ok", text: t("term.test.approved", { terminal: name }), slip }
        : { terminal: terminal.id, tone: "bad", text: t("term.test.notReversed", { terminal: name, reason }), slip };
    return {
      terminal: terminal.id,
      tone: "bad",
      text: t(`term.test.${test.result}`, { terminal: name, reason }),
      slip,
    };
  }

  #closingResult(t: Translate, terminal: TerminalView, closing: TerminalClosingView): Result {
    const money = (minor: number) => formatMoney(minor, closing.currency, this.language);
    const name = terminal.name;
    if (closing.error)
      return {
        terminal: terminal.id,
        tone: "bad",
        text: t("term.closedError", { terminal: name, error: closing.error }),
        slip: [],
      };
    if (closing.matched)
      return {
        terminal: terminal.id,
        tone: "ok",
        text: t("term.closed", { terminal: name, count: closing.terminalCount, total: money(closing.terminalTotal) }),
        slip: [],
      };
    return {
      terminal: terminal.id,
      tone: "bad",
      text: t("term.closedDiff", {
        terminal: name,
        difference: money(closing.difference),
        terminalTotal: money(closing.terminalTotal),
        journalTotal: money(closing.journalTotal),
      }),
      slip: [],
    };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-terminals": GalleyAdminTerminals;
  }
}
