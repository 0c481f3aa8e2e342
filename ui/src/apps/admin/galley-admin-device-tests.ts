/**
 * The devices with a test each (`devices:operate`): a test print shows the PNG galleyd draws from
 * the very bytes sent to the printer; a drawer kick shows the drawer's state a moment later; a
 * display test shows the pole display's 2×20 cells as galleyd returned them. States are live from
 * the `devices` topic (the shell passes them in).
 */
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { DevicesStatus, DrawerStatusView, PrinterStatusView } from "../../../../protocol/index.ts";
import { DRAWER_STATE_TEXT, displayCells } from "../../data/diagnostics.ts";
import { createDisplayTest, createDrawerKick, createTestReceipt } from "../../data/endpoints.ts";
import { PRINTER_CONDITION_TEXT, printerCondition } from "../../data/printers.ts";
import { translator } from "../../i18n/index.ts";
import { base, buttons } from "../../styles/shared.ts";
import { AdminCard } from "./admin-card.ts";
import { card, formatWhen, runCardAction } from "./admin-shared.ts";

interface ReceiptShown {
  url: string;
  printer: string;
  simulated: boolean;
  jobId: string;
}

type Busy = `printer:${string}` | "drawer" | "display";

@customElement("galley-admin-device-tests")
export class GalleyAdminDeviceTests extends AdminCard {
  static override styles = [
    base,
    buttons,
    card,
    css`
      ul.devices {
        display: grid;
      }
      ul.devices li {
        display: grid;
        grid-template-columns: minmax(10rem, 1.3fr) minmax(8rem, 1fr) auto;
        gap: 0.3rem 1rem;
        align-items: center;
        padding: 0.55rem 0;
        border-bottom: 1px solid var(--g-line);
      }
      .name {
        font-weight: 700;
      }
      .name small {
        display: block;
        font-weight: 400;
        color: var(--g-ink-soft);
      }
      .results {
        display: flex;
        flex-wrap: wrap;
        gap: 1.2rem;
        align-items: flex-start;
      }
      figure {
        margin: 0;
        display: grid;
        gap: var(--g-space-2);
        max-width: 100%;
      }
      figcaption {
        color: var(--g-ink-soft);
        font-size: 0.92rem;
        max-width: 26rem;
      }
      .paper {
        max-height: 32rem;
        overflow: auto;
        background: var(--g-paper);
        border-radius: var(--g-radius-s);
        padding: 0.4rem;
        border: 1px solid var(--g-line);
      }
      .paper img {
        width: 19rem;
        max-width: 100%;
        image-rendering: pixelated;
      }
      .lcd {
        display: inline-grid;
        gap: 3px;
        padding: 0.7rem;
        border-radius: var(--g-radius-m);
        background: var(--g-lcd-bg);
        border: 3px solid var(--g-lcd-bezel);
        font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace;
        font-size: 1.15rem;
        font-weight: 700;
      }
      .lcd .row {
        display: grid;
        grid-template-columns: repeat(20, 1.05em);
        gap: 3px;
      }
      .lcd .cell {
        display: grid;
        place-items: center;
        height: 1.55em;
        background: var(--g-lcd-cell);
        color: var(--g-lcd-ink);
        border-radius: var(--g-radius-xs);
        white-space: pre;
      }
    `,
  ];

