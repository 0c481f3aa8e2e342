/**
 * Galley's hardware drivers: receipt printer, cash drawer, customer pole display, and the
 * simulators that stand in for them. This file is the only public surface: the appliance imports
 * from here and nowhere deeper.
 *
 * Typical use:
 * ```ts
 * const printer = createPrinter("tcp://10.0.0.5:9100", { profile: "epson-tm-t20", logger });
 * await printer.start();                                  // connects; retries in the background
 * const commands = encodeDocument(renderReceipt(data, printer.profile), printer.profile);
 * const outcome = await printer.send(commands, { jobId }); // completed | failed-before-send | unknown
 * const drawer = createDrawer(printer, { leftOpenAfterMs: 60_000 }); drawer.start();
 * const display = createDisplay("serial:/dev/ttyUSB1?baud=9600", { commandSet: "cd5220" });
 * ```
 */
import { createReceiptEncoder } from "./escpos/encoder.ts";
import type { EncodedCommand, PrintDocument } from "./escpos/print-document.ts";
import type { PrinterProfile } from "./printer/profiles.ts";
import type * as AdyenTerminalDriver from "./terminal/adyen/adyen-terminal.ts";
import type { AdyenSimulator, AdyenSimulatorOptions } from "./sim/adyen-simulator.ts";

// ---- errors and logging ------------------------------------------------------------------------
/** Errors: `DriverError` with a closed `code` union (documented in drivers/README.md). */
export { DRIVER_ERROR_CODES, DriverError, isDriverError, type DriverErrorCode } from "./errors.ts";
/** The logger drivers accept (pino fits); traces at debug as `--> 1b 40` / `<-- 14`. */
export { silentDriverLogger, type DriverLogger } from "./logger.ts";

// ---- device URIs and transports ------------------------------------------------------------------
/**
 * `parseDeviceUri("tcp://10.0.0.5:9100" | "serial:/dev/ttyUSB0?baud=38400" | "usb:04b8:0e15?serial=X"
 * | "usblp:/dev/usb/lp0" | "sim:")` → a typed address; throws DriverError `uri_invalid`.
 */
export { formatDeviceUri, parseDeviceUri, type DeviceAddress } from "./transport/uri.ts";
/** The one transport interface, and the in-memory pair for tests. */
export type { ByteTransport, TransportKind } from "./transport/transport.ts";
export { createMemoryPair, type MemoryDeviceEnd, type MemoryPair } from "./transport/memory.ts";
/** WebUSB-shaped types a test or a `usb@2` fallback implements (`usbBackend` option). */
export type { UsbBackend, UsbDeviceLike } from "./transport/usb.ts";

// ---- printer ---------------------------------------------------------------------------------------
/**
 * `createPrinter(uri, options)` → the printer actor (serialised writes, status polling or ASB,
 * reconnect with backoff, events `status` / `connected` / `disconnected`). `start()` / `stop()`,
 * `refreshStatus()`, `send(commands, { jobId })`, `pulse(pin, mode)`, `writePassThrough(bytes)`.
 */
export { createPrinter, type CreatePrinterOptions } from "./printer/create-printer.ts";
export type { PrinterActor as ReceiptPrinter, PrinterConnection } from "./printer/printer.ts";
export type { Confirmation, SendOptions, SendOutcome } from "./printer/send-outcome.ts";
/** Built-in printer profiles (`epson-tm-t88`, `epson-tm-t20`, `generic-80`, `generic-58`, `oneway-58`). */
export {
  PRINTER_PROFILES,
  resolveProfile,
  type CodePageName,
  type DrawerPolarity,
  type PrinterProfile,
  type PrinterProfileId,
} from "./printer/profiles.ts";
/** The typed status; `health` is `unknown` whenever something was not read — never `ok`. */
export {
  BLOCKING_FAULTS,
  isBlocked,
  type PaperState,
  type PrinterFault,
  type PrinterHealth,
  type PrinterStatus,
} from "./escpos/status.ts";

