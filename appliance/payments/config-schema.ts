/**
 * Card terminals (`devices.terminals[]`) and the payments settings (`payments`). Only non-secret
 * settings: a ZVT password or Adyen's shared key come through
 * `PUT /api/payments/terminals/:id/credentials` and are sealed in the journal with the board's
 * key, as upstream tokens are. README "Card terminals" documents every key.
 */
import { Type, type Static } from "typebox";
import { Text } from "../../protocol/schemas/text.ts";
import { ProvidersConfig } from "./providers/index.ts";
import { AppError } from "../lib/errors.ts";

export const TerminalConfig = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,39}$" }),
    /** Shown on screens, e.g. "Terminal at kiosk 1". Default: the id. */
    name: Type.Optional(Text({ minLength: 1, maxLength: 60 })),
    protocol: Type.Enum(["zvt", "adyen"]),
    /**
     * ZVT: `tcp://192.168.1.30:20007` or `serial:/dev/ttyUSB0?baud=9600`.
     * Adyen (local mode): `https://192.168.1.31:8443/nexo`.
     * `sim:` a simulated ZVT terminal inside galleyd that approves every card (development, demos).
     */
    uri: Type.String({ pattern: "^(tcp://|serial:|https://|sim:$)", maxLength: 300 }),
    /** Adyen: the terminal's POIID, `<model>-<serial>` as on its label, e.g. `V400m-123456789`. */
    poiId: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9-]{1,40}$" })),
    /** Adyen: a PEM file with the terminal's certificate authority (Adyen's terminal root). */
    caFile: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    /** Kiosks (paired screen names) this terminal serves; `*` = every kiosk. */
    kiosks: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 40, uniqueItems: true, default: [] }),
    /** Staff at the counter take card payments on it. */
    counter: Type.Boolean({ default: false }),
    /** How long the customer has at the terminal before galleyd stops waiting for an answer. */
    paymentTimeoutSeconds: Type.Integer({ minimum: 10, maximum: 600, default: 120 }),
  },
  { additionalProperties: false },
);
export type TerminalConfig = Static<typeof TerminalConfig>;

/** Absent: one simulated terminal for every kiosk and the counter in development (with the simulated printers), none in production. */
export const TerminalsConfig = Type.Array(TerminalConfig, { maxItems: 16 });

/** The terminals galleyd drives: the configured ones, or the development default. Throws config_invalid on a bad set. */
export function resolveTerminals(config: {
  mode: string;
  devices: { terminals?: TerminalConfig[] | undefined; printers?: unknown };
}): TerminalConfig[] {
  const configured = config.devices.terminals;
  if (configured === undefined) {
    if (config.mode !== "development" || config.devices.printers !== undefined) return [];
    return [
      {
        id: "sim",
        name: "Simulated terminal",
        protocol: "zvt",
        uri: "sim:",
        kiosks: ["*"],
        counter: true,
        paymentTimeoutSeconds: 120,
      },
    ];
  }
  const errors: string[] = [];
  const seen = new Set<string>();
  configured.forEach((t, i) => {
    const at = `devices.terminals[${i}]`;
    if (seen.has(t.id)) errors.push(`${at}.id: ${t.id} is used twice`);
    seen.add(t.id);
    if (t.protocol === "zvt" && t.uri.startsWith("https://"))
      errors.push(`${at}.uri: a ZVT terminal is reached at tcp://host:20007 or serial:/dev/…`);
    if (t.protocol === "adyen" && !t.uri.startsWith("https://"))
      errors.push(`${at}.uri: an Adyen terminal in local mode is reached at https://host:8443/nexo`);
    if (t.protocol === "adyen" && t.poiId === undefined) errors.push(`${at}.poiId: required for Adyen terminals`);
  });
  if (errors.length > 0)
    throw new AppError("config_invalid", `invalid configuration:\n  ${errors.join("\n  ")}`, { details: { errors } });
  return configured;
}

export const PaymentsConfig = Type.Object(
  {
    /** A checkout the terminal has not started by then fails instead of charging late. */
    checkoutExpirySeconds: Type.Integer({ minimum: 10, maximum: 3_600, default: 120 }),
    /** Same-day card refunds are reversals (no card needed on most terminals) when the terminal allows. */
    reverseSameDay: Type.Boolean({ default: true }),
    /**
     * Local time ("HH:MM") at which each terminal's end of day runs and its totals are compared
     * with the journal; empty: only when a technician or manager asks.
     */
    endOfDayAt: Type.String({ pattern: "^$|^([01][0-9]|2[0-3]):[0-5][0-9]$", default: "" }),
    /** How often an uncertain attempt asks its terminal (or provider) again. */
    recheckSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 10 }),
    /** Card providers whose tokens galleyd charges (Square, Stripe): appliance/payments/providers/index.ts. */
    providers: ProvidersConfig,
  },
  { additionalProperties: false, default: {} },
);
export type PaymentsConfig = Static<typeof PaymentsConfig>;
