/**
 * ZVT (ZVT-Protokoll 13.x, "Kassenschnittstelle") application protocol data units and the field
 * encodings they carry.
 *
 * An APDU is `CLASS INSTR LEN DATA`: LEN is one byte, or — for 255 bytes and more — `FF` followed
 * by a two-byte little-endian length. Over TCP (port 20007) APDUs follow each other with no other
 * framing, so a reader has to cut the stream by these lengths, across arbitrary partial reads.
 * Over serial each APDU is wrapped in DLE STX … DLE ETX CRC (see `serial-framing.ts`).
 *
 * Numbers are BCD (two digits a byte, left-padded with 0): amounts in 6 bytes (BMP 04, minor
 * units), the password in 3, the currency code in 2 (`09 78` is EUR). Variable fields carry their
 * length as `Fx Fy` (LLVAR) or `Fx Fy Fz` (LLLVAR), each `F`-nibble byte holding one decimal digit.
 * The TLV container (BMP 06) uses BER-TLV: multi-byte tags when the low five bits of the first tag
 * byte are all 1, lengths of one byte below 0x80, or `81 nn` / `82 nn nn`.
 *
 * Card numbers (BMP 22) arrive masked with `E` nibbles ("474843EEEEEE7743"); the driver keeps only
 * the last four digits. Text from the terminal is untrusted: `cleanText` drops control characters.
 */
import { DriverError } from "../../errors.ts";

export interface Apdu {
  cls: number;
  instr: number;
  data: Uint8Array;
}

/** The largest data part an APDU can carry (two-byte extended length). */
export const MAX_APDU_DATA = 0xffff;

/** `80 00 00`: the positive acknowledgement either side sends for each message it accepted. */
export const ACK_APDU: Apdu = { cls: 0x80, instr: 0x00, data: new Uint8Array(0) };

/** Serialises an APDU, choosing the extended length form for 255 data bytes and more. */
export function encodeApdu(apdu: Apdu): Uint8Array {
  const length = apdu.data.length;
  if (length > MAX_APDU_DATA) throw new DriverError("encode_failed", `ZVT APDU data too long (${length} bytes)`);
  const header =
    length < 0xff ? [apdu.cls, apdu.instr, length] : [apdu.cls, apdu.instr, 0xff, length & 0xff, length >> 8];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(apdu.data, header.length);
  return out;
}

/** Builds an APDU from a class, an instruction and data parts (numbers are single bytes). */
export function apdu(cls: number, instr: number, ...parts: Array<Uint8Array | number[]>): Apdu {
  return { cls, instr, data: concatBytes(...parts) };
}

export function concatBytes(...parts: Array<Uint8Array | number[]>): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Cuts a byte stream into APDUs. `push` takes whatever the transport delivered (a partial APDU,
 * several, or the end of one and the start of the next) and returns the complete ones.
 */
export class ApduReader {
  #buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Apdu[] {
    this.#buffer = this.#buffer.length === 0 ? chunk.slice() : concatBytes(this.#buffer, chunk);
    const out: Apdu[] = [];
    // Each pass consumes one APDU or stops: bounded by the buffer length.
    for (;;) {
      const next = readApdu(this.#buffer);
      if (next === undefined) break;
      out.push(next.apdu);
      this.#buffer = this.#buffer.subarray(next.consumed);
    }
    return out;
  }

  /** Bytes held back waiting for the rest of an APDU. */
  get pending(): number {
    return this.#buffer.length;
  }

  reset(): void {
    this.#buffer = new Uint8Array(0);
  }
}

/** Reads one APDU at the start of `bytes`, or undefined when it is not complete yet. */
export function readApdu(bytes: Uint8Array): { apdu: Apdu; consumed: number } | undefined {
  if (bytes.length < 3) return undefined;
  const [cls = 0, instr = 0, short = 0] = bytes;
  let length = short;
  let start = 3;
  if (short === 0xff) {
    if (bytes.length < 5) return undefined;
    length = (bytes[3] ?? 0) | ((bytes[4] ?? 0) << 8);
    start = 5;
  }
  if (bytes.length < start + length) return undefined;
  return { apdu: { cls, instr, data: bytes.slice(start, start + length) }, consumed: start + length };
}

/** `06 01` style name of an APDU, for logs and errors. */
export function apduName(value: Apdu): string {
  return `${hex2(value.cls)} ${hex2(value.instr)}`;
}

