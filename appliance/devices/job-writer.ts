/**
 * Print jobs are written INSIDE the transaction of the event that causes them (an `onAppend`
 * hook), so a committed order always has its tickets queued and a crash can never lose one:
 *
 * | event                                        | jobs                                                        |
 * |----------------------------------------------|-------------------------------------------------------------|
 * | order.placed (kiosk)                         | the customer's number slip                                  |
 * | order.status_changed pending → in_queue      | a kitchen ticket per station and printer (revision 1)       |
 * | order.status_changed → cancelled             | not yet printed tickets are cancelled; printed ones get a cancellation ticket (revision 2) |
 * | order.status_changed → ready/completed/…     | tickets still waiting expire (they would only confuse)      |
 * | payment.recorded (cash)                      | a drawer kick, when a drawer is configured                  |
 * | payment.recorded (paid in full)              | the receipt                                                 |
 * | payment.refunded                             | the refund receipt; a drawer kick for a cash refund          |
 * | cash.shift_opened (with a float)             | a drawer kick: the float goes in                            |
 * | cash.moved                                   | a drawer kick: cash goes in or out                          |
 * | cash.shift_closed                            | a drawer kick: the cashier counts                           |
 * | cash.report_created                          | the X or Z report on the receipt printer (key `report:<reportId>:<printerId>`) |
 *
 * The cash events come from appliance/cash (the events are the interface: no import); their
 * aggregate is the shift.
 * Building a document never fails an order: a mapping error is logged and leaves a `failed` job
 * that shows in the job list. Sending happens after COMMIT, in the spoolers.
 */
import type { CommandContext } from "../commands/context.ts";
import { iso } from "../commands/context.ts";
import type { Catalogue } from "../domain/catalogue.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import type { Journal } from "../journal/database.ts";
import { eventsOf, isEvent, type JournalEvent } from "../journal/events.ts";
import type { OrderSnapshot } from "../journal/order-store.ts";
import { paymentsOf } from "../journal/payment-store.ts";
import {
  insertJob,
  jobsOfOrder,
  transitionJob,
  type NewPrintJob,
  type PrintJobRecord,
} from "../journal/print-store.ts";
import type { OrderStatus } from "../../protocol/schemas/common.ts";
import type { PrintJobKind } from "../../protocol/schemas/devices.ts";
import { kitchenPrintersFor, numberSlipPrinter, receiptPrinter, type ResolvedDevices } from "./config.ts";
import {
  documentContext,
  kitchenTicket,
  numberSlip,
  receiptData,
  shiftReport,
  stationsOf,
  type DocumentContext,
  type ReceiptPaymentInput,
} from "./documents.ts";
import { expiresAt, WAITING_STATES } from "./job-policy.ts";

/** What a job is unless it says otherwise: for the whole order, revision 1, no banner, not a reprint. */
const FIRST_COPY = { station: null, revision: 1, banner: null, copyOf: null } as const;

export class JobWriter {
  readonly #ctx: CommandContext;
  readonly #devices: ResolvedDevices;
  #documents: { catalogue: Catalogue | undefined; context: DocumentContext } | undefined;

  constructor(ctx: CommandContext, devices: ResolvedDevices) {
    this.#ctx = ctx;
    this.#devices = devices;
  }

