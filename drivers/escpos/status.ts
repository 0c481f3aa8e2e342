/**
 * The typed printer status and the parsers of the status bytes. Bit tables: Epson TM-T88III
 * programming guide, DLE EOT p.307–310 and GS a (ASB) in the TM-U220A/TM-T88III manuals;
 * cross-checked with python-escpos constants.
 *
 * Rule: what has not been read is `null`/`unknown`, never `ok`.
 */

export type PrinterFault =
  | "offline"
  | "coverOpen"
  | "paperEnd"
  | "autocutter"
  | "recoverable"
  | "unrecoverable"
  | "autoRecoverable"
  | "unresponsive"
  | "disconnected";

export type PaperState = "ok" | "nearEnd" | "end" | "unknown";

/** Summary for screens: `unknown` whenever anything needed for `ok` was not read. */
export type PrinterHealth = "ok" | "warning" | "error" | "unknown";

export interface PrinterStatus {
  /** ms epoch of the reading. */
  at: number;
  /** Where the reading came from; `none` = nothing was read (one-way printer, disconnected). */
  source: "realtime" | "asb" | "none";
  /** null = unknown. */
  online: boolean | null;
  coverOpen: boolean | null;
  paper: PaperState;
  faults: PrinterFault[];
  /** Raw drawer kick-out connector pin 3 level; open/closed needs the drawer's polarity. */
  drawerPin3High: boolean | null;
  health: PrinterHealth;
  /** The status bytes this reading was made from, for diagnostics. */
  raw: number[];
}

/** Faults that stop printing until someone acts (the spooler holds jobs on these). */
export const BLOCKING_FAULTS: readonly PrinterFault[] = [
  "offline",
  "coverOpen",
  "paperEnd",
  "autocutter",
  "unrecoverable",
  "disconnected",
];

// ---- Fixed-bit patterns ("Transmission status identification", Epson; receiptio masks) ----------
/** DLE EOT replies are `0xx1xx10`: (b & 0x93) === 0x12. */
export const REALTIME_MASK = 0x93;
export const REALTIME_PATTERN = 0x12;
/** The first ASB byte is `0xx1xx00`: (b & 0x93) === 0x10. */
export const ASB_FIRST_PATTERN = 0x10;

export const isRealtimeStatusByte = (b: number): boolean => (b & REALTIME_MASK) === REALTIME_PATTERN;
export const isAsbFirstByte = (b: number): boolean => (b & REALTIME_MASK) === ASB_FIRST_PATTERN;

/** DLE EOT 1 bits. */
export const PrinterStatusBits = {
  /** bit 2 (0x04): drawer kick-out connector pin 3 is HIGH. */
  drawerPin3High: 0x04,
  /** bit 3 (0x08): offline. */
  offline: 0x08,
  /** bit 5 (0x20): waiting for online recovery. */
  waitingRecovery: 0x20,
  /** bit 6 (0x40): paper being fed by the FEED button. */
  feedButton: 0x40,
} as const;

/** DLE EOT 2 bits. */
export const OfflineCauseBits = {
  /** bit 2 (0x04): cover open. */
  coverOpen: 0x04,
  /** bit 3 (0x08): paper fed by the FEED button. */
  feedButton: 0x08,
  /** bit 5 (0x20): printing stopped by paper end. */
  paperEndStop: 0x20,
  /** bit 6 (0x40): an error occurred. */
  error: 0x40,
} as const;

/** DLE EOT 3 bits (also ASB byte 2). */
export const ErrorCauseBits = {
  /** bit 2 (0x04): recoverable error. */
  recoverable: 0x04,
  /** bit 3 (0x08): autocutter error. */
  autocutter: 0x08,
  /** bit 5 (0x20): unrecoverable error. */
  unrecoverable: 0x20,
  /** bit 6 (0x40): automatically recoverable error (e.g. head temperature). */
  autoRecoverable: 0x40,
} as const;

/** DLE EOT 4 bits. */
export const PaperSensorBits = {
  /** bits 2+3 (0x0C): roll paper near end. */
  nearEnd: 0x0c,
  /** bits 5+6 (0x60): roll paper end. */
  end: 0x60,
} as const;

/** ASB byte 1 (printer info) bits: 0x04 drawer pin 3, 0x08 offline, 0x20 cover open, 0x40 FEED. */
export const AsbByte1Bits = { drawerPin3High: 0x04, offline: 0x08, coverOpen: 0x20, feedButton: 0x40 } as const;
/** ASB byte 3 (paper) bits: 0x03 near end, 0x0C paper end. */
export const AsbByte3Bits = { nearEnd: 0x03, end: 0x0c } as const;

/** The four DLE EOT answers, any of which may be missing. */
export interface RealtimeReadings {
  printer?: number;
  offlineCause?: number;
  errorCause?: number;
  paperSensor?: number;
}

