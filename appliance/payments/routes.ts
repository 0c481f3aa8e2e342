/**
 * The payments feature's HTTP API: checkouts on a card terminal (the kiosk, the counter),
 * refunds, the latest payments, and the terminals' status, credentials, test payment and end of
 * day. Taking a token from a provider's SDK goes through `POST /api/orders/:id/payments`.
 */
import { Type } from "typebox";
import { ErrorBody, Uuid } from "../../protocol/schemas/common.ts";
import { RefundBody, RefundView } from "../../protocol/schemas/orders.ts";
import {
  CheckoutBody,
  CheckoutQuery,
  CheckoutView,
  PaymentOptionsView,
  RecentPaymentsQuery,
  RecentPaymentsView,
  TerminalClosingView,
  TerminalClosingsView,
  TerminalCredentialsBody,
  TerminalTestView,
  TerminalView,
  TerminalsView,
} from "../../protocol/schemas/payments.ts";
import { principalOf } from "../http/auth.ts";
import type { RoutePlugin } from "../http/deps.ts";
import { IdempotencyHeaders, idempotencyKeyOf, sendIdempotent } from "../http/idempotency.ts";
import type { Payments } from "./service.ts";

const IdParams = Type.Object({ id: Uuid });
const TerminalParams = Type.Object({ id: Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,39}$" }) });

export const paymentRoutes: RoutePlugin<{ payments: Payments }> = (app, deps, done) => {
  const { payments } = deps;
  const tags = ["payments"];
  app.get(
    "/api/payments/options",
    {
      config: { access: "authenticated" },
      schema: {
        tags,
        summary: "What this screen may offer: a card terminal that serves it (and whether it is online), providers",
        response: { 200: PaymentOptionsView },
      },
    },
    (request) => payments.options(principalOf(request)),
  );
  app.post(
    "/api/checkouts",
    {
      config: { access: ["orders:place", "payments:take"] },
      schema: {
        tags,
        summary:
          "Pay on a card terminal: a new order (sessionId or items; committed only when the terminal approves) or what is due on an existing one",
        body: CheckoutBody,
        response: {
          200: CheckoutView,
          202: CheckoutView,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const started = payments.startCheckout(principalOf(request), request.body);
      return reply.code(started.statusCode).send(started.body);
    },
  );
  app.get(
    "/api/checkouts/current",
    {
      config: { access: ["orders:place", "payments:take"] },
      schema: {
        tags,
        summary: "The caller's checkout still running, if any (a kiosk that reloads mid-payment picks it up again)",
        response: { 200: CheckoutView, 404: ErrorBody },
      },
    },
    (request) => payments.currentCheckout(principalOf(request)),
  );
  app.get(
    "/api/checkouts/:id",
    {
      config: { access: ["orders:place", "payments:take"] },
      schema: {
        tags,
        summary: "A checkout; with ?after=<version> it answers once the checkout changed (long-poll, up to waitMs)",
        params: IdParams,
        querystring: CheckoutQuery,
        response: { 200: CheckoutView, 404: ErrorBody },
      },
    },
    (request) =>
      payments.checkout(principalOf(request), request.params.id, request.query.after, request.query.waitMs ?? 20_000),
  );
  app.post(
    "/api/checkouts/:id/cancel",
    {
      config: { access: ["orders:place", "payments:take"] },
      schema: {
        tags,
        summary: "Give up a checkout: a queued one ends at once, a presented one is aborted on the terminal",
        params: IdParams,
        response: { 200: CheckoutView, 404: ErrorBody },
      },
    },
    (request) => payments.cancelCheckout(principalOf(request), request.params.id),
  );
  app.post(
    "/api/payments/:id/refund",
    {
      config: { access: ["orders:refund"] },
      schema: {
        tags,
        summary:
          "Give money back on a payment, fully or in part (card: on its terminal or provider; cash: from the drawer); needs an Idempotency-Key",
        params: IdParams,
        headers: IdempotencyHeaders,
        body: RefundBody,
        response: {
          201: RefundView,
          400: ErrorBody,
          402: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) =>
      sendIdempotent(
        reply,
        await payments.refund(principalOf(request), request.params.id, request.body, idempotencyKeyOf(request.headers)),
      ),
  );
  app.get(
    "/api/payments/recent",
    {
      config: { access: ["orders:read"] },
      schema: {
        tags,
        summary: "The latest payments with their order's number and state and their refunds, newest first",
        querystring: RecentPaymentsQuery,
        response: { 200: RecentPaymentsView },
      },
    },
    (request) => payments.recentPayments(request.query.limit ?? 50, request.query.number),
  );
  app.get(
    "/api/payments/terminals",
    {
      config: { access: ["devices:read"] },
      schema: {
        tags,
        summary: "The configured card terminals and what each is doing",
        response: { 200: TerminalsView },
      },
    },
    () => ({ terminals: payments.terminals.views(true) }),
  );
  app.post(
    "/api/payments/terminals/:id/status",
    {
      config: { access: ["devices:read"] },
      schema: {
        tags,
        summary: "Ask the terminal its status now",
        params: TerminalParams,
        response: { 200: TerminalView, 409: ErrorBody },
      },
    },
    (request) => payments.terminals.refresh(request.params.id),
  );
  app.put(
    "/api/payments/terminals/:id/credentials",
    {
      config: { access: ["devices:manage"] },
      schema: {
        tags,
        summary: "Set the terminal's ZVT password or Adyen shared key (sealed with the board's key, never shown again)",
        params: TerminalParams,
        body: TerminalCredentialsBody,
        response: { 200: TerminalView, 400: ErrorBody, 409: ErrorBody },
      },
    },
    (request) => payments.terminals.setCredentials(request.params.id, request.body),
  );
  app.post(
    "/api/payments/terminals/:id/test",
    {
      config: { access: ["devices:operate"] },
      schema: {
        tags,
        summary: "Test payment: 0.01 on the terminal, reversed at once when approved",
        params: TerminalParams,
        response: { 200: TerminalTestView, 409: ErrorBody, 503: ErrorBody },
      },
    },
    (request) => payments.terminals.testPayment(request.params.id, principalOf(request).name),
  );
  app.post(
    "/api/payments/terminals/:id/end-of-day",
    {
      config: { access: ["devices:operate", "orders:refund"] },
      schema: {
        tags,
        summary:
          "Close the terminal's day and compare its totals with the journal's card payments since the last close",
        params: TerminalParams,
        response: { 200: TerminalClosingView, 409: ErrorBody },
      },
    },
    (request) => payments.terminals.endOfDay(request.params.id),
  );
  app.put(
    "/api/payments/providers/:name/credentials",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary:
          "Set Square's access token or Stripe's secret key (sealed with the board's key, never shown again); the provider is used at once",
        params: Type.Object({ name: Type.Enum(["square", "stripe"]) }),
        body: Type.Object(
          { secret: Type.String({ minLength: 8, maxLength: 400, pattern: "^[\\x21-\\x7e]+$" }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ providers: Type.Array(Type.Enum(["square", "stripe"])) }), 409: ErrorBody },
      },
    },
    (request) => ({ providers: payments.providers.setSecret(request.params.name, request.body.secret) }),
  );
  app.get(
    "/api/payments/closings",
    {
      config: { access: ["devices:operate", "orders:refund"] },
      schema: {
        tags,
        summary: "The latest end-of-day closings: each terminal's totals against the journal's",
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 30 })) }),
        response: { 200: TerminalClosingsView },
      },
    },
    (request) => ({ closings: payments.terminals.closings(request.query.limit ?? 30) }),
  );
  done();
};
