/**
 * Splits an ESC/POS byte stream into whole commands. Used three ways: by the writer to cut a job
 * into chunks that end on command boundaries (real-time commands may only go between commands,
 * docs/architecture.md#escpos-facts), by the simulator's interpreter, and to annotate golden hex.
 *
 * Lengths follow the Epson ESC/POS command reference [APG]; `GS ( X pL pH …` and the other
 * length-prefixed families are decoded generically.
 */

export type CommandKind =
  | "text"
  | "control"
  | "style"
  | "image"
  | "qr"
  | "barcode"
  | "cut"
  | "pulse"
  | "status"
  | "realtime"
  | "peripheral"
  | "unknown";

export interface Token {
  /** Byte length of the command (text runs: the run). */
  length: number;
  /** Mnemonic, e.g. `ESC @`, `GS ( k`, or `text`. */
  name: string;
  kind: CommandKind;
}

/** Result when the bytes end in the middle of a command. */
export const INCOMPLETE = null;

interface Fixed {
  name: string;
  kind: CommandKind;
  length: number;
}

const f = (name: string, kind: CommandKind, length: number): Fixed => ({ name, kind, length });

/** ESC x with a fixed length [APG]. */
const ESC_FIXED: Readonly<Record<number, Fixed>> = {
  0x20: f("ESC SP", "style", 3),
  0x21: f("ESC !", "style", 3),
  0x24: f("ESC $", "control", 4),
  0x25: f("ESC %", "style", 3),
  0x2d: f("ESC -", "style", 3),
  0x32: f("ESC 2", "style", 2),
  0x33: f("ESC 3", "style", 3),
  0x34: f("ESC 4", "style", 3),
  0x3c: f("ESC <", "control", 2),
  0x3d: f("ESC =", "peripheral", 3),
  0x3f: f("ESC ?", "control", 3),
  0x40: f("ESC @", "control", 2),
  0x45: f("ESC E", "style", 3),
  0x47: f("ESC G", "style", 3),
  0x4a: f("ESC J", "control", 3),
  0x4c: f("ESC L", "control", 2),
  0x4d: f("ESC M", "style", 3),
  0x52: f("ESC R", "style", 3),
  0x53: f("ESC S", "control", 2),
  0x54: f("ESC T", "control", 3),
  0x55: f("ESC U", "control", 3),
  0x56: f("ESC V", "style", 3),
  0x57: f("ESC W", "control", 10),
  0x5c: f("ESC \\", "control", 4),
  0x61: f("ESC a", "style", 3),
  0x64: f("ESC d", "control", 3),
  0x65: f("ESC e", "control", 3),
  0x69: f("ESC i", "cut", 2),
  0x6d: f("ESC m", "cut", 2),
  0x70: f("ESC p", "pulse", 5),
  0x72: f("ESC r", "style", 3),
  0x74: f("ESC t", "style", 3),
  0x75: f("ESC u", "status", 3),
  0x76: f("ESC v", "status", 2),
  0x7b: f("ESC {", "style", 3),
};

/** GS x with a fixed length [APG]. */
const GS_FIXED: Readonly<Record<number, Fixed>> = {
  0x21: f("GS !", "style", 3),
  0x24: f("GS $", "control", 4),
  0x2f: f("GS /", "image", 3),
  0x3a: f("GS :", "control", 2),
  0x42: f("GS B", "style", 3),
  0x48: f("GS H", "barcode", 3),
  0x49: f("GS I", "status", 3),
  0x4c: f("GS L", "control", 4),
  0x50: f("GS P", "control", 4),
  0x54: f("GS T", "control", 3),
  0x57: f("GS W", "control", 4),
  0x5c: f("GS \\", "control", 4),
  0x5e: f("GS ^", "control", 5),
  0x61: f("GS a", "status", 3),
  0x62: f("GS b", "style", 3),
  0x63: f("GS c", "control", 2),
  0x66: f("GS f", "barcode", 3),
  0x68: f("GS h", "barcode", 3),
  0x72: f("GS r", "status", 3),
  0x77: f("GS w", "barcode", 3),
};

const FS_FIXED: Readonly<Record<number, Fixed>> = {
  0x21: f("FS !", "style", 3),
  0x26: f("FS &", "style", 2),
  0x2d: f("FS -", "style", 3),
  0x2e: f("FS .", "style", 2),
  0x43: f("FS C", "style", 3),
  0x70: f("FS p", "image", 4),
};