function errorFaults(byte: number, faults: PrinterFault[]): void {
  if (byte & ErrorCauseBits.recoverable) faults.push("recoverable");
  if (byte & ErrorCauseBits.autocutter) faults.push("autocutter");
  if (byte & ErrorCauseBits.unrecoverable) faults.push("unrecoverable");
  if (byte & ErrorCauseBits.autoRecoverable) faults.push("autoRecoverable");
}

/** Computes the summary: unknown is never ok. */
export function healthOf(status: Omit<PrinterStatus, "health">): PrinterHealth {
  if (status.faults.some((f) => BLOCKING_FAULTS.includes(f))) return "error";
  if (status.online === null || status.paper === "unknown" || status.faults.includes("unresponsive")) return "unknown";
  if (status.paper === "nearEnd" || status.faults.length > 0) return "warning";
  return "ok";
}

function withHealth(status: Omit<PrinterStatus, "health">): PrinterStatus {
  return { ...status, health: healthOf(status) };
}

/** Status from DLE EOT replies. A byte with wrong fixed bits is ignored (treated as missing). */
export function statusFromRealtime(readings: RealtimeReadings, at: number): PrinterStatus {
  const valid = (b: number | undefined): number | undefined =>
    b !== undefined && isRealtimeStatusByte(b) ? b : undefined;
  const printer = valid(readings.printer);
  const offline = valid(readings.offlineCause);
  const error = valid(readings.errorCause);
  const paperByte = valid(readings.paperSensor);
  const faults: PrinterFault[] = [];
  if (printer !== undefined && printer & PrinterStatusBits.offline) faults.push("offline");
  let coverOpen: boolean | null = null;
  if (offline !== undefined) {
    coverOpen = (offline & OfflineCauseBits.coverOpen) !== 0;
    if (coverOpen) faults.push("coverOpen");
  }
  if (error !== undefined) errorFaults(error, faults);
  let paper: PaperState = "unknown";
  if (paperByte !== undefined) {
    if ((paperByte & PaperSensorBits.end) === PaperSensorBits.end) paper = "end";
    else if ((paperByte & PaperSensorBits.nearEnd) === PaperSensorBits.nearEnd) paper = "nearEnd";
    else paper = "ok";
  } else if (offline !== undefined && offline & OfflineCauseBits.paperEndStop) {
    paper = "end";
  }
  if (paper === "end") faults.push("paperEnd");
  const raw = [printer, offline, error, paperByte].filter((b): b is number => b !== undefined);
  return withHealth({
    at,
    source: raw.length > 0 ? "realtime" : "none",
    online: printer === undefined ? null : (printer & PrinterStatusBits.offline) === 0,
    coverOpen,
    paper,
    faults,
    drawerPin3High: printer === undefined ? null : (printer & PrinterStatusBits.drawerPin3High) !== 0,
    raw,
  });
}

/** Status from a 4-byte Automatic Status Back block; null when the block is malformed. */
export function statusFromAsb(block: readonly number[], at: number): PrinterStatus | null {
  const [b1, b2, b3, b4] = block;
  if (b1 === undefined || b2 === undefined || b3 === undefined || b4 === undefined) return null;
  if (!isAsbFirstByte(b1) || (b2 & 0x90) !== 0 || (b3 & 0x90) !== 0 || (b4 & 0x90) !== 0) return null;
  const faults: PrinterFault[] = [];
  const offline = (b1 & AsbByte1Bits.offline) !== 0;
  const coverOpen = (b1 & AsbByte1Bits.coverOpen) !== 0;
  if (offline) faults.push("offline");
  if (coverOpen) faults.push("coverOpen");
  errorFaults(b2, faults);
  let paper: PaperState = "ok";
  if (b3 & AsbByte3Bits.end) paper = "end";
  else if (b3 & AsbByte3Bits.nearEnd) paper = "nearEnd";
  if (paper === "end") faults.push("paperEnd");
  return withHealth({
    at,
    source: "asb",
    online: !offline,
    coverOpen,
    paper,
    faults,
    drawerPin3High: (b1 & AsbByte1Bits.drawerPin3High) !== 0,
    raw: [b1, b2, b3, b4],
  });
}

/** The status of a printer that cannot be read (one-way, disconnected, unresponsive). */
export function unknownStatus(at: number, fault?: "unresponsive" | "disconnected"): PrinterStatus {
  return withHealth({
    at,
    source: "none",
    online: fault === "disconnected" ? false : null,
    coverOpen: null,
    paper: "unknown",
    faults: fault === undefined ? [] : [fault],
    drawerPin3High: null,
    raw: [],
  });
}

/** True when the printer reports something that stops printing. */
export function isBlocked(status: PrinterStatus): boolean {
  return status.faults.some((f) => BLOCKING_FAULTS.includes(f));
}
