import type { DriverLogger } from "./logger.ts";

/**
 * A set of listeners for one event. Emitting calls each listener in turn; a listener that throws is
 * logged and the others still run, so nothing throws out of an event handler into a driver.
 */
export class ListenerSet<A extends unknown[]> {
  readonly #listeners = new Set<(...args: A) => void>();
  readonly #logger: DriverLogger;
  readonly #name: string;

  constructor(name: string, logger: DriverLogger) {
    this.#name = name;
    this.#logger = logger;
  }

  /** Adds a listener; the returned function removes it. */
  add(listener: (...args: A) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(...args: A): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(...args);
      } catch (error) {
        this.#logger.error({ ns: "drivers", event: this.#name, err: error }, `listener for ${this.#name} threw`);
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }

  clear(): void {
    this.#listeners.clear();
  }
}
