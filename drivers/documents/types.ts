import type { MonoImage } from "../escpos/print-document.ts";

/**
 * Plain data the document renderers take. Defined here, in drivers, so the drivers never import
 * appliance code: the appliance maps its orders onto these. Money is integer minor units; the
 * currency is an ISO 4217 code; times are ISO 8601 strings (formatted in `timeZone`).
 */
export interface Locale {
  /** BCP 47 locale for numbers and dates. Default `en-GB`. */
  locale?: string;
  /** IANA time zone for printed times. Default `UTC`. */
  timeZone?: string;
}

export interface StoreInfo {
  name: string;
  addressLines?: string[];
  phone?: string;
  /** VAT / tax registration number, printed under the address. */
  taxId?: string;
}

export interface ReceiptOption {
  name: string;
  /** Extra price for this option on the whole line (quantity included); 0 or absent prints no price. */
  priceMinor?: number;
}

export interface ReceiptLine {
  quantity: number;
  name: string;
  /** Line total (quantity × unit price, options included or not — as the appliance priced it). */
  totalMinor: number;
  /** Printed as "2 @ €4.50" when the quantity is above 1. */
  unitPriceMinor?: number;
  options?: ReceiptOption[];
}

export interface ReceiptTax {
  /** e.g. "VAT 10%". */
  label: string;
  /** The amount the rate applies to. */
  baseMinor?: number;
  taxMinor: number;
}

export interface ReceiptPayment {
  /** e.g. "Card", "Cash". */
  method: string;
  amountMinor: number;
  /** e.g. "**** 1234" or an authorisation code. */
  reference?: string;
  /** The card terminal's slip lines (masked card, auth code, terminal id), printed under the payment. */
  slipLines?: string[];
}

export interface ReceiptData extends Locale {
  store: StoreInfo;
  /** Printed at the top, centred (a 1-bit image at most the printer's width). */
  logo?: MonoImage;
  /** The human order number, e.g. "42". */
  orderNumber: string;
  /** Where the order was taken, e.g. "Kiosk 2". */
  channel?: string;
  /** e.g. "Eat in" / "Take away". */
  serviceMode?: string;
  /** Eat in or take away and the table, printed large under the number, e.g. "EAT IN · TABLE 12". */
  service?: string;
  placedAt: string;
  currency: string;
  lines: ReceiptLine[];
  subtotalMinor: number;
  discounts?: Array<{ label: string; amountMinor: number }>;
  taxes: ReceiptTax[];
  /** True when prices include the taxes (EU style); false adds them to the subtotal. */
  taxesIncluded: boolean;
  totalMinor: number;
  payments: ReceiptPayment[];
  changeMinor?: number;
  /** URL of the order's status page, printed as a QR code. */
  statusUrl?: string;
  footerLines?: string[];
  /** A banner such as "COPY" or "DUPLICATE" for reprints (often a legal requirement). */
  copyBanner?: string;
}

export interface TicketItem {
  /** Stable id of the order line, used to compute the difference between two versions. */
  key: string;
  quantity: number;
  name: string;
  /** Station the item is cooked at, e.g. "grill", "drinks". */
  station: string;
  /** Option lines as the cook should read them: "+ Extra cheese", "- No onions". */
  options?: string[];
  note?: string;
}

export type TicketKind = "new" | "changed" | "cancelled";

export interface KitchenTicketData extends Locale {
  /** The station this ticket is printed for; only its items are shown. */
  station: string;
  /** Name printed at the top; default the station id in capitals. */
  stationLabel?: string;
  kind: TicketKind;
  orderNumber: string;
  serviceMode?: string;
  /** Eat in or take away and the table, printed large under the number, e.g. "EAT IN · TABLE 12". */
  service?: string;
  channel?: string;
  placedAt: string;
  /** When the ticket is printed (changes show both times). */
  printedAt?: string;
  /** The order's items now (for a cancellation: the items being cancelled). */
  items: TicketItem[];
  /** For `changed`: the items as last sent to the kitchen. */
  previousItems?: TicketItem[];
  orderNote?: string;
  /** "REPRINT" (after an uncertain print) or "COPY". */
  banner?: string;
}

export interface NumberSlipData extends Locale {
  storeName: string;
  orderNumber: string;
  placedAt: string;
  serviceMode?: string;
  /** e.g. "Watch the screen for your number". */
  message?: string;
  statusUrl?: string;
}

export interface TestPageData extends Locale {
  /** Name of the device in the config. */
  printerName: string;
  uri?: string;
  printedAt: string;
  /** Kick the drawer at the end (the technician's drawer test). */
  pulseDrawer?: boolean;
}

/** The slip a board prints when it boots: how a technician finds it and pairs screens to it. */
export interface BootSlipData extends Locale {
  boardName: string;
  storeName: string;
  version: string;
  /** The board's IPv4/IPv6 addresses on the store network. */
  addresses: string[];
  /** The admin page (QR code). */
  adminUrl: string;
  /** One pairing code per screen role, valid until `expiresAt`. */
  pairingCodes: { label: string; code: string }[];
  codesExpireAt: string;
  bootedAt: string;
}

/** Cash put in or taken out of the drawer during the shift, with why. */
export interface ShiftReportMovement {
  type: "cash_in" | "cash_out";
  /** Positive; the report prints cash out as negative. */
  amountMinor: number;
  /** As the cashier typed it: untrusted, printed as plain text. */
  reason: string;
  at: string;
  /** Who moved it. */
  by?: string;
}

/** Takings of one method other than cash, for information. */
export interface ShiftReportMethod {
  /** e.g. "Card". */
  label: string;
  count: number;
  amountMinor: number;
  tipsMinor?: number;
  refundsMinor?: number;
}

/**
 * A cash shift's X report (mid-shift, the drawer stays open) or Z report (the close). Money is
 * positive minor units as the summary keeps it; the renderer signs refunds and cash out.
 */
export interface ShiftReportData extends Locale {
  storeName: string;
  kind: "x" | "z";
  /** The drawer's name, e.g. "main". */
  drawer: string;
  currency: string;
  openedAt: string;
  openedBy?: string;
  /** The close (Z reports). */
  closedAt?: string;
  closedBy?: string;
  openingFloatMinor: number;
  cashSalesMinor: number;
  cashSalesCount: number;
  cashRefundsMinor: number;
  cashRefundsCount: number;
  cashInMinor: number;
  cashOutMinor: number;
  movements: ShiftReportMovement[];
  /** null: a blind close hides it until the count. */
  expectedMinor: number | null;
  /** null until the count. */
  countedMinor: number | null;
  /** counted − expected: positive over, negative short; null until the count. */
  overShortMinor: number | null;
  otherMethods: ShiftReportMethod[];
  totalTakenMinor: number;
  orders: number;
  printedAt: string;
  /** "COPY" on a reprint. */
  copyBanner?: string;
}
