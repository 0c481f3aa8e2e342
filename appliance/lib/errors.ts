/**
 * The one error type the appliance throws on purpose, carrying a code of the protocol's
 * catalogue (protocol/core/errors.ts).
 */
import { ERROR_STATUS, type ErrorCode } from "../../protocol/core/errors.ts";

export { ERROR_CODES, ERROR_STATUS, type ErrorCode } from "../../protocol/core/errors.ts";

/** Extra machine-readable context for an error (never secrets). */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/** The one error type the appliance throws on purpose. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetails; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options.details;
  }
}
