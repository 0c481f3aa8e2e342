/**
 * Square's wire shapes (docs/architecture.md#targets): the CreateOrder / CreatePayment / RefundPayment
 * bodies mapped from journal events within Square's field limits, the SearchOrders / ListPayments /
 * ListPaymentRefunds / BatchRetrieveOrders requests, and the answer shapes read back. Pure functions of their inputs; square.ts sends them.
 */
import {
  cut,
  SQUARE_LIMITS,
  squareMetadata,
  squareReferenceId,
  squareRefundReason,
  squareTicketName,
} from "../keys.ts";
import type { WorkItem } from "../types.ts";
import { eventOf, plainName } from "./common.ts";

export interface SquareMoney {
  amount: number;
  currency: string;
}

/** Where orders and payments go, and how our orders are tagged there. */
export interface SquareOrigin {
  locationId: string;
  sourceName: string;
  /** The central store id, recorded in each order's metadata. */
  storeId: string | undefined;
}

/** The CreateOrder body for an order snapshot. */
export function squareOrderBody(
  work: WorkItem,
  settings: Readonly<Record<string, unknown>>,
  origin: SquareOrigin,
): Record<string, unknown> {
  const order = eventOf(work, "order.placed").payload.order;
  const mapping = (settings.itemMapping ?? {}) as Record<string, string>;
  const currency = order.totals.currency;
  const includeCustomer = settings.syncCustomerInfo !== false;
  const taxes = order.totals.taxes
    .filter((t) => t.rateBasisPoints > 0)
    .map((t) => ({
      uid: `tax-${t.taxClass}`.slice(0, SQUARE_LIMITS.lineUid),
      name: t.taxClass,
      percentage: String(t.rateBasisPoints / 100),
      type: order.totals.taxIncluded ? "INCLUSIVE" : "ADDITIVE",
      scope: "LINE",
    }));
  const taxUids = new Set(taxes.map((t) => t.uid));
  const lineItems = order.lines.map((line) => {
    const options = [...line.options.map((o) => plainName(o.name)), ...line.components.map((c) => plainName(c.name))];
    const note = [options.join(", "), line.note].filter((part) => part).join(" — ");
    const mapped = mapping[line.menuItemId];
    const taxUid = `tax-${line.taxClass}`.slice(0, SQUARE_LIMITS.lineUid);
    return {
      uid: line.id.slice(0, SQUARE_LIMITS.lineUid),
      ...(mapped ? { catalog_object_id: mapped } : { name: cut(plainName(line.name), SQUARE_LIMITS.lineName) }),
      quantity: String(line.quantity),
      base_price_money: { amount: line.unitPrice, currency },
      ...(note ? { note: cut(note, SQUARE_LIMITS.lineNote) } : {}),
      ...(taxUids.has(taxUid) ? { applied_taxes: [{ tax_uid: taxUid }] } : {}),
    };
  });
  return {
    idempotency_key: work.item.idempotencyKey,
    order: {
      location_id: origin.locationId,
      reference_id: squareReferenceId(order.id),
      source: { name: origin.sourceName },
      ticket_name: squareTicketName(order.number, includeCustomer ? order.pickupName : undefined),
      line_items: lineItems,
      ...(taxes.length > 0 ? { taxes } : {}),
      metadata: squareMetadata([
        ["kiosk_order_id", order.id],
        ["order_ref", order.ref],
        ["device_id", work.event.instanceId],
        ["device_seq", work.event.seq],
        ["store_id", origin.storeId],
        ["channel", order.channel],
        ["business_date", order.businessDate],
      ]),
    },
  };
}

/** The CreatePayment body (CASH or EXTERNAL) for a recorded payment, against its order's Square id. */
export function squarePaymentBody(work: WorkItem, locationId: string): Record<string, unknown> {
  const p = eventOf(work, "payment.recorded").payload;
  const money = (amount: number): SquareMoney => ({ amount, currency: p.currency });
  const source = p.method === "cash" ? "CASH" : "EXTERNAL";
  return {
    idempotency_key: work.item.idempotencyKey,
    source_id: source,
    amount_money: money(p.amount),
    ...(p.tip > 0 ? { tip_money: money(p.tip) } : {}),
    order_id: work.dependencyRemoteId,
    location_id: locationId,
    reference_id: squareReferenceId(p.paymentId),
    note: `Galley payment for order ${p.orderId}`.slice(0, SQUARE_LIMITS.paymentNote),
    autocomplete: true,
    ...(source === "CASH"
      ? {
          cash_details: {
            buyer_supplied_money: money(p.tendered ?? p.amount + p.tip),
            ...(p.change ? { change_back_money: money(p.change) } : {}),
          },
        }
      : {
          external_details: {
            type: p.method === "card" ? "CARD" : "OTHER",
            source: p.method === "card" ? "Card terminal" : "External payment",
            ...(p.reference ? { source_id: p.reference.slice(0, 255) } : {}),
          },
        }),
  };
}

/**
 * The RefundPayment body for a refund of a payment sync recorded (CASH or EXTERNAL), against that
 * payment's Square id. Square refunds a CASH or EXTERNAL payment by recording it: no money moves.
 * The reason carries our refund id (keys.ts `squareRefundTag`) for the lookup.
 */
export function squareRefundBody(work: WorkItem): Record<string, unknown> {
  const r = eventOf(work, "payment.refunded").payload;
  return {
    idempotency_key: work.item.idempotencyKey,
    payment_id: work.dependencyRemoteId,
    amount_money: { amount: r.amount, currency: r.currency } satisfies SquareMoney,
    reason: squareRefundReason(r.reason, r.refundId),
  };
}

/** One SearchOrders page: our source's orders created between `from` and `to`, oldest first. */
export function squareSearchOrdersBody(origin: SquareOrigin, from: string, to: string, cursor: string | undefined) {
  return {
    location_ids: [origin.locationId],
    query: {
      filter: {
        source_filter: { source_names: [origin.sourceName] },
        date_time_filter: { created_at: { start_at: from, end_at: to } },
      },
      sort: { sort_field: "CREATED_AT", sort_order: "ASC" },
    },
    limit: 500,
    ...(cursor ? { cursor } : {}),
  };
}

export type SquareSearchOrdersAnswer =
  | {
      orders?: { id: string; version?: number; reference_id?: string; metadata?: Record<string, string> }[];
      cursor?: string;
    }
  | undefined;

/**
 * The query string of one ListPayments or ListPaymentRefunds page (a location's payments or
 * refunds in a time window; refunds, at most 100 a page, are asked oldest first).
 */
export function squareListQuery(
  locationId: string,
  from: string,
  to: string,
  cursor: string | undefined,
  order?: "ASC",
): URLSearchParams {
  return new URLSearchParams({
    location_id: locationId,
    begin_time: from,
    end_time: to,
    ...(order ? { sort_order: order } : {}),
    ...(cursor ? { cursor } : {}),
  });
}

export type SquareListPaymentsAnswer =
  { payments?: { id: string; reference_id?: string }[]; cursor?: string } | undefined;

export type SquareListRefundsAnswer =
  { refunds?: { id: string; payment_id?: string; reason?: string; status?: string }[]; cursor?: string } | undefined;

/** The RefundPayment answer's refund. */
export type SquareRefundAnswer = { refund?: { id?: unknown; status?: unknown } } | undefined;

export type SquareBatchRetrieveAnswer = { orders?: { id: string; total_money?: SquareMoney }[] } | undefined;

/** The ObtainToken answer (refresh_token grant). */
export type SquareTokenAnswer =
  { access_token?: unknown; refresh_token?: unknown; expires_at?: unknown; error?: unknown } | undefined;
