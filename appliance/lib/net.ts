/** Where a request came from. */

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback: a client on this board itself. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}
