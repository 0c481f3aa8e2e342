/** Staff accounts: create, rename, set or reset a PIN, deactivate. */
import { Type } from "typebox";
import { changeUser, createUser, users } from "../../commands/users.ts";
import { CreateUserBody, UpdateUserBody, UserView, UserWithPin } from "../../../protocol/schemas/auth.ts";
import { ErrorBody, Uuid } from "../../../protocol/schemas/common.ts";
import { principalOf } from "../auth.ts";
import type { RoutePlugin } from "../deps.ts";
import type { CommandContext } from "../../commands/context.ts";

export const userRoutes: RoutePlugin<{ ctx: CommandContext }> = (app, deps, done) => {
  app.get(
    "/api/users",
    {
      config: { access: ["users:manage"] },
      schema: {
        tags: ["users"],
        summary: "Staff accounts",
        response: { 200: Type.Object({ users: Type.Array(UserView) }) },
      },
    },
    () => ({ users: users(deps.ctx) }),
  );
  app.post(
    "/api/users",
    {
      config: { access: ["users:manage"] },
      schema: {
        tags: ["users"],
        summary: "Create a staff account; without pin the appliance chooses one and returns it once",
        body: CreateUserBody,
        response: { 201: UserWithPin, 409: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const { user, pin } = await createUser(deps.ctx, principalOf(request), request.body);
      return reply.code(201).send({ ...user, ...(pin ? { pin } : {}) });
    },
  );
  app.patch(
    "/api/users/:id",
    {
      config: { access: ["users:manage"] },
      schema: {
        tags: ["users"],
        summary:
          "Rename, set a chosen PIN or resetPin (the appliance chooses one, returned once), deactivate or reactivate",
        params: Type.Object({ id: Uuid }),
        body: UpdateUserBody,
        response: { 200: UserWithPin, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) => {
      const { user, pin } = await changeUser(deps.ctx, principalOf(request), request.params.id, request.body);
      return { ...user, ...(pin ? { pin } : {}) };
    },
  );
  done();
};
