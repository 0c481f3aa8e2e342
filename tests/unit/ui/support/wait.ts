/** Waits until `check` holds, polling every few ms; fails with `what` after `ms`. */
export async function waitUntil(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The port of a test app's URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}
