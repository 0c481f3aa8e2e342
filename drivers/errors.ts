/**
 * The drivers' error catalogue. Every error a driver throws or reports is a `DriverError` with one
 * of these codes; drivers/README.md lists them (tests/unit/drivers/errors-docs.test.ts keeps the
 * two in step).
 */

/** Stable error codes and a one-line meaning each. */
export const DRIVER_ERROR_CODES = {
  uri_invalid: "the device URI cannot be parsed or names an unknown scheme or option",
  profile_invalid: "the printer profile is unknown or inconsistent",
  open_failed: "the transport could not be opened (no device, refused, permission)",
  not_open: "the transport is not open",
  closed: "the transport closed while an operation was in flight",
  write_failed: "the device refused or failed a write",
  write_timeout: "a write did not complete within its timeout (stalled printer, full buffer)",
  read_failed: "reading from the device failed",
  not_bidirectional: "the device cannot answer (one-way printer, usblp write-only fallback)",
  status_timeout: "the device did not answer a status request in time",
  device_not_found: "no attached device matches the URI",
  unsupported: "the profile or device does not support the operation",
  encode_failed: "the document could not be encoded for this printer",
  stopped: "the device actor was stopped",
  busy: "another operation holds the device",
  config_invalid: "the driver's options are invalid (URL, identifiers, key, certificate)",
  refused: "the device refused the request (wrong shared key, malformed or unsupported request)",
} as const;

export type DriverErrorCode = keyof typeof DRIVER_ERROR_CODES;

/** An error raised by a driver: a closed `code`, a message for people, and the `cause`. */
export class DriverError extends Error {
  readonly code: DriverErrorCode;

  constructor(code: DriverErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DriverError";
    this.code = code;
  }
}

/** True when `error` is a DriverError, optionally with the given code. */
export function isDriverError(error: unknown, code?: DriverErrorCode): error is DriverError {
  return error instanceof DriverError && (code === undefined || error.code === code);
}

/** Wraps anything thrown by a library into a DriverError with `code`, keeping it as `cause`. */
export function toDriverError(error: unknown, code: DriverErrorCode, message?: string): DriverError {
  if (error instanceof DriverError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new DriverError(code, message === undefined ? text : `${message}: ${text}`, { cause: error });
}
