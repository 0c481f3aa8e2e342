/**
 * The protocol's second entry point: the TypeBox schemas galleyd validates with (and the types
 * derived from them). The screens never load it: they import `protocol/index.ts`, whose values
 * (roles, topics, close codes) these schemas build on.
 */
export * from "./common.ts";
export * from "./menu.ts";
export * from "./orders.ts";
export * from "./auth.ts";
export * from "./push.ts";
export * from "./diagnostics.ts";
export * from "./devices.ts";
export * from "./sync.ts";
export * from "./backups.ts";
export * from "./payments.ts";
export * from "./cash.ts";
