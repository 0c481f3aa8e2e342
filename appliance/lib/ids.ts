import { randomBytes, randomInt, randomUUID } from "node:crypto";

/** A random RFC 9562 version-4 UUID. */
export function newId(): string {
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
