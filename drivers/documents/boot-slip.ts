import type { PrintBlock, PrintDocument } from "../escpos/print-document.ts";
import type { PrinterProfile } from "../printer/profiles.ts";
import { formatDateTime, wrap } from "./layout.ts";
import type { BootSlipData } from "./types.ts";

/**
 * Printed on every boot: the board's name and addresses, a QR code to its admin page, and a
 * pairing code per screen role, so a technician needs no laptop to find the board or pair a screen.
 */
export function renderBootSlip(data: BootSlipData, profile: Pick<PrinterProfile, "columns">): PrintDocument {
  const width = profile.columns;
  const blocks: PrintBlock[] = [
    { type: "line", text: data.storeName, align: "center", style: { bold: true } },
    { type: "line", text: data.boardName, align: "center", style: { bold: true, width: 2, height: 2 } },
    { type: "line", text: `Galley ${data.version} is running`, align: "center" },
    { type: "line", text: `Booted ${formatDateTime(data.bootedAt, data)}`, align: "center" },
    { type: "feed", lines: 1 },
  ];
  if (data.addresses.length === 0)
    blocks.push({ type: "line", text: "No network address yet", align: "center", style: { bold: true } });
  for (const address of data.addresses)
    blocks.push({ type: "line", text: address, align: "center", style: { bold: true } });
  blocks.push({ type: "feed", lines: 1 }, { type: "line", text: "Admin page", align: "center" });
  blocks.push({ type: "qr", data: data.adminUrl, moduleSize: 5, align: "center" });
  for (const text of wrap(data.adminUrl, width)) blocks.push({ type: "line", text, align: "center" });
  blocks.push(
    { type: "feed", lines: 1 },
    { type: "line", text: "Pair a screen: open it and type its code", align: "center" },
  );
  for (const pairing of data.pairingCodes) {
    blocks.push({ type: "line", text: pairing.label, align: "center" });
    blocks.push({ type: "line", text: pairing.code, align: "center", style: { bold: true, width: 2, height: 2 } });
  }
  blocks.push({ type: "line", text: `Codes valid until ${formatDateTime(data.codesExpireAt, data)}`, align: "center" });
  blocks.push({ type: "cut" });
  return { blocks };
}
