/**
 * How a screen (kiosk, kitchen, board) gets going and stays connected:
 *
 *   reach galleyd (ping, retried: the screen often boots before the service)
 *   → a device token: kept in storage per role; in development mode a screen on the appliance
 *     pairs itself, in production it shows the pairing screen and a technician types a code
 *   → the app loads its data and subscribes to pushes.
 *
 * Any 401 (token revoked or unknown) forgets the token and goes back to pairing (or pairs itself
 * again in development). The ping also gives the appliance's clock: most boards have no RTC and
 * the screen's clock may be off, so ticket ages are computed against the appliance's time.
 */
import { ApiClient, ApiError, type FetchLike } from "./api.ts";
import type { ScreenRole } from "../../../protocol/index.ts";
import { createDevPairing, createPairing, fetchMe, fetchPing } from "./endpoints.ts";
import { browserSocket, PushClient, socketUrl, type ProbeResult, type SocketFactory } from "./push.ts";
import { ServerClock } from "./server-clock.ts";

/** localStorage, or a Map-backed stand-in in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => map.set(key, value),
    removeItem: (key) => map.delete(key),
  };
}

export type SessionPhase = "starting" | "unreachable" | "pairing" | "ready";

export interface ScreenSessionOptions {
  role: ScreenRole;
  /** The page's origin, e.g. `http://127.0.0.1:8080`. */
  origin: string;
  fetch: FetchLike;
  socket: SocketFactory;
  storage: KeyValueStore;
  /** Name a self-paired development screen gets. */
  deviceName?: string;
  now?: () => number;
  /** Push reconnect tuning (tests make it quick). */
  backoff?: { initialMs: number; maxMs: number };
  probeIntervalMs?: number;
}

export const tokenKey = (role: ScreenRole): string => `galley.token.${role}`;

/** The session of a screen in a browser page served from `origin`: the page's fetch, WebSocket and localStorage. */
export function browserScreenSession(role: ScreenRole, origin: string, deviceName: string): ScreenSession {
  return new ScreenSession({
    role,
    origin,
    fetch: (url, init) => fetch(url, init),
    socket: browserSocket,
    storage: localStorage,
    deviceName,
  });
}

export class ScreenSession {
  readonly api: ApiClient;
  readonly push: PushClient;
  readonly clock: ServerClock;
  readonly #options: ScreenSessionOptions;
  readonly #listeners = new Set<(phase: SessionPhase) => void>();
  #phase: SessionPhase = "starting";
  #mode: string | undefined;
  #pairingError: ApiError | undefined;
  #recovering = false;
  #closed = false;

  constructor(options: ScreenSessionOptions) {
    this.#options = options;
    const now = options.now ?? (() => Date.now());
    this.clock = new ServerClock(now);
    this.api = new ApiClient({
      baseUrl: options.origin,
      fetch: options.fetch,
      token: () => this.token,
      onUnauthorized: () => {
        void this.#recover();
      },
    });
    this.push = new PushClient({
      url: () => {
        const token = this.token;
        return token ? socketUrl(options.origin, token) : undefined;
      },
      socket: options.socket,
      probe: () => this.probe(),
      onUnauthorized: () => {
        void this.#recover();
      },
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.probeIntervalMs !== undefined ? { probeIntervalMs: options.probeIntervalMs } : {}),
    });
  }

  get phase(): SessionPhase {
    return this.#phase;
  }

  get role(): ScreenRole {
    return this.#options.role;
  }

  /** `development` or `production`, once galleyd answered. */
  get mode(): string | undefined {
    return this.#mode;
  }

  get token(): string | undefined {
    return this.#options.storage.getItem(tokenKey(this.#options.role)) ?? undefined;
  }

  /** Why the last pairing attempt failed. */
  get pairingError(): ApiError | undefined {
    return this.#pairingError;
  }

  onPhase(listener: (phase: SessionPhase) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reaches galleyd and obtains a token; resolves once the phase is `ready` or `pairing`. */
  async start(retryDelaysMs: readonly number[] = [500, 1_000, 2_000, 3_000, 5_000]): Promise<SessionPhase> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.#closed) return this.#phase;
      try {
        await this.#ping();
        break;
      } catch {
        this.#setPhase("unreachable");
        const delay = retryDelaysMs[Math.min(attempt, retryDelaysMs.length - 1)] ?? 5_000;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    await this.#obtainToken();
    return this.#phase;
  }

  /** Stops trying and closes the push connection (the page is going away; tests). */
  close(): void {
    this.#closed = true;
    this.push.stop();
  }

  /** Types in a pairing code from the admin page. */
  async pair(code: string): Promise<boolean> {
    try {
      const reply = await createPairing(this.api, code.trim().toUpperCase());
      this.#options.storage.setItem(tokenKey(this.#options.role), reply.token);
      this.#pairingError = undefined;
      this.#setPhase("ready");
      return true;
    } catch (error) {
      this.#pairingError = error instanceof ApiError ? error : new ApiError(0, "network_error", String(error));
      this.#setPhase("pairing");
      return false;
    }
  }

  /** Is galleyd reachable, and does it still accept our token? (auth/me, with the clock from ping.) */
  async probe(): Promise<ProbeResult> {
    try {
      await fetchMe(this.api);
      return "ok";
    } catch (error) {
      if (error instanceof ApiError && error.unauthorized) return "unauthorized";
      return "unreachable";
    }
  }

  /** Re-reads the appliance's clock (call now and then; boards drift). */
  async refreshClock(): Promise<void> {
    try {
      await this.#ping();
    } catch {
      // keep the last offset
    }
  }

  async #ping(): Promise<void> {
    const now = this.#options.now ?? (() => Date.now());
    const sentAt = now();
    const ping = await fetchPing(this.api);
    this.clock.update(ping.time, sentAt, now());
    this.#mode = ping.mode;
  }

  async #obtainToken(): Promise<void> {
    if (this.token) {
      this.#setPhase("ready");
      return;
    }
    if (this.#mode === "development") {
      try {
        const reply = await createDevPairing(this.api, this.#options.role, this.#options.deviceName);
        this.#options.storage.setItem(tokenKey(this.#options.role), reply.token);
        this.#setPhase("ready");
        return;
      } catch {
        // not on this machine: pair with a code like in production
      }
    }
    this.#setPhase("pairing");
  }

  /** A 401 somewhere: forget the token and pair again. */
  async #recover(): Promise<void> {
    if (this.#recovering) return;
    this.#recovering = true;
    try {
      this.push.stop();
      this.#options.storage.removeItem(tokenKey(this.#options.role));
      this.#setPhase("starting");
      await this.#obtainToken();
    } finally {
      this.#recovering = false;
    }
  }

  #setPhase(phase: SessionPhase): void {
    if (phase === this.#phase) return;
    this.#phase = phase;
    for (const listener of this.#listeners) listener(phase);
  }
}
