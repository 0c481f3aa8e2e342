/**
 * What one push socket may send (a kiosk screen is public, so its token may be in hostile hands):
 * messages per second as a token bucket with bursts of twice the rate, and subscriptions — each a
 * snapshot or a replay, the costly answer — per minute. Times are monotonic milliseconds (the wall
 * clock jumps when a board without a real-time clock finds NTP).
 */

export interface PushLimits {
  /** Messages a socket may send per second on average (bursts of twice that). */
  messagesPerSecond: number;
  /** Subscriptions (each a snapshot or a replay) a socket may make per minute. */
  subscribesPerMinute: number;
  /** Sockets open at once with one token. */
  socketsPerToken: number;
}

export class ClientLimits {
  readonly #limits: PushLimits;
  #allowance: number;
  #allowanceAt: number;
  #subscribedAt: number[] = [];

  constructor(limits: PushLimits, now: number) {
    this.#limits = limits;
    this.#allowance = limits.messagesPerSecond * 2;
    this.#allowanceAt = now;
  }

  /** Spends one message; the reason to close the socket when it has none left. */
  message(now: number): string | undefined {
    const rate = this.#limits.messagesPerSecond;
    this.#allowance = Math.min(rate * 2, this.#allowance + ((now - this.#allowanceAt) / 1_000) * rate);
    this.#allowanceAt = now;
    if (this.#allowance < 1) return `more than ${rate} messages a second`;
    this.#allowance -= 1;
    return undefined;
  }

  /** Counts one subscription; the reason to close the socket when the minute's are used up. */
  subscription(now: number): string | undefined {
    this.#subscribedAt = this.#subscribedAt.filter((at) => now - at < 60_000);
    if (this.#subscribedAt.length >= this.#limits.subscribesPerMinute)
      return `more than ${this.#limits.subscribesPerMinute} subscriptions a minute`;
    this.#subscribedAt.push(now);
    return undefined;
  }
}
