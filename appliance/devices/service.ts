/**
 * One interface for every kind of device galleyd drives. The device layer (layer.ts) holds a list
 * of `DeviceService`s made from the configuration by the kinds in registry.ts (`kind → create`,
 * as zigbee-herdsman's `Adapter.create()` picks an adapter from its settings) and drives them all
 * the same way (as zigbee2mqtt's extensions share a start/stop base): connect, start, report
 * status and alerts, react to journal events, stop. Status, alerts, event routing and shutdown
 * iterate that list; nothing there names the drawer or the display.
 *
 * A new kind (a scale, a label printer) is one service file (a class that implements
 * `DeviceService` and a `DeviceKind` that creates it from its configuration) plus one line in
 * registry.ts. Card terminals are the exception: their queue is money (checkouts, refunds), so
 * appliance/payments/ owns it (docs/architecture.md#card-payments), on the same rules below. What the wire cannot avoid stays outside: its status view joins
 * `DeviceView` and `DevicesStatus` (protocol/schemas/devices.ts), its slot in views.ts, its
 * config key in config-schema.ts.
 *
 * ## Design note: the rules of a persisted job, which a terminal's payment attempts keep too
 *
 * Print jobs survive crashes because of five rules; the card terminals' attempts
 * (appliance/payments/terminal-queue.ts, journal/attempt-store.ts) keep the same five, and both
 * queues run on the same `JobRunner` (lib/job-runner.ts: recover at start, wake on COMMIT and
 * on a timer, one step at a time, back-off wake-ups, stop with a grace period, drain):
 *
 * 1. **Written in the cause's transaction.** JobWriter.onEvent is an `onAppend` hook: the job row
 *    is inserted inside the transaction of the event that causes it, with a unique idempotency
 *    key, so a committed order always has its jobs and a replayed command never duplicates one.
 *    A checkout's attempt is written by its command (`POST /api/checkouts`) before the terminal
 *    is asked; its id is the reference the terminal gets.
 * 2. **Every change is a compare-and-set.** `transitionJob` / `transitionAttempt` move a row only
 *    from the states the caller saw, so the device loop, an operator's cancel and an order's
 *    cancellation never overwrite each other.
 * 3. **Claimed one at a time, FIFO per device.** The spooler moves the head job
 *    `queued → preflight → sending` and only then talks to the printer; a terminal's queue moves
 *    its head attempt `queued → presenting` (committed) and only then asks the terminal.
 * 4. **Expired, never late.** `expiresAtMs` is set at insert and checked before every claim: a
 *    ticket nobody needs any more is not printed, a checkout the customer walked away from is
 *    not charged later.
 * 5. **Resumed after a crash by policy, never blindly.** A claim that never reached the device
 *    goes back to `queued`; one whose bytes reached it has an unknown outcome, settled by its
 *    kind's policy (job-actions.ts `settleUnknownOutcome`: reprint / uncertain / fail). For a
 *    payment the policy is always `uncertain` — never re-charge — until the terminal's own
 *    lookup by our reference settles it.
 *
 * The two stores stay apart (print-store.ts, attempt-store.ts): their rows share the rules, not
 * their columns, and a shared `JobTable` description would cost more than the few SQL lines it
 * saves.
 */
import type { PoleDisplaySimulator, ReceiptPrinter } from "../../drivers/index.ts";
import type { CommandContext } from "../commands/context.ts";
import type { Journal } from "../journal/database.ts";
import type { JournalEvent } from "../journal/events.ts";
import type { JobCounts } from "../journal/print-store.ts";
import type { Logger } from "../lib/logger.ts";
import type { ResolvedDevices } from "./config.ts";
import type { DocumentContext } from "./documents.ts";
import type { PrintArchive } from "./print-archive.ts";
import type { SpoolerOptions } from "./spooler.ts";
import type { DeviceReport, DeviceView } from "./views.ts";

export type { DeviceReport, DeviceView };
export type DeviceKindName = DeviceView["kind"];

/** What one status read shares between the devices (computed at most once per read). */
export interface StatusPass {
  /** Device URIs are for HTTP callers only, never the WebSocket (kiosks read it too). */
  readonly withUris: boolean;
  /** Active print jobs per printer. */
  jobCounts(): ReadonlyMap<string, JobCounts>;
}

export interface DeviceService<V extends DeviceView = DeviceView> {
  readonly kind: V["kind"];
  /** The device's id in the status and the device history (a printer's configured id, "drawer", "display"). */
  readonly id: string;
  /**
   * Opens the device's own connection. The layer awaits every device's at once, before any
   * starts; a device that cannot connect must still resolve (it retries by itself and shows
   * offline).
   */
  connect?(): Promise<void>;
  /** Begins work once every device is connected (queues, sensors, the first frame); called in registration order. */
  start(): void;
  /** Stops work (queues, timers, listeners); the layer awaits every device's before any disconnects. */
  stop(): Promise<void> | void;
  /** Closes the device's connection and lets work in flight settle. */
  disconnect?(): Promise<void>;
  /** Its view and alerts now. */
  report(pass: StatusPass): DeviceReport<V>;
  /** Inside the transaction of each appended journal event: write the device's persisted work. */
  onAppend?(journal: Journal, event: JournalEvent): void;
  /** After COMMIT: react to the events (wake a queue, show a frame). */
  onCommitted?(events: readonly JournalEvent[]): void;
  /** The technician's diagnostic: exercise the device once and return its view a moment later. */
  test?(by: string): Promise<V>;
}

/** What every kind's `create` gets from the layer. */
export interface DeviceDeps {
  ctx: CommandContext;
  devices: ResolvedDevices;
  /** The root logger (each service takes its own `devices:<kind>` module). */
  log: Logger;
  /** The driver of a printer made earlier (kinds are created in registration order: printers first). */
  printer(id: string): ReceiptPrinter | undefined;
  /** Every device made so far (read at call time). */
  services(): readonly DeviceService[];
  /** The documents' context for the current menu (locale, time zone, store). */
  documents(): DocumentContext;
  /** Something a screen shows changed: publish the device state (coalesced). */
  changed(): void;
  /** A printer's readiness changed: the ordering gate looks again. */
  refreshGate(): void;
  /** The layer is stopping: no more device history. */
  stopped(): boolean;
  /** Where simulated printers' pages go, when they are kept. */
  archive: PrintArchive | undefined;
  spooler: SpoolerOptions | undefined;
  /** Simulators one kind makes for another (a simulated pole display behind a simulated printer). */
  simulators: { display: PoleDisplaySimulator | undefined };
}

/** One kind of device: which of its configurations are present, and how to make a service of one. */
export interface DeviceKind<C> {
  readonly kind: DeviceKindName;
  configs(devices: ResolvedDevices): readonly C[];
  /** Undefined when the device cannot be made (the printer it hangs on is missing). */
  create(config: C, deps: DeviceDeps): DeviceService | undefined;
}

/** A kind with its configuration type erased, so kinds of different configurations share one list. */
export interface DeviceFactory {
  readonly kind: DeviceKindName;
  createAll(deps: DeviceDeps): DeviceService[];
}

export function deviceFactory<C>(kind: DeviceKind<C>): DeviceFactory {
  return {
    kind: kind.kind,
    createAll: (deps) => kind.configs(deps.devices).flatMap((config) => kind.create(config, deps) ?? []),
  };
}
