/**
 * What the HTTP layer is built from and what a route module receives: the Fastify type with its
 * TypeBox provider, the dependencies, and the route table. Its own file so that server.ts (which
 * registers the routes) and the routes (which need these types) do not import each other.
 */
import type { FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { AttemptLimiter } from "../commands/attempt-limiter.ts";
import type { CommandContext } from "../commands/context.ts";
import type { DeviceLayer } from "../devices/layer.ts";
import type { FieldOps } from "../diagnostics/field-ops.ts";
import type { JournalEvent } from "../journal/events.ts";
import type { Logger } from "../lib/logger.ts";
import type { DiagnosticsInfo } from "../../protocol/schemas/diagnostics.ts";
import type { RouteAccess } from "./auth.ts";

export type GalleyFastify = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, TypeBoxTypeProvider>;

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

export interface HttpDeps {
  ctx: CommandContext;
  log: Logger;
  /** Wrong PINs at sign-in, per address and in total (`auth.loginAttemptsPerMinute…`). */
  loginLimiter: AttemptLimiter;
  /** Announces committed events (push, spooler, sync). */
  announce(events: readonly JournalEvent[]): void;
  diagnostics(): DiagnosticsInfo;
  /** Folders searched, in order, for menu pictures. */
  pictureDirs: readonly string[];
  version: string;
  /** Printers, drawer, pole display and the print spooler (absent: their routes answer device_not_configured). */
  devices?: DeviceLayer;
  /** Extra route registrations from other layers (screens, devices). */
  extraRoutes?: ((app: GalleyFastify) => void)[];
  /** Field diagnostics: the local doctor token, doctor, logs, support bundle (appliance/diagnostics). */
  fieldOps?: FieldOps;
}
