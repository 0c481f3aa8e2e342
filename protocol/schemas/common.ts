/**
 * Shapes shared by the HTTP API and the WebSocket push. Each is a TypeBox schema (the validator
 * Fastify and Ajv run) and the TypeScript type derived from it, so the two cannot drift.
 * The screens never load this file: they import the types through `protocol/index.ts`.
 */
import { Type, type Static, type TSchema } from "typebox";
import { MultilineText, Text } from "./text.ts";
import {
  CHANNELS,
  ORDER_STATUSES,
  ROLES,
  type Channel as CoreChannel,
  type OrderStatus as CoreOrderStatus,
  type Role as CoreRole,
} from "../core/roles.ts";

export { CHANNELS, ORDER_STATUSES, ROLES, SCREEN_ROLES, type ScreenRole } from "../core/roles.ts";

/** An ISO 8601 date and time. */
export const DateTime = Type.String({ format: "date-time" });

/** The schema, or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ format: "uuid", description: "RFC 9562 UUID" });

/** Integer minor units (cents); money is never a float. */
export const MinorUnits = Type.Integer({ minimum: 0, maximum: 100_000_000, description: "amount in minor units" });

/** ISO 4217 currency code. */
export const Currency = Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 currency code" });

/** An http(s) URL: printable ASCII without spaces (IDN hosts in punycode), so no byte of it is a command. */
export const HTTP_URL_PATTERN = "^https?://[!-~]+$";

/** Identifiers chosen by the menu's author (items, categories, options). */
export const Slug = Type.String({
  pattern: "^[a-z0-9][a-z0-9_-]{0,63}$",
  description: "lower-case id: letters, digits, - and _",
});

export const OrderStatus = Type.Enum(ORDER_STATUSES);
export type OrderStatus = CoreOrderStatus;

export const Channel = Type.Enum(CHANNELS);
export type Channel = CoreChannel;

export const Role = Type.Enum(ROLES);
export type Role = CoreRole;

/** `{ "error": { "code", "message", "details"? } }`: the one error body of the API. */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

const LanguageTag = Type.String({ pattern: "^[a-z]{2}(-[A-Z]{2})?$" });

/** A language tag such as `en` or `de` mapped to one line of text (a name). */
export const LocalizedText = Type.Record(LanguageTag, Text({ minLength: 1, maxLength: 500 }), { minProperties: 1 });
export type LocalizedText = Static<typeof LocalizedText>;

/** The same for text that may span lines (a description). */
export const LocalizedMultilineText = Type.Record(LanguageTag, MultilineText({ minLength: 1, maxLength: 500 }), {
  minProperties: 1,
});
