/**
 * Matches printer answers to the requests that asked for them. DLE EOT and GS r answers carry no
 * id, so they are matched in order (requests are only written one at a time, under the write
 * lock); process-ID responses carry their 4-digit tag.
 */
interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** A sentinel being waited for: poll `state` (the job loop is bounded by its own deadline). */
export interface PendingReply {
  readonly state: "waiting" | "done" | Error;
  cancel(): void;
}

export class ReplyWaiters {
  #realtime: Array<Waiter<number>> = [];
  #sequence: Array<Waiter<number>> = [];
  #process = new Map<string, Waiter<true>>();

  /** The next DLE EOT answer, or undefined after `timeoutMs`. Register before writing the request. */
  expectRealtime(timeoutMs: number): Promise<number | undefined> {
    return new Promise<number | undefined>((resolve, reject) => {
      const waiter: Waiter<number> = {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        const at = this.#realtime.indexOf(waiter);
        if (at >= 0) this.#realtime.splice(at, 1);
        resolve(undefined);
      }, timeoutMs);
      this.#realtime.push(waiter);
    });
  }

  #pending<T>(add: (w: Waiter<T>) => void, remove: (w: Waiter<T>) => void): PendingReply {
    let state: "waiting" | "done" | Error = "waiting";
    const waiter: Waiter<T> = {
      resolve: () => {
        state = "done";
      },
      reject: (error) => {
        state = error;
      },
    };
    add(waiter);
    return {
      get state() {
        return state;
      },
      cancel: () => {
        remove(waiter);
      },
    };
  }

  /** The GS r answer that follows everything written before it. */
  expectSequence(): PendingReply {
    return this.#pending<number>(
      (w) => this.#sequence.push(w),
      (w) => {
        const at = this.#sequence.indexOf(w);
        if (at >= 0) this.#sequence.splice(at, 1);
      },
    );
  }

  /** The GS ( H process-ID response with this tag. */
  expectProcessId(tag: string): PendingReply {
    return this.#pending<true>(
      (w) => this.#process.set(tag, w),
      () => this.#process.delete(tag),
    );
  }

  /** A DLE EOT answer arrived; an unsolicited one (e.g. from image data) is dropped. */
  onRealtime(byte: number): void {
    this.#realtime.shift()?.resolve(byte);
  }
  onSequence(byte: number): void {
    this.#sequence.shift()?.resolve(byte);
  }
  onProcessId(id: string): void {
    const waiter = this.#process.get(id);
    this.#process.delete(id);
    waiter?.resolve(true);
  }

  failAll(error: Error): void {
    for (const w of this.#realtime.splice(0)) w.reject(error);
    for (const w of this.#sequence.splice(0)) w.reject(error);
    for (const w of this.#process.values()) w.reject(error);
    this.#process.clear();
  }
}
