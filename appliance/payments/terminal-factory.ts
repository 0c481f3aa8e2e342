/**
 * A configured terminal's driver (drivers/index.ts): ZVT over TCP or serial with its password,
 * Adyen's Terminal API in local mode with its shared key. Credentials come sealed from the
 * journal (`PUT /api/payments/terminals/:id/credentials`); a ZVT terminal without any uses the
 * factory password 000000, an Adyen terminal without keys cannot be driven.
 */
import { readFileSync } from "node:fs";
import { createZvtTerminal, loadAdyenTerminal, type PaymentTerminal } from "../../drivers/index.ts";
import type { Logger } from "../lib/logger.ts";
import type { TerminalConfig } from "./config-schema.ts";

export type TerminalCredentials =
  { password: string } | { keyIdentifier: string; keyVersion: number; passphrase: string };

/** The ZVT factory password most terminals ship with. */
export const ZVT_DEFAULT_PASSWORD = "000000";

export interface TerminalDriverOptions {
  config: TerminalConfig;
  credentials: TerminalCredentials | undefined;
  currency: string;
  /** Our sale system's id towards Adyen (the board's name). */
  saleId: string;
  log: Logger;
}

/** The driver, or a plain reason why this terminal cannot be driven yet. */
export async function createTerminalDriver(options: TerminalDriverOptions): Promise<PaymentTerminal | string> {
  const { config, credentials } = options;
  const logger = options.log;
  if (config.protocol === "zvt") {
    const password = credentials && "password" in credentials ? credentials.password : ZVT_DEFAULT_PASSWORD;
    return createZvtTerminal(config.uri, {
      password,
      currency: options.currency,
      logger,
      paymentTimeoutMs: config.paymentTimeoutSeconds * 1_000,
    });
  }
  if (!credentials || !("keyIdentifier" in credentials)) return "the terminal's shared key is not set";
  if (!config.poiId) return "devices.terminals[].poiId is not set";
  let certificate: string | undefined;
  if (config.caFile) {
    try {
      certificate = readFileSync(config.caFile, "utf8");
    } catch (error) {
      return `cannot read caFile ${config.caFile}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  // Loaded only for a board that has an Adyen terminal (drivers/index.ts `loadAdyenTerminal`).
  const { createAdyenTerminal } = await loadAdyenTerminal();
  return createAdyenTerminal({
    url: config.uri,
    poiId: config.poiId,
    saleId: options.saleId,
    keys: credentials,
    currency: options.currency,
    ...(certificate === undefined ? {} : { certificate }),
    logger,
    paymentTimeoutMs: config.paymentTimeoutSeconds * 1_000,
  });
}
