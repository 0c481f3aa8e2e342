/**
 * Card providers (Square, Stripe): the configuration file's `payments.providers` section, the
 * providers a configuration makes, and the API error an outcome becomes.
 *
 * Secrets are never in clear: Square's access token and Stripe's secret key are sealed with the
 * board's secret key (AES-256-GCM, lib/secret-box.ts, the key file `sync.secretKeyFile` or
 * `<dataDir>/secrets.key`, never in the journal or its backups), exactly as upstream tokens and
 * terminal credentials are. The sealed text (`v1.<keyId>.…`) comes from the journal when the
 * caller gives `sealed` (a credentials route stored it, as for sync and terminals) or else from
 * the file's `sealedAccessToken` / `sealedSecretKey`; it is opened in memory only to build the
 * provider. A copied configuration file or journal therefore reveals nothing, and a board with
 * another key cannot open it (the provider is then left out, with a warning).
 */
import { Type, type Static } from "typebox";
import { AppError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { SecretBox } from "../../lib/secret-box.ts";
import { HTTP_URL_PATTERN } from "../../../protocol/schemas/common.ts";
import { Text } from "../../../protocol/schemas/text.ts";
import { createSquareProvider, SQUARE_DEFAULT_VERSION, type SquareProviderOptions } from "./square.ts";
import { createStripeProvider, type StripeProviderOptions } from "./stripe.ts";
import type { ChargeOutcome, PaymentProvider, ProviderName, RefundOutcome } from "./types.ts";

export type * from "./types.ts";
export { providerKey } from "./types.ts";
export type { SquareProviderOptions } from "./square.ts";
export type { StripeProviderOptions } from "./stripe.ts";

const obj = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false, default: {} });

const TimeoutMs = (fallback: number) => Type.Integer({ minimum: 100, maximum: 120_000, default: fallback });
/** "" or a secret sealed with the board's key (`v1.<keyId>.<iv>.<tag>.<ciphertext>`): never the secret itself. */
const Sealed = Type.String({
  pattern: "^(|v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*)$",
  maxLength: 4_096,
  default: "",
});

/** `payments.providers` of the configuration file. */
export const ProvidersConfig = obj({
  square: obj({
    /** Take card tokens ("cnon:…") through Square. */
    enabled: Type.Boolean({ default: false }),
    /** https://connect.squareup.com (production) or https://connect.squareupsandbox.com. */
    url: Type.String({ pattern: HTTP_URL_PATTERN, maxLength: 300, default: "https://connect.squareup.com" }),
    /** Square-Version header pinned on every request. */
    version: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", default: SQUARE_DEFAULT_VERSION }),
    /** The Square location the payments belong to. */
    locationId: Text({ maxLength: 50, default: "" }),
    /** The access token, sealed with the board's key; "" when the journal holds it. */
    sealedAccessToken: Sealed,
    /** A charge's whole deadline (an issuer can take its time). */
    timeoutMs: TimeoutMs(30_000),
    /** Unreachable when no connection stands within this. */
    connectTimeoutMs: TimeoutMs(5_000),
  }),
  stripe: obj({
    /** Take PaymentMethod ids ("pm_…") through Stripe. */
    enabled: Type.Boolean({ default: false }),
    host: Type.String({ pattern: "^[A-Za-z0-9.-]+$", maxLength: 253, default: "api.stripe.com" }),
    port: Type.Integer({ minimum: 1, maximum: 65_535, default: 443 }),
    protocol: Type.Enum(["https", "http"], { default: "https" }),
    /** The secret (or restricted) key, sealed with the board's key; "" when the journal holds it. */
    sealedSecretKey: Sealed,
    /** Socket inactivity timeout of a request. */
    timeoutMs: TimeoutMs(30_000),
    connectTimeoutMs: TimeoutMs(5_000),
    /** The SDK's own retries with the same key (0: galleyd decides). */
    maxNetworkRetries: Type.Integer({ minimum: 0, maximum: 3, default: 0 }),
  }),
});
export type ProvidersConfig = Static<typeof ProvidersConfig>;

