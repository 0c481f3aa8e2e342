/**
 * Printers, cash drawer, pole display and the print spooler, over HTTP and the WebSocket
 * `devices` topic. Screens import these with `import type` only.
 */
import { Type, type Static } from "typebox";
import { Uuid } from "./common.ts";
import { Text } from "./text.ts";

/** A printer, the drawer or the display as configured (`devices.printers[].id`, "drawer", "display"). */
export const DeviceId = Type.String({
  pattern: "^[a-z0-9][a-z0-9_-]{0,63}$",
  description: "lower-case id: letters, digits, - and _",
});

// ---- print jobs ------------------------------------------------------------------------------------

/** What a job prints (or does): one kitchen station's ticket, a receipt, a number slip, a drawer kick, a test, a boot slip, a cash shift's X or Z report. */
export const PRINT_JOB_KINDS = [
  "kitchen",
  "receipt",
  "number_slip",
  "drawer",
  "test",
  "boot_slip",
  "shift_report",
] as const;
export type PrintJobKind = (typeof PRINT_JOB_KINDS)[number];

/**
 * A job's state. Happy path: `queued → preflight → sending → done`. Side exits: `held` (printer
 * fault: paper out, cover open, offline — waits, never burns retries; a job held mid-print is not
 * resent), `awaiting-completion` (after a mid-print hold, waiting for the printer's confirmation),
 * `retry-wait` (transport error before anything was sent, backoff), `uncertain` (bytes reached the
 * printer but printing was not confirmed), `expired`, `cancelled`, `failed`.
 */
export const PRINT_JOB_STATES = [
  "queued",
  "preflight",
  "sending",
  "awaiting-completion",
  "done",
  "held",
  "retry-wait",
  "uncertain",
  "expired",
  "cancelled",
  "failed",
] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];

/** States a job can still leave by itself (the spooler's queue). */
export const ACTIVE_JOB_STATES = [
  "queued",
  "preflight",
  "sending",
  "awaiting-completion",
  "held",
  "retry-wait",
] as const satisfies readonly PrintJobState[];

export const PRINT_BANNERS = ["COPY", "REPRINT"] as const;
export type PrintBanner = (typeof PRINT_BANNERS)[number];

export const PrintJobView = Type.Object({
  id: Uuid,
  /** Idempotency key: order id + kind + station + revision + printer (reprints add a suffix). */
  key: Type.String(),
  kind: Type.Enum(PRINT_JOB_KINDS),
  state: Type.Enum(PRINT_JOB_STATES),
  orderId: Type.Union([Uuid, Type.Null()]),
  orderNumber: Type.Union([Type.Integer(), Type.Null()]),
  station: Type.Union([Type.String(), Type.Null()]),
  /** Kitchen tickets: 1 = the new order, 2 = its cancellation. */
  revision: Type.Integer(),
  printerId: Type.String(),
  attempts: Type.Integer(),
  /** REPRINT: printed again after an unknown outcome; COPY: reprinted on request. */
  banner: Type.Union([Type.Enum(PRINT_BANNERS), Type.Null()]),
  /** The job this one reprints. */
  copyOf: Type.Union([Uuid, Type.Null()]),
  /** The reprint made of this job (automatic REPRINT or an operator's COPY). */
  followedBy: Type.Union([Uuid, Type.Null()]),
  /** Whether the printer received (some of) the bytes. */
  sent: Type.Boolean(),
  /** An uncertain job nobody has dealt with: reprint it (COPY) or dismiss it (cancel). */
  needsAttention: Type.Boolean(),
  /** How printing was confirmed: process-id, status-request, or write-only (a one-way printer: unconfirmed). */
  confirmedBy: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
  completedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  expiresAt: Type.String({ format: "date-time" }),
});
export type PrintJobView = Static<typeof PrintJobView>;

