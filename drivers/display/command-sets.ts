import { concatBytes } from "../escpos/commands.ts";

/**
 * The three customer-display emulations most 2×20 pole displays offer (DIP-switch selectable).
 * Sources: Epson DM-D110 specification (ESC/POS display commands), CD5220 command list
 * (manualsdump 170863 p.15; Epson-branded CD5220 manual p.27), Logic Controls PD3000/LD9000
 * command set. See docs/architecture.md#escpos-facts.
 */
export type DisplayCommandSetId = "epson" | "cd5220" | "logic-controls";

export interface DisplayCommandSet {
  readonly id: DisplayCommandSetId;
  /** Reset, overwrite mode, cursor off. */
  initialize(): Uint8Array;
  /** Writes both rows; each row is exactly `columns` already-encoded bytes. */
  writeRows(rows: readonly Uint8Array[]): Uint8Array;
  clear(): Uint8Array;
  /** Brightness 1 (dim) … 4 (bright). */
  brightness(level: 1 | 2 | 3 | 4): Uint8Array;
}

// ---- Epson ESC/POS display (DM-D110) ----------------------------------------------------------
/** `1B 40` ESC @ — initialise: clear screen, cursor home [DM-D110]. */
const EPSON_INIT = Uint8Array.of(0x1b, 0x40);
/** `0C` CLR — clear the screen [DM-D110]. */
const CLR = Uint8Array.of(0x0c);
/** `1F 01` US MD1 — overwrite mode (no scrolling at the end of line 2) [DM-D110]. */
const EPSON_OVERWRITE = Uint8Array.of(0x1f, 0x01);
/** `1F 43 00` US C 0 — cursor off [DM-D110]. */
const EPSON_CURSOR_OFF = Uint8Array.of(0x1f, 0x43, 0x00);
/** `1B 74 00` ESC t 0 — character table PC437 [DM-D110 p.45]. */
const EPSON_PC437 = Uint8Array.of(0x1b, 0x74, 0x00);
/** `1F 24 x y` US $ — cursor to column x (1–20), row y (1–2) [DM-D110]. */
const epsonCursor = (x: number, y: number): Uint8Array => Uint8Array.of(0x1f, 0x24, x, y);
/** `1F 58 n` US X n — brightness 1–4 [DM-D110]. */
const epsonBrightness = (n: number): Uint8Array => Uint8Array.of(0x1f, 0x58, n);

export const EPSON_DISPLAY: DisplayCommandSet = {
  id: "epson",
  initialize: () => concatBytes([EPSON_INIT, EPSON_OVERWRITE, EPSON_CURSOR_OFF, EPSON_PC437]),
  writeRows: (rows) => concatBytes(rows.flatMap((row, i) => [epsonCursor(1, i + 1), row])),
  clear: () => CLR,
  brightness: epsonBrightness,
};

// ---- CD5220 -----------------------------------------------------------------------------------
/** `1B 40` ESC @ — initialise [CD5220]. */
const CD5220_INIT = Uint8Array.of(0x1b, 0x40);
/** `1B 11` ESC DC1 — overwrite mode [CD5220]. */
const CD5220_OVERWRITE = Uint8Array.of(0x1b, 0x11);
/** `1B 5F 00` ESC _ 0 — cursor off [CD5220]. */
const CD5220_CURSOR_OFF = Uint8Array.of(0x1b, 0x5f, 0x00);
/** `1B 51 41 … 0D` ESC Q A — write the upper line; `1B 51 42 … 0D` ESC Q B — the lower line [CD5220]. */
const cd5220Line = (row: 0 | 1, text: Uint8Array): Uint8Array =>
  concatBytes([Uint8Array.of(0x1b, 0x51, row === 0 ? 0x41 : 0x42), text, Uint8Array.of(0x0d)]);
/** `1B 2A n` ESC * n — brightness 1–4 [CD5220]. */
const cd5220Brightness = (n: number): Uint8Array => Uint8Array.of(0x1b, 0x2a, n);

export const CD5220_DISPLAY: DisplayCommandSet = {
  id: "cd5220",
  initialize: () => concatBytes([CD5220_INIT, CD5220_OVERWRITE, CD5220_CURSOR_OFF]),
  writeRows: (rows) => concatBytes(rows.map((row, i) => cd5220Line(i === 0 ? 0 : 1, row))),
  clear: () => CLR,
  brightness: cd5220Brightness,
};

// ---- Logic Controls (LCI) ---------------------------------------------------------------------
/** `1F` — reset the display [LCI PD3000]. */
const LCI_RESET = Uint8Array.of(0x1f);
/** `11` — normal display mode (no scrolling) [LCI PD3000]. */
const LCI_NORMAL = Uint8Array.of(0x11);
/** `14` — cursor off [LCI PD3000]. */
const LCI_CURSOR_OFF = Uint8Array.of(0x14);
/** `10 nn` — digit select: move to position nn (00–27 hex = 0–39) [LCI PD3000]. */
const lciPosition = (n: number): Uint8Array => Uint8Array.of(0x10, n);
/** `04 n` — brightness 20/40/60/FF [LCI PD3000]. */
const LCI_BRIGHTNESS = [0x20, 0x40, 0x60, 0xff] as const;

export const LOGIC_CONTROLS_DISPLAY: DisplayCommandSet = {
  id: "logic-controls",
  initialize: () => concatBytes([LCI_RESET, LCI_NORMAL, LCI_CURSOR_OFF]),
  writeRows: (rows) => concatBytes(rows.flatMap((row, i) => [lciPosition(i * row.length), row])),
  clear: () => concatBytes([lciPosition(0), new Uint8Array(40).fill(0x20)]),
  brightness: (n) => Uint8Array.of(0x04, LCI_BRIGHTNESS[n - 1] ?? 0xff),
};

export const DISPLAY_COMMAND_SETS: Readonly<Record<DisplayCommandSetId, DisplayCommandSet>> = {
  epson: EPSON_DISPLAY,
  cd5220: CD5220_DISPLAY,
  "logic-controls": LOGIC_CONTROLS_DISPLAY,
};
