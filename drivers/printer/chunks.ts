import { ASB_ALL, automaticStatusBack } from "../escpos/commands.ts";
import type { EncodedCommand } from "../escpos/print-document.ts";

/** Default chunk size for USB/TCP writes (4–16 KiB suits both, docs/architecture.md#the-spooler). */
export const DEFAULT_CHUNK_BYTES = 4096;

/**
 * Groups whole commands into writes of about `maxBytes`. A chunk only ends after a command
 * whose `realtimeSafe` is true, so status polls and real-time pulses written between chunks
 * always land on a command boundary outside a `GS ( D` region (docs/architecture.md#escpos-facts).
 */
export function chunkCommands(commands: readonly EncodedCommand[], maxBytes = DEFAULT_CHUNK_BYTES): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let current: EncodedCommand[] = [];
  let size = 0;
  const flush = (): void => {
    if (current.length === 0) return;
    const out = new Uint8Array(size);
    let at = 0;
    for (const command of current) {
      out.set(command.bytes, at);
      at += command.bytes.length;
    }
    chunks.push(out);
    current = [];
    size = 0;
  };
  for (const command of commands) {
    const last = current.at(-1);
    if (last !== undefined && last.realtimeSafe && size + command.bytes.length > maxBytes) flush();
    current.push(command);
    size += command.bytes.length;
  }
  flush();
  return chunks;
}

/** ESC @ resets ASB on some models (Bixolon SRP-332II): re-enable it right after every ESC @ in a job. */
export function withAsbRearmed(commands: readonly EncodedCommand[]): EncodedCommand[] {
  const out: EncodedCommand[] = [];
  for (const command of commands) {
    out.push(command);
    if (command.name === "ESC @")
      out.push({ kind: "status", name: "GS a", bytes: automaticStatusBack(ASB_ALL), realtimeSafe: true });
  }
  return out;
}
