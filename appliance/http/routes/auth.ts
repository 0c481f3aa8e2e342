/** `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`. */
import { Type } from "typebox";
import { login, logout } from "../../commands/auth.ts";
import { LoginBody, Principal, TokenResponse } from "../../../protocol/schemas/auth.ts";
import { ErrorBody } from "../../../protocol/schemas/common.ts";
import { principalOf } from "../auth.ts";
import type { GalleyFastify, HttpDeps } from "../deps.ts";

export function authRoutes(app: GalleyFastify, deps: HttpDeps): void {
  app.post(
    "/api/auth/login",
    {
      config: { access: "public" },
      schema: { tags: ["auth"], summary: "Sign in with a staff PIN", security: [], body: LoginBody, response: { 200: TokenResponse, 401: ErrorBody, 429: ErrorBody } },
    },
    (request) => login(deps.ctx, deps.loginLimiter, request.body.pin, request.ip),
  );
  app.post(
    "/api/auth/logout",
    { config: { access: "authenticated" }, schema: { tags: ["auth"], summary: "Revoke the token of this request", response: { 204: Type.Null() } } },
    async (request, reply) => {
      if (request.bearerToken) logout(deps.ctx, request.bearerToken);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/api/auth/me",
    { config: { access: "authenticated" }, schema: { tags: ["auth"], summary: "Who this token belongs to", response: { 200: Principal } } },
    (request) => principalOf(request),
  );
}
