/**
 * What every command needs: the journal, configuration, clock, the current catalogue, and the
 * bus on which committed events are announced (push, print spooler, sync listen there).
 */
import type { Config } from "../config/schema.ts";
import { buildCatalogue, type Catalogue } from "../domain/catalogue.ts";
import type { Bus } from "../lib/bus.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import { currentMenu } from "../journal/catalogue-store.ts";
import type { JournalEvent } from "../journal/events.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { Pins } from "./pins.ts";
import type { Actor } from "../../protocol/schemas/orders.ts";

export interface AppEvents extends Record<string, unknown[]> {
  /** Events that have been committed, in seq order. */
  committed: [events: readonly JournalEvent[]];
  /** Sellable stock or holds changed without an event of their own (carts, expiry). */
  availability: [];
  /** A user, a device or one token (by its hash) lost access: close its sockets. */
  revoked: [kind: "user" | "device" | "token", id: string];
}

export interface CommandContext {
  readonly journal: Journal;
  readonly config: Readonly<Config>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly bus: Bus<AppEvents>;
  readonly catalogue: CatalogueCache;
  /** Staff PINs: hashing, the keyed index, chosen-PIN limits (pins.ts). */
  readonly pins: Pins;
  /**
   * Set by the device layer at start (appliance/devices/gate.ts): refuses a new order with
   * `kitchen_unreachable` while no kitchen route works. Called before the order's transaction.
   */
  gate?: { check(orderId: string): void };
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
