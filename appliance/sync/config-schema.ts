/**
 * Configuration of upstream sync (`sync`) and journal backups (`backups`). Only non-secret
 * settings: tokens come through `POST /api/integrations/:target/connect` and are sealed in the
 * journal with a key kept outside it (secrets.ts). The defaults run a fresh appliance with no
 * target connected: nothing is sent and nothing complains.
 */
import { Type, type Static } from "typebox";
import { HTTP_URL_PATTERN } from "../../protocol/schemas/common.ts";
import { Text } from "../../protocol/schemas/text.ts";

const obj = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false, default: {} });

/** "" or an http(s) URL. */
const Url = (fallback: string) => Type.String({ pattern: `^$|${HTTP_URL_PATTERN}`, maxLength: 300, default: fallback });
const TimeOfDay = (fallback: string) => Type.String({ pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$", default: fallback });

export const SyncConfig = obj({
  /** Our central server (docs/architecture.md#targets): batches of events, manifest, store orders. */
  central: obj({
    /** Base URL, e.g. https://central.example.com; empty: the central target cannot be connected. */
    url: Url(""),
    /** This store's id on the central server (also settable when connecting). */
    storeId: Text({ maxLength: 64, default: "" }),
    /** Events per batch request (the protocol allows up to 100). */
    batchSize: Type.Integer({ minimum: 1, maximum: 100, default: 100 }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 15_000 }),
  }),
  square: obj({
    /** https://connect.squareup.com (production) or https://connect.squareupsandbox.com. */
    url: Url("https://connect.squareup.com"),
    /** Square-Version header pinned on every request. */
    version: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", default: "2025-08-20" }),
    /** OAuth application id (refreshing tokens needs it). */
    clientId: Text({ maxLength: 128, default: "" }),
    /** `source.name` of created orders; lookups after an unknown outcome search by it. */
    sourceName: Text({ minLength: 1, maxLength: 40, default: "Galley" }),
    /** How long Square is assumed to remember an idempotency key (undocumented; docs/architecture.md#idempotency-keys). */
    keyTtlSeconds: Type.Integer({ minimum: 1, maximum: 2_592_000, default: 86_400 }),
    /** Refresh the access token when it expires within this many days. */
    refreshBeforeDays: Type.Integer({ minimum: 0, maximum: 29, default: 7 }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  }),
  zoho: obj({
    /** Inventory API base of the organisation's data centre. */
    url: Url("https://www.zohoapis.com/inventory/v1"),
    /** Accounts server of the same data centre (token refresh). */
    accountsUrl: Url("https://accounts.zoho.com"),
    clientId: Text({ maxLength: 128, default: "" }),
    /** Our own sales order numbers are this prefix + the order reference (ignore_auto_number_generation). */
    numberPrefix: Type.String({ pattern: "^[A-Za-z0-9_-]{0,10}$", default: "GL-" }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  }),
  retry: obj({
    /** Full-jitter backoff: the first retry waits up to baseMs, doubling to capMs. */
    baseMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 2_000 }),
    capMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 300_000 }),
    /** How long a leased item may stay `sending` before it counts as abandoned. */
    leaseSeconds: Type.Integer({ minimum: 1, maximum: 3_600, default: 120 }),
    /** The worker looks for due items at least this often, whatever wakes it. */
    tickMs: Type.Integer({ minimum: 10, maximum: 300_000, default: 5_000 }),
    /** While upstream is unreachable, a TCP connect probe this often (no request is sent). */
    offlineProbeMs: Type.Integer({ minimum: 10, maximum: 300_000, default: 500 }),
    /** Notify people after this many failed requests in a row (docs/architecture.md#notifications). */
    notifyAfterFailures: Type.Integer({ minimum: 1, maximum: 1_000, default: 3 }),
  }),
  verification: obj({
    /** Compare acknowledged orders with upstream this often (0: only on demand). */
    everyMinutes: Type.Integer({ minimum: 0, maximum: 10_080, default: 360 }),
    /** How far back each run looks. */
    windowDays: Type.Integer({ minimum: 1, maximum: 365, default: 7 }),
  }),
  orderBackups: obj({
    /** Cleanup deletes verified, imported and duplicate backup records older than this. */
    cleanupDays: Type.Integer({ minimum: 1, maximum: 3_650, default: 30 }),
    /** When the daily cleanup runs (store time). */
    cleanupAt: TimeOfDay("00:00"),
    /** The day's reconciliation runs this many minutes before the business day ends. */
    reconcileMinutesBeforeDayEnd: Type.Integer({ minimum: 0, maximum: 720, default: 10 }),
  }),
  notifications: obj({
    /** Notifications are also POSTed here as JSON (an e-mail or chat relay); empty: API and screens only. */
    webhookUrl: Url(""),
  }),
  /** Key that seals upstream tokens; empty: `<dataDir>/secrets.key` (created 0600 on first use). */
  secretKeyFile: Type.String({ default: "" }),
});
export type SyncConfig = Static<typeof SyncConfig>;

export const BackupsConfig = obj({
  /** A journal backup this often (0: only on demand and with `galley backup`). */
  everyHours: Type.Integer({ minimum: 0, maximum: 720, default: 6 }),
  /** Retention never deletes the newest `keep` ready backups. */
  keep: Type.Integer({ minimum: 1, maximum: 1_000, default: 7 }),
  /** …nor any younger than this. */
  retentionDays: Type.Integer({ minimum: 1, maximum: 3_650, default: 14 }),
  /** Where backups go; empty: `<dataDir>/backups`. */
  folder: Type.String({ default: "" }),
  /**
   * Whether the wall clock can be trusted for retention: `auto` asks `timedatectl`
   * (NTPSynchronized; unsynchronised when it cannot tell), or assume `synced` / `unsynced`.
   */
  clockSync: Type.Enum(["auto", "synced", "unsynced"], { default: "auto" }),
});
export type BackupsConfig = Static<typeof BackupsConfig>;
