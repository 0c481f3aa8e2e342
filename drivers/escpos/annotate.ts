import { createHash } from "node:crypto";
import type { CodePageName } from "../printer/profiles.ts";
import { decodeCodePage } from "../sim/code-page-decoder.ts";
import type { EncodedCommand } from "./print-document.ts";

/** What each mnemonic does, for people reading golden files and traces. */
const MEANING: Readonly<Record<string, string>> = {
  "ESC @": "initialise",
  "FS .": "cancel Kanji mode",
  "ESC M": "select font",
  "ESC t": "select code page",
  "ESC E": "bold",
  "ESC -": "underline",
  "GS B": "inverse",
  "GS !": "character size",
  "ESC a": "justification",
  "ESC 2": "default line spacing",
  "ESC 3": "line spacing",
  "ESC d": "print and feed n lines",
  "ESC p": "drawer pulse (buffered)",
  "DLE DC4 1": "drawer pulse (real-time)",
  "DLE EOT": "real-time status request",
  "GS a": "automatic status back",
  "GS r": "in-sequence status request",
  "GS ( H": "process-ID response request",
  "GS ( D": "enable/disable real-time commands",
  "GS ( k": "2D symbol (QR)",
  "GS v 0": "raster image",
  "ESC *": "column image",
  "GS V": "cut",
  "GS k": "barcode",
  "GS h": "barcode height",
  "GS w": "barcode module width",
  "GS H": "barcode text position",
  "ESC =": "select peripheral",
  LF: "print and line feed",
  CR: "carriage return",
};

const HEX_PER_LINE = 16;
/** Longer payloads (images) are shown by their start and a hash, so a change still shows in a diff. */
const MAX_SHOWN = 32;

function hex(bytes: Uint8Array, abbreviate: boolean): string[] {
  const cut = abbreviate && bytes.length > MAX_SHOWN;
  const shown = cut ? bytes.subarray(0, MAX_SHOWN) : bytes;
  const lines: string[] = [];
  for (let i = 0; i < shown.length; i += HEX_PER_LINE) {
    lines.push(Array.from(shown.subarray(i, i + HEX_PER_LINE), (b) => b.toString(16).padStart(2, "0")).join(" "));
  }
  if (cut) {
    const digest = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    lines.push(`… ${bytes.length} bytes, sha256 ${digest}`);
  }
  return lines;
}

/**
 * One command per block: hex on the left (16 bytes a line), mnemonic and meaning on the right;
 * text runs show what they print, decoded with the selected code page.
 */
export function annotateCommands(
  commands: readonly EncodedCommand[],
  codePages: Readonly<Record<number, CodePageName>> = { 0: "cp437" },
): string {
  const out: string[] = [];
  let page: CodePageName = codePages[0] ?? "cp437";
  for (const command of commands) {
    let note = command.name;
    if (command.name === "ESC t") {
      const n = command.bytes[2] ?? 0;
      page = codePages[n] ?? "cp437";
      note += `  ${MEANING["ESC t"] ?? ""} ${n} = ${page}`;
    } else if (command.name === "text") {
      note = `text  "${decodeCodePage(command.bytes, page)}"`;
    } else if (MEANING[command.name] !== undefined) {
      note += `  ${MEANING[command.name] ?? ""}`;
    }
    const lines = hex(command.bytes, command.kind === "image" || command.kind === "qr");
    lines.forEach((line, i) => {
      out.push(i === 0 ? `${line.padEnd(48)}  ${note}` : line);
    });
  }
  return out.join("\n") + "\n";
}
