/** `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`. */
import { Type } from "typebox";
import { login, logout } from "../../commands/auth.ts";
import { LoginBody, Principal, TokenResponse } from "../../../protocol/schemas/auth.ts";
import { ErrorBody } from "../../../protocol/schemas/common.ts";
import { principalOf } from "../auth.ts";
import type { RoutePlugin } from "../deps.ts";
import type { CommandContext } from "../../commands/context.ts";
import type { AttemptLimiter } from "../../commands/attempt-limiter.ts";

/** Sign-in needs the commands and the wrong-PIN limiter. */
export interface AuthRouteOptions {
  ctx: CommandContext;
  loginLimiter: AttemptLimiter;
}

export const authRoutes: RoutePlugin<AuthRouteOptions> = (app, deps, done) => {
  app.post(
    "/api/auth/login",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Sign in with a staff PIN",
        security: [],
        body: LoginBody,
        response: { 200: TokenResponse, 401: ErrorBody, 429: ErrorBody },
      },
    },
    (request) => login(deps.ctx, deps.loginLimiter, request.body.pin, request.ip),
  );
  app.post(
    "/api/auth/logout",
    {
      config: { access: "authenticated" },
      schema: { tags: ["auth"], summary: "Revoke the token of this request", response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.bearerToken) logout(deps.ctx, request.bearerToken);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/api/auth/me",
    {
      config: { access: "authenticated" },
      schema: { tags: ["auth"], summary: "Who this token belongs to", response: { 200: Principal } },
    },
    (request) => principalOf(request),
  );
  done();
};