  @property({ attribute: false }) status: DevicesStatus | undefined;
  /** May run the tests (`devices:operate`); otherwise the states only. */
  @property({ type: Boolean }) canTest = false;
  @state() busy = new Set<Busy>();
  @state() receipt: ReceiptShown | undefined;
  @state() kicked: { drawer: DrawerStatusView; at: number } | undefined;
  /** The rows the display test returned, until the display shows something else. */
  @state() testedLines: string[] | undefined;
  @state() error = "";

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.receipt) URL.revokeObjectURL(this.receipt.url);
    this.receipt = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const live = this.status?.display?.lines;
    if (changed.has("status") && this.testedLines && live && live.join("\n") !== this.testedLines.join("\n"))
      this.testedLines = undefined;
  }

  override render() {
    const t = translator(this.language);
    const status = this.status;
    return this.renderCard(
      nothing,
      html`
        ${
          !status
            ? html`<p>${t("diag.devicesLoading")}</p>`
            : html`<ul class="devices" aria-labelledby=${this.titleId}>
              ${status.printers.map((p) => this.#renderPrinter(p))}
              ${status.drawer ? this.#renderDrawer(status.drawer) : nothing}
              ${
                status.display
                  ? html`<li data-device="display">
                    <span class="name">${t("diag.display")}<small>${t("diag.displayWiring", { wiring: status.display.wiring, commandSet: status.display.commandSet })}</small></span>
                    <span class=${status.display.connection === "online" ? "tone-ok" : "tone-bad"}>${t(status.display.connection === "online" ? "diag.online" : "diag.offline")}</span>
                    ${this.canTest ? html`<button class="btn" type="button" ?disabled=${this.busy.has("display")} @click=${this.#testDisplay}>${t("diag.testDisplay")}</button>` : html`<span></span>`}
                  </li>`
                  : nothing
              }
            </ul>
            ${status.printers.length === 0 && !status.drawer && !status.display ? html`<p>${t("diag.noDevices")}</p>` : nothing}`
        }
        <div class="results">
          ${
            this.receipt
              ? html`<figure data-testid="test-receipt" data-job=${this.receipt.jobId}>
                <div class="paper" tabindex="0" role="region" aria-label=${t("diag.receiptRegion")}><img src=${this.receipt.url} alt=${t("diag.receiptAlt", { printer: this.receipt.printer })} /></div>
                <figcaption>${t(this.receipt.simulated ? "diag.receiptCaptionSimulated" : "diag.receiptCaption", { printer: this.receipt.printer })}</figcaption>
              </figure>`
              : nothing
          }
          ${status?.display ? this.#renderDisplay(this.testedLines ?? status.display.lines, this.testedLines !== undefined) : nothing}
        </div>
        ${
          this.kicked
            ? html`<p class="note" data-testid="drawer-result" role="status">${t("diag.drawerKicked", { state: t(DRAWER_STATE_TEXT[this.kicked.drawer.state]), time: formatWhen(new Date(this.kicked.at).toISOString(), this.language) })}</p>`
            : nothing
        }
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      `,
    );
  }

  #renderPrinter(printer: PrinterStatusView) {
    const t = translator(this.language);
    const condition = printerCondition(printer);
    const key: Busy = `printer:${printer.id}`;
    return html`<li data-device=${`printer:${printer.id}`}>
      <span class="name">${printer.name}<small class="long">${printer.simulated ? `${t("diag.simulated")} · ${printer.profile}` : `${printer.uri ?? ""} · ${printer.profile}`}</small></span>
      <span class=${condition === "ready" ? "tone-ok" : condition === "paperLow" || condition === "unknown" || condition === "connecting" ? "tone-warn" : "tone-bad"}>${t(PRINTER_CONDITION_TEXT[condition])}</span>
      ${
        this.canTest
          ? html`<button class="btn" type="button" ?disabled=${this.busy.has(key)} aria-label=${t("diag.testPrintOn", { printer: printer.name })} @click=${() => {
              void this.#testPrint(printer);
            }}>${t("diag.testPrint")}</button>`
          : html`<span></span>`
      }
    </li>`;
  }

  #renderDrawer(drawer: DrawerStatusView) {
    const t = translator(this.language);
    const printer = this.status?.printers.find((p) => p.id === drawer.printerId)?.name ?? drawer.printerId;
    const tone = drawer.state === "closed" ? "tone-ok" : drawer.state === "open-too-long" ? "tone-bad" : "tone-warn";
    return html`<li data-device="drawer">
      <span class="name">${t("diag.drawer")}<small>${t("diag.drawerOn", { printer })}</small></span>
      <span class=${tone}>${t(DRAWER_STATE_TEXT[drawer.state])}</span>
      ${this.canTest ? html`<button class="btn" type="button" ?disabled=${this.busy.has("drawer")} @click=${this.#kick}>${t("diag.kickDrawer")}</button>` : html`<span></span>`}
    </li>`;
  }

  #renderDisplay(lines: readonly string[], tested: boolean) {
    const t = translator(this.language);
    const rows = displayCells(lines);
    return html`<figure>
      <div class="lcd" role="img" data-testid="display-cells" data-tested=${tested ? "true" : "false"} aria-label=${t("diag.displayShows", { first: (lines[0] ?? "").trim(), second: (lines[1] ?? "").trim() })}>
        ${rows.map((row) => html`<div class="row">${row.map((char) => html`<span class="cell">${char}</span>`)}</div>`)}
      </div>
      <figcaption>${t(tested ? "diag.displayTested" : "diag.displayNow")}</figcaption>
    </figure>`;
  }

  async #testPrint(printer: PrinterStatusView): Promise<void> {
    await runCardAction(this, `printer:${printer.id}`, async () => {
      const result = await createTestReceipt(this.api, printer.id);
      if (this.receipt) URL.revokeObjectURL(this.receipt.url);
      const shown = this.status?.printers.find((p) => p.id === result.printerId) ?? printer;
      this.receipt = {
        url: URL.createObjectURL(new Blob([result.png], { type: "image/png" })),
        printer: shown.name,
        simulated: shown.simulated,
        jobId: result.jobId,
      };
    });
  }

  readonly #kick = async (): Promise<void> => {
    await runCardAction(this, "drawer", async () => {
      this.kicked = { drawer: await createDrawerKick(this.api), at: Date.now() };
    });
  };

  readonly #testDisplay = async (): Promise<void> => {
    await runCardAction(this, "display", async () => {
      this.testedLines = (await createDisplayTest(this.api)).lines;
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-admin-device-tests": GalleyAdminDeviceTests;
  }
}
