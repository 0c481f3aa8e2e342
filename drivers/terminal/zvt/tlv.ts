/**
 * The ZVT TLV container (BMP 06): BER-TLV with multi-byte tags when the low five bits of the first
 * tag byte are all 1, lengths of one byte below 0x80, or `81 nn` / `82 nn nn`.
 */
import { DriverError } from "../../errors.ts";
import { concatBytes } from "./apdu.ts";

export interface TlvNode {
  /** The tag as a number of its bytes, e.g. 0x1f07. */
  tag: number;
  constructed: boolean;
  value: Uint8Array;
  /** Parsed children of a constructed tag. */
  children: TlvNode[];
}

/** Reads a BER-TLV length at `offset`: `len` < 0x80, `81 len`, `82 hi lo`. */
export function decodeBerLength(bytes: Uint8Array, offset: number): { length: number; size: number } | undefined {
  const first = bytes[offset];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, size: 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 2) return undefined;
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) return undefined;
    length = (length << 8) | byte;
  }
  return { length, size: 1 + count };
}

export function encodeBerLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  throw new DriverError("encode_failed", `TLV length ${length} too large`);
}

/** Parses a sequence of BER-TLV objects; throws DriverError `read_failed` on a malformed one. */
export function parseTlv(bytes: Uint8Array, depth = 0): TlvNode[] {
  if (depth > 8) throw new DriverError("read_failed", "ZVT TLV nested too deeply");
  const nodes: TlvNode[] = [];
  let at = 0;
  while (at < bytes.length) {
    const first = bytes[at] ?? 0;
    let tag = first;
    let tagSize = 1;
    if ((first & 0x1f) === 0x1f) {
      // Subsequent tag bytes while bit 8 is set; at most 4 bytes in all.
      for (;;) {
        const byte = bytes[at + tagSize];
        if (byte === undefined || tagSize >= 4) throw new DriverError("read_failed", "ZVT TLV tag cut short");
        tag = (tag << 8) | byte;
        tagSize++;
        if ((byte & 0x80) === 0) break;
      }
    }
    const length = decodeBerLength(bytes, at + tagSize);
    if (length === undefined) throw new DriverError("read_failed", "ZVT TLV length malformed");
    const start = at + tagSize + length.size;
    const end = start + length.length;
    if (end > bytes.length) throw new DriverError("read_failed", "ZVT TLV value runs past its container");
    const value = bytes.slice(start, end);
    const constructed = (first & 0x20) !== 0;
    nodes.push({ tag, constructed, value, children: constructed ? parseTlv(value, depth + 1) : [] });
    at = end;
  }
  return nodes;
}

/** Encodes one TLV object; `value` is raw bytes or already-encoded children. */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 256)) tagBytes.unshift(t & 0xff);
  if (tagBytes.length === 0) tagBytes.push(0);
  return concatBytes(tagBytes, encodeBerLength(value.length), value);
}

/** Depth-first search for the first node with `tag`. */
export function findTlv(nodes: readonly TlvNode[], tag: number): TlvNode | undefined {
  for (const node of nodes) {
    if (node.tag === tag) return node;
    const inner = findTlv(node.children, tag);
    if (inner !== undefined) return inner;
  }
  return undefined;
}
