/**
 * Starts the real galleyd (createApp) on 127.0.0.1 port 0 with a temporary journal, and gives
 * tests real `fetch` and `ws` clients and a token for every role.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { createApp, type App } from "../../appliance/app.ts";
import { testConfig } from "../../appliance/config/load.ts";
import type { ManualClock, Clock } from "../../appliance/lib/clock.ts";
import { silentLogger } from "../../appliance/lib/logger.ts";
import type { Menu } from "../../protocol/schemas/menu.ts";
import { SCREEN_ROLES, type Role } from "../../protocol/schemas/common.ts";
import type { ServerMessage } from "../../protocol/schemas/push.ts";
import type { OrderView } from "../../protocol/schemas/orders.ts";
import { smallMenu } from "../fixtures/small-menu.ts";
import type { PaymentsOverrides } from "../../appliance/payments/plugin.ts";

export const ADMIN_PIN = "4711";

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** An order as placed, or the error that refused it: tests read whichever they expect. */
export type PlacedOrder = OrderView & { error: { code: string; message: string } };

export interface TestApp {
  url: string;
  app: App;
  clock: Clock;
  dataDir: string;
  adminToken: string;
  tokenFor(role: Role): Promise<string>;
  api<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string | undefined; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<ApiResponse<T>>;
  placeOrder(token: string, items: unknown[], extra?: Record<string, unknown>): Promise<ApiResponse<PlacedOrder>>;
  /** A WebSocket with this token; every one is closed when the app stops. */
  socket(token: string): Promise<PushClient>;
  /** The same, once the server said hello. */
  greeted(token: string): Promise<PushClient>;
  stop(): Promise<void>;
}

export interface StartOptions {
  config?: Record<string, unknown>;
  clock?: ManualClock;
  /** Drive the rate limits' monotonic time too (default: real time). */
  monotonic?: () => number;
  menu?: Menu | "demo";
  dataDir?: string;
  /** Card payments' test hooks (an in-process terminal, failpoints). */
  payments?: PaymentsOverrides;
}

export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "galley-test-"));
  let seed = "demo";
  if (options.menu !== "demo") {
    seed = join(dataDir, "menu-seed.json");
    writeFileSync(seed, JSON.stringify(options.menu ?? smallMenu()));
  }
  // Development mode drives simulated printers, drawer and display; tests do not file their pages (devices.savePrints).
  const config = testConfig({
    dataDir,
    server: { host: "127.0.0.1", port: 0 },
    menu: { seed },
    log: { level: "silent" },
    store: { timezone: "Europe/Berlin" },
    // No simulated card terminal unless a test configures one (development mode would start one).
    devices: { savePrints: false, terminals: [] },
    // Cash without a shift, unless a test is about shifts (the product's default is "required").
    cash: { shifts: "off" },
    ...options.config,
  });
  const clock = options.clock ?? { now: () => Date.now() };
  const app = createApp({
    config,
    log: silentLogger(),
    clock,
    adminPin: ADMIN_PIN,
    ...(options.monotonic ? { monotonic: options.monotonic } : {}),
    ...(options.payments ? { payments: options.payments } : {}),
  });
  const info = await app.start();
  const url = info.url;

  const api = async <T>(
    method: string,
    path: string,
    opts: { token?: string | undefined; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    } else if (opts.raw !== undefined) {
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };

  const login = await api<{ token: string }>("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const adminToken = login.body.token;
  const tokens = new Map<Role, string>([["admin", adminToken]]);

  const tokenFor = async (role: Role): Promise<string> => {
    const cached = tokens.get(role);
    if (cached) return cached;
    let token: string;
    if ((SCREEN_ROLES as readonly Role[]).includes(role)) {
      const code = await api<{ code: string }>("POST", "/api/devices/pairing-codes", {
        token: adminToken,
        body: { role, name: `${role} test` },
      });
      const paired = await api<{ token: string }>("POST", "/api/devices/pair", { body: { code: code.body.code } });
      token = paired.body.token;
    } else {
      // The appliance chooses the PIN (the default, and not rate-limited like a chosen one).
      const created = await api<{ pin?: string }>("POST", "/api/users", {
        token: adminToken,
        body: { name: `${role} test`, role },
      });
      if (created.status !== 201 || !created.body.pin)
        throw new Error(`could not create ${role}: ${JSON.stringify(created.body)}`);
      const session = await api<{ token: string }>("POST", "/api/auth/login", { body: { pin: created.body.pin } });
      token = session.body.token;
    }
    tokens.set(role, token);
    return token;
  };

  const sockets: PushClient[] = [];
  const socket = async (token: string): Promise<PushClient> => {
    const client = await PushClient.connect(url, token);
    sockets.push(client);
    return client;
  };

  return {
    url,
    app,
    clock,
    dataDir,
    adminToken,
    tokenFor,
    api,
    placeOrder: (token, items, extra = {}) => {
      const id = randomUUID();
      return api<PlacedOrder>("POST", "/api/orders", {
        token,
        body: { id, items, ...extra },
        headers: { "idempotency-key": `key-${id}` },
      });
    },
    socket,
    greeted: async (token) => {
      const client = await socket(token);
      await client.waitFor((m) => m.type === "hello");
      return client;
    },
    stop: async () => {
      for (const client of sockets) client.terminate();
      await app.stop();
    },
  };
}

/** A WebSocket client that records every message and waits for the ones a test expects. */
export class PushClient {
  readonly messages: ServerMessage[] = [];
  readonly #socket: WebSocket;
  #waiters: { predicate: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on("message", (data) => {
      const message = JSON.parse(
        Buffer.isBuffer(data)
          ? data.toString("utf8")
          : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString("utf8"),
      ) as ServerMessage;
      this.messages.push(message);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.predicate(message)) return true;
        w.resolve(message);
        return false;
      });
    });
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  static connect(url: string, token: string): Promise<PushClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url.replace("http", "ws")}/ws?token=${encodeURIComponent(token)}`);
      const client = new PushClient(socket);
      socket.once("open", () => {
        resolve(client);
      });
      socket.once("unexpected-response", (_request, response) => {
        reject(new Error(`upgrade refused: ${response.statusCode ?? 0}`));
      });
      socket.once("error", reject);
    });
  }

  send(message: unknown): void {
    this.#socket.send(JSON.stringify(message));
  }

  /** Resolves with the first message (already received or coming) that matches, or fails after `ms`. */
  waitFor(predicate: (m: ServerMessage) => boolean, ms = 3_000): Promise<ServerMessage> {
    const seen = this.messages.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`no matching message within ${ms} ms; got ${JSON.stringify(this.messages.map((m) => m.type))}`),
        );
      }, ms);
      this.#waiters.push({
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  clear(): void {
    this.messages.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      this.#socket.once("close", () => {
        resolve();
      });
      this.#socket.close();
    });
  }

  terminate(): void {
    this.#socket.terminate();
  }
}