// ---- content ---------------------------------------------------------------------------------------
/** The encoder port and its document model (lines with styles, images, QR, cut, pulse). */
export type { ReceiptEncoder } from "./escpos/encoder.ts";
export { commandBytes, createReceiptEncoder } from "./escpos/encoder.ts";
export type {
  Alignment,
  EncodedCommand,
  MonoImage,
  PrintBlock,
  PrintDocument,
  TextSpan,
  TextStyle,
} from "./escpos/print-document.ts";

const defaultEncoder = createReceiptEncoder();

/** Encodes a rendered document for a profile with the default encoder. Throws DriverError `encode_failed`. */
export function encodeDocument(document: PrintDocument, profile: PrinterProfile): EncodedCommand[] {
  return defaultEncoder.encode(document, profile);
}

/** Annotated hex of a job: one command per line with its mnemonic (golden files, support bundles). */
export { annotateCommands } from "./escpos/annotate.ts";

/**
 * `printableText(text)` → `text` with every control character (C0 including tab and newline, DEL,
 * C1), bidi control (U+061C, U+200E/F, U+202A–E, U+2066–9) and unpaired surrogate replaced by "?";
 * one character in, one out. The drivers already apply it to every text run they print or display
 * (and never encode a look-alike glyph such as "←" as a control byte), so untrusted text is safe to
 * pass in as it is; use it to clean kiosk input the same way before storing, logging or showing it.
 */
export { printableText } from "./escpos/printable-text.ts";

// ---- documents ---------------------------------------------------------------------------------------
export { renderReceipt } from "./documents/receipt.ts";
export { renderKitchenTicket } from "./documents/kitchen-ticket.ts";
export { diffTicketItems, type TicketChange } from "./documents/ticket-diff.ts";
export { renderNumberSlip } from "./documents/number-slip.ts";
export { renderBootSlip } from "./documents/boot-slip.ts";
/** `renderShiftReport(data, profile)`: a cash shift's X (mid-shift) or Z (close) report. */
export { renderShiftReport } from "./documents/shift-report.ts";
export { TEST_PAGE_SAMPLES, renderTestPage } from "./documents/test-page.ts";
export { formatMoney } from "./documents/layout.ts";
export { backoffDelay, type BackoffOptions } from "./backoff.ts";
export type {
  BootSlipData,
  KitchenTicketData,
  Locale,
  NumberSlipData,
  ReceiptData,
  ReceiptLine,
  ReceiptOption,
  ReceiptPayment,
  ReceiptTax,
  ShiftReportData,
  ShiftReportMethod,
  ShiftReportMovement,
  StoreInfo,
  TestPageData,
  TicketItem,
  TicketKind,
} from "./documents/types.ts";

// ---- cash drawer ---------------------------------------------------------------------------------------
/**
 * `createDrawer(printer, { pin, polarity, leftOpenAfterMs })` → kick (never retried), sensor from
 * DLE EOT 1 bit 2 with polarity, events `opened` / `closed` / `left-open` / `kicked` / `state`.
 */
export {
  createDrawer,
  type CashDrawer,
  type DrawerEvent,
  type DrawerHost,
  type DrawerOptions,
  type DrawerState,
} from "./drawer/drawer.ts";

// ---- customer display ----------------------------------------------------------------------------------
/**
 * `createDisplay(uri | { passThrough: printer }, { commandSet: "epson" | "cd5220" | "logic-controls" })`
 * → `show([row1, row2])`, `welcome()`, `itemAdded()`, `total()`, `changeDue()`, `orderReady(42)`.
 */
export { createDisplay, type CreateDisplayOptions, type DisplayHandle } from "./display/create-display.ts";
export type { PoleDisplay, PassThroughHost } from "./display/pole-display.ts";
export type { DisplayCommandSetId } from "./display/command-sets.ts";
export {
  changeFrame,
  itemFrame,
  orderReadyFrame,
  totalFrame,
  welcomeFrame,
  type DisplayFrame,
} from "./display/frames.ts";

