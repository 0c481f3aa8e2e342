/** Small waits for the UI unit tests: their poll goes through the shared bounded `waitFor`. */
import { waitFor } from "../../../helpers/wait.ts";

/** Waits until `check` holds, polling every few ms; fails with `what` after `ms`. */
export async function waitUntil(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  await waitFor(check, { what, timeoutMs: ms, intervalMs: 5 });
}

/** The port of a test app's URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}
