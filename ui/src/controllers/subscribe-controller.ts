/**
 * Holds a host element's live subscriptions (topic stores, data/topic-store.ts) for as long as it
 * is connected, modelled on the HA frontend's `subscribe-mixin.ts`: `subscribe` runs when the
 * host connects and returns the unsubscribes, which run when it disconnects.
 *
 * `subscribe` may return undefined while there is nothing to subscribe to yet (the screen is not
 * paired, nobody is signed in); the controller tries again after each host update and on
 * `check()`. `reset()` drops the subscriptions and subscribes afresh (a new sign-in, a new push
 * client).
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

export type Unsubscribe = () => void;

export class SubscribeController implements ReactiveController {
  readonly #subscribe: () => readonly Unsubscribe[] | undefined;
  #connected = false;
  #subscriptions: readonly Unsubscribe[] | undefined;

  constructor(host: ReactiveControllerHost, subscribe: () => readonly Unsubscribe[] | undefined) {
    this.#subscribe = subscribe;
    host.addController(this);
  }

  /** Are the subscriptions held? */
  get subscribed(): boolean {
    return this.#subscriptions !== undefined;
  }

  hostConnected(): void {
    this.#connected = true;
    this.check();
  }

  hostUpdated(): void {
    this.check();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe();
  }

  /** Subscribes now, when the host is connected, not yet subscribed and there is something to subscribe to. */
  check(): void {
    if (!this.#connected || this.#subscriptions !== undefined) return;
    this.#subscriptions = this.#subscribe();
  }

  /** Unsubscribes and subscribes again (what to subscribe to changed). */
  reset(): void {
    this.#unsubscribe();
    this.check();
  }

  #unsubscribe(): void {
    const subscriptions = this.#subscriptions;
    this.#subscriptions = undefined;
    for (const unsubscribe of subscriptions ?? []) unsubscribe();
  }
}
