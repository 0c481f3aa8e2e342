/**
 * Orders as paper: maps an order's immutable snapshot (and its payments) onto the drivers'
 * document data — one kitchen ticket per station, the receipt, the kiosk customer's number slip —
 * and a cash shift's X or Z report onto its paper, in the menu's default language, with the
 * store's name and time zone. Pure.
 */
import {
  formatMoney,
  type KitchenTicketData,
  type Locale,
  type NumberSlipData,
  type ReceiptData,
  type ReceiptLine,
  type ShiftReportData,
  type TicketItem,
} from "../../drivers/index.ts";
import type { Catalogue } from "../domain/catalogue.ts";
import type { OrderSnapshot } from "../journal/order-store.ts";
import type { Channel, LocalizedText } from "../../protocol/schemas/common.ts";
import type { CashMovementView, CashSummary } from "../../protocol/schemas/cash.ts";
import type { PaymentMethod } from "../../protocol/schemas/orders.ts";
import type { PrintBanner, PrintJobKind } from "../../protocol/schemas/devices.ts";

/** What every document needs besides the order. */
export interface DocumentContext extends Locale {
  storeName: string;
  /** The menu's default language: names are printed in it. */
  language: string;
  /** Station id → its name in the default language. */
  stationNames: ReadonlyMap<string, string>;
  /** Tax class id → its name in the default language. */
  taxNames: ReadonlyMap<string, string>;
  /** `<statusBaseUrl>/kiosk?order=<id>`, or undefined when no base URL is configured. */
  statusUrl(orderId: string): string | undefined;
}

export function documentContext(options: {
  storeName: string;
  timeZone: string;
  catalogue: Catalogue | undefined;
  statusBaseUrl: string | undefined;
}): DocumentContext {
  const menu = options.catalogue?.menu;
  const language = menu?.languages[0] ?? "en";
  const text = (value: LocalizedText): string => localized(value, language);
  return {
    storeName: options.storeName,
    timeZone: options.timeZone,
    // English keeps the drivers' default (en-GB: day/month, 24 h); other languages format their own way.
    ...(language === "en" ? {} : { locale: language }),
    language,
    stationNames: new Map((menu?.stations ?? []).map((s) => [s.id, text(s.name)])),
    taxNames: new Map((menu?.taxClasses ?? []).map((t) => [t.id, text(t.name)])),
    statusUrl: (orderId) =>
      options.statusBaseUrl === undefined
        ? undefined
        : `${options.statusBaseUrl}/kiosk?order=${encodeURIComponent(orderId)}`,
  };
}

/** Text in `language`, else the first one the menu gave. */
export function localized(value: LocalizedText, language: string): string {
  return value[language] ?? Object.values(value)[0] ?? "";
}

const CHANNEL_LABELS: Readonly<Record<Channel, string>> = { kiosk: "Kiosk", counter: "Counter", web: "Web" };
const METHOD_LABELS: Readonly<Record<PaymentMethod, string>> = {
  cash: "Cash",
  card: "Card",
  external: "Paid online",
  mobile: "Mobile",
  card_online: "Card online",
};

/** "EAT IN · TABLE 12", "TAKE AWAY", "TABLE 4", or undefined when the order says neither. */
export function serviceText(order: Pick<OrderSnapshot, "serviceMode" | "table">): string | undefined {
  const parts = [
    order.serviceMode === "eat_in" ? "EAT IN" : order.serviceMode === "take_away" ? "TAKE AWAY" : undefined,
    order.table === undefined || order.table === "" ? undefined : `TABLE ${order.table}`,
  ].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? undefined : parts.join(" · ");
}

function locale(ctx: DocumentContext): Locale {
  return {
    ...(ctx.locale === undefined ? {} : { locale: ctx.locale }),
    ...(ctx.timeZone === undefined ? {} : { timeZone: ctx.timeZone }),
  };
}

function service(order: OrderSnapshot): { service?: string } {
  const text = serviceText(order);
  return text === undefined ? {} : { service: text };
}

/** The cook's view of an order: one entry per item line and per combo component, each at its station. */
export function ticketItems(order: OrderSnapshot, language: string): TicketItem[] {
  return order.lines.flatMap((line): TicketItem[] => {
    const note = line.note !== undefined && line.note !== "" ? { note: line.note } : {};
    if (line.kind === "item") {
      if (line.station === undefined) return [];
      return [
        {
          key: line.id,
          quantity: line.quantity,
          name: localized(line.name, language),
          station: line.station,
          options: line.options.map((o) => localized(o.name, language)),
          ...note,
        },
      ];
    }
    const combo = localized(line.name, language);
    return line.components.map((component) => ({
      key: `${line.id}/${component.slot}`,
      quantity: line.quantity,
      name: localized(component.name, language),
      station: component.station,
      options: [...component.options.map((o) => localized(o.name, language)), `(${combo})`],
      ...note,
    }));
  });
}