/** `GET /api/print-jobs?state=held&state=uncertain&order=<id>&printer=<id>&kind=receipt&limit=50`. */
export const PrintJobsQuery = Type.Object(
  {
    state: Type.Optional(Type.Array(Type.Enum(PRINT_JOB_STATES), { maxItems: PRINT_JOB_STATES.length })),
    order: Type.Optional(Uuid),
    printer: Type.Optional(DeviceId),
    kind: Type.Optional(Type.Enum(PRINT_JOB_KINDS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type PrintJobsQuery = Static<typeof PrintJobsQuery>;

export const PrintJobsResponse = Type.Object({ jobs: Type.Array(PrintJobView) });

/** `POST /api/print-jobs/:id/reprint`: a new job marked COPY, on the same printer or another. */
export const ReprintBody = Type.Object({ printerId: Type.Optional(DeviceId) }, { additionalProperties: false });
export type ReprintBody = Static<typeof ReprintBody>;

// ---- device status -------------------------------------------------------------------------------

export const PRINTER_CONNECTIONS = ["connecting", "online", "offline", "stopped"] as const;
export const DEVICE_HEALTH = ["ok", "warning", "error", "unknown"] as const;

export const PrinterStatusView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Literal("printer"),
  /** The device URI (HTTP only; left out of the WebSocket, which kiosks read too). */
  uri: Type.Optional(Type.String()),
  profile: Type.String(),
  simulated: Type.Boolean(),
  /** What it prints: kitchen tickets of these stations (`*` = all), receipts, number slips. */
  roles: Type.Object({
    kitchenStations: Type.Array(Type.String()),
    receipts: Type.Boolean(),
    numberSlips: Type.Boolean(),
  }),
  connection: Type.Enum(PRINTER_CONNECTIONS),
  /** `unknown` whenever the status could not be read (one-way printer, no answer): never `ok` by guess. */
  health: Type.Enum(DEVICE_HEALTH),
  paper: Type.Enum(["ok", "nearEnd", "end", "unknown"]),
  coverOpen: Type.Union([Type.Boolean(), Type.Null()]),
  faults: Type.Array(Type.String()),
  bidirectional: Type.Boolean(),
  /** Jobs waiting (queued, retrying, printing), held by a fault, and uncertain ones needing an operator. */
  jobs: Type.Object({ waiting: Type.Integer(), held: Type.Integer(), needsAttention: Type.Integer() }),
  changedAt: Type.String({ format: "date-time" }),
});
export type PrinterStatusView = Static<typeof PrinterStatusView>;

export const DRAWER_STATES = ["unknown", "closed", "kicking", "open", "open-too-long", "no-sensor"] as const;

export const DrawerStatusView = Type.Object({
  id: Type.Literal("drawer"),
  kind: Type.Literal("drawer"),
  printerId: Type.String(),
  state: Type.Enum(DRAWER_STATES),
  /** When the drawer was last seen opening (while it is open). */
  openSince: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  leftOpenAfterSeconds: Type.Integer(),
  lastKickAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});
export type DrawerStatusView = Static<typeof DrawerStatusView>;

export const DisplayStatusView = Type.Object({
  id: Type.Literal("display"),
  kind: Type.Literal("display"),
  wiring: Type.Enum(["direct", "pass-through"]),
  commandSet: Type.String(),
  connection: Type.Enum(["online", "offline"]),
  /** The two rows the customer sees now (what was last written). */
  lines: Type.Array(Type.String(), { minItems: 2, maxItems: 2 }),
});
export type DisplayStatusView = Static<typeof DisplayStatusView>;

/**
 * Whether the kiosk may take orders. `paused` when `devices.requireKitchenRoute` is on and no
 * kitchen route works: no online printer that prints kitchen tickets and no kitchen screen
 * subscribed to the kitchen topic. Placing an order then fails with `503 kitchen_unreachable`.
 */
export const OrderingState = Type.Object({
  state: Type.Enum(["accepting", "paused"]),
  reason: Type.Optional(Type.Literal("kitchen_unreachable")),
  message: Type.Optional(Type.String()),
  since: Type.String({ format: "date-time" }),
  requireKitchenRoute: Type.Boolean(),
  /** Printers that print kitchen tickets and are online without a blocking fault. */
  kitchenPrinters: Type.Integer(),
  /** Kitchen screens subscribed to the kitchen topic. */
  kitchenScreens: Type.Integer(),
});
export type OrderingState = Static<typeof OrderingState>;

export const DEVICE_ALERT_CODES = [
  "printer_offline",
  "printer_paper_end",
  "printer_paper_near_end",
  "printer_cover_open",
  "printer_error",
  "printer_unresponsive",
  "print_jobs_uncertain",
  "drawer_left_open",
  "display_offline",
  "ordering_paused",
] as const;
export type DeviceAlertCode = (typeof DEVICE_ALERT_CODES)[number];

/** Something a person should act on, shown on the kitchen, counter and admin screens. */
export const DeviceAlert = Type.Object({
  code: Type.Enum(DEVICE_ALERT_CODES),
  severity: Type.Enum(["warning", "error"]),
  deviceId: Type.String(),
  message: Type.String(),
});
export type DeviceAlert = Static<typeof DeviceAlert>;

/** `GET /api/devices/status` and the `devices` topic's snapshot and deltas. */
export const DevicesStatus = Type.Object({
  printers: Type.Array(PrinterStatusView),
  drawer: Type.Union([DrawerStatusView, Type.Null()]),
  display: Type.Union([DisplayStatusView, Type.Null()]),
  ordering: OrderingState,
  alerts: Type.Array(DeviceAlert),
});
export type DevicesStatus = Static<typeof DevicesStatus>;

/** WebSocket delta of the `devices` topic: the whole device state, sent on every change (it is small). */
export interface DevicesDelta {
  kind: "devices";
  devices: DevicesStatus;
}

/**
 * `GET /api/devices/history?device=drawer&limit=100`: what the devices did, newest first —
 * printer.online/offline/fault/ready, drawer.kicked/opened/closed/left_open/kick_failed.
 */
export const DeviceHistoryQuery = Type.Object(
  { device: Type.Optional(DeviceId), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, default: 100 })) },
  { additionalProperties: false },
);
export const DeviceHistoryEntry = Type.Object({
  seq: Type.Integer(),
  deviceId: Type.String(),
  type: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  at: Type.String({ format: "date-time" }),
});
export const DeviceHistoryResponse = Type.Object({ events: Type.Array(DeviceHistoryEntry) });
export type DeviceHistoryEntry = Static<typeof DeviceHistoryEntry>;

