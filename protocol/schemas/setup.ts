/**
 * The board's setup page (`/setup`, appliance/setup): what it submits and what it reads back.
 * The fields are those of galley-setup.json (docs/technician.md) except the admin PIN, which
 * comes in clear here and is hashed into the journal at once, never written to a file.
 */
import { Type, type Static } from "typebox";
import { Currency, HTTP_URL_PATTERN } from "./common.ts";
import { Pin } from "./auth.ts";
import { Text } from "./text.ts";

export const SetupBody = Type.Object(
  {
    /** The six digits on the board's own screen (and in galleyd's log). */
    code: Type.String({ pattern: "^[0-9]{6}$" }),
    name: Type.String({ pattern: "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", description: "the board's host name" }),
    role: Type.Enum(["hub", "screen"]),
    hub: Type.Optional(
      Type.String({ pattern: HTTP_URL_PATTERN, maxLength: 300, description: "for a screen-only board: the hub's URL" }),
    ),
    display: Type.Optional(
      Text({ minLength: 1, maxLength: 300, description: '"/kiosk", "/kitchen", "/board", "none" or a URL' }),
    ),
    timezone: Type.String({ pattern: "^[A-Za-z0-9_+/-]{1,64}$", description: "IANA time zone, e.g. Europe/Berlin" }),
    store: Type.Optional(
      Type.Object(
        { name: Type.Optional(Text({ minLength: 1, maxLength: 80 })), currency: Type.Optional(Currency) },
        { additionalProperties: false },
      ),
    ),
    wifi: Type.Optional(
      Type.Object(
        {
          ssid: Text({ minLength: 1, maxLength: 32 }),
          // A WPA passphrase is 8 to 63 printable ASCII characters (IEEE 802.11i, annex H.4).
          psk: Type.Optional(Type.String({ pattern: "^[ -~]{8,63}$" })),
          country: Type.Optional(Type.String({ pattern: "^[A-Z]{2}$" })),
          hidden: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    adminPin: Type.Optional(Pin),
  },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

/**
 * waiting: the board waits for its setup (errors: what the last setup file or submission got
 * wrong); applying: a submission waits for the board to import it; done: the board is set up.
 */
export const SetupStatus = Type.Object({
  state: Type.Enum(["waiting", "applying", "done"]),
  errors: Type.Array(Type.String()),
  /** Only to the board's own screen (a loopback client): the code a phone on the hotspot types. */
  code: Type.Optional(Type.String()),
});
export type SetupStatus = Static<typeof SetupStatus>;
