/**
 * A job's stored document → the bytes for one printer. Jobs keep the structured document, not
 * bytes, so a reprint or a retry after a restart renders for the printer's current profile.
 */
import {
  commandBytes,
  renderBootSlip,
  type BootSlipData,
  createPrinterSimulator,
  encodeDocument,
  renderKitchenTicket,
  renderNumberSlip,
  renderReceipt,
  renderShiftReport,
  type EncodedCommand,
  type KitchenTicketData,
  type NumberSlipData,
  type PrintDocument,
  type PrinterProfile,
  type ReceiptData,
  type ShiftReportData,
} from "../../drivers/index.ts";
import type { PrintJobKind } from "../../protocol/schemas/devices.ts";

/** The printable document of a job, or null when there is nothing to print (a station with no items). */
export function jobDocument(kind: PrintJobKind, document: unknown, profile: PrinterProfile): PrintDocument | null {
  switch (kind) {
    case "kitchen":
      return renderKitchenTicket(document as KitchenTicketData, profile);
    case "receipt":
    case "test":
      return renderReceipt(document as ReceiptData, profile);
    case "number_slip":
      return renderNumberSlip(document as NumberSlipData, profile);
    case "boot_slip":
      return renderBootSlip(document as BootSlipData, profile);
    case "shift_report":
      return renderShiftReport(document as ShiftReportData, profile);
    case "drawer":
      throw new Error("a drawer kick has no document");
  }
}

export function renderJob(
  job: { kind: PrintJobKind; document: unknown },
  profile: PrinterProfile,
): EncodedCommand[] | null {
  const document = jobDocument(job.kind, job.document, profile);
  return document === null ? null : encodeDocument(document, profile);
}

/** What the paper shows for exactly these bytes: a fresh simulator of the same profile renders them (PNG). */
export async function previewPng(commands: readonly EncodedCommand[], profile: PrinterProfile): Promise<Uint8Array> {
  const simulator = createPrinterSimulator({ profile });
  await simulator.receive(commandBytes(commands));
  return simulator.png();
}
