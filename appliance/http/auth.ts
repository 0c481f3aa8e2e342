/**
 * Route guard. Every `/api` route declares `config.permission`: "public", "authenticated", or
 * the permissions of which the caller needs at least one. A route without one fails to register,
 * so nothing is open by accident.
 */
import type { FastifyRequest } from "fastify";
import { authenticate, noteDeviceSeen } from "../commands/auth.ts";
import type { CommandContext } from "../commands/context.ts";
import type { Permission } from "../../protocol/core/permissions.ts";
import { AppError } from "../lib/errors.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";

export type RouteAccess = "public" | "authenticated" | readonly Permission[];

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
    bearerToken: string | undefined;
  }
}

/** The bearer token of a request, from `Authorization: Bearer …`. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Resolves the board's local diagnostics token (appliance/diagnostics/local-token.ts), or undefined. */
export type LocalPrincipal = (request: FastifyRequest, token: string) => Principal | undefined;

export function guard(ctx: CommandContext, local?: LocalPrincipal) {
  return (request: FastifyRequest): void => {
    const access = request.routeOptions.config.access;
    if (access === undefined) {
      // Not an API route (static files, 404s).
      return;
    }
    const token = bearerToken(request.headers.authorization);
    request.bearerToken = token;
    if (access === "public") {
      if (token) {
        try {
          request.principal = authenticate(ctx, token);
        } catch {
          request.principal = undefined;
        }
      }
      return;
    }
    if (!token) throw new AppError("unauthenticated", "sign in first: send Authorization: Bearer <token>");
    const principal = local?.(request, token) ?? authenticate(ctx, token);
    request.principal = principal;
    noteDeviceSeen(ctx, principal);
    if (access === "authenticated") return;
    // A principal's permissions are its role's (commands/auth.ts), or fewer for the local token.
    if (!access.some((p) => principal.permissions.includes(p))) {
      throw new AppError("forbidden", `a ${principal.role} may not do this (needs ${access.join(" or ")})`, {
        details: { needs: access },
      });
    }
  };
}

/** The principal of a guarded route (always set once the guard passed). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError("unauthenticated", "sign in first");
  return request.principal;
}