export function hex2(value: number): string {
  return value.toString(16).padStart(2, "0");
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, hex2).join(" ");
}

// ---- BCD ------------------------------------------------------------------------------------

/** Packs a string of decimal digits into `size` BCD bytes, left-padded with zeros. */
export function encodeBcd(digits: string, size: number): Uint8Array {
  if (!/^\d*$/.test(digits) || digits.length > size * 2)
    throw new DriverError("encode_failed", `"${digits}" does not fit ${size} BCD bytes`);
  const padded = digits.padStart(size * 2, "0");
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  return out;
}

/** Unpacks BCD bytes to their digits; undefined when a nibble is not a decimal digit. */
export function decodeBcd(bytes: Uint8Array): string | undefined {
  let out = "";
  for (const byte of bytes) {
    const high = byte >> 4;
    const low = byte & 0x0f;
    if (high > 9 || low > 9) return undefined;
    out += String(high) + String(low);
  }
  return out;
}

/** The largest amount BMP 04 can carry: 12 digits of minor units. */
export const MAX_AMOUNT = 999_999_999_999;

/** BMP 04 value: an amount in minor units as 6 BCD bytes. */
export function encodeAmount(minorUnits: number): Uint8Array {
  if (!Number.isSafeInteger(minorUnits) || minorUnits < 0 || minorUnits > MAX_AMOUNT)
    throw new DriverError("encode_failed", `amount ${minorUnits} cannot be sent to a ZVT terminal`);
  return encodeBcd(String(minorUnits), 6);
}

export function decodeAmount(bytes: Uint8Array): number | undefined {
  const digits = decodeBcd(bytes);
  return digits === undefined ? undefined : Number(digits);
}

/** The ZVT password: exactly six digits, sent as 3 BCD bytes. */
export function encodePassword(password: string): Uint8Array {
  if (!/^\d{6}$/.test(password)) throw new DriverError("config_invalid", "the ZVT password must be 6 digits");
  return encodeBcd(password, 3);
}

/** ISO 4217 numeric codes of the currencies ZVT terminals are set up for. */
export const CURRENCY_CODES: Readonly<Record<string, number>> = {
  EUR: 978,
  CHF: 756,
  GBP: 826,
  USD: 840,
  DKK: 208,
  SEK: 752,
  NOK: 578,
  PLN: 985,
  CZK: 203,
  HUF: 348,
};

/** BMP 49 value: the ISO 4217 numeric code as 2 BCD bytes (`09 78` for EUR). */
export function encodeCurrency(currency: string): Uint8Array {
  const code = CURRENCY_CODES[currency.toUpperCase()];
  if (code === undefined) throw new DriverError("config_invalid", `currency "${currency}" is not supported for ZVT`);
  return encodeBcd(String(code), 2);
}

export function decodeCurrency(bytes: Uint8Array): string | undefined {
  const digits = decodeBcd(bytes);
  if (digits === undefined) return undefined;
  const code = Number(digits);
  return Object.keys(CURRENCY_CODES).find((name) => CURRENCY_CODES[name] === code);
}

// ---- LLVAR / LLLVAR ----------------------------------------------------------------------------

/** `Fx Fy` (digits = 2) or `Fx Fy Fz` (digits = 3) for a length. */
export function encodeVarLength(length: number, digits: 2 | 3): Uint8Array {
  const text = String(length);
  if (!Number.isInteger(length) || length < 0 || text.length > digits)
    throw new DriverError("encode_failed", `length ${length} does not fit ${digits} digits`);
  return Uint8Array.from(text.padStart(digits, "0"), (c) => 0xf0 | Number(c));
}

/** Reads an LLVAR/LLLVAR length at `offset`; undefined when a byte is not `F0`–`F9`. */
export function decodeVarLength(bytes: Uint8Array, offset: number, digits: 2 | 3): number | undefined {
  let length = 0;
  for (let i = 0; i < digits; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined || byte >> 4 !== 0x0f || (byte & 0x0f) > 9) return undefined;
    length = length * 10 + (byte & 0x0f);
  }
  return length;
}

// ---- card number -----------------------------------------------------------------------------

/**
 * BMP 22 (PAN / EF_ID) digits as the terminal sent them: BCD nibbles where `E` marks a masked
 * digit and `F` pads; the result keeps only the last four digits clear ("************1234").
 * Undefined when fewer than four clear digits end the number.
 */
