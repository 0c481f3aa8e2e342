/**
 * A target's credentials while galleyd runs: decrypted on demand from the journal, refreshed
 * proactively before they expire and once after a 401, single-flight (concurrent 401s cause one
 * refresh), and a refreshed token is persisted in its own transaction *before* it is used: a
 * single-use refresh token (Square PKCE, docs/architecture.md#targets) must never exist only in memory.
 */
import { AppError } from "../lib/errors.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import { getCredentials, putCredentials } from "../journal/sync-target-store.ts";
import type { Failpoint } from "../lib/failpoints.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import type { Credentials, Outcome } from "./types.ts";
import type { Target } from "../journal/outbox-types.ts";

/** How a provider refreshes; absent for targets with static tokens (central). */
export type Refresher = (
  credentials: Credentials,
  signal: AbortSignal,
) => Promise<{ ok: true; credentials: Credentials } | { ok: false; outcome: Outcome }>;

export interface AuthSessionOptions {
  target: Target;
  journal: Journal;
  box: () => SecretBox;
  clock: Clock;
  log: Logger;
  failpoint: Failpoint;
  refresher?: Refresher;
  /** Refresh proactively when the access token expires within this many ms. */
  refreshBeforeMs: number;
}

export class AuthSession {
  readonly #options: AuthSessionOptions;
  #inflight: Promise<true | Outcome> | undefined;
  /** Counts refresh requests made (tests: concurrent 401s cause one refresh). */
  refreshes = 0;

  constructor(options: AuthSessionOptions) {
    this.#options = options;
  }

  /** The stored credentials, or an outcome that blocks the target (none stored, unreadable). */
  credentials(): Credentials | Outcome {
    const stored = getCredentials(this.#options.journal, this.#options.target);
    if (!stored)
      return { kind: "blocked", code: "NOT_CONNECTED", detail: "no credentials stored; connect the integration" };
    try {
      return JSON.parse(this.#options.box().open(stored.sealed)) as Credentials;
    } catch (error) {
      const detail = error instanceof AppError ? error.message : "stored credentials are unreadable";
      return { kind: "blocked", code: "CREDENTIALS_UNREADABLE", detail };
    }
  }

  /** An access token to use now, refreshed first if it is about to expire. */
  async accessToken(signal: AbortSignal): Promise<string | Outcome> {
    const current = this.credentials();
    if (!("accessToken" in current)) return current;
    const expiring =
      current.expiresAtMs !== undefined &&
      current.expiresAtMs - this.#options.clock.now() <= this.#options.refreshBeforeMs;
    if (expiring && this.#options.refresher && current.refreshToken) {
      const refreshed = await this.refresh(current.accessToken, signal);
      if (refreshed !== true) {
        // A failed proactive refresh of a token that still works is not fatal: use it while it lasts.
        if (refreshed.kind === "transient" && (current.expiresAtMs ?? 0) > this.#options.clock.now())
          return current.accessToken;
        return refreshed;
      }
      const after = this.credentials();
      return "accessToken" in after ? after.accessToken : after;
    }
    return current.accessToken;
  }

  /**
   * After a 401 with `staleToken`: refresh once. If another caller already replaced that token,
   * nothing is refreshed; if a refresh is under way, this waits for it.
   */
  refresh(staleToken: string, signal: AbortSignal): Promise<true | Outcome> {
    if (this.#inflight) return this.#inflight;
    const current = this.credentials();
    if (!("accessToken" in current)) return Promise.resolve(current);
    if (current.accessToken !== staleToken) return Promise.resolve(true);
    const refresher = this.#options.refresher;
    if (!refresher || !current.refreshToken) {
      return Promise.resolve({
        kind: "blocked",
        code: "UNAUTHORIZED",
        detail: "upstream refused the token and it cannot be refreshed; connect the integration again",
      });
    }
    this.#inflight = this.#refresh(refresher, current, signal).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #refresh(refresher: Refresher, current: Credentials, signal: AbortSignal): Promise<true | Outcome> {
    this.refreshes += 1;
    const { target, journal, clock, log, failpoint } = this.#options;
    const result = await refresher(current, signal);
    if (!result.ok) {
      log.warn({ target, code: result.outcome.kind === "acked" ? "" : result.outcome.code }, "token refresh failed");
      return result.outcome;
    }
    failpoint("after-refresh");
    const box = this.#options.box();
    const next: Credentials = { ...current, ...result.credentials };
    journal.transaction(() => {
      putCredentials(
        journal,
        target,
        box.seal(JSON.stringify(next)),
        box.keyId,
        next.expiresAtMs ?? null,
        new Date(clock.now()).toISOString(),
      );
    });
    log.info(
      { target, expiresAt: next.expiresAtMs ? new Date(next.expiresAtMs).toISOString() : null },
      "access token refreshed",
    );
    return true;
  }
}
