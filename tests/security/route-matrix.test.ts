/**
 * Every route × every caller, generated from the OpenAPI document: each operation must declare who
 * may call it (`x-galley-access`, from the same `config.access` the guard enforces), so a new route
 * without a declared role fails here. The expected table below is written out on purpose (not
 * derived from the server), so a change of policy shows up as a failing test; and each row is
 * called for real by ten callers: nobody, the four screens, a cook, a cashier, a technician,
 * a manager and an admin.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { ROLE_PERMISSIONS, type Permission } from "../../protocol/core/permissions.ts";
import { ROLES, type Role } from "../../protocol/schemas/common.ts";

const ALL = "any signed-in role";
type Expected = readonly Role[] | "public" | typeof ALL;

const STAFF_FLOOR: Role[] = ["cashier", "manager", "admin"];
const SYNC_STAFF: Role[] = ["manager", "technician", "admin"];
const EXPECTED: Record<string, Expected> = {
  "POST /api/auth/login": "public",
  "GET /api/auth/me": ALL,
  "POST /api/screens/pairing-codes": ["technician", "admin"],
  "POST /api/screens/pair": "public",
  "POST /api/screens/dev-pair": "public",
  "GET /api/screens": ["manager", "technician", "admin"],
  "POST /api/screens/:id/revoke": ["manager", "technician", "admin"],
  "POST /api/devices/pairing-codes": ["technician", "admin"],
  "POST /api/devices/pair": "public",
  "POST /api/devices/dev-pair": "public",
  "GET /api/devices": ["manager", "technician", "admin"],
  "POST /api/devices/:id/revoke": ["manager", "technician", "admin"],
  "GET /api/users": ["manager", "admin"],
  "POST /api/users": ["manager", "admin"],
  "PATCH /api/users/:id": ["manager", "admin"],
  "GET /api/menu": ["kiosk", "kitchen", "counter", "cashier", "manager", "technician", "admin"],
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
  "GET /api/orders/queue": ["kitchen", "board", "counter", ...STAFF_FLOOR, "technician"],
  "GET /api/orders": ["kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/orders/mine": ["kiosk", ...STAFF_FLOOR],
  "POST /api/orders/bulk-progress": ["kiosk", "kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/orders/:id": ["kiosk", "kitchen", ...STAFF_FLOOR, "technician"],
  "PATCH /api/orders/:id/status": ["kitchen", ...STAFF_FLOOR],
  "POST /api/orders/:id/marks": ["kitchen", ...STAFF_FLOOR],
  "POST /api/orders/:id/payments": STAFF_FLOOR,
  "GET /api/orders/:id/payments": ["kiosk", "kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/payments/options": ALL,
  "POST /api/checkouts": ["kiosk", ...STAFF_FLOOR],
  "GET /api/checkouts/current": ["kiosk", ...STAFF_FLOOR],
  "GET /api/checkouts/:id": ["kiosk", ...STAFF_FLOOR],
  "POST /api/checkouts/:id/cancel": ["kiosk", ...STAFF_FLOOR],
  "POST /api/payments/:id/refund": ["manager", "admin"],
  "GET /api/payments/recent": ["kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/payments/terminals": ["kitchen", ...STAFF_FLOOR, "technician"],
  "POST /api/payments/terminals/:id/status": ["kitchen", ...STAFF_FLOOR, "technician"],
  "PUT /api/payments/terminals/:id/credentials": ["manager", "technician", "admin"],
  "POST /api/payments/terminals/:id/test": ["manager", "technician", "admin"],
  "POST /api/payments/terminals/:id/end-of-day": ["manager", "technician", "admin"],
  "GET /api/payments/closings": ["manager", "technician", "admin"],
  "PUT /api/payments/providers/:name/credentials": SYNC_STAFF,
  // The store's cash and its people's hours (appliance/cash, appliance/attendance).
  "POST /api/cash/open": STAFF_FLOOR,
  "POST /api/cash/move": STAFF_FLOOR,
  "POST /api/cash/close": STAFF_FLOOR,
  "POST /api/cash/report": STAFF_FLOOR,
  "GET /api/cash/session": STAFF_FLOOR,
  "GET /api/cash/sessions": STAFF_FLOOR,
  "GET /api/cash/reports/:id": STAFF_FLOOR,
  "POST /api/attendance/clock": ["kitchen", "counter", ...STAFF_FLOOR, "technician"],
  "GET /api/attendance": ["kitchen", "counter", ...STAFF_FLOOR, "technician"],
  "POST /api/attendance/corrections": ["manager", "admin"],
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
  "GET /api/print-jobs/:id/preview": ["kitchen", ...STAFF_FLOOR, "technician"],
  "POST /api/print-jobs/:id/cancel": ["kitchen", ...STAFF_FLOOR, "technician"],
  "POST /api/print-jobs/:id/reprint": ["kitchen", ...STAFF_FLOOR, "technician"],
  "GET /api/diagnostics/receipt": ["manager", "technician", "admin"],
  "POST /api/diagnostics/receipt": ["manager", "technician", "admin"],
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

type Access = "public" | "authenticated" | readonly Permission[];
type OpenApi = { paths: Record<string, Record<string, { "x-galley-access"?: Access }>> };

let t: TestApp;
/** Ten callers: the eight roles, plus the kitchen role both as a screen (device) and as a cook (user). */
const callers = new Map<string, { role: Role; token: string }>();
let operations: Map<string, Access | undefined>;

