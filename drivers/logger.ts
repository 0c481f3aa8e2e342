/**
 * The logger the drivers accept. It is shaped so that a pino logger (the appliance's) fits as is;
 * the default drops everything. Byte traces go out at debug as `--> 1b 40` (to the device) and
 * `<-- 14` (from the device).
 */
export interface DriverLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const noop = (): void => undefined;

/** A logger that drops everything. */
export const silentDriverLogger: DriverLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** Hex of at most `max` bytes, space-separated, with an ellipsis and the total when cut. */
export function hexBytes(bytes: Uint8Array, max = 64): string {
  const shown = bytes.length > max ? bytes.subarray(0, max) : bytes;
  let text = "";
  for (const byte of shown) text += (text === "" ? "" : " ") + byte.toString(16).padStart(2, "0");
  return bytes.length > max ? `${text} … (${bytes.length} bytes)` : text;
}

/** Logs bytes written to a device: `--> 1b 40`. */
export function traceOut(logger: DriverLogger, ns: string, device: string, bytes: Uint8Array): void {
  logger.debug({ ns, device, bytes: bytes.length }, `--> ${hexBytes(bytes)}`);
}

/** Logs bytes read from a device: `<-- 14`. */
export function traceIn(logger: DriverLogger, ns: string, device: string, bytes: Uint8Array): void {
  logger.debug({ ns, device, bytes: bytes.length }, `<-- ${hexBytes(bytes)}`);
}
