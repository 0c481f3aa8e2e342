/**
 * The order the kiosk's cart changes reach the appliance in: one at a time, as the customer made
 * them, so the appliance's cart and the customer's taps cannot cross. Each customer is a
 * generation: changes still queued for an earlier customer are dropped, and answers for one are
 * ignored. Framework-free.
 */
export class CartQueue {
  readonly #onDone: () => void;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  /** One per customer: changes queued for an earlier customer are dropped. */
  #generation = 0;

  /** `onDone` runs after every change, answered or not. */
  constructor(onDone: () => void) {
    this.#onDone = onDone;
  }

  /** The current customer's generation. */
  get generation(): number {
    return this.#generation;
  }

  /** Changes are queued or under way. */
  get busy(): boolean {
    return this.#queued > 0;
  }

  /** Runs `run` after every change queued before it, unless the customer has changed meanwhile. */
  enqueue(run: (generation: number) => Promise<void>): Promise<void> {
    const generation = this.#generation;
    this.#queued += 1;
    const next = this.#queue
      .then(async () => {
        if (generation === this.#generation) await run(generation);
      })
      .catch(() => undefined)
      .finally(() => {
        this.#queued -= 1;
        this.#onDone();
      });
    this.#queue = next;
    return next;
  }

  /** The next customer: returns the generation that ended. */
  advance(): number {
    const generation = this.#generation;
    this.#generation += 1;
    return generation;
  }

  /** Resolves once every queued change has been answered. */
  async settled(): Promise<void> {
    while (this.#queued > 0) await this.#queue;
  }
}
