/**
 * Staff sign-in with a PIN, screen pairing with a short code, tokens that can be revoked, and
 * the first admin. Tokens and codes are stored only as SHA-256 hashes, PINs as scrypt hashes with
 * a keyed index (pins.ts). Staff accounts themselves are users.ts.
 */
import { ROLE_PERMISSIONS } from "../../protocol/core/permissions.ts";
import { sha256Hex } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId, newSecret, randomCode, randomDigits } from "../lib/ids.ts";
import {
  findPairingCode,
  findToken,
  getDevice,
  getUser,
  insertDevice,
  insertPairingCode,
  insertToken,
  insertUser,
  listDevices,
  markPairingCodeUsed,
  revokeToken,
  revokeTokensOf,
  setDeviceStatus,
  touchDevice,
  userCount,
  type DeviceRecord,
  type UserRecord,
} from "../journal/auth-store.ts";
import { appendEvent, type JournalEvent } from "../journal/events.ts";
import type { DeviceView, PairingCodeResponse, Principal, TokenResponse } from "../../protocol/schemas/auth.ts";
import type { Role } from "../../protocol/schemas/common.ts";
import type { Actor } from "../../protocol/schemas/orders.ts";
import type { AttemptLimiter } from "./attempt-limiter.ts";
import { actorOf, iso, SYSTEM_ACTOR, type CommandContext } from "./context.ts";

export function tokenHash(token: string): string {
  return sha256Hex(token);
}

function principalOf(kind: "user" | "device", record: { id: string; name: string; role: Role }): Principal {
  return { kind, id: record.id, name: record.name, role: record.role, permissions: [...ROLE_PERMISSIONS[record.role]] };
}

/**
 * The principal behind a bearer token, or a 401 with the reason. Deactivated users and revoked
 * devices are refused on their very next request.
 */
export function authenticate(ctx: CommandContext, token: string): Principal {
  return authenticateHash(ctx, tokenHash(token));
}

/** `authenticate` for a token known only by its hash (a WebSocket re-checked on its heartbeat). */
export function authenticateHash(ctx: CommandContext, hash: string): Principal {
  const record = findToken(ctx.journal, hash);
  if (!record) throw new AppError("unauthenticated", "unknown token");
  if (record.revokedAt) throw new AppError("token_revoked", "this token was revoked");
  if (record.expiresAtMs !== null && record.expiresAtMs <= ctx.clock.now())
    throw new AppError("token_expired", "this token has expired; sign in again");
  if (record.subjectKind === "user") {
    const user = getUser(ctx.journal, record.subjectId);
    if (!user) throw new AppError("unauthenticated", "unknown user");
    if (user.status !== "active") throw new AppError("account_deactivated", "this account is deactivated");
    return principalOf("user", user);
  }
  const device = getDevice(ctx.journal, record.subjectId);
  if (!device) throw new AppError("unauthenticated", "unknown device");
  if (device.status !== "active") throw new AppError("token_revoked", "this screen was unpaired");
  return principalOf("device", device);
}

const SEEN_EVERY_MS = 60_000;
const lastSeenWrites = new WeakMap<CommandContext, Map<string, number>>();

/** Records that a device was seen, at most once a minute per device (each write is an fsync). */
export function noteDeviceSeen(ctx: CommandContext, principal: Principal): void {
  if (principal.kind !== "device") return;
  let seen = lastSeenWrites.get(ctx);
  if (!seen) {
    seen = new Map();
    lastSeenWrites.set(ctx, seen);
  }
  const now = ctx.clock.now();
  if (now - (seen.get(principal.id) ?? 0) < SEEN_EVERY_MS) return;
  seen.set(principal.id, now);
  touchDevice(ctx.journal, principal.id, iso(now));
}

/**
 * The user whose PIN this is, counting a wrong one against `key` in `limiter` (too many:
 * `too_many_attempts`); a wrong PIN is `invalid_pin`. Sign-in and clocking in with a PIN share it.
 */
