/**
 * Starts the real galleyd (createApp) with sync pointed at fakes on 127.0.0.1, short retry
 * timings, a temporary journal, and helpers to place orders fast and wait — always bounded.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { createApp, type App } from "../../../appliance/app.ts";
import { devPair } from "../../../appliance/commands/auth.ts";
import { placeOrder } from "../../../appliance/commands/orders.ts";
import { recordPayment } from "../../../appliance/commands/payments.ts";
import { testConfig } from "../../../appliance/config/load.ts";
import type { Clock } from "../../../appliance/lib/clock.ts";
import { silentLogger } from "../../../appliance/lib/logger.ts";
import type { Principal } from "../../../protocol/schemas/auth.ts";
import type { OrderView, PaymentBody } from "../../../protocol/schemas/orders.ts";
import type { SyncOverrides } from "../../../appliance/sync/service.ts";
import type { SyncRuntime } from "../../../appliance/sync/runtime.ts";
import { smallMenu } from "../../fixtures/small-menu.ts";
import { waitFor as poll } from "../../helpers/wait.ts";

export const ADMIN_PIN = "4711";

export interface SyncApp {
  app: App;
  url: string;
  dataDir: string;
  rt: () => SyncRuntime;
  adminToken: string;
  kiosk: Principal;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the body shape it expects
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  /** Places `n` orders through the command (as the HTTP route does, announcing after commit). */
  place(n?: number, items?: unknown[]): OrderView[];
  pay(orderId: string, body: Omit<PaymentBody, "id">): void;
  /** Signs in again (a ManualClock moved past the staff token's lifetime). */
  relogin(): Promise<void>;
  stop(): Promise<void>;
}

export interface SyncAppOptions {
  config?: Record<string, unknown>;
  sync?: Record<string, unknown>;
  clock?: Clock;
  overrides?: SyncOverrides;
  dataDir?: string;
}

/** Fast, bounded timings for tests; everything else default. */
export function testSyncConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { retry, central, square, zoho, verification, orderBackups, ...rest } = extra as Record<
    string,
    Record<string, unknown> | undefined
  >;
  return {
    retry: { baseMs: 20, capMs: 200, tickMs: 40, offlineProbeMs: 20, leaseSeconds: 5, ...retry },
    central: { storeId: "store-1", timeoutMs: 1_000, ...central },
    square: { clientId: "sq-app", timeoutMs: 1_000, ...square },
    zoho: { clientId: "zoho-app", timeoutMs: 1_000, ...zoho },
    verification: { everyMinutes: 0, ...verification },
    orderBackups: { ...orderBackups },
    ...rest,
  };
}

export async function startSyncApp(options: SyncAppOptions = {}): Promise<SyncApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "galley-sync-"));
  const seed = join(dataDir, "menu-seed.json");
  writeFileSync(seed, JSON.stringify(smallMenu()));
  const config = testConfig({
    dataDir,
    server: { host: "127.0.0.1", port: 0 },
    menu: { seed },
    log: { level: "silent" },
    store: { timezone: "Europe/Berlin" },
    sync: testSyncConfig(options.sync),
    backups: { everyHours: 0, clockSync: "synced" },
    // No simulated printers: these tests are about sync, not about printing every order's ticket.
    devices: { printers: [], requireKitchenRoute: false },
    // Cash without a shift, unless a test is about shifts (the product's default is "required").
    cash: { shifts: "off" },
    ...options.config,
  });
  const app = createApp({
    config,
    log: silentLogger(),
    adminPin: ADMIN_PIN,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.overrides ? { sync: options.overrides } : {}),
  });
  const { url } = await app.start();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the body shape it expects
  const api = async <T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...((token ?? adminToken) ? { authorization: `Bearer ${token ?? adminToken}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  let adminToken = "";
  const login = await api<{ token: string }>("POST", "/api/auth/login", { pin: ADMIN_PIN });
  adminToken = login.body.token;
  const kiosk = devPair(app.ctx, "kiosk", `kiosk ${randomUUID().slice(0, 6)}`).response.principal;
  const cashier = devPair(app.ctx, "kiosk", "payments").response.principal;
  return {
    app,
    url,
    dataDir,
    rt: () => app.sync,
    get adminToken() {
      return adminToken;
    },
    kiosk,
    api,
    place(n = 1, items = [{ menuItemId: "fries", quantity: 1 }]) {
      const placed: OrderView[] = [];
      for (let i = 0; i < n; i += 1) {
        placed.push(placeOrder(app.ctx, kiosk, { id: randomUUID(), items: items as never }, undefined).body);
      }
      return placed;
    },
    pay(orderId, body) {
      recordPayment(app.ctx, { ...cashier, role: "cashier" }, orderId, { id: randomUUID(), ...body }, undefined);
    },
    async relogin() {
      adminToken = (await api<{ token: string }>("POST", "/api/auth/login", { pin: ADMIN_PIN }, "")).body.token;
    },
    stop: () => app.stop(),
  };
}

/** Polls `check` every 10 ms until it is truthy or `ms` pass (then fails with `what`). */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 5_000,
): Promise<T> {
  return (await poll(check, { what, timeoutMs: ms })) as T;
}

/**
 * The window in which a blocked (or rate-limited) target must make no call. Several worker ticks
 * (`retry.tickMs` is 40 ms here) fit in it; the worker has no "pass done" signal to wait on instead.
 */
export const BLOCKED_QUIET_MS = 400;

/** Outbox rows of a target by state. */
export function outboxStates(t: SyncApp, target: string): Record<string, number> {
  const rows = t.app.ctx.journal.all<{ state: string; n: number }>(
    "SELECT state, COUNT(*) AS n FROM outbox WHERE target = ? GROUP BY state",
    [target],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

export function openCount(t: SyncApp, target: string): number {
  return (
    t.app.ctx.journal.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM outbox WHERE target = ? AND state NOT IN ('acked', 'verified', 'dead')",
      [target],
    )?.n ?? 0
  );
}

export async function connectCentral(t: SyncApp, token = "central-device-token"): Promise<void> {
  const res = await t.api("POST", "/api/integrations/central/connect", { accessToken: token });
  if (res.status !== 200) throw new Error(`connect central failed: ${res.status} ${JSON.stringify(res.body)}`);
}
