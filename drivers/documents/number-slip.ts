import type { PrintBlock, PrintDocument } from "../escpos/print-document.ts";
import type { PrinterProfile } from "../printer/profiles.ts";
import { formatDateTime, wrap } from "./layout.ts";
import type { NumberSlipData } from "./types.ts";

/** The kiosk customer's slip: the order number as large as the paper allows, and where to look. */
export function renderNumberSlip(data: NumberSlipData, profile: Pick<PrinterProfile, "columns">): PrintDocument {
  const width = profile.columns;
  // Largest magnification that fits the number on one line (max 4 wide, 4 high).
  const numberWidth = Array.from(data.orderNumber).length;
  const size = Math.max(1, Math.min(4, Math.floor(width / Math.max(1, numberWidth))));
  const blocks: PrintBlock[] = [
    { type: "line", text: data.storeName, align: "center", style: { bold: true } },
    { type: "feed", lines: 1 },
    { type: "line", text: "Your order number", align: "center" },
    { type: "line", text: data.orderNumber, align: "center", style: { bold: true, width: size, height: size } },
  ];
  if (data.serviceMode !== undefined)
    blocks.push({ type: "line", text: data.serviceMode, align: "center", style: { bold: true } });
  blocks.push({ type: "feed", lines: 1 });
  for (const text of wrap(data.message ?? "Watch the screen: we call your number when it is ready.", width))
    blocks.push({ type: "line", text, align: "center" });
  if (data.statusUrl !== undefined) blocks.push({ type: "qr", data: data.statusUrl, moduleSize: 5, align: "center" });
  blocks.push({ type: "line", text: formatDateTime(data.placedAt, data), align: "center" });
  blocks.push({ type: "cut" });
  return { blocks };
}
