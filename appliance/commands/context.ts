/**
 * What every command needs: the journal, configuration, clock, the current catalogue, and the
 * bus on which committed events are announced (push, print spooler, sync listen there).
 * Committed events are announced in one place (`announceCommits`): after each COMMIT, from the
 * journal, so neither routes nor sync announce anything themselves.
 */
import type { Config } from "../config/schema.ts";
import { buildCatalogue, type Catalogue } from "../domain/catalogue.ts";
import { Bus } from "../lib/bus.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import { currentMenu } from "../journal/catalogue-store.ts";
import { onCommitted, type JournalEvent } from "../journal/events.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { Pins } from "./pins.ts";
import type { Actor, PaymentBody, PaymentView } from "../../protocol/schemas/orders.ts";

export interface AppEvents extends Record<string, unknown[]> {
  /** Events that have been committed, in seq order. */
  committed: [events: readonly JournalEvent[]];
  /** Sellable stock or holds changed without an event of their own (carts, expiry). */
  availability: [];
  /** A user, a device or one token (by its hash) lost access: close its sockets. */
  revoked: [kind: "user" | "device" | "token", id: string];
}

/** The application's bus with a typed helper per event (as zigbee2mqtt's eventBus), so callers name no strings. */
export class AppBus extends Bus<AppEvents> {
  emitCommitted(events: readonly JournalEvent[]): void {
    this.emit("committed", events);
  }

  onCommitted(listener: (events: readonly JournalEvent[]) => void): () => void {
    return this.on("committed", listener);
  }

  emitAvailability(): void {
    this.emit("availability");
  }

  onAvailability(listener: () => void): () => void {
    return this.on("availability", listener);
  }

  emitRevoked(kind: AppEvents["revoked"][0], id: string): void {
    this.emit("revoked", kind, id);
  }

  onRevoked(listener: (kind: AppEvents["revoked"][0], id: string) => void): () => void {
    return this.on("revoked", listener);
  }
}

/** Events after which what can be sold may have changed (stock counts, holds turned into orders). */
function changesAvailability(event: JournalEvent): boolean {
  return event.type === "order.placed" || event.type === "stock.set";
}

/**
 * The one place committed events are announced: after each COMMIT of `journal` (never after a
 * rollback), before `transaction()` returns and so before any reply, the events it appended go
 * out on `bus` in seq order, and `availability` too when they change what can be sold.
 */
export function announceCommits(journal: Journal, bus: AppBus): () => void {
  return onCommitted(journal, (events) => {
    bus.emitCommitted(events);
    if (events.some(changesAvailability)) bus.emitAvailability();
  });
}

export interface CommandContext {
  readonly journal: Journal;
  readonly config: Readonly<Config>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly bus: AppBus;
  readonly catalogue: CatalogueCache;
  /** Staff PINs: hashing, the keyed index, chosen-PIN limits (pins.ts). */
  readonly pins: Pins;
  /**
   * Set by the device layer at start (appliance/devices/gate.ts): refuses a new order with
   * `kitchen_unreachable` while no kitchen route works. Called before the order's transaction.
   */
  gate?: { check(orderId: string): void };
  /**
   * Set by the payments feature at start (appliance/payments): charges a provider token
   * (`method: mobile | card_online`) through the provider's API. Unset: such payments are
   * refused with `provider_not_configured`.
   */
  tokenPayments?: TokenPayments;
}

/** How `POST /api/orders/:id/payments` hands a provider token to the payments feature. */
export interface TokenPayments {
  charge(
    principal: Principal,
    orderId: string,
    body: PaymentBody,
    idempotencyKey: string | undefined,
  ): Promise<{ statusCode: number; body: PaymentView; replayed: boolean }>;
}

/** The catalogue built from the journal's current menu, rebuilt when a menu is imported. */
export class CatalogueCache {
  #journal: Journal;
  #cached: { version: number; catalogue: Catalogue } | undefined;

  constructor(journal: Journal) {
    this.#journal = journal;
  }

  /** The current catalogue, or undefined while no menu has been imported. */
  get(): Catalogue | undefined {
    if (this.#cached) return this.#cached.catalogue;
    const stored = currentMenu(this.#journal);
    if (!stored) return undefined;
    this.#cached = { version: stored.version, catalogue: buildCatalogue(stored.menu) };
    return this.#cached.catalogue;
  }

  invalidate(): void {
    this.#cached = undefined;
  }
}

export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind, id: principal.id, name: principal.name, role: principal.role };
}

export const SYSTEM_ACTOR: Actor = { kind: "system", id: "galleyd", name: "galleyd" };

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
