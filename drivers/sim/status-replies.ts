import { BLOCK_HEADER_37, BUFFER_CLEAR_RESPONSE, PROCESS_ID_RESPONSE } from "../escpos/commands.ts";
import type { DrawerPolarity } from "../printer/profiles.ts";

/**
 * The simulated printer's answers to status requests, as pure functions of its state. Bit tables:
 * Epson TM-T88III programming guide (DLE EOT p.307–310, GS a / ASB, GS r) — the same tables the
 * driver's parser reads (escpos/status.ts), written here from the printer's side.
 */
export type SimulatedError = "recoverable" | "autocutter" | "unrecoverable" | "autoRecoverable";

export interface StatusState {
  paper: "ok" | "nearEnd" | "end";
  coverOpen: boolean;
  error: SimulatedError | null;
}

/** Pin 3 level for a drawer switch wired with `polarity`. */
export function drawerPin3High(polarity: DrawerPolarity, open: boolean): boolean {
  if (polarity === "none") return false;
  return polarity === "high-is-open" ? open : !open;
}

/** DLE EOT n answer: fixed bits 0x12 plus the status bits. */
export function realtimeStatusByte(n: number, s: StatusState, online: boolean, pin3High: boolean): number {
  let byte = 0x12;
  if (n === 1) {
    if (pin3High) byte |= 0x04;
    if (!online) byte |= 0x08;
    if (s.error !== null && s.error !== "autoRecoverable") byte |= 0x20;
  } else if (n === 2) {
    if (s.coverOpen) byte |= 0x04;
    if (s.paper === "end") byte |= 0x20;
    if (s.error !== null) byte |= 0x40;
  } else if (n === 3) {
    if (s.error === "recoverable") byte |= 0x04;
    if (s.error === "autocutter") byte |= 0x08;
    if (s.error === "unrecoverable") byte |= 0x20;
    if (s.error === "autoRecoverable") byte |= 0x40;
  } else {
    if (s.paper === "nearEnd" || s.paper === "end") byte |= 0x0c;
    if (s.paper === "end") byte |= 0x60;
  }
  return byte;
}

/** GS r n answer: n 1 paper (bits 0–1 near end, 2–3 end), n 2 drawer (bit 0 pin 3). */
export function sequenceStatusByte(n: number, paper: StatusState["paper"], pin3High: boolean): number {
  if (n === 2 || n === 50) return pin3High ? 0x01 : 0x00;
  return (paper === "nearEnd" || paper === "end" ? 0x03 : 0) | (paper === "end" ? 0x0c : 0);
}

/** GS I n: 0x42 maker and 0x43 model as `5F … 00` blocks, other n a single byte. */
export function printerIdReply(n: number, profileId: string): Uint8Array {
  const block = (text: string): Uint8Array => Uint8Array.of(0x5f, ...new TextEncoder().encode(text), 0x00);
  if (n === 0x42) return block("GALLEY");
  if (n === 0x43) return block(`SIM ${profileId}`);
  return Uint8Array.of(n === 2 ? 0x02 : 0x00);
}

/** GS ( H fn 48 answer: `37 22` + the job's 4-byte tag + NUL. */
export function processIdReply(id: string): Uint8Array {
  return Uint8Array.of(BLOCK_HEADER_37, PROCESS_ID_RESPONSE, ...[0, 1, 2, 3].map((i) => id.charCodeAt(i)), 0x00);
}

/** DLE DC4 8 answer once the buffers are cleared: `37 25 00`. */
export function bufferClearedReply(): Uint8Array {
  return Uint8Array.of(BLOCK_HEADER_37, BUFFER_CLEAR_RESPONSE, 0x00);
}

/** The 4-byte ASB block: byte 1 drawer/offline/cover, byte 2 errors, byte 3 paper, byte 4 fixed. */
export function asbBlock(s: StatusState, online: boolean, pin3High: boolean): number[] {
  const b1 = 0x10 | (pin3High ? 0x04 : 0) | (online ? 0 : 0x08) | (s.coverOpen ? 0x20 : 0);
  const b2 =
    (s.error === "recoverable" ? 0x04 : 0) |
    (s.error === "autocutter" ? 0x08 : 0) |
    (s.error === "unrecoverable" ? 0x20 : 0) |
    (s.error === "autoRecoverable" ? 0x40 : 0);
  const b3 = (s.paper === "nearEnd" || s.paper === "end" ? 0x03 : 0) | (s.paper === "end" ? 0x0c : 0);
  return [b1, b2, b3, 0x00];
}
