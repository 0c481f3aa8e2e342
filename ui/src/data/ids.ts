/**
 * Order ids are RFC 9562 version-4 UUIDs made on the kiosk, once per checkout. Browsers only
 * offer `crypto.randomUUID` in secure contexts, and a kiosk on the store LAN is served over plain
 * http, so the UUID is built from `crypto.getRandomValues`, which every context has.
 */
export function newOrderId(
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (bytes) => crypto.getRandomValues(bytes),
): string {
  const bytes = random(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // variant 10xx
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
