/**
 * What a feature folder (devices/, sync/, diagnostics/, setup/, and the payments, counter and
 * reports to come) hands back when appliance/app.ts starts it through the folder's `plugin.ts`:
 * the HTTP routes it serves, what it does once galleyd listens, and how it stops. app.ts is the one
 * place that names features; http/server.ts registers whatever routes it is given, and nothing else
 * imports a feature folder (eslint.config.js, docs/architecture.md#adding-a-feature).
 */
import type { AddressInfo } from "node:net";
import type { HttpPlugin } from "./http/deps.ts";

export interface StartedFeature {
  /** Its route modules with their options bound, registered after the core's in this order. */
  readonly routes: readonly HttpPlugin[];
  /** Called once galleyd listens (the boot slip prints the address). */
  listening?(address: AddressInfo): void;
  /** Undoes the start; app.ts calls the features' stops in the order shutdown needs. */
  stop?(): Promise<void>;
}