export async function userOfPin(
  ctx: CommandContext,
  limiter: AttemptLimiter,
  key: string,
  pin: string,
): Promise<UserRecord> {
  const attempt = limiter.reserve(key);
  let user: UserRecord | undefined;
  try {
    user = await ctx.pins.findUser(ctx.journal, pin);
  } catch (error) {
    attempt.release();
    throw error;
  }
  if (!user) {
    attempt.keep();
    throw new AppError("invalid_pin", "wrong PIN");
  }
  attempt.release();
  return user;
}

/**
 * `POST /api/auth/login`: PIN → staff token. The attempt is reserved before the PIN is checked and
 * kept when it is wrong (attempt-limiter.ts); finding the user is one keyed lookup (pins.ts). A
 * right PIN does not clear earlier wrong ones: otherwise a cashier could sign in between guesses.
 */
export async function login(
  ctx: CommandContext,
  limiter: AttemptLimiter,
  pin: string,
  address: string,
): Promise<TokenResponse> {
  const user = await userOfPin(ctx, limiter, address, pin);
  if (user.status !== "active") throw new AppError("account_deactivated", "this account is deactivated");
  const token = `gly_${newSecret()}`;
  const nowMs = ctx.clock.now();
  const expiresAtMs = nowMs + ctx.config.auth.staffTokenTtlHours * 3_600_000;
  ctx.journal.transaction(() => {
    insertToken(
      ctx.journal,
      { hash: tokenHash(token), subjectKind: "user", subjectId: user.id, expiresAtMs, revokedAt: null },
      iso(nowMs),
    );
  });
  return { token, expiresAt: iso(expiresAtMs), principal: principalOf("user", user) };
}

/** Revokes the token; its WebSockets close at once (the `revoked` bus event). */
export function logout(ctx: CommandContext, token: string): void {
  const hash = tokenHash(token);
  ctx.journal.transaction(() => revokeToken(ctx.journal, hash, iso(ctx.clock.now())));
  ctx.bus.emitRevoked("token", hash);
}

/** Creates the first admin on an empty journal. Returns the PIN only when it was generated here. */
export async function ensureFirstAdmin(
  ctx: CommandContext,
  pin: string | undefined,
): Promise<{ created: boolean; generatedPin?: string }> {
  if (userCount(ctx.journal) > 0) return { created: false };
  const chosen = pin ?? randomDigits(6);
  const pinHash = await ctx.pins.hash(chosen);
  const index = ctx.pins.index(chosen);
  const created = ctx.journal.transaction(() => {
    if (userCount(ctx.journal) > 0) return false;
    const at = iso(ctx.clock.now());
    const user: UserRecord = {
      id: newId(),
      name: "Administrator",
      role: "admin",
      pinHash,
      pinIndex: index.value,
      pinIndexKey: index.keyId,
      status: "active",
      createdAt: at,
    };
    insertUser(ctx.journal, user);
    appendEvent(ctx.journal, {
      id: newId(),
      type: "user.created",
      aggregateId: user.id,
      actor: SYSTEM_ACTOR,
      payload: { userId: user.id, name: user.name, role: user.role },
      createdAt: at,
    });
    return true;
  });
  return created ? (pin ? { created: true } : { created: true, generatedPin: chosen }) : { created: false };
}

/** `POST /api/screens/pairing-codes` (alias `/api/devices/pairing-codes`). The code is shown once; only its hash is kept. */
export function createPairingCode(
  ctx: CommandContext,
  principal: Pick<Principal, "id">,
  role: Role,
  name: string,
  ttlSeconds = ctx.config.auth.pairingCodeTtlSeconds,
): PairingCodeResponse {
  const code = randomCode(8);
  const nowMs = ctx.clock.now();
  const expiresAtMs = nowMs + ttlSeconds * 1_000;
  ctx.journal.transaction(() => {
    insertPairingCode(
      ctx.journal,
      { codeHash: sha256Hex(code), role, name, createdBy: principal.id, expiresAtMs, usedAt: null },
      iso(nowMs),
    );
  });
  return { code: `${code.slice(0, 4)}-${code.slice(4)}`, role, name, expiresAt: iso(expiresAtMs) };
}

