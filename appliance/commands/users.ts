/**
 * Staff accounts: create, rename, change or reset a PIN, deactivate. A user only manages the roles
 * below their own (protocol/core/permissions.ts `canManageRole`); PINs are the appliance's choice unless
 * someone picks one, and a picked PIN is checked and counted by pins.ts.
 */
import { canManageRole } from "../../protocol/core/permissions.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { getUser, insertUser, listUsers, revokeTokensOf, updateUser, type UserRecord } from "../journal/auth-store.ts";
import { appendEvent, type JournalEvent } from "../journal/events.ts";
import type { Principal, UserView } from "../../protocol/schemas/auth.ts";
import type { Role } from "../../protocol/schemas/common.ts";
import { actorOf, iso, type CommandContext } from "./context.ts";

function userView(u: UserRecord): UserView {
  return { id: u.id, name: u.name, role: u.role, status: u.status, createdAt: u.createdAt };
}

export function users(ctx: CommandContext): UserView[] {
  return listUsers(ctx.journal).map(userView);
}

/** A user as created or changed, with the PIN the appliance chose when it chose one (shown once). */
export interface UserChange {
  user: UserView;
  /** Only when the appliance generated it. */
  pin?: string;
  events: JournalEvent[];
}

interface NewPin {
  /** The PIN in clear: kept only to show it once when the appliance chose it. */
  clear: string;
  generated: boolean;
  stored: { hash: string; index: string; keyId: string };
}

/** The PIN `requested` after its checks, or one the appliance chooses. */
async function newPin(
  ctx: CommandContext,
  principal: Principal,
  requested: string | undefined,
  exceptUserId?: string,
): Promise<NewPin> {
  let clear = requested;
  if (clear !== undefined) await ctx.pins.assertChoiceFree(ctx.journal, clear, principal.id, exceptUserId);
  else {
    clear = await ctx.pins.generate(ctx.journal);
    if (clear === undefined) throw new AppError("pin_in_use", "no free PIN could be found; choose one");
  }
  const index = ctx.pins.index(clear);
  return {
    clear,
    generated: requested === undefined,
    stored: { hash: await ctx.pins.hash(clear), index: index.value, keyId: index.keyId },
  };
}

/** Two requests that picked the same PIN at once: the unique index refuses the second. */
function pinTaken(error: unknown): AppError | undefined {
  return error instanceof Error && /UNIQUE constraint failed: users\.pin_index/.test(error.message)
    ? new AppError("pin_in_use", "this PIN cannot be used; choose another, or let the appliance choose one", {
        cause: error,
      })
    : undefined;
}

/** `POST /api/users`: without `pin` the appliance chooses one and returns it once. */
export async function createUser(
  ctx: CommandContext,
  principal: Principal,
  input: { name: string; role: Role; pin?: string },
): Promise<UserChange> {
  if (!canManageRole(principal.role, input.role))
    throw new AppError("forbidden", `a ${principal.role} cannot create ${input.role} users`);
  const pin = await newPin(ctx, principal, input.pin);
  try {
    return ctx.journal.transaction(() => {
      const at = iso(ctx.clock.now());
      const user: UserRecord = {
        id: newId(),
        name: input.name,
        role: input.role,
        pinHash: pin.stored.hash,
        pinIndex: pin.stored.index,
        pinIndexKey: pin.stored.keyId,
        status: "active",
        createdAt: at,
      };
      insertUser(ctx.journal, user);
      const event = appendEvent(ctx.journal, {
        id: newId(),
        type: "user.created",
        aggregateId: user.id,
        actor: actorOf(principal),
        payload: { userId: user.id, name: user.name, role: user.role },
        createdAt: at,
      });
      return { user: userView(user), ...(pin.generated ? { pin: pin.clear } : {}), events: [event] };
    });
  } catch (error) {
    throw pinTaken(error) ?? error;
  }
}

/**
 * `PATCH /api/users/:id`: rename, (de)activate, set a chosen `pin`, or `resetPin` to a PIN the
 * appliance chooses. A new PIN or a deactivation signs the user out everywhere at once.
 */
export async function changeUser(
  ctx: CommandContext,
  principal: Principal,
  userId: string,
  patch: { name?: string; status?: "active" | "deactivated"; pin?: string; resetPin?: boolean },
): Promise<UserChange> {
  const existing = getUser(ctx.journal, userId);
  if (!existing) throw new AppError("user_not_found", `no user ${userId}`);
  if (!canManageRole(principal.role, existing.role))
    throw new AppError("forbidden", `a ${principal.role} cannot change ${existing.role} users`);
  if (patch.status === "deactivated" && existing.id === principal.id)
    throw new AppError("forbidden", "you cannot deactivate yourself");
  if (patch.pin !== undefined && patch.resetPin === true)
    throw new AppError("validation_failed", "give either pin or resetPin, not both", {
      details: { errors: ["body: pin and resetPin together"] },
    });
  const pin =
    patch.pin !== undefined || patch.resetPin === true ? await newPin(ctx, principal, patch.pin, userId) : undefined;
  let result: UserChange;
  try {
    result = ctx.journal.transaction(() => {
      const at = iso(ctx.clock.now());
      updateUser(
        ctx.journal,
        userId,
        {
          ...(patch.name ? { name: patch.name } : {}),
          ...(patch.status ? { status: patch.status } : {}),
          ...(pin ? { pin: pin.stored } : {}),
        },
        at,
      );
      if (patch.status === "deactivated" || pin) revokeTokensOf(ctx.journal, "user", userId, at);
      const event = appendEvent(ctx.journal, {
        id: newId(),
        type: "user.updated",
        aggregateId: userId,
        actor: actorOf(principal),
        payload: {
          userId,
          ...(patch.name ? { name: patch.name } : {}),
          ...(patch.status ? { status: patch.status } : {}),
          ...(pin ? { pinChanged: true } : {}),
        },
        createdAt: at,
      });
      const user = getUser(ctx.journal, userId);
      if (!user) throw new AppError("user_not_found", `no user ${userId}`);
      return { user: userView(user), ...(pin?.generated ? { pin: pin.clear } : {}), events: [event] };
    });
  } catch (error) {
    throw pinTaken(error) ?? error;
  }
  if (patch.status === "deactivated" || pin) ctx.bus.emitRevoked("user", userId);
  return result;
}