export function maskedPanFromBcd(bytes: Uint8Array): string | undefined {
  let nibbles = "";
  for (const byte of bytes) nibbles += hex2(byte).toUpperCase();
  // Track-2 style values carry a separator (D) and discretionary data: keep the number before it.
  const number = nibbles.split("D")[0]?.replace(/F+$/, "") ?? "";
  if (!/^[0-9E]*$/.test(number)) return undefined;
  return maskPan(number.replace(/E/g, "*"));
}

/** Keeps the last four characters if they are digits, masks everything before them with `*`. */
export function maskPan(pan: string): string | undefined {
  const clean = pan.replace(/[\s-]/g, "");
  const last4 = clean.slice(-4);
  if (!/^\d{4}$/.test(last4)) return undefined;
  return "*".repeat(Math.max(0, clean.length - 4)) + last4;
}

/** BMP 22 value for a simulator: LLVAR of the masked BCD number (first 6 and last 4 digits clear). */
export function encodeMaskedPan(pan: string): Uint8Array {
  if (!/^\d{12,19}$/.test(pan)) throw new DriverError("encode_failed", "a PAN is 12 to 19 digits");
  let nibbles = pan.slice(0, 6) + "E".repeat(pan.length - 10) + pan.slice(-4);
  if (nibbles.length % 2 === 1) nibbles += "F";
  const bytes = Uint8Array.from({ length: nibbles.length / 2 }, (_, i) =>
    Number.parseInt(nibbles.slice(2 * i, 2 * i + 2), 16),
  );
  return concatBytes(encodeVarLength(bytes.length, 2), bytes);
}

// ---- TLV container (BMP 06) ------------------------------------------------------------------

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

// ---- text --------------------------------------------------------------------------------------

/** Code page 437, 0x80–0xFF: ZVT's default character set for texts above ASCII. */
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

/** Decodes terminal text (ASCII with code page 437 above 0x7F). Control bytes stay: clean after. */
export function decodeText(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte < 0x80 ? String.fromCharCode(byte) : (CP437_HIGH[byte - 0x80] ?? "?");
  return out;
}

/**
 * Encodes text as a terminal would (simulator): ASCII as is — control bytes too, a hostile
 * terminal's text is what the driver must cope with — code page 437 letters, else "?".
 */
export function encodeText(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0x3f;
    if (code < 0x80) out.push(code);
    else {
      const index = CP437_HIGH.indexOf(char);
      out.push(index >= 0 ? 0x80 + index : 0x3f);
    }
  }
  return Uint8Array.from(out);
}

// C0, DEL, C1, bidi controls and unpaired surrogates.
const CONTROL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Untrusted terminal text made safe to show or print: control characters removed, trimmed, capped. */
export function cleanText(text: string, maxLength = 80): string {
  const clean = text.replace(CONTROL, "").trim();
  return clean.length > maxLength ? clean.slice(0, maxLength) : clean;
}

/** A receipt line from the terminal: control characters removed, its indentation kept, capped. */
export function cleanLine(text: string, maxLength = 80): string {
  const clean = text.replace(CONTROL, "").trimEnd();
  return clean.length > maxLength ? clean.slice(0, maxLength) : clean;
}

// ---- channels ----------------------------------------------------------------------------------

/** The byte pipe a channel needs: a ByteTransport fits, and so does a simulator's socket. */
export interface BytePipe {
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): () => void;
}

/** APDUs in and out over one connection, whatever the link framing. */
export interface ApduChannel {
  /** Resolves once the APDU was handed over (serial: once the other side acknowledged the frame). */
  send(value: Apdu): Promise<void>;
  onApdu(listener: (value: Apdu) => void): () => void;
  /** Drops listeners and buffered bytes; the pipe itself stays open. */
  detach(): void;
}

/** TCP: APDUs back to back, no framing. */
export function createStreamChannel(pipe: BytePipe): ApduChannel {
  const reader = new ApduReader();
  const listeners = new Set<(value: Apdu) => void>();
  const off = pipe.onData((chunk) => {
    for (const value of reader.push(chunk)) for (const listener of [...listeners]) listener(value);
  });
  return {
    send: (value) => pipe.write(encodeApdu(value)),
    onApdu(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    detach() {
      off();
      listeners.clear();
      reader.reset();
    },
  };
}
