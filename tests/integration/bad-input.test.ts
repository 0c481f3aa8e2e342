/** Bad input: each case is a 4xx with a stable code, and nothing is written to the journal. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { headSeq } from "../../appliance/journal/events.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let kiosk: string;
let kitchen: string;
let orderId: string;

before(async () => {
  t = await startTestApp({ config: { server: { host: "127.0.0.1", port: 0, bodyLimitBytes: 4_096 } } });
  kiosk = await t.tokenFor("kiosk");
  kitchen = await t.tokenFor("kitchen");
  orderId = (await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }])).body.id;
  await t.api("PATCH", `/api/orders/${orderId}/status`, { token: kitchen, body: { status: "in_progress" } });
});
after(() => t.stop());

const order = (items: unknown, extra: Record<string, unknown> = {}) => ({ id: randomUUID(), items, ...extra });

interface Case {
  name: string;
  method?: string;
  path?: string;
  token?: "kiosk" | "kitchen" | "none" | "expired";
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const CASES: Case[] = [
  { name: "malformed JSON", raw: '{"id": "x", "items": [', status: 400, code: "bad_request" },
  { name: "empty JSON body", raw: "", status: 400, code: "bad_request" },
  {
    name: "not JSON at all",
    raw: "items=1",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    code: "unsupported_media_type",
  },
  { name: "unknown item", body: order([{ menuItemId: "unicorn", quantity: 1 }]), status: 422, code: "unknown_item" },
  {
    name: "broken option rules (too many extras)",
    body: order([
      {
        menuItemId: "burger",
        quantity: 1,
        options: [
          { group: "doneness", option: "medium" },
          { group: "extras", option: "cheese" },
          { group: "extras", option: "bacon" },
          { group: "extras", option: "egg" },
        ],
      },
    ]),
    status: 422,
    code: "option_rules_violated",
  },
  {
    name: "missing required option",
    body: order([{ menuItemId: "burger", quantity: 1, options: [] }]),
    status: 422,
    code: "option_rules_violated",
  },
  {
    name: "unknown option",
    body: order([{ menuItemId: "burger", quantity: 1, options: [{ group: "doneness", option: "blue" }] }]),
    status: 422,
    code: "unknown_option",
  },
  {
    name: "quantity zero",
    body: order([{ menuItemId: "fries", quantity: 0 }]),
    status: 400,
    code: "validation_failed",
  },
  {
    name: "negative quantity",
    body: order([{ menuItemId: "fries", quantity: -3 }]),
    status: 400,
    code: "validation_failed",
  },
  {
    name: "fractional quantity",
    body: order([{ menuItemId: "fries", quantity: 1.5 }]),
    status: 400,
    code: "validation_failed",
  },
  {
    name: "quantity as a string",
    body: order([{ menuItemId: "fries", quantity: "2" }]),
    status: 400,
    code: "validation_failed",
  },
  {
    name: "absurd quantity (over the configured cap)",
    body: order([{ menuItemId: "fries", quantity: 500 }]),
    status: 422,
    code: "quantity_invalid",
  },
  { name: "no lines", body: order([]), status: 400, code: "validation_failed" },
  { name: "neither items nor session", body: { id: randomUUID() }, status: 400, code: "validation_failed" },
  {
    name: "order id not a UUID",
    body: { id: "42", items: [{ menuItemId: "fries", quantity: 1 }] },
    status: 400,
    code: "validation_failed",
  },
  {
    name: "unknown field",
    body: order([{ menuItemId: "fries", quantity: 1 }], { discount: 100 }),
    status: 400,
    code: "validation_failed",
  },
  {
    name: "customer id in the body (identity comes from the token only)",
    body: order([{ menuItemId: "fries", quantity: 1 }], { customerId: "someone-else" }),
    status: 400,
    code: "validation_failed",
  },
  {
    name: "oversized body",
    body: order([{ menuItemId: "fries", quantity: 1, note: "x".repeat(100) }], { note: "y".repeat(5_000) }),
    status: 413,
    code: "body_too_large",
  },
  {
    name: "kiosk claiming the counter channel",
    body: order([{ menuItemId: "fries", quantity: 1 }], { channel: "counter" }),
    status: 403,
    code: "forbidden",
  },
  {
    name: "no token",
    token: "none",
    body: order([{ menuItemId: "fries", quantity: 1 }]),
    status: 401,
    code: "unauthenticated",
  },
  {
    name: "made-up token",
    token: "expired",
    body: order([{ menuItemId: "fries", quantity: 1 }]),
    status: 401,
    code: "unauthenticated",
  },
  {
    name: "bad Idempotency-Key",
    body: order([{ menuItemId: "fries", quantity: 1 }]),
    headers: { "idempotency-key": "short" },
    status: 400,
    code: "validation_failed",
  },
  {
    name: "illegal transition",
    method: "PATCH",
    path: "status",
    token: "kitchen",
    body: { status: "pending" },
    status: 409,
    code: "illegal_transition",
  },
  {
    name: "unknown status",
    method: "PATCH",
    path: "status",
    token: "kitchen",
    body: { status: "eaten" },
    status: 400,
    code: "validation_failed",
  },
];

describe("bad input", () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.status} ${c.code}, nothing written`, async () => {
      const seqBefore = headSeq(t.app.ctx.journal);
      const token =
        c.token === "none"
          ? undefined
          : c.token === "expired"
            ? "gly_not-a-real-token"
            : c.token === "kitchen"
              ? kitchen
              : kiosk;
      const path = c.path === "status" ? `/api/orders/${orderId}/status` : "/api/orders";
      const res = await t.api<{ error: { code: string; message: string } }>(c.method ?? "POST", path, {
        token,
        ...(c.body !== undefined ? { body: c.body } : {}),
        ...(c.raw !== undefined ? { raw: c.raw } : {}),
        ...(c.headers ? { headers: c.headers } : {}),
      });
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, c.code);
      assert.ok(res.body.error.message.length > 0);
      assert.equal(headSeq(t.app.ctx.journal), seqBefore, "no event was written");
    });
  }
});
