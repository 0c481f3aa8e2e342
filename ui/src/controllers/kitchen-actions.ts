/**
 * What the kitchen display asks galleyd to do: bump a ticket, mark an item done, carry out an undo
 * or a recall. One request per ticket at a time (the ticket is `busy` while it is answered), each
 * reply applied to the ticket store at once, and the bump bar's order-changing keys queued so they
 * run in the order they were pressed, each after galleyd answered the one before. Plain logic: the
 * screen supplies the selection, the toast and re-rendering as callbacks.
 */
import type { OrderStatus, OrderView } from "../../../protocol/index.ts";
import { ApiError, type ApiClient } from "../data/api.ts";
import { updateOrderMark, updateOrderStatus } from "../data/endpoints.ts";
import { stationView, type KitchenColumn, type KitchenTickets } from "../data/kitchen-tickets.ts";
import { errorText, type Translate } from "../i18n/index.ts";
import { moveSelection, type ColumnLayout, type KitchenCommand } from "./bump-keys.ts";
import type { KitchenHistory, Step } from "./kitchen-history.ts";

/** Order-changing key presses waiting for galleyd at most; more are dropped (a stuck key). */
export const MAX_QUEUED_KEYS = 4;

/** The commands that change orders (the rest only move the selection or toggle the sound). */
export type OrderCommand = Extract<KitchenCommand, { kind: "bump" | "recall" | "undo" }>;

/** The ticket ids the keys move through, column by column; struck-through cancelled tickets are skipped. */
export function columnLayout(tickets: KitchenTickets): ColumnLayout {
  const columns = tickets.columns();
  const ids = (c: KitchenColumn) => columns[c].filter((t) => t.cancelledAt === undefined).map((t) => t.order.id);
  return { new: ids("new"), cooking: ids("cooking"), ready: ids("ready") };
}

export interface KitchenActionsOptions {
  api: ApiClient;
  tickets: KitchenTickets;
  history: KitchenHistory;
  /** The screen's station (`?station=`): replies are cut down to its items, like the push topic. */
  station: string | undefined;
  t: Translate;
  /** The selected ticket, which a bump, a mark or a recall moves. */
  selection: { get(): string | undefined; set(id: string | undefined): void };
  /** Tells the cook something (a failure, what an undo did). */
  say(text: string): void;
  /** A reply was applied to `tickets`. */
  applied(): void;
  /** `busy` changed. */
  busyChanged(): void;
}

export class KitchenActions {
  readonly #o: KitchenActionsOptions;
  readonly #inFlight = new Map<string, Promise<boolean>>();
  #busy: ReadonlySet<string> = new Set<string>();
  #keyChain: Promise<void> = Promise.resolve();
  #queuedKeys = 0;

  constructor(options: KitchenActionsOptions) {
    this.#o = options;
  }

  /** Tickets with a request waiting for galleyd's answer. */
  get busy(): ReadonlySet<string> {
    return this.#busy;
  }

