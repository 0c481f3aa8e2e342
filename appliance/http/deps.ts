/**
 * What the HTTP layer is built from: the Fastify type with its TypeBox provider, the route table,
 * and the shape of a route module (a Fastify plugin given only the options it uses). Its own file
 * so that server.ts and the route modules need not import each other: server.ts registers the
 * plugins it is handed (appliance/app.ts composes the list) and names no feature.
 */
import type {
  FastifyInstance,
  FastifyPluginCallback,
  FastifyPluginOptions,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Logger } from "../lib/logger.ts";
import type { RouteAccess } from "./auth.ts";

export type GalleyFastify = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  Logger,
  TypeBoxTypeProvider
>;

/** One API route and who may call it (the route × role test walks this table). */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module "fastify" {
  interface FastifyInstance {
    routeTable: readonly RouteEntry[];
  }
}

/**
 * A route module: a Fastify plugin whose options are exactly what its routes use. Registered in
 * its own (encapsulated) context, it inherits the root's hooks (security headers, guard, request
 * ids, timing), validators, error mapper and the onRoute hooks of the route table and OpenAPI.
 */
export type RoutePlugin<Options extends FastifyPluginOptions> = FastifyPluginCallback<
  Options,
  RawServerDefault,
  TypeBoxTypeProvider,
  Logger
>;

/** A route module with its options bound: what `buildHttpServer` registers. */
export type HttpPlugin = RoutePlugin<FastifyPluginOptions>;

/** Binds `options` to a route module, so that a list of modules with different options is one type. */
export function withOptions<Options extends FastifyPluginOptions>(
  plugin: RoutePlugin<Options>,
  options: Options,
): HttpPlugin {
  return (app, _none, done) => {
    plugin(app, options, done);
  };
}
