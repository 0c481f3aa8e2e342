/**
 * Every route × every role: allowed or refused. The expected table is written out here on
 * purpose (not derived from the server), so a change of policy shows up as a failing test.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { ROLES, type Role } from "../../appliance/protocol/common.ts";

const ALL = "any signed-in role";
type Expected = readonly Role[] | "public" | typeof ALL;

const STAFF_FLOOR: Role[] = ["cashier", "manager", "admin"];
const SYNC_STAFF: Role[] = ["manager", "technician", "admin"];
const EXPECTED: Record<string, Expected> = {
  "POST /api/auth/login": "public",
  "GET /api/auth/me": ALL,
  "POST /api/devices/pairing-codes": ["technician", "admin"],
  "POST /api/devices/pair": "public",
  "POST /api/devices/dev-pair": "public",
  "GET /api/devices": ["manager", "technician", "admin"],
  "POST /api/devices/:id/revoke": ["manager", "technician", "admin"],
  "GET /api/users": ["manager", "admin"],
  "POST /api/users": ["manager", "admin"],
  "PATCH /api/users/:id": ["manager", "admin"],
  "GET /api/menu": ["kiosk", "kitchen", "cashier", "manager", "technician", "admin"],
  "GET /api/menu/export": ["manager", "admin"],
  "PUT /api/menu": ["manager", "admin"],
  "PUT /api/menu/availability": ["kitchen", ...STAFF_FLOOR],
  "PUT /api/stock/:itemId": ["manager", "admin"],
  "PUT /api/menu/pictures/:name": ["manager", "admin"],
  "POST /api/sessions": ["kiosk", ...STAFF_FLOOR],
  "GET /api/sessions/current": ["kiosk", ...STAFF_FLOOR],
  "GET /api/sessions/:id": ["kiosk", ...STAFF_FLOOR],
  "POST /api/sessions/:id/lines": ["kiosk", ...STAFF_FLOOR],
  "PATCH /api/sessions/:id/lines/:lineId": ["kiosk", ...STAFF_FLOOR],
  "DELETE /api/sessions/:id/lines/:lineId": ["kiosk", ...STAFF_FLOOR],
  "POST /api/sessions/:id/abandon": ["kiosk", ...STAFF_FLOOR],
  "POST /api/sessions/:id/commit": ["kiosk", ...STAFF_FLOOR],
  "POST /api/orders": ["kiosk", ...STAFF_FLOOR],
  "GET /api/orders/queue": ["kitchen", "board", ...STAFF_FLOOR, "technician"],
  "GET /api/orders/mine": ["kiosk", ...STAFF_FLOOR],
  "POST /api/orders/bulk-progress": ["kiosk", "kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/orders/:id": ["kiosk", "kitchen", ...STAFF_FLOOR, "technician"],
  "PATCH /api/orders/:id/status": ["kitchen", ...STAFF_FLOOR],
  "POST /api/orders/:id/marks": ["kitchen", ...STAFF_FLOOR],
  "POST /api/orders/:id/payments": STAFF_FLOOR,
  "GET /api/orders/:id/payments": ["kiosk", "kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/diagnostics/ping": "public",
  "GET /api/diagnostics/journal": ["manager", "technician", "admin"],
  "GET /api/diagnostics/doctor": ["manager", "technician", "admin"],
  "GET /api/diagnostics/screens": ["manager", "technician", "admin"],
  "POST /api/diagnostics/heartbeat": ALL,
  "GET /api/diagnostics/logs": ["manager", "technician", "admin"],
  "GET /api/diagnostics/support-bundle": ["manager", "technician", "admin"],
  "GET /api/openapi.json": "public",
  // Printers, drawer, pole display and the print spooler (appliance/devices).
  "GET /api/devices/status": ["kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/devices/history": ["manager", "technician", "admin"],
  "POST /api/devices/display": [...STAFF_FLOOR, "technician"],
  "GET /api/print-jobs": ["kitchen", ...STAFF_FLOOR, "technician"],
  "POST /api/print-jobs/:id/cancel": ["kitchen", ...STAFF_FLOOR, "technician"],
  "POST /api/print-jobs/:id/reprint": ["kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/diagnostics/receipt": ["manager", "technician", "admin"],
  "POST /api/diagnostics/cash-drawer": ["manager", "technician", "admin"],
  "POST /api/diagnostics/display": ["manager", "technician", "admin"],
  // Upstream sync, order backups, journal backups (appliance/sync): managers, technicians, admins.
  "GET /api/integrations": SYNC_STAFF,
  "GET /api/integrations/:target": SYNC_STAFF,
  "POST /api/integrations/:target/connect": SYNC_STAFF,
  "POST /api/integrations/:target/disconnect": SYNC_STAFF,
  "PATCH /api/integrations/:target": SYNC_STAFF,
  "POST /api/integrations/:target/sync/:orderId": SYNC_STAFF,
  "GET /api/integrations/:target/history": SYNC_STAFF,
  "GET /api/integrations/:target/stats": SYNC_STAFF,
  "GET /api/sync/status": SYNC_STAFF,
  "POST /api/sync/now": SYNC_STAFF,
  "POST /api/sync/items/:id/requeue": SYNC_STAFF,
  "GET /api/sync/notifications": SYNC_STAFF,
  "POST /api/sync/notifications/:id/clear": SYNC_STAFF,
  "GET /api/sync/jobs": SYNC_STAFF,
  "POST /api/sync/jobs/:name/run": SYNC_STAFF,
  "GET /api/backups/orders": SYNC_STAFF,
  "GET /api/backups/orders/stats": SYNC_STAFF,
  "POST /api/backups/orders/verify": SYNC_STAFF,
  "POST /api/backups/orders/import/preview": SYNC_STAFF,
  "POST /api/backups/orders/import": SYNC_STAFF,
  "POST /api/backups/orders/cleanup/preview": SYNC_STAFF,
  "POST /api/backups/orders/cleanup": SYNC_STAFF,
  "POST /api/backups/orders/reconcile": SYNC_STAFF,
  "GET /api/backups/orders/reconciliations": SYNC_STAFF,
  "GET /api/backups/journal": SYNC_STAFF,
  "POST /api/backups/journal": SYNC_STAFF,
  "POST /api/backups/journal/retention": SYNC_STAFF,
  // Last: logging out revokes the token the other checks use.
  "POST /api/auth/logout": ALL,
};

let t: TestApp;
const tokens = new Map<Role, string>();

before(async () => {
  t = await startTestApp();
  for (const role of ROLES) tokens.set(role, await t.tokenFor(role));
});
after(() => t.stop());

function concrete(url: string): string {
  return url.replace(":itemId", "burger").replace(":name", "x.svg").replace(/:[a-zA-Z]+/g, () => randomUUID());
}

describe("route × role", () => {
  it("covers every API route the server has, and nothing the server lacks", () => {
    const actual = t.app.http.routeTable.map((r) => `${r.method} ${r.url}`).sort();
    assert.deepEqual(actual, Object.keys(EXPECTED).sort());
  });

  for (const [route, expected] of Object.entries(EXPECTED)) {
    const [method = "GET", url = "/"] = route.split(" ");
    it(`${route}: ${typeof expected === "string" ? expected : expected.join(", ")}`, async () => {
      const path = concrete(url);
      const send = (token: string | undefined) => t.api(method, path, { token, ...(method === "GET" || method === "DELETE" ? {} : { body: {} }) });
      const anonymous = await send(undefined);
      if (expected === "public") {
        assert.notEqual(anonymous.status, 401, `${route} is public`);
        assert.notEqual(anonymous.status, 403, `${route} is public`);
        return;
      }
      assert.equal(anonymous.status, 401, `${route} without a token`);
      for (const role of ROLES) {
        const res = await send(tokens.get(role));
        const allowed = expected === ALL || expected.includes(role);
        const refusal = res.status === 403 ? "forbidden" : res.status === 401 ? "unauthenticated" : undefined;
        if (allowed) assert.equal(refusal, undefined, `${role} must be allowed ${route}, got ${res.status} ${JSON.stringify(res.body)}`);
        else {
          assert.equal(res.status, 403, `${role} must be refused ${route}, got ${res.status} ${JSON.stringify(res.body)}`);
          assert.equal((res.body as { error: { code: string } }).error.code, "forbidden");
        }
      }
    });
  }
});
