/** Cart sessions under `/api/sessions`. */
import { Type } from "typebox";
import {
  abandonSession,
  addLine,
  changeLine,
  commitSession,
  currentSession,
  openSession,
  removeLine,
  viewSession,
} from "../../commands/sessions.ts";
import { ErrorBody, Uuid, type Channel } from "../../../protocol/schemas/common.ts";
import {
  CommitSessionBody,
  CreateSessionBody,
  LineInput,
  LinePatch,
  OrderView,
  SessionView,
} from "../../../protocol/schemas/orders.ts";
import { principalOf } from "../auth.ts";
import { IdempotencyHeaders, idempotencyKeyOf, sendIdempotent } from "../idempotency.ts";
import type { RoutePlugin } from "../deps.ts";
import type { CommandContext } from "../../commands/context.ts";

const SessionParams = Type.Object({ id: Uuid });
const LineParams = Type.Object({ id: Uuid, lineId: Uuid });

export const sessionRoutes: RoutePlugin<{ ctx: CommandContext }> = (app, deps, done) => {
  const { ctx } = deps;
  const cart = { access: ["cart:use"] } as const;
  app.post(
    "/api/sessions",
    {
      config: cart,
      schema: {
        tags: ["sessions"],
        summary: "Open a cart (or return the caller's open one)",
        body: Type.Optional(CreateSessionBody),
        response: { 200: SessionView, 201: SessionView },
      },
    },
    async (request, reply) => {
      const { created, session } = openSession(
        ctx,
        principalOf(request),
        (request.body as { channel?: Channel } | undefined)?.channel,
      );
      return reply.code(created ? 201 : 200).send(session);
    },
  );
  app.get(
    "/api/sessions/current",
    {
      config: cart,
      schema: { tags: ["sessions"], summary: "The caller's open cart", response: { 200: SessionView, 404: ErrorBody } },
    },
    (request) => currentSession(ctx, principalOf(request)),
  );
  app.get(
    "/api/sessions/:id",
    {
      config: cart,
      schema: {
        tags: ["sessions"],
        summary: "One of the caller's carts",
        params: SessionParams,
        response: { 200: SessionView, 404: ErrorBody },
      },
    },
    (request) => viewSession(ctx, principalOf(request), request.params.id),
  );
  app.post(
    "/api/sessions/:id/lines",
    {
      config: cart,
      schema: {
        tags: ["sessions"],
        summary: "Add a line (takes stock holds)",
        params: SessionParams,
        body: LineInput,
        response: { 201: SessionView, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(addLine(ctx, principalOf(request), request.params.id, request.body)),
  );
  app.patch(
    "/api/sessions/:id/lines/:lineId",
    {
      config: cart,
      schema: {
        tags: ["sessions"],
        summary: "Change a line's quantity, options or note",
        params: LineParams,
        body: LinePatch,
        response: { 200: SessionView },
      },
    },
    (request) => changeLine(ctx, principalOf(request), request.params.id, request.params.lineId, request.body),
  );
  app.delete(
    "/api/sessions/:id/lines/:lineId",
    {
      config: cart,
      schema: {
        tags: ["sessions"],
        summary: "Remove a line (releases its holds)",
        params: LineParams,
        response: { 200: SessionView },
      },
    },
    (request) => removeLine(ctx, principalOf(request), request.params.id, request.params.lineId),
  );
  app.post(
    "/api/sessions/:id/abandon",
    {
      config: cart,
      schema: {
        tags: ["sessions"],
        summary: "Abandon the cart (releases holds; kept for analytics)",
        params: SessionParams,
        response: { 200: SessionView },
      },
    },
    (request) => abandonSession(ctx, principalOf(request), request.params.id),
  );
  app.post(
    "/api/sessions/:id/commit",
    {
      config: { access: ["orders:place"] },
      schema: {
        tags: ["sessions"],
        summary: "Turn the cart into an order; retries with the same Idempotency-Key return the stored order",
        params: SessionParams,
        headers: IdempotencyHeaders,
        body: CommitSessionBody,
        response: { 201: OrderView, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      return sendIdempotent(
        reply,
        commitSession(ctx, principalOf(request), request.params.id, request.body, idempotencyKeyOf(request.headers)),
      );
    },
  );
  done();
};
