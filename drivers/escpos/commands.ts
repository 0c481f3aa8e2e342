/**
 * ESC/POS control and status commands that the content encoder does not cover. Every byte is
 * named and cites its source:
 *  - [APG]  Epson ESC/POS Application Programming Guide / Command Reference (reference_en/escpos)
 *  - [T88]  Epson TM-T88III programming guide (DLE EOT p.307–310, DLE DC4 fn1 p.383,
 *           DLE DC4 fn8 p.395, GS ( D p.424, GS ( H p.428–430)
 *  - [U220] Epson TM-U220A manual (GS a, DLE ENQ)
 *  - [D110] Epson DM-D110 specification (ESC = n, p.41)
 * What the drivers rely on from them: docs/architecture.md#escpos-facts.
 */

// ---- Control characters --------------------------------------------------------------------
/** 0x0A LF — print and line feed [APG]. */
export const LF = 0x0a;
/** 0x0D CR — print and carriage return; ignored by most thermal printers when auto-LF is off [APG]. */
export const CR = 0x0d;
/** 0x10 DLE — prefix of the real-time commands (DLE EOT, DLE ENQ, DLE DC4) [APG]. */
export const DLE = 0x10;
/** 0x04 EOT — with DLE: real-time status transmission [APG]. */
export const EOT = 0x04;
/** 0x05 ENQ — with DLE: real-time request to the printer (error recovery) [U220]. */
export const ENQ = 0x05;
/** 0x14 DC4 — with DLE: real-time generic commands (pulse, power-off, buffer clear) [T88]. */
export const DC4 = 0x14;
/** 0x1B ESC — prefix of most single-byte commands [APG]. */
export const ESC = 0x1b;
/** 0x1C FS — prefix of kanji / NV commands [APG]. */
export const FS = 0x1c;
/** 0x1D GS — prefix of most extended commands [APG]. */
export const GS = 0x1d;
/** 0x11 XON — software flow control "resume" sent by serial printers [APG]. */
export const XON = 0x11;
/** 0x13 XOFF — software flow control "pause" sent by serial printers [APG]. */
export const XOFF = 0x13;

// ---- Status (DLE EOT n) ----------------------------------------------------------------------
/** DLE EOT n `10 04 n` — real-time status; n selects which status byte the printer sends [T88 p.307]. */
export const RealtimeStatus = {
  /** n = 1: printer status (drawer pin 3, offline, waiting for recovery, FEED). */
  printer: 1,
  /** n = 2: offline cause (cover open, FEED, paper end stop, error). */
  offlineCause: 2,
  /** n = 3: error cause (recoverable, autocutter, unrecoverable, auto-recoverable). */
  errorCause: 3,
  /** n = 4: roll paper sensor (near end, end). */
  paperSensor: 4,
} as const;
export type RealtimeStatusKind = (typeof RealtimeStatus)[keyof typeof RealtimeStatus];

/** `10 04 n` — DLE EOT n. */
export function realtimeStatusRequest(n: RealtimeStatusKind): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

// ---- Automatic status back (GS a n) ----------------------------------------------------------
/** GS a n `1D 61 n` bits — which changes the printer reports by itself [U220; T88]. */
export const AsbEnable = {
  /** bit 0 (0x01): drawer kick-out connector pin 3. */
  drawer: 0x01,
  /** bit 1 (0x02): online/offline. */
  online: 0x02,
  /** bit 2 (0x04): error status. */
  error: 0x04,
  /** bit 3 (0x08): roll paper sensor. */
  paper: 0x08,
} as const;
/** All four ASB items (0x0F). */
export const ASB_ALL = AsbEnable.drawer | AsbEnable.online | AsbEnable.error | AsbEnable.paper;

/** `1D 61 n` — GS a n: enable (n ≠ 0) or disable (n = 0) Automatic Status Back. */
export function automaticStatusBack(mask: number): Uint8Array {
  return Uint8Array.of(GS, 0x61, mask & 0xff);
}

// ---- In-sequence status (GS r n) ---------------------------------------------------------------
/** GS r n `1D 72 n` — transmit status after the preceding data has been processed [APG]. */
export const SequenceStatus = {
  /** n = 1 (0x01): paper sensor status. */
  paper: 1,
  /** n = 2 (0x02): drawer kick-out connector status (bit 0 = pin 3). */
  drawer: 2,
} as const;

/** `1D 72 n` — GS r n. */
export function sequenceStatusRequest(n: (typeof SequenceStatus)[keyof typeof SequenceStatus]): Uint8Array {
  return Uint8Array.of(GS, 0x72, n);
}

// ---- Process ID response (GS ( H fn 48) ---------------------------------------------------------
/** 0x37 — header of a block response; 0x22 after it marks a process-ID response [APG gs_lparen_ch_fn48]. */
export const BLOCK_HEADER_37 = 0x37;
/** 0x22 — second byte of the process-ID response `37 22 d1 d2 d3 d4 00` [APG gs_lparen_ch_fn48]. */
export const PROCESS_ID_RESPONSE = 0x22;
/** 0x25 — second byte of the buffer-clear response `37 25 00` [T88 p.395]. */
export const BUFFER_CLEAR_RESPONSE = 0x25;
/** Other block-response headers (printer info B 0x5F, 0x35/0x3B/0x3D) that end with NUL [APG]. */
export const BLOCK_HEADERS = [0x37, 0x5f, 0x35, 0x3b, 0x3d] as const;

