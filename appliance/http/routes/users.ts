/** Staff accounts: create, rename, change PIN, deactivate. */
import { Type } from "typebox";
import { changeUser, createUser, users } from "../../commands/auth.ts";
import { CreateUserBody, UpdateUserBody, UserView } from "../../protocol/auth.ts";
import { ErrorBody, Uuid } from "../../protocol/common.ts";
import { principalOf } from "../auth.ts";
import type { GalleyFastify, HttpDeps } from "../server.ts";

export function userRoutes(app: GalleyFastify, deps: HttpDeps): void {
  app.get(
    "/api/users",
    { config: { access: ["users:manage"] }, schema: { tags: ["users"], summary: "Staff accounts", response: { 200: Type.Object({ users: Type.Array(UserView) }) } } },
    () => ({ users: users(deps.ctx) }),
  );
  app.post(
    "/api/users",
    { config: { access: ["users:manage"] }, schema: { tags: ["users"], summary: "Create a staff account", body: CreateUserBody, response: { 201: UserView, 409: ErrorBody } } },
    async (request, reply) => {
      const { user, events } = await createUser(deps.ctx, principalOf(request), request.body);
      deps.announce(events);
      return reply.code(201).send(user);
    },
  );
  app.patch(
    "/api/users/:id",
    {
      config: { access: ["users:manage"] },
      schema: { tags: ["users"], summary: "Rename, change PIN, deactivate or reactivate", params: Type.Object({ id: Uuid }), body: UpdateUserBody, response: { 200: UserView, 404: ErrorBody } },
    },
    async (request) => {
      const { user, events } = await changeUser(deps.ctx, principalOf(request), request.params.id, request.body);
      deps.announce(events);
      return user;
    },
  );
}
