/** Sign-in, screen pairing, users and devices. */
import { Type, type Static } from "typebox";
import { Role, Uuid } from "./common.ts";

export const Pin = Type.String({ pattern: "^[0-9]{4,8}$", description: "4 to 8 digits" });

/** `POST /api/auth/login`. */
export const LoginBody = Type.Object({ pin: Pin }, { additionalProperties: false });

export const Principal = Type.Object({
  kind: Type.Enum(["user", "device"]),
  id: Uuid,
  name: Type.String(),
  role: Role,
  permissions: Type.Array(Type.String()),
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
    role: Type.Enum(["kiosk", "kitchen", "board"]),
    name: Type.String({ minLength: 1, maxLength: 60 }),
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
  { code: Type.String({ minLength: 4, maxLength: 16 }) },
  { additionalProperties: false },
);

/** `POST /api/devices/dev-pair`: development mode only, loopback only. */
export const DevPairBody = Type.Object(
  {
    role: Type.Enum(["kiosk", "kitchen", "board"]),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
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

/** `POST /api/users`. */
export const CreateUserBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    role: Type.Enum(["cashier", "manager", "technician", "admin", "kitchen"]),
    pin: Pin,
  },
  { additionalProperties: false },
);

/** `PATCH /api/users/:id`. */
export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    status: Type.Optional(Type.Enum(["active", "deactivated"])),
    pin: Type.Optional(Pin),
  },
  { additionalProperties: false, minProperties: 1 },
);