/** Stations that have something to cook for this order, in menu order of first appearance. */
export function stationsOf(order: OrderSnapshot, language: string): string[] {
  return [...new Set(ticketItems(order, language).map((item) => item.station))];
}

/** The ticket of one station: new (revision 1) or its cancellation (revision 2). */
export function kitchenTicket(
  order: OrderSnapshot,
  station: string,
  kind: "new" | "cancelled",
  ctx: DocumentContext,
  printedAt?: string,
): KitchenTicketData {
  return {
    ...locale(ctx),
    station,
    stationLabel: ctx.stationNames.get(station) ?? station,
    kind,
    orderNumber: String(order.number),
    channel: CHANNEL_LABELS[order.channel],
    ...(order.pickupName ? { serviceMode: `For ${order.pickupName}` } : {}),
    ...service(order),
    placedAt: order.createdAt,
    ...(printedAt === undefined ? {} : { printedAt }),
    // Only this station's items are stored: the renderer would filter the rest out anyway.
    items: ticketItems(order, ctx.language).filter((item) => item.station === station),
    ...(order.note ? { orderNote: order.note } : {}),
  };
}

/** A payment as the receipt needs it (from the payments table or the event being recorded). */
export interface ReceiptPaymentInput {
  method: PaymentMethod;
  amount: number;
  tip: number;
  change: number | null;
  reference: string | null;
  /** The terminal's slip lines. */
  cardSlip?: readonly string[];
  /** A refund: printed as a negative line. */
  refund?: boolean;
}

export function receiptData(
  order: OrderSnapshot,
  payments: readonly ReceiptPaymentInput[],
  ctx: DocumentContext,
): ReceiptData {
  const lines: ReceiptLine[] = order.lines.map((line) => {
    const options = [
      ...line.options.map((o) => ({ name: localized(o.name, ctx.language), priceMinor: o.price * line.quantity })),
      ...line.components.flatMap((c) => [
        { name: localized(c.name, ctx.language), priceMinor: c.upcharge * line.quantity },
        ...c.options.map((o) => ({
          name: `  ${localized(o.name, ctx.language)}`,
          priceMinor: o.price * line.quantity,
        })),
      ]),
    ];
    return {
      quantity: line.quantity,
      name: localized(line.name, ctx.language),
      totalMinor: line.total,
      unitPriceMinor: line.unitPrice,
      ...(options.length > 0 ? { options } : {}),
    };
  });
  const tips = payments.reduce((sum, p) => sum + p.tip, 0);
  const change = payments.reduce((sum, p) => sum + (p.change ?? 0), 0);
  const statusUrl = ctx.statusUrl(order.id);
  const footer = [
    order.ref,
    ...(tips > 0 ? [`Tip ${formatMoney(tips, order.totals.currency, locale(ctx))} included: thank you!`] : []),
  ];
  return {
    ...locale(ctx),
    store: { name: ctx.storeName },
    orderNumber: String(order.number),
    channel: CHANNEL_LABELS[order.channel],
    ...(order.pickupName ? { serviceMode: `For ${order.pickupName}` } : {}),
    ...service(order),
    placedAt: order.createdAt,
    currency: order.totals.currency,
    lines,
    subtotalMinor: order.totals.subtotal,
    taxes: order.totals.taxes.map((t) => ({
      label: ctx.taxNames.get(t.taxClass) ?? `Tax ${t.rateBasisPoints / 100}%`,
      baseMinor: t.net,
      taxMinor: t.amount,
    })),
    taxesIncluded: order.totals.taxIncluded,
    totalMinor: order.totals.total,
    payments: payments.map((p) => ({
      method: p.refund ? `Refund ${METHOD_LABELS[p.method].toLowerCase()}` : METHOD_LABELS[p.method],
      amountMinor: p.refund ? -(p.amount + p.tip) : p.amount + p.tip,
      ...(p.reference ? { reference: p.reference } : {}),
      ...(p.cardSlip && p.cardSlip.length > 0 ? { slipLines: [...p.cardSlip] } : {}),
    })),
    ...(change > 0 ? { changeMinor: change } : {}),
    ...(statusUrl === undefined ? {} : { statusUrl }),
    footerLines: footer,
  };
}

