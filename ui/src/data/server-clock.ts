/**
 * The appliance's clock as seen from a screen. Boards usually have no real-time clock and a
 * screen's clock can be minutes off, so ages ("ticket waiting 6:12") are computed against the
 * appliance: offset = server time − the midpoint of the request that read it.
 */
export class ServerClock {
  readonly #now: () => number;
  #offsetMs = 0;

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** `serverIso` was read by a request sent at `sentAt` and answered at `receivedAt` (local ms). */
  update(serverIso: string, sentAt: number, receivedAt: number): void {
    const server = Date.parse(serverIso);
    if (Number.isNaN(server)) return;
    this.#offsetMs = Math.round(server - (sentAt + receivedAt) / 2);
  }

  /** The appliance's "now" in epoch ms. */
  now(): number {
    return this.#now() + this.#offsetMs;
  }

  /** How long ago `iso` (an appliance timestamp) was, in ms (never negative). */
  since(iso: string, now = this.now()): number {
    const at = Date.parse(iso);
    return Number.isNaN(at) ? 0 : Math.max(0, now - at);
  }
}
