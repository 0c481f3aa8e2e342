/**
 * The configuration file's schema: the one place every key, its default and its meaning live.
 * README "Configuration" documents the same keys (a test keeps them in step).
 */
import { Type, type Static } from "typebox";
import { Text } from "../../protocol/schemas/text.ts";
import { OrderStatus, type Channel, type OrderStatus as OrderStatusName } from "../../protocol/schemas/common.ts";
import { DevicesConfig } from "../devices/config-schema.ts";
import { BackupsConfig, SyncConfig } from "../sync/config-schema.ts";
import { PaymentsConfig } from "../payments/config-schema.ts";
import { CashConfig } from "../cash/config-schema.ts";

/** How orders of one channel move: which states end them, and whether they go straight to the kitchen. */
function channelFlow(terminal: OrderStatusName[]) {
  return Type.Object(
    {
      /** States an order of this channel can never leave (refunded and cancelled always are). */
      terminalStatuses: Type.Array(OrderStatus, { uniqueItems: true, minItems: 1, default: terminal }),
      /** Whether a new order goes straight to the kitchen (in_queue) or waits as pending. */
      autoQueue: Type.Boolean({ default: true }),
    },
    { additionalProperties: false, default: {} },
  );
}

export const ConfigSchema = Type.Object(
  {
    /** development: demo menu, simulated devices, screens on localhost pair themselves. */
    mode: Type.Enum(["development", "production"], { default: "production" }),
    dataDir: Type.String({ minLength: 1, default: "/var/lib/galley" }),
    server: Type.Object(
      {
        host: Type.String({ minLength: 1, default: "0.0.0.0" }),
        port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8080 }),
        /** Largest request body accepted, in bytes. */
        bodyLimitBytes: Type.Integer({ minimum: 1_024, maximum: 16_777_216, default: 262_144 }),
      },
      { additionalProperties: false, default: {} },
    ),
    store: Type.Object(
      {
        name: Text({ minLength: 1, maxLength: 80, default: "Galley" }),
        /** IANA time zone used for the business date and printed times. */
        timezone: Type.String({ minLength: 1, default: "UTC" }),
        currency: Type.String({ pattern: "^[A-Z]{3}$", default: "EUR" }),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: Type.Enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { default: "info" }),
      },
      { additionalProperties: false, default: {} },
    ),
    orders: Type.Object(
      {
        refPrefix: Type.String({ maxLength: 12, pattern: "^[A-Za-z0-9_-]*$", default: "ORD-" }),
        /** Tokens: yyyy, yy, MM, dd. */
        refDateFormat: Type.String({ maxLength: 16, pattern: "^(yyyy|yy|MM|dd|[-_./])*$", default: "yyyyMMdd" }),
        refRandomLength: Type.Integer({ minimum: 4, maximum: 12, default: 6 }),
        /** Hour (store time) at which a new business day, and order number 1, begins. */
        dayStartHour: Type.Integer({ minimum: 0, maximum: 23, default: 4 }),
        numberStart: Type.Integer({ minimum: 1, maximum: 9_999, default: 1 }),
        /**
         * Numbers wrap back to numberStart after this, skipping any still on the board; when every
         * number up to here is held by an open order, they go on above it rather than repeat one.
         */
        numberMax: Type.Integer({ minimum: 10, maximum: 99_999, default: 999 }),
        maxQuantityPerLine: Type.Integer({ minimum: 1, maximum: 999, default: 50 }),
        maxLinesPerOrder: Type.Integer({ minimum: 1, maximum: 100, default: 60 }),
        channels: Type.Object(
          {
            kiosk: channelFlow(["completed", "cancelled", "refunded"]),
            counter: channelFlow(["cancelled", "refunded"]),
            web: channelFlow(["completed", "cancelled", "refunded"]),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    pricing: Type.Object(
      {
        /** inclusive: menu prices include tax (EU). exclusive: tax is added at the total (US). */
        taxMode: Type.Enum(["inclusive", "exclusive"], { default: "inclusive" }),
      },
      { additionalProperties: false, default: {} },
    ),
    stock: Type.Object(
      {
        holdTtlSeconds: Type.Integer({ minimum: 30, maximum: 86_400, default: 900 }),
      },
      { additionalProperties: false, default: {} },
    ),
    sessions: Type.Object(
      {
        /** An open cart untouched this long is abandoned and its holds released. */
        idleAbandonSeconds: Type.Integer({ minimum: 60, maximum: 86_400, default: 1_800 }),
      },
      { additionalProperties: false, default: {} },
    ),
    auth: Type.Object(
      {
        staffTokenTtlHours: Type.Integer({ minimum: 1, maximum: 720, default: 12 }),
        pairingCodeTtlSeconds: Type.Integer({ minimum: 60, maximum: 86_400, default: 600 }),
        /** Wrong PINs allowed per client address per minute (attempts in flight count too). */
        loginAttemptsPerMinute: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
        /** Wrong PINs allowed per minute from all addresses together. */
        loginAttemptsPerMinuteTotal: Type.Integer({ minimum: 1, maximum: 1_000, default: 30 }),
        /** PINs one person may choose for staff per minute (the appliance's own choices are free). */
        pinChoicesPerMinute: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
      },
      { additionalProperties: false, default: {} },
    ),
    push: Type.Object(
      {
        heartbeatSeconds: Type.Integer({ minimum: 1, maximum: 300, default: 15 }),
        /** A client further behind than this many events gets a fresh snapshot instead of a replay. */
        replayLimit: Type.Integer({ minimum: 10, maximum: 100_000, default: 1_000 }),
        /** A client whose unsent buffer exceeds this is dropped (it reconnects and resumes). */
        maxBufferedBytes: Type.Integer({ minimum: 65_536, maximum: 67_108_864, default: 4_194_304 }),
        /** Messages a socket may send per second on average (bursts of twice that); more closes it with 4429. */
        messagesPerSecond: Type.Integer({ minimum: 1, maximum: 1_000, default: 10 }),
        /** Subscriptions (each a snapshot or replay) a socket may make per minute; more closes it with 4429. */
        subscribesPerMinute: Type.Integer({ minimum: 1, maximum: 1_000, default: 30 }),
        /** Sockets one token may hold open; a newer one closes the oldest with 4409. */
        socketsPerToken: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
      },
      { additionalProperties: false, default: {} },
    ),
    menu: Type.Object(
      {
        /** Menu loaded into an empty journal: "demo", "none" or a path to a menu JSON file. */
        seed: Type.String({ minLength: 1, default: "none" }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** A board's first setup from a browser (appliance/setup): the image's first boot sets it. */
    setup: Type.Object(
      {
        /** While this file exists the board waits for its setup and serves /setup; empty: never. */
        flagFile: Type.String({ default: "" }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Printers, cash drawer, pole display and the print spooler (appliance/devices/config-schema.ts). */
    devices: DevicesConfig,
    /** Checkouts on card terminals, refunds, end of day, provider tokens (appliance/payments/config-schema.ts). */
    payments: PaymentsConfig,
    /** Cash shifts: required or off, blind close, the default drawer (appliance/cash/config-schema.ts). */
    cash: CashConfig,
    /** Upstream sync, order backups and verification (appliance/sync/config-schema.ts). */
    sync: SyncConfig,
    /** Journal backups: schedule, retention, folder (appliance/sync/config-schema.ts). */
    backups: BackupsConfig,
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
export type ChannelFlow = Static<ReturnType<typeof channelFlow>>;
export type { Channel };

/** What main.ts hands createApp: the validated file plus secrets that only come from the environment. */
export interface RuntimeConfig {
  readonly config: Readonly<Config>;
  /** First admin's PIN (GALLEY_ADMIN_PIN); never stored in the file or the journal in clear. */
  readonly adminPin: string | undefined;
  /** Where the config came from, for logs and `galley doctor`. */
  readonly source: string;
}