/** Single control bytes the printer acts on [APG]. */
const SINGLE: Readonly<Record<number, Fixed>> = {
  0x00: f("NUL", "control", 1),
  0x09: f("HT", "control", 1),
  0x0a: f("LF", "control", 1),
  0x0c: f("FF", "control", 1),
  0x0d: f("CR", "control", 1),
  0x18: f("CAN", "control", 1),
};

const GS_PAREN_KIND: Readonly<Record<number, CommandKind>> = {
  0x44: "realtime", // GS ( D enable/disable real-time commands
  0x48: "status", // GS ( H process-ID / offline response
  0x4c: "image", // GS ( L graphics
  0x6b: "qr", // GS ( k 2D symbols
};

const need = (bytes: Uint8Array, offset: number, length: number): boolean => offset + length <= bytes.length;
const word = (bytes: Uint8Array, at: number): number => (bytes[at] ?? 0) + (bytes[at + 1] ?? 0) * 256;

function fixed(bytes: Uint8Array, offset: number, spec: Fixed): Token | null {
  return need(bytes, offset, spec.length) ? { length: spec.length, name: spec.name, kind: spec.kind } : INCOMPLETE;
}

function dle(bytes: Uint8Array, offset: number): Token | null {
  const op = bytes[offset + 1];
  if (op === undefined) return INCOMPLETE;
  if (op === 0x04) return fixed(bytes, offset, f("DLE EOT", "status", 3));
  if (op === 0x05) return fixed(bytes, offset, f("DLE ENQ", "realtime", 3));
  if (op === 0x14) {
    const fn = bytes[offset + 2];
    if (fn === undefined) return INCOMPLETE;
    if (fn === 0x01) return fixed(bytes, offset, f("DLE DC4 1", "pulse", 5));
    if (fn === 0x02) return fixed(bytes, offset, f("DLE DC4 2", "realtime", 5));
    if (fn === 0x07) return fixed(bytes, offset, f("DLE DC4 7", "realtime", 4));
    if (fn === 0x08) return fixed(bytes, offset, f("DLE DC4 8", "realtime", 10));
    return fixed(bytes, offset, f("DLE DC4", "unknown", 3));
  }
  return fixed(bytes, offset, f("DLE", "unknown", 1));
}

function esc(bytes: Uint8Array, offset: number): Token | null {
  const op = bytes[offset + 1];
  if (op === undefined) return INCOMPLETE;
  const spec = ESC_FIXED[op];
  if (spec !== undefined) return fixed(bytes, offset, spec);
  if (op === 0x2a) {
    // ESC * m nL nH d1…dk: k = n (8-dot modes 0,1) or 3n (24-dot modes 32,33).
    if (!need(bytes, offset, 5)) return INCOMPLETE;
    const m = bytes[offset + 2] ?? 0;
    const n = word(bytes, offset + 3);
    return fixed(bytes, offset, f("ESC *", "image", 5 + (m >= 32 ? 3 * n : n)));
  }
  if (op === 0x63) {
    // ESC c 3 n / ESC c 4 n / ESC c 5 n: panel switches and paper sensors.
    return fixed(bytes, offset, f("ESC c", "control", 4));
  }
  if (op === 0x44) {
    // ESC D n1 … nk NUL: horizontal tab positions.
    const end = bytes.indexOf(0x00, offset + 2);
    return end < 0 ? INCOMPLETE : { length: end - offset + 1, name: "ESC D", kind: "style" };
  }
  return fixed(bytes, offset, f(`ESC 0x${op.toString(16)}`, "unknown", 2));
}

