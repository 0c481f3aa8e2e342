/** A minimal ustar writer (POSIX.1-1988) for support bundles: regular files only, gzip on top. */
import { gzipSync } from "node:zlib";

export interface TarEntry {
  name: string;
  content: string | Buffer;
  mode?: number;
  mtimeMs?: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function header(name: string, size: number, mode: number, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const block = Buffer.alloc(512, 0);
  block.write(name, 0, 100, "utf8");
  block.write(octal(mode, 8), 100, 8, "ascii");
  block.write(octal(0, 8), 108, 8, "ascii");
  block.write(octal(0, 8), 116, 8, "ascii");
  block.write(octal(size, 12), 124, 12, "ascii");
  block.write(octal(Math.floor(mtime / 1_000), 12), 136, 12, "ascii");
  block.write("        ", 148, 8, "ascii");
  block.write("0", 156, 1, "ascii");
  block.write("ustar\0", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return block;
}

export function tarGz(entries: readonly TarEntry[], nowMs = Date.now()): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = typeof entry.content === "string" ? Buffer.from(entry.content, "utf8") : entry.content;
    parts.push(header(entry.name, data.length, entry.mode ?? 0o644, entry.mtimeMs ?? nowMs), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts));
}
