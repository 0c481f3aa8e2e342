import { sleep } from "../backoff.ts";
import { isBlocked, type PrinterStatus } from "../escpos/status.ts";
import type { PendingReply } from "./reply-waiters.ts";

/**
 * Waits for a job's completion sentinel. A paper end or cover open mid-job is not a failure: the
 * printer keeps its buffer and resumes, so the clock stops while the status shows a blocking
 * fault — up to `maxHoldMs`. Bounded: returns by `budgetMs + maxHoldMs` at the latest.
 */
export async function waitForCompletion(
  reply: PendingReply,
  status: () => PrinterStatus,
  budgetMs: number,
  maxHoldMs: number,
): Promise<"done" | "timeout" | Error> {
  const start = Date.now();
  let deadline = start + budgetMs;
  const holdLimit = start + budgetMs + maxHoldMs;
  let last = start;
  for (;;) {
    const state = reply.state;
    if (state !== "waiting") return state;
    const now = Date.now();
    const current = status();
    if (isBlocked(current) && current.source !== "none") deadline = Math.min(holdLimit, deadline + (now - last));
    last = now;
    if (now >= deadline) {
      reply.cancel();
      return "timeout";
    }
    await sleep(Math.min(20, deadline - now));
  }
}
