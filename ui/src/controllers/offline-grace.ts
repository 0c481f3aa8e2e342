/**
 * Whether a screen should say it is offline: the push connection may blink for `graceMs` before
 * it counts. Reconnect attempts flip between connecting and offline, so the grace runs from the
 * first drop; back online clears it at once.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { ConnectionState } from "../data/push.ts";

export class OfflineGrace implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #graceMs: number;
  #connection: ConnectionState = "connecting";
  #offline = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, graceMs: number) {
    this.#host = host;
    this.#graceMs = graceMs;
    host.addController(this);
  }

  /** The push connection's state as last reported. */
  get connection(): ConnectionState {
    return this.#connection;
  }

  /** Offline for longer than the grace (or galleyd could not be reached another way). */
  get offline(): boolean {
    return this.#offline;
  }

  /** galleyd did not answer a request: offline now, until the connection is back online. */
  markOffline(): void {
    this.#set(true);
  }

  /** The push client's `onState`. */
  update(state: ConnectionState): void {
    this.#connection = state;
    this.#host.requestUpdate();
    if (state === "online") {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#set(false);
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#set(this.#connection !== "online");
    }, this.#graceMs);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #set(offline: boolean): void {
    if (offline === this.#offline) return;
    this.#offline = offline;
    this.#host.requestUpdate();
  }
}
