import type { Codepage } from "@point-of-sale/codepage-encoder";
import { DriverError } from "../errors.ts";

/** A code page name as understood by @point-of-sale/codepage-encoder (`cp437`, `cp866`, …). */
export type CodePageName = Codepage;

export type DrawerPolarity = "low-is-open" | "high-is-open" | "none";

/**
 * What we need to know about a printer model beyond the content encoder: paper geometry, its
 * `ESC t` code-page table, and which control features it really has.
 */
export interface PrinterProfile {
  id: string;
  name: string;
  /** 58 or 80 mm roll. */
  paperWidthMm: 58 | 80;
  /** Characters per line in font A (32 for 58 mm; 42 or 48 for 80 mm). */
  columns: number;
  /** Printable width in dots (raster images are fitted to it). */
  dotsPerLine: number;
  /** The printer's `ESC t n` table: n → code page. Decides what text can print natively. */
  codePages: Readonly<Record<number, CodePageName>>;
  /** Code pages tried, in order, for each text fragment (automatic switching). */
  codePageCandidates: readonly CodePageName[];
  /** Native QR (`GS ( k`); otherwise the QR is sent as a raster image. */
  supportsQr: boolean;
  /** `raster` = GS v 0; `column` = ESC * (impact printers). */
  imageMode: "raster" | "column";
  /** Tallest raster slice sent in one command (Odoo slices 255 rows; python-escpos 960). */
  maxRasterRows: number;
  /** `GS ( H` fn 48 process-ID response: the completion sentinel. Else `GS r 1` is used. */
  supportsProcessId: boolean;
  /** `GS ( D`: real-time commands can be disabled around raster data. */
  supportsRealtimeDisable: boolean;
  /** `DLE DC4 1 m t` real-time drawer pulse. */
  supportsRealtimePulse: boolean;
  /** Automatic Status Back (`GS a`) instead of polling. */
  asb: boolean;
  /** False for one-way printers: no status at all, outcomes are never confirmed. */
  bidirectional: boolean;
  /** Default drawer sensor polarity for drawers attached to this printer. */
  drawerPolarity: DrawerPolarity;
  /** Has an autocutter. */
  cutter: boolean;
}

/** Epson's `ESC t` numbering (TM-T20II/TM-T88 tables; escpos-printer-db, CC BY 4.0). */
const EPSON_CODE_PAGES: Readonly<Record<number, CodePageName>> = {
  0: "cp437",
  2: "cp850",
  14: "cp737",
  15: "iso8859-7",
  16: "windows1252",
  17: "cp866",
  18: "cp852",
  19: "cp858",
  46: "windows1251",
  47: "windows1253",
};

/** Typical Chinese 58/80 mm clones (POS-5890/POS-8360 tables in ReceiptPrinterEncoder). */
const CLONE_CODE_PAGES: Readonly<Record<number, CodePageName>> = {
  0: "cp437",
  2: "cp850",
  16: "windows1252",
  17: "cp866",
  19: "cp858",
  24: "cp737",
  23: "windows1251",
};

const EPSON_CANDIDATES: readonly CodePageName[] = [
  "cp437",
  "cp858",
  "cp850",
  "cp852",
  "cp737",
  "cp866",
  "windows1252",
  "windows1253",
  "windows1251",
];
const CLONE_CANDIDATES: readonly CodePageName[] = [
  "cp437",
  "cp858",
  "cp850",
  "cp737",
  "cp866",
  "windows1252",
  "windows1251",
];

const epson = {
  codePages: EPSON_CODE_PAGES,
  codePageCandidates: EPSON_CANDIDATES,
  supportsQr: true,
  imageMode: "raster",
  maxRasterRows: 255,
  supportsProcessId: true,
  supportsRealtimeDisable: true,
  supportsRealtimePulse: true,
  asb: true,
  bidirectional: true,
  drawerPolarity: "low-is-open",
  cutter: true,
} as const;

const clone = {
  codePages: CLONE_CODE_PAGES,
  codePageCandidates: CLONE_CANDIDATES,
  supportsQr: true,
  imageMode: "raster",
  maxRasterRows: 255,
  supportsProcessId: false,
  supportsRealtimeDisable: false,
  supportsRealtimePulse: false,
  asb: false,
  bidirectional: true,
  drawerPolarity: "low-is-open",
  cutter: true,
} as const;

/** Built-in profiles, by id. */
export const PRINTER_PROFILES = {
  "epson-tm-t88": {
    ...epson,
    id: "epson-tm-t88",
    name: "Epson TM-T88V/VI/VII (80 mm, 42 columns)",
    paperWidthMm: 80,
    columns: 42,
    dotsPerLine: 512,
  },
  "epson-tm-t20": {
    ...epson,
    id: "epson-tm-t20",
    name: "Epson TM-T20II/III/IV (80 mm, 48 columns)",
    paperWidthMm: 80,
    columns: 48,
    dotsPerLine: 576,
  },
  "generic-80": {
    ...clone,
    id: "generic-80",
    name: "Generic ESC/POS 80 mm (48 columns, polled status)",
    paperWidthMm: 80,
    columns: 48,
    dotsPerLine: 576,
  },
  "generic-58": {
    ...clone,
    id: "generic-58",
    name: "Generic ESC/POS 58 mm (32 columns, raster QR)",
    paperWidthMm: 58,
    columns: 32,
    dotsPerLine: 384,
    supportsQr: false,
  },
  "oneway-58": {
    ...clone,
    id: "oneway-58",
    name: "One-way 58 mm printer (no status)",
    paperWidthMm: 58,
    columns: 32,
    dotsPerLine: 384,
    supportsQr: false,
    bidirectional: false,
    drawerPolarity: "none",
  },
} as const satisfies Record<string, PrinterProfile>;

export type PrinterProfileId = keyof typeof PRINTER_PROFILES;

function isProfileId(id: string): id is PrinterProfileId {
  return Object.hasOwn(PRINTER_PROFILES, id);
}

/**
 * A profile by id (optionally with overrides), or a complete profile checked for consistency.
 * Throws DriverError `profile_invalid`.
 */
export function resolveProfile(
  profile: PrinterProfile | string,
  overrides: Partial<PrinterProfile> = {},
): PrinterProfile {
  let base: PrinterProfile;
  if (typeof profile === "string") {
    if (!isProfileId(profile)) {
      throw new DriverError(
        "profile_invalid",
        `unknown printer profile "${profile}" (known: ${Object.keys(PRINTER_PROFILES).join(", ")})`,
      );
    }
    base = PRINTER_PROFILES[profile];
  } else {
    base = profile;
  }
  const resolved: PrinterProfile = { ...base, ...overrides };
  const problems: string[] = [];
  if (!Number.isInteger(resolved.columns) || resolved.columns < 16 || resolved.columns > 80)
    problems.push("columns must be 16..80");
  if (resolved.dotsPerLine % 8 !== 0 || resolved.dotsPerLine < 128)
    problems.push("dotsPerLine must be a multiple of 8, at least 128");
  if (resolved.maxRasterRows < 8) problems.push("maxRasterRows must be at least 8");
  for (const candidate of resolved.codePageCandidates) {
    if (!Object.values(resolved.codePages).includes(candidate))
      problems.push(`candidate code page ${candidate} is not in the ESC t table`);
  }
  if (!resolved.bidirectional && (resolved.asb || resolved.supportsProcessId))
    problems.push("a one-way printer cannot have ASB or process-ID responses");
  if (problems.length > 0)
    throw new DriverError("profile_invalid", `printer profile "${resolved.id}": ${problems.join("; ")}`);
  return Object.freeze(resolved);
}