// ---- simulators ------------------------------------------------------------------------------------------
/**
 * `createPrinterSimulator({ profile, faults, drawerPolarity })`: a stateful ESC/POS printer that
 * renders what it received to text (`text()`) and PNG (`png()`), answers DLE EOT / ASB / GS r /
 * GS ( H, and injects faults (paper out at byte N, cover open, disconnect mid-job, one-way, slow reads).
 */
export {
  createPrinterSimulator,
  type PrinterSimulator,
  type PrinterSimulatorOptions,
  type SimulatorFaults,
  type SimulatorState,
} from "./sim/printer-simulator.ts";
/** A 2×20 pole display holding its cells (`lines()`), for the three command sets. */
export { createPoleDisplaySimulator, type PoleDisplaySimulator } from "./sim/pole-display-simulator.ts";
/** Simulator endpoints: TCP (port 9100 style), a socat PTY pair, or an in-memory pair. */
export { attachToMemory, startSimulatorServer, type SimulatorServer } from "./sim/endpoints.ts";
export { startSimulatorPty, type SimulatorPty } from "./sim/pty.ts";
/** Renderers of a simulator's pages (one page per cut): text and PNG. */
export type { PaperItem, PaperPage, PaperRun } from "./sim/paper.ts";
export { renderPageText, renderPagesText, type TextRenderOptions } from "./sim/render-text.ts";
export { renderPagePng, renderPagesPng, type PngRenderOptions } from "./sim/render-png.ts";

// ---- card terminals ----------------------------------------------------------------------------------
/** The one card-terminal interface (ZVT, Adyen) and its outcome, status and totals types. */
export type {
  CardSummary,
  OriginalTransaction,
  PaymentOptions,
  PaymentTerminal,
  TerminalAmountRequest,
  TerminalOutcome,
  TerminalOutcomeResult,
  TerminalProgress,
  TerminalProtocol,
  TerminalStage,
  TerminalState,
  TerminalTotals,
  TransactionStatus,
} from "./terminal/terminal.ts";
/**
 * Adyen's Terminal API in local mode (encrypted nexo JSON over HTTPS, via @adyen/api-library).
 * The library costs close to a second and ~60 MB to load, so it is loaded only when a board has an
 * Adyen terminal: `(await loadAdyenTerminal()).createAdyenTerminal({ url, poiId, saleId, keys,
 * certificate })` → a `PaymentTerminal`.
 */
export type { AdyenTerminalOptions } from "./terminal/adyen/adyen-options.ts";
type AdyenTerminalModule = typeof AdyenTerminalDriver;
export const loadAdyenTerminal = (): Promise<AdyenTerminalModule> => import("./terminal/adyen/adyen-terminal.ts");
/** A simulated Adyen terminal (HTTPS, shared-key crypto, scripted outcomes) for tests and dev mode; loaded on use. */
export type {
  AdyenSimOutcome,
  AdyenSimReceived,
  AdyenSimStep,
  AdyenSimTransaction,
  AdyenSimulator,
  AdyenSimulatorOptions,
} from "./sim/adyen-simulator.ts";
export async function startAdyenSimulator(options: AdyenSimulatorOptions): Promise<AdyenSimulator> {
  const simulator = await import("./sim/adyen-simulator.ts");
  return simulator.startAdyenSimulator(options);
}
/**
 * `createZvtTerminal("tcp://10.0.0.7" | "serial:/dev/ttyUSB0?baud=9600&stopbits=2", { password: "000000" })`
 * → a `PaymentTerminal` speaking ZVT 13.x (German/Austrian terminals; TCP port 20007 by default).
 */
export { createZvtTerminal, DEFAULT_ZVT_PORT, type ZvtTerminalOptions } from "./terminal/zvt/zvt-terminal.ts";
/** A stateful ZVT terminal over TCP or a socat PTY (serial framing), with scripted outcomes. */
export {
  startZvtSimulator,
  type ZvtReceivedApdu,
  type ZvtScriptedOutcome,
  type ZvtSimCard,
  type ZvtSimTransaction,
  type ZvtSimulator,
  type ZvtSimulatorOptions,
} from "./sim/zvt-simulator.ts";
