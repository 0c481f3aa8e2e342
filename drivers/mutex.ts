/** A FIFO lock: `run(fn)` waits for every earlier `run` to settle, then runs `fn`. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  #held = 0;

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(async () => {
      this.#held++;
      try {
        return await fn();
      } finally {
        this.#held--;
      }
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** True while a `run` callback is executing. */
  get busy(): boolean {
    return this.#held > 0;
  }
}
