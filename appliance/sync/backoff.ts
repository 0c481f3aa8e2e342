/**
 * Retry timing (docs/architecture.md#retries): capped exponential backoff with
 * full jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog 2015), and
 * `Retry-After` as delay-seconds or HTTP-date (RFC 9110 §10.2.3).
 */

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** The upper bound of the sleep after `attempt` failures (1 = the first failure). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/** Full jitter: a uniform random sleep between 0 and the ceiling. `random` is in [0, 1). */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, policy));
}

/**
 * `Retry-After` in milliseconds from `nowMs`, or undefined when absent or unreadable. A date in
 * the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  // IMF-fixdate (and the obsolete forms Date.parse understands); must name a weekday or month.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** When to try again: the jittered backoff, but never before what the upstream asked for. */
export function nextAttemptDelay(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const jitter = fullJitterDelay(attempt, policy, random);
  return retryAfterMs === undefined ? jitter : Math.max(jitter, retryAfterMs);
}
