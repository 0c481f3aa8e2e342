/**
 * The one error → response mapper: `{ "error": { "code", "message", "details"? } }`. Unknown
 * errors become a 500 with a generic message; the stack goes to the log only.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { ErrorObject } from "ajv";
import { AppError, type ErrorCode } from "../lib/errors.ts";
import { formatErrors } from "../lib/validate.ts";

export interface ErrorResponse {
  status: number;
  body: { error: { code: ErrorCode; message: string; details?: unknown } };
}

const FASTIFY_CODES: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "bad_request", message: "the body is not valid JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "bad_request", message: "the body is empty but Content-Type says JSON" },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "body_too_large", message: "the body is larger than this server accepts" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: "unsupported_media_type",
    message: "send JSON (Content-Type: application/json)",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: "bad_request", message: "Content-Length does not match the body" },
};

export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: {
        error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      },
    };
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: ErrorObject[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const where = fastifyError.validationContext ?? "body";
    const errors = formatErrors(fastifyError.validation).map(
      (line) => `${where}${line.startsWith("(root)") ? line.slice(6) : `.${line}`}`,
    );
    return {
      status: 400,
      body: {
        error: { code: "validation_failed", message: `invalid request: ${errors.join("; ")}`, details: { errors } },
      },
    };
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) {
    return {
      status: known.code === "body_too_large" ? 413 : known.code === "unsupported_media_type" ? 415 : 400,
      body: { error: { code: known.code, message: known.message } },
    };
  }
  if (
    error instanceof SyntaxError ||
    (typeof fastifyError.statusCode === "number" && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500)
  ) {
    return {
      status: fastifyError.statusCode ?? 400,
      body: { error: { code: "bad_request", message: fastifyError.message ?? "bad request" } },
    };
  }
  return {
    status: 500,
    body: { error: { code: "internal_error", message: "something went wrong on the appliance; it has been logged" } },
  };
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const response = toErrorResponse(error);
  if (response.status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ code: response.body.error.code }, "request refused");
  // RFC 9110 §10.2.3: a 429 says when to come back, for clients that read headers rather than bodies.
  const retryAfter = (response.body.error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (response.status === 429 && typeof retryAfter === "number") void reply.header("Retry-After", String(retryAfter));
  void reply.code(response.status).send(response.body);
}
