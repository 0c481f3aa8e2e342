import type { PrintBlock, PrintDocument } from "../escpos/print-document.ts";
import { printableText } from "../escpos/printable-text.ts";
import type { PrinterProfile } from "../printer/profiles.ts";
import { formatDateTime, formatMoney, formatTime, leftRight, priced, rule } from "./layout.ts";
import type { ShiftReportData, ShiftReportMovement } from "./types.ts";

/** Indent of a movement under its total. */
const MOVEMENT_INDENT = 2;

/**
 * A cash shift on paper, laid out like the receipt for the profile's columns (32/42/48): store,
 * X REPORT (mid-shift) or Z REPORT (the close), the drawer and who opened and closed it; the cash
 * figures with each movement and its reason; what should be in the drawer, what was counted and
 * the difference; then, for information, the other methods, everything taken and the orders.
 *
 * A reason is typed at the counter: it is cleaned (`printableText`) before it is wrapped, so a
 * tab or line break stays one "?" in place instead of splitting the text.
 */
export function renderShiftReport(data: ShiftReportData, profile: Pick<PrinterProfile, "columns">): PrintDocument {
  const width = profile.columns;
  const money = (minor: number): string => formatMoney(minor, data.currency, data);
  /** Money going out of the drawer: negative, except nothing ("€0.00", not "-€0.00"). */
  const out = (minor: number): string => money(minor === 0 ? 0 : -minor);
  const blocks: PrintBlock[] = [];
  const line = (text: string, extra: Partial<Extract<PrintBlock, { type: "line" }>> = {}): void => {
    blocks.push({ type: "line", text, ...extra });
  };
  const row = (label: string, value: string, bold = false): void => {
    line(leftRight(label, value, width), bold ? { style: { bold: true } } : {});
  };

  if (data.copyBanner !== undefined)
    line(` ${data.copyBanner} `, { align: "center", style: { invert: true, bold: true, width: 2 } });
  line(data.storeName, { align: "center", style: { bold: true, height: 2 } });
  line(data.kind === "x" ? "X REPORT" : "Z REPORT", {
    align: "center",
    style: { bold: true, width: 2, height: 2 },
  });
  line(data.kind === "x" ? "Mid-shift: the shift stays open" : "Shift closed", { align: "center" });
  line(rule(width));

  row("Drawer", data.drawer);
  row("Opened", formatDateTime(data.openedAt, data));
  if (data.openedBy !== undefined) row("  by", data.openedBy);
  if (data.closedAt !== undefined) {
    row("Closed", formatDateTime(data.closedAt, data));
    if (data.closedBy !== undefined) row("  by", data.closedBy);
  }
  line(rule(width));

  row("Opening float", money(data.openingFloatMinor));
  row(`Cash sales (${data.cashSalesCount})`, money(data.cashSalesMinor));
  row(`Cash refunds (${data.cashRefundsCount})`, out(data.cashRefundsMinor));
  row("Cash in", money(data.cashInMinor));
  for (const movement of data.movements.filter((m) => m.type === "cash_in")) movementLines(movement);
  row("Cash out", out(data.cashOutMinor));
  for (const movement of data.movements.filter((m) => m.type === "cash_out")) movementLines(movement);
  line(rule(width, "="));

  line(leftRight("EXPECTED IN DRAWER", data.expectedMinor === null ? "" : money(data.expectedMinor), width), {
    style: { bold: true },
  });
  if (data.expectedMinor === null) line("  hidden until the count");
  if (data.countedMinor === null) row("Counted", "not yet");
  else row("Counted", money(data.countedMinor));
  if (data.overShortMinor !== null) {
    line(leftRight("Over/short", overShort(data.overShortMinor, money), width), {
      style: { bold: true, height: 2 },
    });
  }
  line(rule(width, "="));

  line("For information");
  for (const method of data.otherMethods) {
    row(`${method.label} (${method.count})`, money(method.amountMinor));
    if (method.tipsMinor !== undefined && method.tipsMinor !== 0) row("  tips", money(method.tipsMinor));
    if (method.refundsMinor !== undefined && method.refundsMinor !== 0) row("  refunds", out(method.refundsMinor));
  }
  row("Total taken", money(data.totalTakenMinor));
  row("Orders", String(data.orders));
  line(rule(width));
  line(`Printed ${formatDateTime(data.printedAt, data)}`, { align: "center" });
  blocks.push({ type: "cut" });
  return { blocks };

  function movementLines(movement: ShiftReportMovement): void {
    const by = movement.by === undefined ? "" : ` (${movement.by})`;
    const text = printableText(`${formatTime(movement.at, data)} ${movement.reason}${by}`);
    const amount = movement.type === "cash_out" ? out(movement.amountMinor) : money(movement.amountMinor);
    for (const wrapped of priced(text, amount, width, MOVEMENT_INDENT + 6, MOVEMENT_INDENT)) line(wrapped);
  }
}

/** "SHORT €1.50" / "OVER €0.20" / "EXACT". */
function overShort(minor: number, money: (minor: number) => string): string {
  if (minor === 0) return "EXACT";
  return minor < 0 ? `SHORT ${money(-minor)}` : `OVER ${money(minor)}`;
}
