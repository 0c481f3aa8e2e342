/** Orders: place, read, progress, queue. */
import { Type } from "typebox";
import {
  bulkProgress,
  changeStatus,
  dayOrders,
  getOrderDetail,
  myOrders,
  placeOrder,
  queue,
} from "../../commands/orders.ts";
import { headSeq } from "../../journal/events.ts";
import { ErrorBody, Uuid } from "../../../protocol/schemas/common.ts";
import { setMark } from "../../commands/kitchen-marks.ts";
import { paymentsSummary, recordPayment } from "../../commands/payments.ts";
import {
  BulkProgressBody,
  MarkBody,
  PaymentBody,
  PaymentView,
  PaymentsSummary,
  BulkProgressResponse,
  MyOrdersResponse,
  OrderDetail,
  OrderView,
  OrdersOfDayQuery,
  OrdersOfDayResponse,
  PlaceOrderBody,
  QueueQuery,
  QueueResponse,
  StatusPatch,
} from "../../../protocol/schemas/orders.ts";
import { principalOf } from "../auth.ts";
import { IdempotencyHeaders, idempotencyKeyOf, sendIdempotent } from "../idempotency.ts";
import type { RoutePlugin } from "../deps.ts";
import type { CommandContext } from "../../commands/context.ts";
import { AppError } from "../../lib/errors.ts";

const OrderParams = Type.Object({ id: Uuid });

export const orderRoutes: RoutePlugin<{ ctx: CommandContext }> = (app, deps, done) => {
  const { ctx } = deps;
  app.post(
    "/api/orders",
    {
      config: { access: ["orders:place"] },
      schema: {
        tags: ["orders"],
        summary:
          "Place an order from items or from the caller's cart. Prices come from the menu; a retry with the same Idempotency-Key returns the stored order.",
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: { 201: OrderView, 400: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) =>
      sendIdempotent(reply, placeOrder(ctx, principalOf(request), request.body, idempotencyKeyOf(request.headers))),
  );
  app.get(
    "/api/orders/queue",
    {
      config: { access: ["queue:read", "board:read"] },
      schema: {
        tags: ["orders"],
        summary: "Open orders, oldest first; ?station= for one kitchen station",
        querystring: QueueQuery,
        response: { 200: QueueResponse },
      },
    },
    (request) => {
      const seq = headSeq(ctx.journal);
      return {
        seq,
        orders: queue(ctx, {
          ...(request.query.station ? { station: request.query.station } : {}),
          ...(request.query.status ? { statuses: request.query.status } : {}),
        }),
      };
    },
  );
  app.get(
    "/api/orders",
    {
      config: { access: ["orders:read"] },
      schema: {
        tags: ["orders"],
        summary: "A business day's orders (default today), newest first; q = number, reference or pickup name",
        querystring: OrdersOfDayQuery,
        response: { 200: OrdersOfDayResponse },
      },
    },
    (request) => dayOrders(ctx, request.query),
  );
  app.get(
    "/api/orders/mine",
    {
      config: { access: ["orders:read_own"] },
      schema: {
        tags: ["orders"],
        summary: "Orders placed with this token, newest first",
        response: { 200: MyOrdersResponse },
      },
    },
    (request) => ({ orders: myOrders(ctx, principalOf(request)) }),
  );
  app.post(
    "/api/orders/bulk-progress",
    {
      config: { access: ["orders:read", "orders:read_own"] },
      schema: {
        tags: ["orders"],
        summary: "Status of the given orders",
        body: BulkProgressBody,
        response: { 200: BulkProgressResponse },
      },
    },
    (request) => bulkProgress(ctx, principalOf(request), request.body.ids),
  );
  app.get(
    "/api/orders/:id",
    {
      config: { access: ["orders:read", "orders:read_own"] },
      schema: {
        tags: ["orders"],
        summary: "One order with its status history",
        params: OrderParams,
        response: { 200: OrderDetail, 404: ErrorBody },
      },
    },
    (request) => getOrderDetail(ctx, principalOf(request), request.params.id),
  );
  app.post(
    "/api/orders/:id/marks",
    {
      config: { access: ["orders:progress"] },
      schema: {
        tags: ["orders"],
        summary:
          "Mark one item of a kitchen ticket done or not done (a line id, or lineId/slotId for a combo component)",
        params: OrderParams,
        body: MarkBody,
        response: { 200: OrderView, 404: ErrorBody, 409: ErrorBody },
      },
    },
    (request) => setMark(ctx, principalOf(request), request.params.id, request.body.mark, request.body.done).body,
  );
  app.post(
    "/api/orders/:id/payments",
    {
      config: { access: ["payments:take"] },
      schema: {
        tags: ["payments"],
        summary:
          "Record a payment (cash, a standalone card terminal's reference, external) or charge a provider token (mobile, card_online); retries with the same id or Idempotency-Key return the stored payment",
        params: OrderParams,
        headers: IdempotencyHeaders,
        body: PaymentBody,
        response: {
          201: PaymentView,
          402: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
          502: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const key = idempotencyKeyOf(request.headers);
      if (body.method !== "mobile" && body.method !== "card_online")
        return sendIdempotent(reply, recordPayment(ctx, principalOf(request), request.params.id, body, key));
      // A provider token is charged through the provider's API by the payments feature.
      if (!ctx.tokenPayments)
        throw new AppError("provider_not_configured", "no payment provider is set up on this board");
      const charged = await ctx.tokenPayments.charge(principalOf(request), request.params.id, body, key);
      return sendIdempotent(reply, { ...charged, events: [] });
    },
  );
  app.get(
    "/api/orders/:id/payments",
    {
      config: { access: ["orders:read", "orders:read_own"] },
      schema: {
        tags: ["payments"],
        summary: "Payments of an order and what is still due",
        params: OrderParams,
        response: { 200: PaymentsSummary, 404: ErrorBody },
      },
    },
    (request) => paymentsSummary(ctx, principalOf(request), request.params.id),
  );
  app.patch(
    "/api/orders/:id/status",
    {
      config: { access: ["orders:progress", "orders:cancel", "orders:refund"] },
      schema: {
        tags: ["orders"],
        summary: "Move an order to another state; 409 illegal_transition names the allowed next states",
        params: OrderParams,
        body: StatusPatch,
        response: { 200: OrderView, 404: ErrorBody, 409: ErrorBody },
      },
    },
    (request) =>
      changeStatus(ctx, principalOf(request), request.params.id, request.body.status, request.body.reason).body,
  );
  done();
};