function gs(bytes: Uint8Array, offset: number): Token | null {
  const op = bytes[offset + 1];
  if (op === undefined) return INCOMPLETE;
  const spec = GS_FIXED[op];
  if (spec !== undefined) return fixed(bytes, offset, spec);
  if (op === 0x28) {
    // GS ( X pL pH d1…dk — every member of the family carries its own length.
    if (!need(bytes, offset, 5)) return INCOMPLETE;
    const fn = bytes[offset + 2] ?? 0;
    const p = word(bytes, offset + 3);
    return fixed(bytes, offset, f(`GS ( ${String.fromCharCode(fn)}`, GS_PAREN_KIND[fn] ?? "control", 5 + p));
  }
  if (op === 0x38) {
    // GS 8 L p1 p2 p3 p4 …: graphics with a 32-bit length.
    if (!need(bytes, offset, 7)) return INCOMPLETE;
    const p =
      (bytes[offset + 3] ?? 0) +
      (bytes[offset + 4] ?? 0) * 0x100 +
      (bytes[offset + 5] ?? 0) * 0x10000 +
      (bytes[offset + 6] ?? 0) * 0x1000000;
    return fixed(bytes, offset, f("GS 8 L", "image", 7 + p));
  }
  if (op === 0x56) {
    // GS V m (m 0,1,48,49) / GS V m n (m 65,66,97,98,103,104).
    const m = bytes[offset + 2];
    if (m === undefined) return INCOMPLETE;
    return fixed(bytes, offset, f("GS V", "cut", m >= 65 ? 4 : 3));
  }
  if (op === 0x76) {
    // GS v 0 m xL xH yL yH d1…dk: raster bit image, k = x × y.
    if (!need(bytes, offset, 8)) return INCOMPLETE;
    const k = word(bytes, offset + 4) * word(bytes, offset + 6);
    return fixed(bytes, offset, f("GS v 0", "image", 8 + k));
  }
  if (op === 0x6b) {
    // GS k m d1…dk NUL (m 0–6) or GS k m n d1…dn (m 65–79).
    const m = bytes[offset + 2];
    if (m === undefined) return INCOMPLETE;
    if (m <= 6) {
      const end = bytes.indexOf(0x00, offset + 3);
      return end < 0 ? INCOMPLETE : { length: end - offset + 1, name: "GS k", kind: "barcode" };
    }
    if (!need(bytes, offset, 4)) return INCOMPLETE;
    return fixed(bytes, offset, f("GS k", "barcode", 4 + (bytes[offset + 3] ?? 0)));
  }
  if (op === 0x2a) {
    // GS * x y d…: define downloaded bit image, x × y × 8 bytes.
    if (!need(bytes, offset, 4)) return INCOMPLETE;
    return fixed(bytes, offset, f("GS *", "image", 4 + (bytes[offset + 2] ?? 0) * (bytes[offset + 3] ?? 0) * 8));
  }
  return fixed(bytes, offset, f(`GS 0x${op.toString(16)}`, "unknown", 2));
}

function fs(bytes: Uint8Array, offset: number): Token | null {
  const op = bytes[offset + 1];
  if (op === undefined) return INCOMPLETE;
  const spec = FS_FIXED[op];
  if (spec !== undefined) return fixed(bytes, offset, spec);
  if (op === 0x28) {
    if (!need(bytes, offset, 5)) return INCOMPLETE;
    return fixed(
      bytes,
      offset,
      f(`FS ( ${String.fromCharCode(bytes[offset + 2] ?? 0)}`, "control", 5 + word(bytes, offset + 3)),
    );
  }
  return fixed(bytes, offset, f(`FS 0x${op.toString(16)}`, "unknown", 2));
}

/** The command starting at `offset`, or `null` when the bytes stop in the middle of it. */
export function nextToken(bytes: Uint8Array, offset: number): Token | null {
  const first = bytes[offset];
  if (first === undefined) return INCOMPLETE;
  switch (first) {
    case 0x10:
      return dle(bytes, offset);
    case 0x1b:
      return esc(bytes, offset);
    case 0x1c:
      return fs(bytes, offset);
    case 0x1d:
      return gs(bytes, offset);
    default:
      break;
  }
  const single = SINGLE[first];
  if (single !== undefined) return { length: 1, name: single.name, kind: single.kind };
  if (first < 0x20) return { length: 1, name: `0x${first.toString(16).padStart(2, "0")}`, kind: "unknown" };
  let end = offset + 1;
  while (end < bytes.length && (bytes[end] ?? 0) >= 0x20) end++;
  return { length: end - offset, name: "text", kind: "text" };
}

/** Splits complete bytes into tokens; a trailing partial command becomes one `unknown` token. */
export function tokenize(bytes: Uint8Array): Array<Token & { offset: number }> {
  const out: Array<Token & { offset: number }> = [];
  let offset = 0;
  while (offset < bytes.length) {
    const token = nextToken(bytes, offset) ?? {
      length: bytes.length - offset,
      name: "partial",
      kind: "unknown" as const,
    };
    out.push({ ...token, offset });
    offset += token.length;
  }
  return out;
}