/** Codes are typed by people: ignore case, spaces and dashes, and read O as 0 and I/L as 1. */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

/** `POST /api/screens/pair` (alias `/api/devices/pair`): a one-time code → a device token that does not expire. */
export function pairDevice(ctx: CommandContext, code: string): { response: TokenResponse; events: JournalEvent[] } {
  const codeHash = sha256Hex(normalizeCode(code));
  return ctx.journal.transaction(() => {
    const record = findPairingCode(ctx.journal, codeHash);
    if (!record || record.usedAt) throw new AppError("pairing_code_invalid", "unknown or already used pairing code");
    const nowMs = ctx.clock.now();
    if (record.expiresAtMs <= nowMs)
      throw new AppError("pairing_code_expired", "this pairing code has expired; ask for a new one");
    const { device, token, events } = registerDevice(
      ctx,
      record.role,
      record.name,
      { kind: "user", id: record.createdBy, name: "pairing code" },
      nowMs,
    );
    markPairingCodeUsed(ctx.journal, codeHash, device.id, iso(nowMs));
    return { response: { token, expiresAt: null, principal: principalOf("device", device) }, events };
  });
}

/** Development mode: a screen served to localhost pairs itself. */
export function devPair(
  ctx: CommandContext,
  role: Role,
  name: string,
): { response: TokenResponse; events: JournalEvent[] } {
  return ctx.journal.transaction(() => {
    const { device, token, events } = registerDevice(ctx, role, name, SYSTEM_ACTOR, ctx.clock.now());
    return { response: { token, expiresAt: null, principal: principalOf("device", device) }, events };
  });
}

function registerDevice(
  ctx: CommandContext,
  role: Role,
  name: string,
  actor: Actor,
  nowMs: number,
): { device: DeviceRecord; token: string; events: JournalEvent[] } {
  const at = iso(nowMs);
  const device: DeviceRecord = { id: newId(), name, role, status: "active", pairedAt: at, lastSeenAt: at };
  insertDevice(ctx.journal, device);
  const token = `gly_${newSecret()}`;
  insertToken(
    ctx.journal,
    { hash: tokenHash(token), subjectKind: "device", subjectId: device.id, expiresAtMs: null, revokedAt: null },
    at,
  );
  const event = appendEvent(ctx.journal, {
    id: newId(),
    type: "device.paired",
    aggregateId: device.id,
    actor,
    payload: { deviceId: device.id, name, role },
    createdAt: at,
  });
  return { device, token, events: [event] };
}

export function devices(ctx: CommandContext): DeviceView[] {
  return listDevices(ctx.journal).map((d) => ({
    id: d.id,
    name: d.name,
    role: d.role,
    status: d.status,
    pairedAt: d.pairedAt,
    lastSeenAt: d.lastSeenAt,
  }));
}

export function revokeDevice(ctx: CommandContext, principal: Principal, deviceId: string): { events: JournalEvent[] } {
  const events = ctx.journal.transaction(() => {
    const device = getDevice(ctx.journal, deviceId);
    if (!device) throw new AppError("device_not_found", `no device ${deviceId}`);
    if (device.status === "revoked") return [];
    const at = iso(ctx.clock.now());
    setDeviceStatus(ctx.journal, deviceId, "revoked");
    revokeTokensOf(ctx.journal, "device", deviceId, at);
    return [
      appendEvent(ctx.journal, {
        id: newId(),
        type: "device.revoked",
        aggregateId: deviceId,
        actor: actorOf(principal),
        payload: { deviceId },
        createdAt: at,
      }),
    ];
  });
  ctx.bus.emitRevoked("device", deviceId);
  return { events };
}
