/**
 * The cashier signed in at the counter. The counter itself is paired once (its device token
 * keeps the push connection and the heartbeat, and may only read the menu and clock people in);
 * everything a cashier does — placing, taking money, the drawer — goes with the cashier's own
 * staff token, so the journal names the person. The token is kept in sessionStorage under the
 * counter's own key: a reload stays signed in, closing the browser signs out, and the admin
 * page's sign-in (localStorage) is another one. Any 401 signs out. Framework-free.
 */
import type { Permission, Principal } from "../../../../protocol/index.ts";
import { ApiClient, type FetchLike } from "../../data/api.ts";
import { createSignIn, fetchMe } from "../../data/endpoints.ts";
import type { KeyValueStore } from "../../data/screen-session.ts";

export const COUNTER_STAFF_KEY = "galley.counter.staff";

export interface CounterStaffOptions {
  origin: string;
  fetch: FetchLike;
  storage: KeyValueStore;
}

export class CounterStaff {
  /** The cashier's client: every cashier action goes through it. */
  readonly api: ApiClient;
  readonly #storage: KeyValueStore;
  readonly #listeners = new Set<() => void>();
  #me: Principal | undefined;

  constructor(options: CounterStaffOptions) {
    this.#storage = options.storage;
    this.api = new ApiClient({
      baseUrl: options.origin,
      fetch: options.fetch,
      token: () => this.token,
      onUnauthorized: () => {
        this.forget();
      },
    });
  }

  get token(): string | undefined {
    return this.#storage.getItem(COUNTER_STAFF_KEY) ?? undefined;
  }

  /** Who is signed in; undefined while the counter is locked. */
  get me(): Principal | undefined {
    return this.#me;
  }

  can(permission: Permission): boolean {
    return this.#me?.permissions.includes(permission) ?? false;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Signs in with a PIN (throws ApiError: `invalid_pin`, `rate_limited`, no answer). */
  async signIn(pin: string): Promise<Principal> {
    const reply = await createSignIn(this.api, pin);
    this.#storage.setItem(COUNTER_STAFF_KEY, reply.token);
    this.#set(reply.principal);
    return reply.principal;
  }

  /** A token kept from before a reload: who it belongs to (undefined: none, or refused). */
  async restore(): Promise<Principal | undefined> {
    if (!this.token) return undefined;
    this.#set(await fetchMe(this.api));
    return this.#me;
  }

  /** Locks the counter: galleyd forgets the token (if it can be told), the screen does at once. */
  async signOut(): Promise<void> {
    const token = this.token;
    this.forget();
    if (!token) return;
    try {
      // Sent with the token just dropped here, so the screen is locked before galleyd answers.
      await this.api.request<null>("POST", "/api/auth/logout", {
        anonymous: true,
        headers: { authorization: `Bearer ${token}` },
        timeoutMs: 4_000,
      });
    } catch {
      // The token is gone here either way; galleyd lets it expire.
    }
  }

  /** Drops the token here (galleyd refused it, or the counter locks). */
  forget(): void {
    this.#storage.removeItem(COUNTER_STAFF_KEY);
    this.#set(undefined);
  }

  #set(me: Principal | undefined): void {
    this.#me = me;
    for (const listener of this.#listeners) listener();
  }
}
