/**
 * Screen pairing and the list of paired screens, under /api/screens. "Device" means the hardware
 * galleyd drives (printers, drawer, display: device-status.ts); the screens' old /api/devices…
 * paths stay as aliases for one release: the same handlers with the same access, so a screen
 * built before the rename keeps pairing.
 */
import { Type, type Static } from "typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { createPairingCode, devices, devPair, pairDevice, revokeDevice } from "../../commands/auth.ts";
import type { CommandContext } from "../../commands/context.ts";
import { AppError } from "../../lib/errors.ts";
import { isLoopback } from "../../lib/net.ts";
import {
  DevPairBody,
  DeviceView,
  PairBody,
  PairingCodeBody,
  PairingCodeResponse,
  TokenResponse,
} from "../../../protocol/schemas/auth.ts";
import { ErrorBody, Uuid } from "../../../protocol/schemas/common.ts";
import { principalOf } from "../auth.ts";
import type { RoutePlugin } from "../deps.ts";

/** The current prefix first, then the alias kept for one release (documented as such in the README). */
const PREFIXES = [
  { base: "/api/screens", tags: ["screens"] },
  { base: "/api/devices", tags: ["devices"] },
] as const;

const IdParams = Type.Object({ id: Uuid });

export const pairedScreenRoutes: RoutePlugin<{ ctx: CommandContext }> = (app, deps, done) => {
  // One handler per operation, registered under both prefixes.
  const newPairingCode = async (
    request: FastifyRequest<{ Body: Static<typeof PairingCodeBody> }>,
    reply: FastifyReply,
  ) => reply.code(201).send(createPairingCode(deps.ctx, principalOf(request), request.body.role, request.body.name));
  const pair = async (request: FastifyRequest<{ Body: Static<typeof PairBody> }>, reply: FastifyReply) => {
    const { response } = pairDevice(deps.ctx, request.body.code);
    return reply.code(201).send(response);
  };
  const selfPair = async (request: FastifyRequest<{ Body: Static<typeof DevPairBody> }>, reply: FastifyReply) => {
    if (!isLoopback(request.socket.remoteAddress)) {
      throw new AppError("forbidden", "self-pairing is only for screens on this machine; use a pairing code");
    }
    const { response } = devPair(deps.ctx, request.body.role, request.body.name ?? `${request.body.role} (dev)`);
    return reply.code(201).send(response);
  };
  const list = () => ({ devices: devices(deps.ctx) });
  const unpair = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    revokeDevice(deps.ctx, principalOf(request), request.params.id);
    return reply.code(204).send(null);
  };

  for (const { base, tags } of PREFIXES) {
    app.post(
      `${base}/pairing-codes`,
      {
        config: { access: ["devices:pair"] },
        schema: {
          tags: [...tags],
          summary: "Create a one-time code a screen types in to pair",
          body: PairingCodeBody,
          response: { 201: PairingCodeResponse },
        },
      },
      newPairingCode,
    );
    app.post(
      `${base}/pair`,
      {
        config: { access: "public" },
        schema: {
          tags: [...tags],
          summary: "Exchange a pairing code for a device token",
          security: [],
          body: PairBody,
          response: { 201: TokenResponse, 400: ErrorBody, 410: ErrorBody },
        },
      },
      pair,
    );
    if (deps.ctx.config.mode === "development") {
      app.post(
        `${base}/dev-pair`,
        {
          config: { access: "public" },
          schema: {
            tags: [...tags],
            summary: "Development mode only: a screen on this machine pairs itself",
            security: [],
            body: DevPairBody,
            response: { 201: TokenResponse },
          },
        },
        selfPair,
      );
    }
    app.get(
      base,
      {
        config: { access: ["devices:manage"] },
        schema: {
          tags: [...tags],
          summary: "Paired screens",
          response: { 200: Type.Object({ devices: Type.Array(DeviceView) }) },
        },
      },
      list,
    );
    app.post(
      `${base}/:id/revoke`,
      {
        config: { access: ["devices:manage"] },
        schema: {
          tags: [...tags],
          summary: "Unpair a screen: its token stops working at once",
          params: IdParams,
          response: { 204: Type.Null(), 404: ErrorBody },
        },
      },
      unpair,
    );
  }
  done();
};
