/**
 * Waiting in tests without fixed sleeps: `waitFor` polls a condition, bounded in both time and
 * count, and fails naming what it waited for; `quietWindow` is the one deliberate stretch of real
 * time, for a test that proves something does NOT happen (there is no condition to wait on) —
 * every caller names the window and says why a condition cannot be used.
 *
 * Both use the real timers: they must not be called while node:test's `mock.timers` replaces
 * `setTimeout` (drive the mocked time with `mock.timers.tick` instead).
 */
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";

const DEFAULT_TIMEOUT_MS = 5_000;

export interface WaitOptions {
  /** What is awaited, for the failure message ("timed out after 5000 ms waiting for <what>"). */
  what: string;
  /** Gives up after this long (generous: a loaded 2-core machine is slow, a passing wait is not). */
  timeoutMs?: number;
  /** Pause between checks. */
  intervalMs?: number;
}

/**
 * Polls `check` until it returns a truthy value (returned) or `timeoutMs` pass (then fails
 * naming `what`). The count of polls is bounded too (twice what the time allows, plus slack), so
 * a clock that stands still cannot make it spin forever.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitOptions): Promise<NonNullable<T>> {
  const value = await pollUntil(check, options);
  if (value === undefined)
    assert.fail(`timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms waiting for ${options.what}`);
  return value;
}

/**
 * As `waitFor`, but a timeout returns undefined instead of failing: for a caller whose own
 * assertions, right after, say better what was seen instead. An error thrown by `check` still throws.
 */
export async function pollUntil<T>(
  check: () => T | Promise<T>,
  { timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = 10 }: WaitOptions,
): Promise<NonNullable<T> | undefined> {
  const deadline = Date.now() + timeoutMs;
  const maxPolls = 2 * Math.ceil(timeoutMs / intervalMs) + 10;
  for (let poll = 0; poll < maxPolls; poll += 1) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) break;
    await delay(intervalMs);
  }
  return undefined;
}

/**
 * Lets `ms` of real time pass: the window in which a test shows that something does NOT happen
 * (a blocked target makes no call, a held job is not failed). Keep it short; name `why`.
 */
export async function quietWindow(ms: number, _why: string): Promise<void> {
  await delay(ms);
}
