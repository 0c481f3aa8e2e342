/**
 * The screens' page heartbeat (README "HTTP API", `POST /api/diagnostics/heartbeat`): every
 * screen page says it is alive every 15 s while it runs. The board restarts its own display when
 * the heartbeats of its local page stop (a crashed or frozen tab), and the admin page lists them.
 *
 * A heartbeat is a side matter for the screen: it never blocks anything, never shows an error
 * (a failed beat is simply tried again at the next tick), never overlaps a beat still under way,
 * and is only sent while the screen has a token (`active`), so it cannot itself cause a 401.
 */
import type { ApiClient } from "./api.ts";
import { sendHeartbeat } from "./endpoints.ts";
import { Ticker } from "./ticker.ts";

export const HEARTBEAT_INTERVAL_MS = 15_000;
/** A beat that takes longer than this is given up (the next one comes soon enough). */
export const HEARTBEAT_TIMEOUT_MS = 5_000;
/** What the API accepts as `page`. */
const MAX_PAGE_LENGTH = 200;

/**
 * The page a heartbeat names: the path, and the kitchen's `station` — nothing else of the query
 * (a kiosk opened from a receipt's QR code carries an order id, which is no business of the logs).
 */
export function heartbeatPage(location: { pathname: string; search: string }): string {
  const station = new URLSearchParams(location.search).get("station");
  const page = station ? `${location.pathname}?station=${encodeURIComponent(station)}` : location.pathname;
  return page.slice(0, MAX_PAGE_LENGTH);
}

export interface HeartbeatOptions {
  api: ApiClient;
  page: string;
  /** Whether to beat now: the screen has a token (paired, signed in). */
  active: () => boolean;
  intervalMs?: number;
}

/** A ticker that sends the heartbeat; `start()` beats at once (when active), `tick()` beats now. */
export function createHeartbeat(options: HeartbeatOptions): Ticker {
  return new Ticker({
    intervalMs: options.intervalMs ?? HEARTBEAT_INTERVAL_MS,
    when: options.active,
    run: () => sendHeartbeat(options.api, options.page, HEARTBEAT_TIMEOUT_MS),
  });
}
