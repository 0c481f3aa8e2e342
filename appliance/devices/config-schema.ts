/**
 * The `devices` key of the configuration file: printers and what each prints, the cash drawer,
 * the pole display, job expiry, and the "stop taking orders" rule. README "Configuration" and
 * "Printers, drawer and customer display" document every key (a test keeps them in step).
 *
 * Keys left out fall back by mode (devices/config.ts): development without `printers` gets
 * simulated devices; production gets none.
 */
import { Type, type Static } from "typebox";
import { HTTP_URL_PATTERN } from "../../protocol/schemas/common.ts";
import { DeviceId } from "../../protocol/schemas/devices.ts";
import { Text } from "../../protocol/schemas/text.ts";
import { TerminalsConfig } from "../payments/config-schema.ts";

/** tcp://host:9100, serial:/dev/…?baud=…, usb:vid:pid?serial=…, usblp:/dev/usb/lp0, sim: (drivers/README.md). */
const DeviceUri = Type.String({ pattern: "^(tcp|serial|usb|usblp|sim):", maxLength: 300 });

export const PrinterConfig = Type.Object(
  {
    id: DeviceId,
    /** Shown on screens, e.g. "Grill printer". Default: the id. */
    name: Type.Optional(Text({ minLength: 1, maxLength: 60 })),
    uri: DeviceUri,
    /** Built-in profile: epson-tm-t88, epson-tm-t20, generic-80, generic-58, oneway-58. */
    profile: Type.String({ minLength: 1, maxLength: 40, default: "epson-tm-t20" }),
    /** Characters per line, when the installed printer differs from its profile. */
    columns: Type.Optional(Type.Integer({ minimum: 16, maximum: 80 })),
    /** Kitchen stations whose tickets this printer prints; "*" = every station. */
    kitchenStations: Type.Array(Type.String({ pattern: "^(\\*|[a-z0-9][a-z0-9_-]{0,63})$" }), {
      uniqueItems: true,
      maxItems: 40,
      default: [],
    }),
    receipts: Type.Boolean({ default: false }),
    /** The kiosk customer's order-number slip. */
    numberSlips: Type.Boolean({ default: false }),
    /** Status poll period (also how fast a pulled cable is noticed). */
    pollIntervalMs: Type.Integer({ minimum: 20, maximum: 60_000, default: 2_000 }),
    statusTimeoutMs: Type.Integer({ minimum: 20, maximum: 30_000, default: 1_000 }),
    /** Reconnect backoff: first delay and cap. */
    reconnectInitialMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 500 }),
    reconnectMaxMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 30_000 }),
  },
  { additionalProperties: false },
);
export type PrinterConfig = Static<typeof PrinterConfig>;

export const DrawerConfig = Type.Object(
  {
    /** Id of the printer whose kick-out connector the drawer hangs on. */
    printer: DeviceId,
    /** Connector pin that fires the solenoid; "both" when the wiring is unknown. */
    pin: Type.Enum([2, 5, "both"], { default: 2 }),
    /** How the drawer's switch reads when open; "profile" = the printer profile's default. */
    polarity: Type.Enum(["profile", "low-is-open", "high-is-open", "none"], { default: "profile" }),
    /** Raise "drawer left open" after this long. */
    leftOpenAfterSeconds: Type.Integer({ minimum: 1, maximum: 3_600, default: 60 }),
    /** Open the drawer for cash: a cash payment or refund, a shift's float, cash in and out, the count at the close. */
    kickOnCash: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);
export type DrawerConfig = Static<typeof DrawerConfig>;

export const DisplayConfig = Type.Object(
  {
    /** Wired directly (usually serial:/dev/ttyUSB1?baud=9600) … */
    uri: Type.Optional(DeviceUri),
    /** … or behind this printer (ESC = n pass-through). Give exactly one of the two. */
    passThrough: Type.Optional(DeviceId),
    /** The display's emulation (DIP switches). */
    commandSet: Type.Enum(["epson", "cd5220", "logic-controls"], { default: "epson" }),
    /** Second row of the idle screen. Default: the store's name. */
    welcome: Type.Optional(Text({ maxLength: 40 })),
    /** After "Order 42 ready" or the change, go back to the welcome after this long. */
    idleSeconds: Type.Integer({ minimum: 1, maximum: 3_600, default: 30 }),
  },
  { additionalProperties: false },
);
export type DisplayConfig = Static<typeof DisplayConfig>;

export const DevicesConfig = Type.Object(
  {
    /** Absent: simulated printers in development, none in production. */
    printers: Type.Optional(Type.Array(PrinterConfig, { maxItems: 16 })),
    drawer: Type.Optional(DrawerConfig),
    display: Type.Optional(DisplayConfig),
    /** Card terminals (ZVT, Adyen local) and which kiosks or counter each serves (appliance/payments/config-schema.ts). */
    terminals: Type.Optional(TerminalsConfig),
    /** A job not printed by then is expired instead of printing late. */
    expiry: Type.Object(
      {
        kitchenMinutes: Type.Integer({ minimum: 1, maximum: 1_440, default: 45 }),
        receiptMinutes: Type.Integer({ minimum: 1, maximum: 1_440, default: 60 }),
        numberSlipMinutes: Type.Integer({ minimum: 1, maximum: 1_440, default: 10 }),
        drawerSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 15 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Stop taking orders while no kitchen route works (no printer for kitchen tickets online, no kitchen screen). */
    requireKitchenRoute: Type.Boolean({ default: true }),
    /** Base URL customers reach the appliance at; receipts and slips get a QR code to `<url>/kiosk?order=<id>`. */
    statusBaseUrl: Type.Optional(Type.String({ pattern: HTTP_URL_PATTERN, maxLength: 200 })),
    /** Write what simulated printers print to `<dataDir>/prints/` as text and PNG. Default: on in development. */
    savePrints: Type.Optional(Type.Boolean()),
    /** The slip printed once per boot: board name, addresses, a QR code to /admin, pairing codes for screens. */
    bootSlip: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        /** How long the slip's pairing codes stay valid. */
        pairingCodeHours: Type.Integer({ minimum: 1, maximum: 168, default: 24 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type DevicesConfig = Static<typeof DevicesConfig>;
