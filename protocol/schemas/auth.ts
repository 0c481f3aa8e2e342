/** Sign-in, screen pairing, users and devices. */
import { Type, type Static } from "typebox";
import { Role, SCREEN_ROLES, Uuid } from "./common.ts";
import { PERMISSIONS } from "../core/permissions.ts";
import { Text } from "./text.ts";

export const Pin = Type.String({ pattern: "^[0-9]{4,8}$", description: "4 to 8 digits" });

/** `POST /api/auth/login`. */
export const LoginBody = Type.Object({ pin: Pin }, { additionalProperties: false });

export const Principal = Type.Object({
  kind: Type.Enum(["user", "device"]),
  id: Uuid,
  name: Type.String(),
  role: Role,
  permissions: Type.Array(Type.Enum(PERMISSIONS)),
});
export type Principal = Static<typeof Principal>;

export const TokenResponse = Type.Object({
  token: Type.String(),
  expiresAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  principal: Principal,
});
export type TokenResponse = Static<typeof TokenResponse>;

/** `POST /api/devices/pairing-codes`: a code a screen types in to become `role`. */
export const PairingCodeBody = Type.Object(
  {
    role: Type.Enum(SCREEN_ROLES),
    name: Text({ minLength: 1, maxLength: 60 }),
  },
  { additionalProperties: false },
);
export const PairingCodeResponse = Type.Object({
  code: Type.String(),
  role: Role,
  name: Type.String(),
  expiresAt: Type.String({ format: "date-time" }),
});
export type PairingCodeResponse = Static<typeof PairingCodeResponse>;

/** `POST /api/devices/pair`. */
export const PairBody = Type.Object(
  {
    code: Text({
      minLength: 4,
      maxLength: 16,
      description: "the code as typed (case, spaces and dashes do not matter)",
    }),
  },
  { additionalProperties: false },
);

/** `POST /api/devices/dev-pair`: development mode only, loopback only. */
export const DevPairBody = Type.Object(
  {
    role: Type.Enum(SCREEN_ROLES),
    name: Type.Optional(Text({ minLength: 1, maxLength: 60 })),
  },
  { additionalProperties: false },
);

export const DeviceView = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: Role,
  status: Type.Enum(["active", "revoked"]),
  pairedAt: Type.String({ format: "date-time" }),
  lastSeenAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});
export type DeviceView = Static<typeof DeviceView>;

export const UserView = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: Role,
  status: Type.Enum(["active", "deactivated"]),
  createdAt: Type.String({ format: "date-time" }),
});
export type UserView = Static<typeof UserView>;

/** A user as created or changed; `pin` only when the appliance chose it (shown this once, never again). */
export const UserWithPin = Type.Object({ ...UserView.properties, pin: Type.Optional(Pin) });
export type UserWithPin = Static<typeof UserWithPin>;

/** `POST /api/users`: without `pin` the appliance chooses one (the default; a chosen one is rate-limited). */
export const CreateUserBody = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 60 }),
    role: Type.Enum(["cashier", "manager", "technician", "admin", "kitchen"]),
    pin: Type.Optional(Pin),
  },
  { additionalProperties: false },
);

/** `PATCH /api/users/:id`. */
export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Text({ minLength: 1, maxLength: 60 })),
    status: Type.Optional(Type.Enum(["active", "deactivated"])),
    /** A PIN someone chose (rate-limited: `auth.pinChoicesPerMinute`). */
    pin: Type.Optional(Pin),
    /** The appliance chooses a new PIN and returns it once. */
    resetPin: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false, minProperties: 1 },
);
