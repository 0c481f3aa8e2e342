import { EventEmitter } from "node:events";

/**
 * A typed in-process event bus. `emit` calls every listener synchronously; a listener that
 * throws is logged by the caller's `onError` and does not stop the others, so one failing
 * subscriber (a device, a socket) never breaks a command that has already committed.
 */
export class Bus<Events extends Record<string, unknown[]>> {
  readonly #emitter = new EventEmitter();
  readonly #onError: (error: unknown, event: string) => void;

  constructor(onError: (error: unknown, event: string) => void) {
    this.#onError = onError;
    this.#emitter.setMaxListeners(100);
  }

  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): () => void {
    const wrapped = (...args: unknown[]) => {
      try {
        listener(...(args as Events[K]));
      } catch (error) {
        this.#onError(error, event);
      }
    };
    this.#emitter.on(event, wrapped);
    return () => this.#emitter.off(event, wrapped);
  }

  emit<K extends keyof Events & string>(event: K, ...args: Events[K]): void {
    this.#emitter.emit(event, ...args);
  }
}
