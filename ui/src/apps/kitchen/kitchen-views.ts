/**
 * The kitchen display's board as render functions: the New / Cooking / Ready columns of ticket
 * cards, numbered 1–9 in screen order for the bump bar, and the printer banner above them. The
 * app element owns the state; these only turn it into templates.
 */
import { html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import "../../components/galley-ticket-card.ts";
import { icon } from "../../components/icons.ts";
import { KITCHEN_COLUMNS, type KitchenColumn, type Ticket } from "../../data/kitchen-tickets.ts";
import { PRINTER_ALERT_TEXT, type PrinterNotice } from "../../data/printers.ts";
import type { KitchenSettings } from "../../data/settings.ts";
import type { MessageKey, Translate } from "../../i18n/index.ts";

const COLUMN_TITLES: Readonly<Record<KitchenColumn, MessageKey>> = {
  new: "kitchen.new",
  cooking: "kitchen.cooking",
  ready: "kitchen.ready",
};

export interface TicketColumnsState {
  columns: Readonly<Record<KitchenColumn, readonly Ticket[]>>;
  now: number;
  selected: string | undefined;
  busy: ReadonlySet<string>;
  settings: KitchenSettings;
}

/** One section per column; the first nine tickets across the columns get their number badge. */
export function ticketColumns(t: Translate, state: TicketColumnsState) {
  const { columns, settings } = state;
  let slot = 0;
  return KITCHEN_COLUMNS.map(
    (column) => html`<section class=${column} aria-labelledby="col-${column}" data-column=${column}>
      <h2 id="col-${column}"><span>${t(COLUMN_TITLES[column])}</span><span class="num">${columns[column].length}</span></h2>
      <div class="tickets">
        ${columns[column].length === 0 ? html`<p class="empty">${t("kitchen.empty")}</p>` : nothing}
        ${repeat(
          columns[column],
          (ticket) => ticket.order.id,
          (ticket) => {
            slot += 1;
            return html`<galley-ticket-card
              .ticket=${ticket}
              .now=${state.now}
              .position=${slot <= 9 ? slot : 0}
              .selected=${ticket.order.id === state.selected}
              .busy=${state.busy.has(ticket.order.id)}
              .thresholds=${settings}
              .language=${settings.lang}
            ></galley-ticket-card>`;
          },
        )}
      </div>
    </section>`,
  );
}

/** Printer trouble, one slim line per printer: its name, what is wrong, tickets waiting or uncertain. */
export function printerBanner(t: Translate, notices: readonly PrinterNotice[]) {
  return html`<div class="printers" role="status" aria-label=${t("kitchen.printerAlerts")} data-testid="printer-alerts">
    ${notices.map(
      (n) => html`<p class="printer ${n.severity}" data-printer=${n.printerId}>
        ${icon("printer")}<strong>${n.name}:</strong><span>${n.codes.map((code) => t(PRINTER_ALERT_TEXT[code])).join(" · ")}</span>
        <span class="counts">${[n.held > 0 ? t("printer.held", { count: n.held }) : "", n.uncertain > 0 ? t("printer.uncertain", { count: n.uncertain }) : ""].filter(Boolean).join(" · ")}</span>
      </p>`,
    )}
  </div>`;
}
