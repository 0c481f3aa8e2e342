/**
 * What the Adyen driver is given, checked: `AdyenTerminalOptions` resolved to settings with their
 * defaults (a bad option throws DriverError `config_invalid`), and the check of each sale, refund
 * or reversal request before anything is sent.
 */
import { readFileSync } from "node:fs";
import { DriverError } from "../../errors.ts";
import { silentDriverLogger, type DriverLogger } from "../../logger.ts";
import type { TerminalAmountRequest } from "../terminal.ts";
import type { NexoLinkOptions } from "./nexo-exchange.ts";
import { securityKey, type NexoParty } from "./nexo-messages.ts";

export interface AdyenTerminalOptions {
  /** The terminal's local endpoint, e.g. `https://192.168.1.20:8443/nexo`. */
  url: string;
  /** The terminal's POIID, `[model]-[serial]`, e.g. `V400m-123456789`. */
  poiId: string;
  /** This register's SaleID (stable: TransactionStatus finds our requests by SaleID + ServiceID). */
  saleId: string;
  /** The shared key set up for the terminal (Customer Area → Terminal settings → Encryption key). */
  keys: { keyIdentifier: string; keyVersion: number; passphrase: string };
  /** ISO 4217 currency of `endOfDay()` totals; default EUR. */
  currency?: string;
  /** PEM of the CA the terminal's certificate chains to (Adyen's terminal root), or a path to it. */
  certificate?: string;
  logger?: DriverLogger;
  /** TCP connect + TLS handshake; default 5 s. */
  connectTimeoutMs?: number;
  /** Waiting for a sale / refund / reversal to end (`PaymentOptions.timeoutMs` overrides); default 150 s (Adyen times out at 120 s). */
  paymentTimeoutMs?: number;
  /** Status, abort, diagnosis and reconciliation answers; default 30 s. */
  requestTimeoutMs?: number;
  /** A DiagnosisRequest this often while idle, after `start()`; 0 turns it off. Default 60 s. */
  pollIntervalMs?: number;
}

/** The options checked, with their defaults. */
export interface AdyenSettings {
  party: NexoParty;
  link: NexoLinkOptions;
  currency: string;
  logger: DriverLogger;
  paymentTimeoutMs: number;
  requestTimeoutMs: number;
  pollIntervalMs: number;
}

const REFERENCE = /^[A-Za-z0-9-]{1,36}$/;
const CURRENCY = /^[A-Z]{3}$/;

function configError(message: string, cause?: unknown): DriverError {
  return new DriverError("config_invalid", `Adyen terminal: ${message}`, { cause });
}

function readCertificate(certificate: string | undefined): string | undefined {
  if (certificate === undefined || certificate.includes("-----BEGIN")) return certificate;
  try {
    return readFileSync(certificate, "utf8");
  } catch (error) {
    throw configError(`cannot read the terminal CA certificate ${certificate}`, error);
  }
}

/** Checks `options` and fills in the defaults. Throws DriverError `config_invalid`. */
export function resolveOptions(options: AdyenTerminalOptions): AdyenSettings {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (error) {
    throw configError(`"${options.url}" is not a URL`, error);
  }
  if (url.protocol !== "https:") throw configError(`the terminal URL must be https:, not ${url.protocol}`);
  if (options.poiId.trim() === "") throw configError("poiId is empty");
  if (options.saleId.trim() === "") throw configError("saleId is empty");
  const { keyIdentifier, keyVersion, passphrase } = options.keys;
  if (keyIdentifier === "" || passphrase === "" || !Number.isInteger(keyVersion)) {
    throw configError("the shared key needs an identifier, an integer version and a passphrase");
  }
  const currency = options.currency ?? "EUR";
  if (!CURRENCY.test(currency)) throw configError(`"${currency}" is not an ISO 4217 currency`);
  const logger = options.logger ?? silentDriverLogger;
  return {
    party: { saleId: options.saleId, poiId: options.poiId },
    link: {
      url,
      ca: readCertificate(options.certificate),
      poiId: options.poiId,
      key: securityKey(options.keys),
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      logger,
    },
    currency,
    logger,
    paymentTimeoutMs: options.paymentTimeoutMs ?? 150_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    pollIntervalMs: options.pollIntervalMs ?? 60_000,
  };
}

/** Why `request` cannot be sent, or null when it can. */
export function checkAmountRequest(request: TerminalAmountRequest): string | null {
  if (!REFERENCE.test(request.reference)) return "the reference must be 1–36 characters [A-Za-z0-9-]";
  if (!Number.isSafeInteger(request.amount) || request.amount < 1) return "the amount must be a whole number ≥ 1";
  if (!CURRENCY.test(request.currency)) return "the currency must be an ISO 4217 code";
  return null;
}
