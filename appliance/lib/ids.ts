import { randomBytes, randomInt, randomUUID } from "node:crypto";

/**
 * An RFC 9562 version-7 UUID: 48 bits of Unix milliseconds, then 74 random bits. Ids made close
 * in time sort close together, so the journal's id indexes grow at their end instead of touching
 * a random page per insert (fewer pages written and fsynced per order). Uniqueness never depends
 * on the clock: a board without an RTC may boot with an old time, and the random bits still keep
 * ids apart. Ids are identity, never ordering — ordering is the journal's seq.
 */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  const ms = Math.max(0, Math.floor(now));
  bytes.writeUIntBE(ms % 2 ** 48, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f); // version 7
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f); // variant 10xx
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random RFC 9562 version-4 UUID (where nothing should leak the time of creation). */
export function newRandomId(): string {
  return randomUUID();
}

/** A random URL-safe secret of `bytes` bytes of entropy (tokens). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

// Crockford base32 without I, L, O, U: no letters a customer or a technician can misread.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `length` random Crockford base32 characters (order references, pairing codes). */
export function randomCode(length: number, alphabet = CROCKFORD): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

/** A numeric code of `digits` digits, leading zeros kept (PINs). */
export function randomDigits(digits: number): string {
  return randomCode(digits, "0123456789");
}
