/** Diagnostics endpoints (seeds/001): ping, journal health. */
import { Type, type Static } from "typebox";
import type { GalleyFastify, HttpDeps } from "../server.ts";

export const Ping = Type.Object({
  ok: Type.Literal(true),
  service: Type.Literal("galleyd"),
  version: Type.String(),
  mode: Type.String(),
  uptimeSeconds: Type.Number(),
  seq: Type.Integer(),
  instanceId: Type.String(),
  time: Type.String({ format: "date-time" }),
});

export const JournalHealth = Type.Object({
  path: Type.String(),
  schemaVersion: Type.Integer(),
  seq: Type.Integer(),
  orders: Type.Integer(),
  sizeBytes: Type.Integer(),
  journalMode: Type.String(),
  synchronous: Type.String(),
  integrity: Type.Array(Type.String()),
});

export type DiagnosticsInfo = Static<typeof Ping> & { journal: () => Static<typeof JournalHealth> };

export function diagnosticsRoutes(app: GalleyFastify, deps: HttpDeps): void {
  app.get(
    "/api/diagnostics/ping",
    { config: { access: "public" }, schema: { tags: ["diagnostics"], summary: "Liveness: answers once the journal is open", security: [], response: { 200: Ping } } },
    () => {
      const { journal: _journal, ...ping } = deps.diagnostics();
      return ping;
    },
  );
  app.get(
    "/api/diagnostics/journal",
    { config: { access: ["diagnostics:read"] }, schema: { tags: ["diagnostics"], summary: "Journal health: size, seq, durability settings, integrity check", response: { 200: JournalHealth } } },
    () => deps.diagnostics().journal(),
  );
}