  /** The append hook: runs inside the event's transaction. */
  readonly onEvent = (journal: Journal, event: JournalEvent): void => {
    if (this.#devices.printers.length === 0 || event.aggregateId === null) return;
    if (event.type === "order.placed") this.#placed(journal, event);
    else if (event.type === "order.status_changed") this.#statusChanged(journal, event);
    else if (event.type === "payment.recorded") this.#paid(journal, event);
    else if (event.type === "payment.refunded") this.#refunded(journal, event);
    else this.#cash(journal, event);
  };

  /** The drawer opens whenever the cashier handles cash (float, movements, count); reports print. */
  #cash(journal: Journal, event: JournalEvent): void {
    if (isEvent(event, "cash.shift_opened")) {
      const { shiftId, openingFloat } = event.payload;
      if (openingFloat > 0) this.#kickDrawer(journal, `open:${shiftId}`, null, "opening float", { shiftId });
    } else if (isEvent(event, "cash.moved")) {
      const { shiftId, movementId, type } = event.payload;
      this.#kickDrawer(journal, movementId, null, type === "cash_in" ? "cash in" : "cash out", { shiftId, movementId });
    } else if (isEvent(event, "cash.shift_closed")) {
      const { shiftId } = event.payload;
      this.#kickDrawer(journal, `close:${shiftId}`, null, "cash count", { shiftId });
    } else if (isEvent(event, "cash.report_created")) this.#shiftReport(journal, event);
  }

