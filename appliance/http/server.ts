/**
 * Builds the Fastify instance: limits, request ids and timing headers, validation (strict for
 * bodies, coercing for query strings), the error mapper, the guard, the OpenAPI document and the
 * route table, then registers the route plugins it is given (appliance/app.ts composes them; this
 * file names no feature). Building has no side effects; `listen` is the caller's business.
 */
import Fastify, { LogController } from "fastify";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { GalleyFastify, HttpPlugin, RouteEntry } from "./deps.ts";
import type { CommandContext } from "../commands/context.ts";
import type { Logger } from "../lib/logger.ts";
import { newId } from "../lib/ids.ts";
import { AppError } from "../lib/errors.ts";
import { exactAjv, queryAjv } from "../lib/validate.ts";
import { guard, type LocalPrincipal } from "./auth.ts";
import { errorHandler } from "./errors.ts";
import { SCREEN_HEADERS } from "./security-headers.ts";
export type { GalleyFastify, HttpPlugin, RouteEntry } from "./deps.ts";

/** What the core needs: the rest comes in with the plugins. */
export interface HttpCore {
  ctx: CommandContext;
  log: Logger;
  version: string;
  /** Field diagnostics' local principal (the board's own doctor token), when field-ops runs. */
  localPrincipal?: LocalPrincipal | undefined;
}

/** The charset parameter of a JSON Content-Type, or undefined (none given, or not JSON). */
function jsonCharset(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*application\/(?:[\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) return undefined;
  return /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType)?.[1];
}

export async function buildHttpServer(deps: HttpCore, plugins: readonly HttpPlugin[]): Promise<GalleyFastify> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.ctx.config.server.bodyLimitBytes,
    requestIdHeader: "x-request-id",
    genReqId: () => newId(),
    // Per-request lines go out at debug from onResponse below; errors are logged by the mapper.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: "idle",
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies: exactly the schema (no coercion, unknown keys refused). Query strings: "?limit=10" is a number.
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if ((schema as { "x-validated-by-handler"?: boolean })["x-validated-by-handler"]) return () => true;
    return (httpPart === "body" ? exactAjv : queryAjv()).compile(schema);
  });
  // Response schemas document the API (OpenAPI); serialisation stays plain JSON.stringify.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler);
  // The API speaks JSON only (pictures register their own types): text/plain, Fastify's other default, is refused with 415.
  app.removeContentTypeParser("text/plain");
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: { code: "route_not_found", message: `no route ${request.method} ${request.url.split("?")[0] ?? ""}` },
    });
  });

  app.decorateRequest("principal", undefined);
  app.decorateRequest("bearerToken", undefined);
  const routeTable: RouteEntry[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/api/")) return;
    const access = route.config?.access;
    if (access === undefined)
      throw new Error(`route ${route.method.toString()} ${route.url} declares no access (config.access)`);
    for (const method of [route.method].flat())
      if (method !== "HEAD") routeTable.push({ method, url: route.url, access });
  });
  app.addHook("onRequest", (request, reply, done) => {
    void reply.header("X-Request-ID", request.id);
    done();
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    void reply.header("X-Response-Time-ms", reply.elapsedTime.toFixed(2));
    done(null, payload);
  });
  app.addHook("onResponse", (request, reply, done) => {
    request.log.debug(
      {
        method: request.method,
        url: request.url.split("?")[0],
        status: reply.statusCode,
        ms: Number(reply.elapsedTime.toFixed(2)),
      },
      "request",
    );
    done();
  });
  // Security headers on every response, refusals included: added before the guard can refuse.
  app.addHook("onRequest", (request, reply, done) => {
    void reply.headers(request.routeOptions.config.securityHeaders ?? SCREEN_HEADERS);
    done();
  });
  // Authentication and permission come first, before the body is even parsed or validated.
  const check = guard(deps.ctx, deps.localPrincipal);
  app.addHook("onRequest", (request, _reply, done) => {
    try {
      check(request);
      done();
    } catch (error) {
      done(error instanceof Error ? error : new AppError("internal_error", String(error)));
    }
  });
  // JSON is UTF-8 (RFC 8259 §8.1): a body declared in another charset would be read wrongly, so it is refused.
  app.addHook("preParsing", (request, _reply, payload, done) => {
    const charset = jsonCharset(request.headers["content-type"]);
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      done(new AppError("unsupported_media_type", `JSON must be sent as UTF-8, not ${charset}`), payload);
      return;
    }
    done(null, payload);
  });

  // Registered (and awaited) before the routes so that its onRoute hook sees every one of them.
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "galleyd",
        version: deps.version,
        description: "The Galley appliance's HTTP API. Errors are { error: { code, message, details? } }.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    // Each operation says who may call it (`x-galley-access`: "public", "authenticated" or the
    // permissions of which a caller needs one), from the declaration the guard enforces.
    transform: ({ schema, url, route }) => {
      const access = route.config?.access;
      return { schema: access === undefined ? schema : { ...schema, "x-galley-access": access }, url };
    },
  });
  app.get("/api/openapi.json", { config: { access: "public" }, schema: { hide: true } }, () => app.swagger());

  // Each in its own context: the hooks, validators and error mapper above are inherited, and the
  // onRoute hooks (route table, OpenAPI) see every route; awaited in turn, so the order is the list's.
  for (const plugin of plugins) await app.register(plugin);
  return app;
}