  /**
   * Queues an order-changing key press: Enter, Enter takes a ticket to Ready, R then U recalls and
   * takes it back, however fast the bump bar is. A bump applies to the ticket selected when its
   * key was pressed.
   */
  press(command: OrderCommand): void {
    if (this.#queuedKeys >= MAX_QUEUED_KEYS) return;
    const selected = this.#o.selection.get();
    this.#queuedKeys += 1;
    this.#keyChain = this.#keyChain
      .then(() => this.run(command, selected))
      .catch(() => undefined)
      .finally(() => {
        this.#queuedKeys -= 1;
      });
  }

  /** Settles when every queued key press has run. */
  idle(): Promise<void> {
    return this.#keyChain;
  }

  async run(command: OrderCommand, selected = this.#o.selection.get()): Promise<void> {
    const { tickets, history } = this.#o;
    switch (command.kind) {
      case "bump":
        // The ticket selected at the key press; if an earlier bump took it off the screen, the one
        // selected in its place.
        selected = selected && tickets.get(selected) ? selected : this.#o.selection.get();
        if (selected) await this.#keyBump(selected);
        else this.#o.selection.set(moveSelection(columnLayout(tickets), undefined, "first"));
        return;
      case "recall":
        await this.#carryOut(
          history.recall((id) => tickets.get(id)?.order),
          "recall",
        );
        return;
      case "undo":
        await this.#carryOut(
          history.undo((id) => tickets.get(id)?.order),
          "undo",
        );
        return;
    }
  }

  /**
   * A key bump while the ticket's own button is being answered waits for that answer (and is
   * dropped if it failed) instead of being lost. A touch on the button while busy is still ignored:
   * there a second touch is a double tap.
   */
  async #keyBump(id: string): Promise<void> {
    const pending = this.#inFlight.get(id);
    if (pending && !(await pending)) return;
    await this.bump(id);
  }

  /** Moves a ticket to its next state; if it leaves the screen, the ticket in its place is selected. */
  async bump(id: string): Promise<void> {
    const { tickets, selection } = this.#o;
    const ticket = tickets.get(id);
    const to = ticket?.order.next[0];
    if (!ticket || ticket.cancelledAt !== undefined || !to || to === "cancelled" || this.#busy.has(id)) return;
    const layout = columnLayout(tickets);
    const column = ticket.column;
    const row = layout[column].indexOf(id);
    selection.set(id);
    const moved = await this.#move(ticket.order, to);
    if (!moved) return;
    this.#o.history.record({ kind: "bump", orderId: id, number: ticket.order.number, from: ticket.order.status, to });
    if (!tickets.get(id)) {
      const after = columnLayout(tickets);
      selection.set(after[column][Math.min(row, after[column].length - 1)] ?? moveSelection(after, undefined, "first"));
    }
  }

  async mark(id: string, mark: string, done: boolean): Promise<void> {
    const ticket = this.#o.tickets.get(id);
    if (!ticket || this.#busy.has(id)) return;
    this.#o.selection.set(id);
    await this.#request(ticket.order, () => updateOrderMark(this.#o.api, id, mark, done));
    this.#o.history.record({ kind: "mark", orderId: id, number: ticket.order.number, mark, done });
  }

  async #carryOut(step: Step, kind: "recall" | "undo"): Promise<void> {
    const { t, tickets } = this.#o;
    switch (step.kind) {
      case "nothing":
        this.#o.say(t(kind === "recall" ? "kitchen.nothingToRecall" : "kitchen.nothingToUndo"));
        return;
      case "impossible":
        this.#o.say(t(kind === "recall" ? "kitchen.cannotRecall" : "kitchen.cannotUndo", { number: step.number }));
        return;
      case "mark": {
        const ticket = tickets.get(step.orderId);
        if (!ticket) return;
        if (await this.#request(ticket.order, () => updateOrderMark(this.#o.api, step.orderId, step.mark, step.done)))
          this.#o.say(t("kitchen.undone", { number: step.number }));
        return;
      }
      case "status": {
        const ticket = tickets.get(step.orderId);
        if (!ticket) return;
        const from = ticket.order.status;
        if (!(await this.#move(ticket.order, step.status))) return;
        this.#o.selection.set(step.orderId);
        if (kind === "recall")
          this.#o.history.record({ kind: "recall", orderId: step.orderId, number: step.number, from, to: step.status });
        this.#o.say(
          kind === "recall"
            ? t("kitchen.recalled", { number: step.number, status: t(`status.${step.status}`) })
            : t("kitchen.undone", { number: step.number }),
        );
        return;
      }
    }
  }

  #move(order: OrderView, status: OrderStatus): Promise<boolean> {
    return this.#request(order, () => updateOrderStatus(this.#o.api, order.id, status));
  }

  /** Sends one change; the reply is applied at once (the push delta with the same seq is then ignored). */
  #request(order: OrderView, send: () => Promise<OrderView>): Promise<boolean> {
    const request = this.#send(order, send).finally(() => this.#inFlight.delete(order.id));
    this.#inFlight.set(order.id, request);
    return request;
  }

  async #send(order: OrderView, send: () => Promise<OrderView>): Promise<boolean> {
    this.#setBusy(new Set([...this.#busy, order.id]));
    try {
      const view = stationView(await send(), this.#o.station);
      if (view) {
        this.#o.tickets.applyOrder(view);
        this.#o.applied();
      }
      return true;
    } catch (error) {
      const code = error instanceof ApiError ? error.code : "generic";
      this.#o.say(this.#o.t("kitchen.failed", { number: order.number, reason: errorText(this.#o.t, code) }));
      return false;
    } finally {
      const busy = new Set(this.#busy);
      busy.delete(order.id);
      this.#setBusy(busy);
    }
  }

  #setBusy(busy: ReadonlySet<string>): void {
    this.#busy = busy;
    this.#o.busyChanged();
  }
}
