/**
 * Idempotent commands over HTTP: the optional `Idempotency-Key` header, and the reply that says
 * whether a retry got the stored result (`Idempotent-Replayed: true`) or a new one was made.
 */
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import type { CommandResult } from "../commands/order-commit.ts";

/** Idempotency keys: 8–128 visible ASCII characters (a UUID fits). */
export const IdempotencyHeaders = Type.Object({
  "idempotency-key": Type.Optional(Type.String({ pattern: "^[\\x21-\\x7e]{8,128}$" })),
});

export function idempotencyKeyOf(headers: { "idempotency-key"?: string | string[] | undefined }): string | undefined {
  const value = headers["idempotency-key"];
  return Array.isArray(value) ? value[0] : value;
}

/** Sends a command's result with its status code and `Idempotent-Replayed`. */
export function sendIdempotent<T>(reply: FastifyReply, result: CommandResult<T>): FastifyReply {
  return reply.code(result.statusCode).header("Idempotent-Replayed", String(result.replayed)).send(result.body);
}