before(async () => {
  t = await startTestApp();
  for (const role of ROLES)
    callers.set(role === "kitchen" ? "kitchen screen" : role, { role, token: await t.tokenFor(role) });
  const cook = await t.api<{ pin: string }>("POST", "/api/users", {
    token: t.adminToken,
    body: { name: "Cook", role: "kitchen" },
  });
  const session = await t.api<{ token: string }>("POST", "/api/auth/login", { body: { pin: cook.body.pin } });
  callers.set("cook", { role: "kitchen", token: session.body.token });
  const doc = (await t.api<OpenApi>("GET", "/api/openapi.json")).body;
  operations = new Map();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods))
      operations.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`, operation["x-galley-access"]);
  }
});
after(() => t.stop());

function rolesOf(access: Access): readonly Role[] | "public" | typeof ALL {
  if (access === "public") return "public";
  if (access === "authenticated") return ALL;
  return ROLES.filter((role) => access.some((p) => ROLE_PERMISSIONS[role].includes(p)));
}

function concrete(url: string): string {
  return url
    .replace(":itemId", "burger")
    .replace(":name", "x.svg")
    .replace(/:[a-zA-Z]+/g, () => randomUUID());
}

describe("route × role, from the OpenAPI document", () => {
  it("documents every API route the server has, each with who may call it", () => {
    const served = t.app.http.routeTable
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => r !== "GET /api/openapi.json")
      .sort();
    assert.deepEqual([...operations.keys()].sort(), served, "every route is in the OpenAPI document");
    const undeclared = [...operations].filter(([, access]) => access === undefined).map(([route]) => route);
    assert.deepEqual(undeclared, [], "operations without x-galley-access");
  });

  it("lets in exactly the roles the policy table names, and the table covers every route", () => {
    assert.deepEqual([...operations.keys(), "GET /api/openapi.json"].sort(), Object.keys(EXPECTED).sort());
    for (const [route, access] of operations) {
      if (access === undefined) continue;
      const expected = EXPECTED[route];
      const actual = rolesOf(access);
      assert.deepEqual(
        typeof actual === "string" ? actual : [...actual].sort(),
        typeof expected === "string" ? expected : [...(expected ?? [])].sort(),
        route,
      );
    }
  });

  for (const [route, expected] of Object.entries(EXPECTED)) {
    const [method = "GET", url = "/"] = route.split(" ");
    it(`${route}: ${typeof expected === "string" ? expected : expected.join(", ")}`, async () => {
      const path = concrete(url);
      const send = (token: string | undefined) =>
        t.api(method, path, { token, ...(method === "GET" || method === "DELETE" ? {} : { body: {} }) });
      const anonymous = await send(undefined);
      if (expected === "public") {
        assert.notEqual(anonymous.status, 401, `${route} is public`);
        assert.notEqual(anonymous.status, 403, `${route} is public`);
        return;
      }
      assert.equal(anonymous.status, 401, `${route} without a token`);
      for (const [caller, { role, token }] of callers) {
        const res = await send(token);
        const allowed = expected === ALL || expected.includes(role);
        const refusal = res.status === 403 ? "forbidden" : res.status === 401 ? "unauthenticated" : undefined;
        if (allowed)
          assert.equal(
            refusal,
            undefined,
            `${caller} must be allowed ${route}, got ${res.status} ${JSON.stringify(res.body)}`,
          );
        else {
          assert.equal(
            res.status,
            403,
            `${caller} must be refused ${route}, got ${res.status} ${JSON.stringify(res.body)}`,
          );
          assert.equal((res.body as { error: { code: string } }).error.code, "forbidden");
        }
      }
    });
  }
});
