import type { PrintBlock, PrintDocument } from "../escpos/print-document.ts";
import type { PrinterProfile } from "../printer/profiles.ts";
import { formatTime, rule, wrap } from "./layout.ts";
import { diffTicketItems, type TicketChange } from "./ticket-diff.ts";
import type { KitchenTicketData, TicketItem } from "./types.ts";

const KIND_BANNER = { new: undefined, changed: "CHANGED", cancelled: "CANCELLED" } as const;

/**
 * A kitchen ticket for one station: banner (REPRINT/COPY), station, CHANGED/CANCELLED, the big
 * order number, eat in / take away and the table (large), service mode and time, then only this station's items in large print with their
 * options and notes (notes inverted so they are not missed). A changed order prints the
 * difference (+/- lines); a cancellation prints every item with "-".
 *
 * Returns null when the station has nothing to do (e.g. a change that only touched other stations).
 */
export function renderKitchenTicket(
  data: KitchenTicketData,
  profile: Pick<PrinterProfile, "columns">,
): PrintDocument | null {
  const width = profile.columns;
  const mine = (items: readonly TicketItem[] | undefined): TicketItem[] =>
    (items ?? []).filter((item) => item.station === data.station);
  let changes: TicketChange[];
  if (data.kind === "new") changes = mine(data.items).map((item) => ({ sign: "+", quantity: item.quantity, item }));
  else if (data.kind === "cancelled")
    changes = mine(data.items).map((item) => ({ sign: "-", quantity: item.quantity, item }));
  else changes = diffTicketItems(mine(data.previousItems), mine(data.items));
  if (changes.length === 0) return null;

  const blocks: PrintBlock[] = [];
  const line = (text: string, extra: Partial<Extract<PrintBlock, { type: "line" }>> = {}): void => {
    blocks.push({ type: "line", text, ...extra });
  };
  if (data.banner !== undefined)
    line(` *** ${data.banner} *** `, { align: "center", style: { invert: true, bold: true, width: 2, height: 2 } });
  line((data.stationLabel ?? data.station).toUpperCase(), { align: "center", style: { bold: true, width: 2 } });
  const kindBanner = KIND_BANNER[data.kind];
  if (kindBanner !== undefined)
    line(` ${kindBanner} `, { align: "center", style: { invert: true, bold: true, width: 2, height: 2 } });
  line(`#${data.orderNumber}`, { align: "center", style: { bold: true, width: 3, height: 3 } });
  // Where the food goes decides the plate or the bag: as large as the number's line allows.
  if (data.service !== undefined && data.service !== "")
    for (const text of wrap(data.service, Math.floor(width / 2)))
      line(text, { align: "center", style: { bold: true, width: 2, height: 2 } });
  const context = [data.serviceMode, data.channel].filter((t): t is string => t !== undefined && t !== "").join(" · ");
  if (context !== "") line(context, { align: "center", style: { bold: true } });
  line(
    `Placed ${formatTime(data.placedAt, data)}${data.printedAt === undefined ? "" : `  Printed ${formatTime(data.printedAt, data)}`}`,
    { align: "center" },
  );
  line(rule(width, "="));

  // Items in double height: half as many lines per metre, but readable from the pass.
  const showSign = data.kind !== "new";
  for (const change of changes) {
    const prefix = showSign ? `${change.sign} ` : "";
    for (const text of wrap(`${prefix}${change.quantity} x ${change.item.name}`, width))
      line(text, { style: { bold: true, height: 2 } });
    for (const option of change.item.options ?? [])
      for (const text of wrap(option, width - 4)) line(`    ${text}`, { style: { height: 2 } });
    if (change.item.note !== undefined && change.item.note !== "") {
      // Only the note itself is inverted, not its indentation.
      for (const text of wrap(`NOTE: ${change.item.note}`, width - 4))
        blocks.push({ type: "spans", spans: [{ text: "    " }, { text, style: { invert: true, bold: true } }] });
    }
  }
  line(rule(width, "="));
  if (data.orderNote !== undefined && data.orderNote !== "") {
    for (const text of wrap(`ORDER NOTE: ${data.orderNote}`, width))
      line(text, { style: { invert: true, bold: true } });
  }
  blocks.push({ type: "cut" });
  return { blocks };
}