  /** The document context for the current menu (rebuilt when a new menu is imported). */
  documents(): DocumentContext {
    const catalogue = this.#ctx.catalogue.get();
    if (this.#documents?.catalogue !== catalogue || this.#documents === undefined) {
      this.#documents = {
        catalogue,
        context: documentContext({
          storeName: this.#ctx.config.store.name,
          timeZone: this.#ctx.config.store.timezone,
          catalogue,
          statusBaseUrl: this.#devices.statusBaseUrl,
        }),
      };
    }
    return this.#documents.context;
  }

  #now(): { nowMs: number; at: string } {
    const nowMs = this.#ctx.clock.now();
    return { nowMs, at: iso(nowMs) };
  }

  /** Writes a job built by `build`; a first, unmarked copy (no station, revision 1) unless `job` says otherwise. */
  #insert(
    journal: Journal,
    job: Omit<NewPrintJob, "id" | "expiresAtMs" | "at" | "document" | keyof typeof FIRST_COPY> &
      Partial<Pick<NewPrintJob, keyof typeof FIRST_COPY>>,
    build: () => unknown,
  ): PrintJobRecord | undefined {
    const { nowMs, at } = this.#now();
    let document: unknown;
    let failure: string | undefined;
    try {
      document = build();
    } catch (error) {
      if (error instanceof AppError) throw error;
      failure = `could not build the document: ${error instanceof Error ? error.message : String(error)}`;
      this.#ctx.log.error(
        { ns: "devices:jobs", err: error, key: job.key },
        "print job document failed; the order goes on without it",
      );
    }
    return insertJob(journal, {
      ...FIRST_COPY,
      ...job,
      id: newId(nowMs),
      document: document ?? {},
      expiresAtMs: expiresAt(job.kind, nowMs, this.#devices.expiry),
      at,
      ...(failure === undefined ? {} : { state: "failed" as const, lastError: failure }),
    });
  }

  #placed(journal: Journal, event: JournalEvent<"order.placed">): void {
    const order = event.payload.order;
    if (order.channel !== "kiosk") return;
    const printer = numberSlipPrinter(this.#devices);
    if (!printer) return;
    const base = {
      kind: "number_slip" as PrintJobKind,
      orderId: order.id,
      orderNumber: order.number,
    };
    this.#insert(journal, { ...base, key: `number_slip:${order.id}:${printer.id}`, printerId: printer.id }, () =>
      numberSlip(order, this.documents()),
    );
  }

  #statusChanged(journal: Journal, event: JournalEvent<"order.status_changed">): void {
    const { orderId, from, to } = event.payload;
    if (from === "pending" && to === "in_queue") {
      const order = placedSnapshot(journal, orderId);
      if (order) this.#kitchenTickets(journal, order);
    } else if (to === "cancelled") {
      this.#cancelled(journal, orderId);
    } else if (to === "ready" || to === "completed" || to === "refunded") {
      this.#expireWaiting(journal, orderId, to);
    }
  }

  #kitchenTickets(journal: Journal, order: OrderSnapshot): void {
    const ctx = this.documents();
    for (const station of stationsOf(order, ctx.language)) {
      for (const printer of kitchenPrintersFor(this.#devices, station)) {
        this.#insert(
          journal,
          {
            kind: "kitchen",
            key: `kitchen:${order.id}:${station}:r1:${printer.id}`,
            orderId: order.id,
            orderNumber: order.number,
            station,
            printerId: printer.id,
          },
          () => kitchenTicket(order, station, "new", ctx),
        );
      }
    }
  }

  /**
   * Per station and printer: tickets that never reached the printer are called back; if any
   * copy did reach it (printed, or possibly printed), the cook gets a cancellation ticket.
   */
  #cancelled(journal: Journal, orderId: string): void {
    const { at } = this.#now();
    const tickets = jobsOfOrder(journal, orderId, "kitchen").filter((j) => j.revision === 1);
    const reached = new Map<string, { station: string; printerId: string }>();
    for (const job of tickets) {
      const called =
        !job.inPrinter &&
        transitionJob(journal, job.id, WAITING_STATES, "cancelled", at, {
          lastError: "the order was cancelled before it printed",
        });
      if (!called && job.state !== "cancelled" && job.state !== "expired" && job.station !== null) {
        if (job.inPrinter || job.state === "done" || job.state === "uncertain")
          reached.set(`${job.station}|${job.printerId}`, { station: job.station, printerId: job.printerId });
      }
    }
    for (const job of jobsOfOrder(journal, orderId, "number_slip")) {
      if (!job.inPrinter)
        transitionJob(journal, job.id, WAITING_STATES, "cancelled", at, { lastError: "the order was cancelled" });
    }
    if (reached.size === 0) return;
    const order = placedSnapshot(journal, orderId);
    if (!order) return;
    const ctx = this.documents();
    for (const { station, printerId } of reached.values()) {
      this.#insert(
        journal,
        {
          kind: "kitchen",
          key: `kitchen:${order.id}:${station}:r2:${printerId}`,
          orderId: order.id,
          orderNumber: order.number,
          station,
          revision: 2,
          printerId,
        },
        () => kitchenTicket(order, station, "cancelled", ctx, at),
      );
    }
  }

  #expireWaiting(journal: Journal, orderId: string, status: OrderStatus): void {
    const { at } = this.#now();
    for (const job of jobsOfOrder(journal, orderId)) {
      if (job.banner === "COPY") continue;
      if ((job.kind === "kitchen" && job.revision === 1) || (job.kind === "number_slip" && status !== "ready")) {
        if (!job.inPrinter)
          transitionJob(journal, job.id, WAITING_STATES, "expired", at, {
            lastError: `the order is already ${status}`,
          });
      }
    }
  }

  #paid(journal: Journal, event: JournalEvent<"payment.recorded">): void {
    const payment = event.payload;
    if (payment.method === "cash")
      this.#kickDrawer(journal, payment.paymentId, payment.orderId, "cash payment", { paymentId: payment.paymentId });
    if (!payment.paidInFull) return;
    const printer = receiptPrinter(this.#devices);
    const order = printer ? placedSnapshot(journal, payment.orderId) : undefined;
    if (!printer || !order) return;
    const earlier: ReceiptPaymentInput[] = paymentsOf(journal, payment.orderId)
      .filter((p) => p.view.id !== payment.paymentId)
      .map((p) => ({
        method: p.view.method,
        amount: p.view.amount,
        tip: p.view.tip,
        change: p.view.change,
        reference: p.view.reference,
        cardSlip: p.view.cardSlip,
      }));
    const current: ReceiptPaymentInput = {
      method: payment.method,
      amount: payment.amount,
      tip: payment.tip,
      change: payment.change ?? null,
      reference: payment.reference ?? null,
      ...(payment.cardSlip ? { cardSlip: payment.cardSlip } : {}),
    };
    this.#insert(
      journal,
      {
        kind: "receipt",
        key: `receipt:${order.id}:${printer.id}`,
        orderId: order.id,
        orderNumber: order.number,
        printerId: printer.id,
      },
      () => receiptData(order, [...earlier, current], this.documents()),
    );
  }

  /**
   * Opens the drawer for cash handed over or given back (`key`: the payment or refund id) or moved
   * by the cashier (`key`: the movement id, `open:<shiftId>`, `close:<shiftId>`: those have no order).
   */
  #kickDrawer(
    journal: Journal,
    key: string,
    orderId: string | null,
    reason: string,
    refs: { paymentId: string } | { shiftId: string; movementId?: string },
  ): void {
    const drawer = this.#devices.drawer;
    if (drawer?.kickOnCash !== true) return;
    this.#insert(
      journal,
      {
        kind: "drawer",
        key: `drawer:${key}:${drawer.printer}`,
        orderId,
        orderNumber: null,
        printerId: drawer.printer,
      },
      () => ({ reason, ...refs }),
    );
  }

  /** The X or Z report on the receipt printer; the cash feature finds the job by its key. */
  #shiftReport(journal: Journal, event: JournalEvent<"cash.report_created">): void {
    const printer = receiptPrinter(this.#devices);
    if (!printer) return;
    const report = event.payload;
    this.#insert(
      journal,
      {
        kind: "shift_report",
        key: `report:${report.reportId}:${printer.id}`,
        orderId: null,
        orderNumber: null,
        printerId: printer.id,
      },
      () => {
        const people = shiftPeople(journal, report.shiftId);
        return shiftReport(
          {
            ...report,
            openedBy: people.openedBy,
            closedBy: people.closedBy ?? (report.kind === "z" ? event.actor.name : undefined),
            printedAt: event.createdAt,
          },
          this.documents(),
        );
      },
    );
  }

  /** Writes the refund receipt (and kicks the drawer for cash) of one refund. */
  #refunded(journal: Journal, event: JournalEvent<"payment.refunded">): void {
    const refund = event.payload;
    const payment = paymentsOf(journal, refund.orderId).find((p) => p.view.id === refund.paymentId)?.view;
    if (refund.route === "cash")
      this.#kickDrawer(journal, refund.refundId, refund.orderId, "cash refund", { paymentId: refund.paymentId });
    const printer = receiptPrinter(this.#devices);
    const order = printer ? placedSnapshot(journal, refund.orderId) : undefined;
    if (!printer || !order || !payment) return;
    this.#insert(
      journal,
      {
        kind: "receipt",
        key: `receipt:refund:${refund.refundId}:${printer.id}`,
        orderId: order.id,
        orderNumber: order.number,
        printerId: printer.id,
      },
      () => ({
        ...receiptData(
          order,
          [
            {
              method: payment.method,
              amount: refund.amount,
              tip: 0,
              change: null,
              reference: refund.reference ?? null,
              refund: true,
              cardSlip: refund.cardSlip ?? [],
            },
          ],
          this.documents(),
        ),
        copyBanner: "REFUND",
        footerLines: [order.ref, `Reason: ${refund.reason}`],
      }),
    );
  }
}

/**
 * Who opened and who closed a shift: the actors of its `cash.shift_opened` and `cash.shift_closed`
 * events (the closing one is visible inside the transaction that also writes the Z report).
 */
function shiftPeople(journal: Journal, shiftId: string): { openedBy?: string; closedBy?: string } {
  const people: { openedBy?: string; closedBy?: string } = {};
  for (const event of eventsOf(journal, shiftId)) {
    if (event.type === "cash.shift_opened") people.openedBy = event.actor.name;
    else if (event.type === "cash.shift_closed") people.closedBy = event.actor.name;
  }
  return people;
}

/** The order's immutable snapshot, from its order.placed event (visible inside the same transaction). */
function placedSnapshot(journal: Journal, orderId: string): OrderSnapshot | undefined {
  return eventsOf(journal, orderId).find((e) => isEvent(e, "order.placed"))?.payload.order;
}
