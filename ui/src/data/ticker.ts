/**
 * Runs an async task now and then every `intervalMs`: the screens' heartbeat, the admin page's
 * live doctor and screen list. Never two runs at once (a slow answer skips the next tick instead
 * of piling requests up), never throws (a failure goes to `onError` and the next tick tries
 * again), and `when` can hold it (no token yet, the page hidden). Framework-free; the timers
 * are the global ones, so tests drive it with node:test's mock timers.
 */
export interface TickerOptions {
  intervalMs: number;
  run: () => Promise<unknown>;
  /** Checked before every run; false skips it (the timer keeps going). */
  when?: () => boolean;
  onError?: (error: unknown) => void;
}

export class Ticker {
  readonly #options: TickerOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | undefined;
  #runs = 0;
  #failures = 0;

  constructor(options: TickerOptions) {
    this.#options = options;
  }

  get started(): boolean {
    return this.#timer !== undefined;
  }

  /** Runs started (successful or not). */
  get runs(): number {
    return this.#runs;
  }

  /** Failed runs in a row (0 after a success). */
  get failures(): number {
    return this.#failures;
  }

  /** Runs now (when allowed), then every interval. Starting a started ticker does nothing. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      void this.tick();
    }, this.#options.intervalMs);
    void this.tick();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One run now, unless one is under way (then that one's promise) or `when` says no. Resolves
   * when the run is over; never rejects.
   */
  tick(): Promise<void> {
    if (this.#running) return this.#running;
    if (this.#options.when && !this.#options.when()) return Promise.resolve();
    this.#runs += 1;
    // The run starts a microtask later, so `#running` is set before it can finish (even when
    // `run` throws synchronously).
    const running = Promise.resolve()
      .then(() => this.#options.run())
      .then(
        () => {
          this.#failures = 0;
        },
        (error: unknown) => {
          this.#failures += 1;
          try {
            this.#options.onError?.(error);
          } catch {
            // a failing error handler must not stop the ticker either
          }
        },
      )
      .finally(() => {
        this.#running = undefined;
      });
    this.#running = running;
    return running;
  }
}
