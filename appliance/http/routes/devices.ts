/** Screen pairing and the list of paired screens. */
import { Type } from "typebox";
import { createPairingCode, devices, devPair, pairDevice, revokeDevice } from "../../commands/auth.ts";
import { AppError } from "../../lib/errors.ts";
import { isLoopback } from "../../lib/net.ts";
import { DevPairBody, DeviceView, PairBody, PairingCodeBody, PairingCodeResponse, TokenResponse } from "../../../protocol/schemas/auth.ts";
import { ErrorBody, Uuid } from "../../../protocol/schemas/common.ts";
import { principalOf } from "../auth.ts";
import type { GalleyFastify, HttpDeps } from "../deps.ts";


export function deviceRoutes(app: GalleyFastify, deps: HttpDeps): void {
  app.post(
    "/api/devices/pairing-codes",
    {
      config: { access: ["devices:pair"] },
      schema: { tags: ["devices"], summary: "Create a one-time code a screen types in to pair", body: PairingCodeBody, response: { 201: PairingCodeResponse } },
    },
    async (request, reply) => reply.code(201).send(createPairingCode(deps.ctx, principalOf(request), request.body.role, request.body.name)),
  );
  app.post(
    "/api/devices/pair",
    {
      config: { access: "public" },
      schema: { tags: ["devices"], summary: "Exchange a pairing code for a device token", security: [], body: PairBody, response: { 201: TokenResponse, 400: ErrorBody, 410: ErrorBody } },
    },
    async (request, reply) => {
      const { response, events } = pairDevice(deps.ctx, request.body.code);
      deps.announce(events);
      return reply.code(201).send(response);
    },
  );
  if (deps.ctx.config.mode === "development") {
    app.post(
      "/api/devices/dev-pair",
      {
        config: { access: "public" },
        schema: { tags: ["devices"], summary: "Development mode only: a screen on this machine pairs itself", security: [], body: DevPairBody, response: { 201: TokenResponse } },
      },
      async (request, reply) => {
        if (!isLoopback(request.socket.remoteAddress)) {
          throw new AppError("forbidden", "self-pairing is only for screens on this machine; use a pairing code");
        }
        const { response, events } = devPair(deps.ctx, request.body.role, request.body.name ?? `${request.body.role} (dev)`);
        deps.announce(events);
        return reply.code(201).send(response);
      },
    );
  }
  app.get(
    "/api/devices",
    { config: { access: ["devices:manage"] }, schema: { tags: ["devices"], summary: "Paired screens", response: { 200: Type.Object({ devices: Type.Array(DeviceView) }) } } },
    () => ({ devices: devices(deps.ctx) }),
  );
  app.post(
    "/api/devices/:id/revoke",
    {
      config: { access: ["devices:manage"] },
      schema: { tags: ["devices"], summary: "Unpair a screen: its token stops working at once", params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), 404: ErrorBody } },
    },
    async (request, reply) => {
      const { events } = revokeDevice(deps.ctx, principalOf(request), request.params.id);
      deps.announce(events);
      return reply.code(204).send(null);
    },
  );
}