// ---- diagnostics and the customer display ----------------------------------------------------------

/** `POST /api/diagnostics/cash-drawer`: the kick was sent; `state` is the drawer's state a moment later. */
export const DrawerKickResponse = Type.Object({ kicked: Type.Literal(true), drawer: DrawerStatusView });

/** `POST /api/devices/display`: what the pole display should show (the counter's cart flow). */
export const DisplayFrameBody = Type.Union([
  Type.Object({ frame: Type.Literal("welcome") }, { additionalProperties: false }),
  Type.Object(
    {
      frame: Type.Literal("item"),
      name: Text({ minLength: 1, maxLength: 80 }),
      quantity: Type.Integer({ minimum: 1, maximum: 999 }),
      amount: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { frame: Type.Literal("total"), amount: Type.Integer({ minimum: 0, maximum: 100_000_000 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      frame: Type.Literal("change"),
      paid: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
      change: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { frame: Type.Literal("ready"), number: Type.Integer({ minimum: 1, maximum: 99_999 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { frame: Type.Literal("text"), lines: Type.Array(Text({ maxLength: 40 }), { minItems: 1, maxItems: 2 }) },
    { additionalProperties: false },
  ),
]);
export type DisplayFrameBody = Static<typeof DisplayFrameBody>;
