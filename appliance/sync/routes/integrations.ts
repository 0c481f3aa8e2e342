/** Upstream integrations: connect, disconnect, settings, manual sync, history, stats. Tokens go in, never out. */
import { Type } from "typebox";
import { ErrorBody, Uuid } from "../../../protocol/schemas/common.ts";
import {
  ConnectBody,
  HistoryQuery,
  HistoryResponse,
  IntegrationStats,
  IntegrationView,
  ManualSyncResponse,
  SettingsPatch,
  TargetParams,
} from "../../../protocol/schemas/sync.ts";
import {
  connect,
  disconnect,
  historyOf,
  integrationStats,
  integrationView,
  listIntegrations,
  syncOrder,
  updateSettings,
} from "../integrations.ts";
import { principalOf } from "../../http/auth.ts";
import type { RoutePlugin } from "../../http/deps.ts";
import type { SyncRuntime } from "../runtime.ts";

export const integrationRoutes: RoutePlugin<{ rt: () => SyncRuntime }> = (app, deps, done) => {
  const { rt } = deps;
  const tags = ["integrations"];
  app.get(
    "/api/integrations",
    {
      config: { access: ["sync:read"] },
      schema: {
        tags,
        summary: "Every upstream target with its settings (never tokens), state and stats",
        response: { 200: Type.Object({ integrations: Type.Array(IntegrationView) }) },
      },
    },
    () => ({ integrations: listIntegrations(rt()) }),
  );
  app.get(
    "/api/integrations/:target",
    {
      config: { access: ["sync:read"] },
      schema: {
        tags,
        summary: "One target's settings (never tokens), state and stats",
        params: TargetParams,
        response: { 200: IntegrationView },
      },
    },
    (request) => integrationView(rt(), request.params.target),
  );
  app.post(
    "/api/integrations/:target/connect",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary:
          "Connect with tokens (sealed at rest with a key outside the journal) and settings; unblocks a blocked target",
        params: TargetParams,
        body: ConnectBody,
        response: { 200: IntegrationView, 409: ErrorBody, 422: ErrorBody },
      },
    },
    (request) => connect(rt(), request.params.target, request.body, principalOf(request)),
  );
  app.post(
    "/api/integrations/:target/disconnect",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary: "Disconnect: tokens deleted, automatic sync stops, history kept",
        params: TargetParams,
        response: { 200: IntegrationView, 409: ErrorBody },
      },
    },
    (request) => disconnect(rt(), request.params.target, principalOf(request)),
  );
  app.patch(
    "/api/integrations/:target",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary: "Change settings: auto-sync, location/organisation, item mapping",
        params: TargetParams,
        body: SettingsPatch,
        response: { 200: IntegrationView, 409: ErrorBody },
      },
    },
    (request) => updateSettings(rt(), request.params.target, request.body),
  );
  app.post(
    "/api/integrations/:target/sync/:orderId",
    {
      config: { access: ["sync:manage"] },
      schema: {
        tags,
        summary: "Sync one order now: a historical order gets queued, a failed one re-queued (same keys)",
        params: Type.Object({ target: TargetParams.properties.target, orderId: Uuid }),
        response: { 202: ManualSyncResponse, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const items = syncOrder(rt(), request.params.target, request.params.orderId, principalOf(request));
      return reply.code(202).send({ orderId: request.params.orderId, target: request.params.target, items });
    },
  );
  app.get(
    "/api/integrations/:target/history",
    {
      config: { access: ["sync:read"] },
      schema: {
        tags,
        summary: "Sync history, newest first; ?status=pending|success|failed|retry (or an outbox state)",
        params: TargetParams,
        querystring: HistoryQuery,
        response: { 200: HistoryResponse },
      },
    },
    (request) => {
      const { limit, offset, status } = request.query;
      return { ...historyOf(rt(), request.params.target, status, limit, offset), limit, offset };
    },
  );
  app.get(
    "/api/integrations/:target/stats",
    {
      config: { access: ["sync:read"] },
      schema: {
        tags,
        summary: "Totals: syncs, successful, failed, pending retries, success rate",
        params: TargetParams,
        response: { 200: Type.Object({ stats: IntegrationStats }) },
      },
    },
    (request) => ({ stats: integrationStats(rt(), request.params.target) }),
  );
  done();
};
