/** Diagnostics endpoints: ping, journal health. */
import { JournalHealth, Ping, type DiagnosticsInfo } from "../../../protocol/schemas/diagnostics.ts";
import type { RoutePlugin } from "../deps.ts";

export const diagnosticsRoutes: RoutePlugin<{ diagnostics(): DiagnosticsInfo }> = (app, deps, done) => {
  app.get(
    "/api/diagnostics/ping",
    {
      config: { access: "public" },
      schema: {
        tags: ["diagnostics"],
        summary: "Liveness: answers once the journal is open",
        security: [],
        response: { 200: Ping },
      },
    },
    () => {
      const { journal: _journal, ...ping } = deps.diagnostics();
      return ping;
    },
  );
  app.get(
    "/api/diagnostics/journal",
    {
      config: { access: ["diagnostics:read"] },
      schema: {
        tags: ["diagnostics"],
        summary: "Journal health: size, seq, durability settings, integrity check",
        response: { 200: JournalHealth },
      },
    },
    () => deps.diagnostics().journal(),
  );
  done();
};