/**
 * `1D 28 48 06 00 30 30 d1 d2 d3 d4` — GS ( H fn 48: reply `37 22 d1..d4 00` once everything
 * before it has been processed (printed). d1..d4 must be 0x30..0x39 [APG gs_lparen_ch_fn48].
 */
export function processIdRequest(id: string): Uint8Array {
  if (!/^[0-9]{4}$/.test(id)) throw new RangeError(`process id must be 4 digits, got "${id}"`);
  return Uint8Array.of(
    GS,
    0x28,
    0x48,
    0x06,
    0x00,
    0x30,
    0x30,
    id.charCodeAt(0),
    id.charCodeAt(1),
    id.charCodeAt(2),
    id.charCodeAt(3),
  );
}

// ---- Drawer pulses ------------------------------------------------------------------------------
/** Drawer kick-out connector pins: pin 2 (m = 0) and pin 5 (m = 1). */
export type DrawerPin = 2 | 5;

/**
 * `1B 70 m t1 t2` — ESC p: buffered pulse; ON = t1 × 2 ms, OFF = t2 × 2 ms; m 0 = pin 2, 1 = pin 5.
 * (TM-U295, Citizen iDP-3551, Bematech MP-4000.) Default 25/250 = 50 ms on (on-share ≤ 20 %).
 */
export function bufferedPulse(pin: DrawerPin, onUnits = 25, offUnits = 250): Uint8Array {
  return Uint8Array.of(ESC, 0x70, pin === 2 ? 0 : 1, onUnits & 0xff, offUnits & 0xff);
}

/**
 * `10 14 01 m t` — DLE DC4 fn 1: real-time pulse, ON = OFF = t × 100 ms (1 ≤ t ≤ 8), executed even
 * offline; ignored in error state [T88 p.383; RP-U420; Citizen CBM1000].
 */
export function realtimePulse(pin: DrawerPin, t = 1): Uint8Array {
  const units = Math.min(8, Math.max(1, Math.round(t)));
  return Uint8Array.of(DLE, DC4, 0x01, pin === 2 ? 0 : 1, units);
}

// ---- Real-time command enable/disable (GS ( D) ------------------------------------------------
/**
 * `1D 28 44 05 00 14 01 b1 02 b2` — GS ( D fn 20: b1 enables (1) / disables (0) DLE DC4 fn 1 (pulse),
 * b2 the same for fn 2 (power-off). Wrap raster data with it so pixel bytes that look like
 * `10 14 01` cannot fire the drawer [Epson TM-T81 spec; T88 p.424].
 */
export function realtimeCommands(enabled: boolean): Uint8Array {
  const b = enabled ? 1 : 0;
  return Uint8Array.of(GS, 0x28, 0x44, 0x05, 0x00, 0x14, 0x01, b, 0x02, b);
}

// ---- Initialise, recovery, peripherals ---------------------------------------------------------
/** `1B 40` — ESC @: initialise; clears the print buffer and resets modes (and, on some models, ASB). */
export const INITIALIZE = Uint8Array.of(ESC, 0x40);

/** `10 05 01` — DLE ENQ 1: recover from a recoverable error and restart from the line where it stopped [U220]. */
export const RECOVER_AND_RESTART = Uint8Array.of(DLE, ENQ, 0x01);
/** `10 05 02` — DLE ENQ 2: recover after clearing the receive and print buffers [U220]. */
export const RECOVER_AND_CLEAR = Uint8Array.of(DLE, ENQ, 0x02);

/** `10 14 08 01 03 14 01 06 02 08` — DLE DC4 fn 8: clear buffers; answers `37 25 00` [T88 p.395; Citizen CT-S300]. */
export const CLEAR_BUFFERS = Uint8Array.of(DLE, DC4, 0x08, 0x01, 0x03, 0x14, 0x01, 0x06, 0x02, 0x08);

/** `1B 3D n` — ESC = n: select peripheral in pass-through wiring: 1 printer, 2 display, 3 both [D110 p.41]. */
export const Peripheral = { printer: 1, display: 2, both: 3 } as const;
export function selectPeripheral(n: (typeof Peripheral)[keyof typeof Peripheral]): Uint8Array {
  return Uint8Array.of(ESC, 0x3d, n);
}

/** `1D 49 n` — GS I n: transmit printer ID; 0x42 (66) maker name, 0x43 (67) model name [APG]. */
export function printerIdRequest(n: 0x42 | 0x43): Uint8Array {
  return Uint8Array.of(GS, 0x49, n);
}

/** `1D 56 42 00` — GS V 66 0: feed to the cutter and partial cut [APG]. */
export const FEED_AND_CUT = Uint8Array.of(GS, 0x56, 0x42, 0x00);

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