export type ProviderConfig =
  ({ provider: "square" } & SquareProviderOptions) | ({ provider: "stripe" } & StripeProviderOptions);

export function createProvider(config: ProviderConfig): PaymentProvider {
  switch (config.provider) {
    case "square": {
      const { provider: _, ...options } = config;
      return createSquareProvider(options);
    }
    case "stripe": {
      const { provider: _, ...options } = config;
      return createStripeProvider(options);
    }
  }
}

/**
 * The provider's configuration from the file's section and its opened secret (Square's access
 * token, Stripe's secret key); undefined while the provider is not enabled (or Square has no
 * location yet).
 */
export function providerConfig(
  section: ProvidersConfig,
  name: ProviderName,
  secret: string,
): ProviderConfig | undefined {
  if (name === "square") {
    const s = section.square;
    if (!s.enabled || s.locationId === "") return undefined;
    return {
      provider: "square",
      baseUrl: s.url,
      accessToken: secret,
      locationId: s.locationId,
      version: s.version,
      timeoutMs: s.timeoutMs,
      connectTimeoutMs: s.connectTimeoutMs,
    };
  }
  const s = section.stripe;
  if (!s.enabled) return undefined;
  return {
    provider: "stripe",
    secretKey: secret,
    host: s.host,
    port: s.port,
    protocol: s.protocol,
    timeoutMs: s.timeoutMs,
    connectTimeoutMs: s.connectTimeoutMs,
    maxNetworkRetries: s.maxNetworkRetries,
  };
}

export interface CreateProvidersDeps {
  box: () => SecretBox;
  log: Logger;
  /** The provider's sealed secret as stored in the journal, if any (it wins over the file's). */
  sealed?: (name: ProviderName) => string | undefined;
}

/**
 * Every enabled provider whose secret opens, by name. One that is enabled but has no secret, no
 * Square location, or a secret sealed with another key is left out with a warning (its payments are
 * then `provider_not_configured`).
 */
export function createProviders(
  section: ProvidersConfig,
  deps: CreateProvidersDeps,
): Map<ProviderName, PaymentProvider> {
  const providers = new Map<ProviderName, PaymentProvider>();
  const fileSecret: Record<ProviderName, string> = {
    square: section.square.sealedAccessToken,
    stripe: section.stripe.sealedSecretKey,
  };
  for (const name of ["square", "stripe"] as const) {
    if (!section[name].enabled) continue;
    const sealed = deps.sealed?.(name) || fileSecret[name];
    if (!sealed) {
      deps.log.warn({ provider: name }, "card provider enabled but has no secret: left out");
      continue;
    }
    let secret: string;
    try {
      secret = deps.box().open(sealed);
    } catch (error) {
      deps.log.warn({ provider: name, err: error }, "card provider's secret cannot be opened: left out");
      continue;
    }
    const config = providerConfig(section, name, secret);
    if (!config) {
      deps.log.warn({ provider: name }, "card provider enabled but incomplete (Square needs a location id): left out");
      continue;
    }
    providers.set(name, createProvider(config));
  }
  return providers;
}

/**
 * The API error for an outcome that is not a success: `provider_declined` (402),
 * `provider_unreachable` (503), `provider_error` (502); undefined for captured / refunded.
 * `details` carry the provider's code and whether the charge may have happened.
 */
export function outcomeError(provider: ProviderName, outcome: ChargeOutcome | RefundOutcome): AppError | undefined {
  switch (outcome.result) {
    case "captured":
    case "refunded":
      return undefined;
    case "declined":
      return new AppError("provider_declined", outcome.message, {
        details: { provider, providerCode: outcome.code },
      });
    case "unreachable":
      return new AppError("provider_unreachable", outcome.message, {
        details: { provider, maybeSent: outcome.maybeSent },
      });
    case "error":
      return new AppError("provider_error", outcome.message, {
        details: { provider, providerCode: outcome.code, retryable: outcome.retryable },
      });
  }
}