export function numberSlip(order: OrderSnapshot, ctx: DocumentContext): NumberSlipData {
  const statusUrl = ctx.statusUrl(order.id);
  return {
    ...locale(ctx),
    storeName: ctx.storeName,
    orderNumber: String(order.number),
    placedAt: order.createdAt,
    ...(order.pickupName ? { serviceMode: `For ${order.pickupName}` } : {}),
    ...(statusUrl === undefined ? {} : { statusUrl }),
  };
}

/** The technician's test receipt (`GET /api/diagnostics/receipt`): every part of a real receipt, clearly marked. */
export function testReceipt(ctx: DocumentContext, printerName: string, nowIso: string, currency: string): ReceiptData {
  return {
    ...locale(ctx),
    store: { name: ctx.storeName, addressLines: [`Test receipt — ${printerName}`] },
    orderNumber: "TEST",
    channel: "Diagnostics",
    placedAt: nowIso,
    currency,
    lines: [
      {
        quantity: 2,
        name: "Test item",
        totalMinor: 900,
        unitPriceMinor: 450,
        options: [{ name: "Extra option", priceMinor: 100 }],
      },
      { quantity: 1, name: "Crème brûlée, Größe, €", totalMinor: 550 },
    ],
    subtotalMinor: 1_450,
    taxes: [{ label: "Tax 10%", baseMinor: 1_318, taxMinor: 132 }],
    taxesIncluded: true,
    totalMinor: 1_450,
    payments: [{ method: "Cash", amountMinor: 2_000 }],
    changeMinor: 550,
    statusUrl: ctx.statusUrl("00000000-0000-4000-8000-000000000000") ?? "GALLEY TEST",
    footerLines: ["If you can read this, receipts print."],
    copyBanner: "TEST",
  };
}

/** What the shift report says besides the `cash.report_created` payload: who opened and closed, and when it prints. */
export interface ShiftReportInput {
  kind: "x" | "z";
  drawer: string;
  openedAt: string;
  closedAt: string | null;
  summary: CashSummary;
  movements: readonly CashMovementView[];
  openedBy: string | undefined;
  closedBy: string | undefined;
  printedAt: string;
}

/** A cash shift's X or Z report (the `cash.report_created` payload) as paper. */
export function shiftReport(input: ShiftReportInput, ctx: DocumentContext): ShiftReportData {
  const { summary } = input;
  return {
    ...locale(ctx),
    storeName: ctx.storeName,
    kind: input.kind,
    drawer: input.drawer,
    currency: summary.currency,
    openedAt: input.openedAt,
    ...(input.openedBy === undefined ? {} : { openedBy: input.openedBy }),
    ...(input.closedAt === null ? {} : { closedAt: input.closedAt }),
    ...(input.closedAt === null || input.closedBy === undefined ? {} : { closedBy: input.closedBy }),
    openingFloatMinor: summary.openingFloat,
    cashSalesMinor: summary.cashSales,
    cashSalesCount: summary.cashSalesCount,
    cashRefundsMinor: summary.cashRefunds,
    cashRefundsCount: summary.cashRefundsCount,
    cashInMinor: summary.cashIn,
    cashOutMinor: summary.cashOut,
    movements: input.movements.map((m) => ({
      type: m.type,
      amountMinor: m.amount,
      reason: m.reason,
      at: m.at,
      by: m.by.name,
    })),
    expectedMinor: summary.expected,
    countedMinor: summary.counted,
    overShortMinor: summary.overShort,
    otherMethods: summary.otherMethods.map((m) => ({
      label: methodLabel(m.method),
      count: m.count,
      amountMinor: m.amount,
      ...(m.tips === 0 ? {} : { tipsMinor: m.tips }),
      ...(m.refunds === 0 ? {} : { refundsMinor: m.refunds }),
    })),
    totalTakenMinor: summary.totalTaken,
    orders: summary.orders,
    printedAt: input.printedAt,
  };
}

function methodLabel(method: string): string {
  return method in METHOD_LABELS ? METHOD_LABELS[method as PaymentMethod] : method;
}

/**
 * A reprint's document: the same content, marked. Kitchen tickets get the banner above the
 * station and the time it was printed again; receipts and cash reports the COPY banner; a slip
 * says it is a copy.
 */
export function withBanner(kind: PrintJobKind, document: unknown, banner: PrintBanner, printedAt: string): unknown {
  switch (kind) {
    case "kitchen":
      return { ...(document as KitchenTicketData), banner, printedAt };
    case "receipt":
    case "test":
      return { ...(document as ReceiptData), copyBanner: banner };
    case "shift_report":
      return { ...(document as ShiftReportData), copyBanner: banner };
    case "number_slip":
      return {
        ...(document as NumberSlipData),
        message: `${banner}: watch the screen, we call your number when it is ready.`,
      };
    case "boot_slip":
    case "drawer":
      return document;
  }
}
