/**
 * Staff sign-in with a PIN, screen pairing with a short code, tokens that can be revoked, and
 * the first admin. Tokens and codes are stored only as SHA-256 hashes, PINs as scrypt hashes.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { canManageRole, ROLE_PERMISSIONS } from "../domain/permissions.ts";
import { sha256Hex } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId, newSecret, randomCode, randomDigits } from "../lib/ids.ts";
import {
  findPairingCode, findToken, getDevice, getUser, insertDevice, insertPairingCode, insertToken, insertUser, listDevices, listUsers,
  markPairingCodeUsed, revokeToken, revokeTokensOf, setDeviceStatus, touchDevice, updateUser, userCount, type DeviceRecord, type UserRecord,
} from "../journal/auth-store.ts";
import { appendEvent, type JournalEvent } from "../journal/events.ts";
import type { DeviceView, PairingCodeResponse, Principal, TokenResponse, UserView } from "../protocol/auth.ts";
import type { Role } from "../protocol/common.ts";
import type { Actor } from "../protocol/orders.ts";
import { actorOf, iso, SYSTEM_ACTOR, type CommandContext } from "./context.ts";

// scrypt cost: N=2^14, r=8 (RFC 7914 interactive-login guidance), ~16 MiB, tens of ms on a Pi 4.
const SCRYPT: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function scrypt(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(secret, salt, 32, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scrypt(pin, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

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
  const record = findToken(ctx.journal, tokenHash(token));
  if (!record) throw new AppError("unauthenticated", "unknown token");
  if (record.revokedAt) throw new AppError("token_revoked", "this token was revoked");
  if (record.expiresAtMs !== null && record.expiresAtMs <= ctx.clock.now()) throw new AppError("token_expired", "this token has expired; sign in again");
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

/** Sliding one-minute window of failed PIN attempts per client address. */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #limit: number;
  constructor(limitPerMinute: number) {
    this.#limit = limitPerMinute;
  }
  check(address: string, now: number): void {
    const recent = (this.#failures.get(address) ?? []).filter((t) => now - t < 60_000);
    this.#failures.set(address, recent);
    if (recent.length >= this.#limit) {
      const retryAfter = Math.ceil((60_000 - (now - (recent[0] ?? now))) / 1_000);
      throw new AppError("too_many_attempts", `too many wrong PINs; try again in ${retryAfter} s`, { details: { retryAfterSeconds: retryAfter } });
    }
  }
  fail(address: string, now: number): void {
    this.#failures.set(address, [...(this.#failures.get(address) ?? []), now]);
  }
  succeed(address: string): void {
    this.#failures.delete(address);
  }
}

/** `POST /api/auth/login`: PIN → staff token. */
export async function login(ctx: CommandContext, throttle: LoginThrottle, pin: string, address: string): Promise<TokenResponse> {
  throttle.check(address, ctx.clock.now());
  const users = listUsers(ctx.journal);
  const matches = await Promise.all(users.map(async (u) => ((await verifyPin(pin, u.pinHash)) ? u : undefined)));
  const user = matches.find((u) => u !== undefined);
  if (!user) {
    throttle.fail(address, ctx.clock.now());
    throw new AppError("invalid_pin", "wrong PIN");
  }
  if (user.status !== "active") throw new AppError("account_deactivated", "this account is deactivated");
  throttle.succeed(address);
  const token = `gly_${newSecret()}`;
  const nowMs = ctx.clock.now();
  const expiresAtMs = nowMs + ctx.config.auth.staffTokenTtlHours * 3_600_000;
  ctx.journal.transaction(() => {
    insertToken(ctx.journal, { hash: tokenHash(token), subjectKind: "user", subjectId: user.id, expiresAtMs, revokedAt: null }, iso(nowMs));
  });
  return { token, expiresAt: iso(expiresAtMs), principal: principalOf("user", user) };
}

export function logout(ctx: CommandContext, token: string): void {
  ctx.journal.transaction(() => revokeToken(ctx.journal, tokenHash(token), iso(ctx.clock.now())));
}

/** Creates the first admin on an empty journal. Returns the PIN only when it was generated here. */
export async function ensureFirstAdmin(ctx: CommandContext, pin: string | undefined): Promise<{ created: boolean; generatedPin?: string }> {
  if (userCount(ctx.journal) > 0) return { created: false };
  const chosen = pin ?? randomDigits(6);
  const pinHash = await hashPin(chosen);
  const created = ctx.journal.transaction(() => {
    if (userCount(ctx.journal) > 0) return false;
    const at = iso(ctx.clock.now());
    const user: UserRecord = { id: newId(), name: "Administrator", role: "admin", pinHash, status: "active", createdAt: at };
    insertUser(ctx.journal, user);
    appendEvent(ctx.journal, { id: newId(), type: "user.created", aggregateId: user.id, actor: SYSTEM_ACTOR, payload: { userId: user.id, name: user.name, role: user.role }, createdAt: at });
    return true;
  });
  return created ? (pin ? { created: true } : { created: true, generatedPin: chosen }) : { created: false };
}

/** `POST /api/devices/pairing-codes`. The code is shown once; only its hash is kept. */
export function createPairingCode(ctx: CommandContext, principal: Pick<Principal, "id">, role: Role, name: string, ttlSeconds = ctx.config.auth.pairingCodeTtlSeconds): PairingCodeResponse {
  const code = randomCode(8);
  const nowMs = ctx.clock.now();
  const expiresAtMs = nowMs + ttlSeconds * 1_000;
  ctx.journal.transaction(() => {
    insertPairingCode(ctx.journal, { codeHash: sha256Hex(code), role, name, createdBy: principal.id, expiresAtMs, usedAt: null }, iso(nowMs));
  });
  return { code: `${code.slice(0, 4)}-${code.slice(4)}`, role, name, expiresAt: iso(expiresAtMs) };
}

/** Codes are typed by people: ignore case, spaces and dashes, and read O as 0 and I/L as 1. */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

/** `POST /api/devices/pair`: a one-time code → a device token that does not expire. */
export function pairDevice(ctx: CommandContext, code: string): { response: TokenResponse; events: JournalEvent[] } {
  const codeHash = sha256Hex(normalizeCode(code));
  return ctx.journal.transaction(() => {
    const record = findPairingCode(ctx.journal, codeHash);
    if (!record || record.usedAt) throw new AppError("pairing_code_invalid", "unknown or already used pairing code");
    const nowMs = ctx.clock.now();
    if (record.expiresAtMs <= nowMs) throw new AppError("pairing_code_expired", "this pairing code has expired; ask for a new one");
    const { device, token, events } = registerDevice(ctx, record.role, record.name, { kind: "user", id: record.createdBy, name: "pairing code" }, nowMs);
    markPairingCodeUsed(ctx.journal, codeHash, device.id, iso(nowMs));
    return { response: { token, expiresAt: null, principal: principalOf("device", device) }, events };
  });
}

/** Development mode: a screen served to localhost pairs itself. */
export function devPair(ctx: CommandContext, role: Role, name: string): { response: TokenResponse; events: JournalEvent[] } {
  return ctx.journal.transaction(() => {
    const { device, token, events } = registerDevice(ctx, role, name, SYSTEM_ACTOR, ctx.clock.now());
    return { response: { token, expiresAt: null, principal: principalOf("device", device) }, events };
  });
}

function registerDevice(ctx: CommandContext, role: Role, name: string, actor: Actor, nowMs: number): { device: DeviceRecord; token: string; events: JournalEvent[] } {
  const at = iso(nowMs);
  const device: DeviceRecord = { id: newId(), name, role, status: "active", pairedAt: at, lastSeenAt: at };
  insertDevice(ctx.journal, device);
  const token = `gly_${newSecret()}`;
  insertToken(ctx.journal, { hash: tokenHash(token), subjectKind: "device", subjectId: device.id, expiresAtMs: null, revokedAt: null }, at);
  const event = appendEvent(ctx.journal, { id: newId(), type: "device.paired", aggregateId: device.id, actor, payload: { deviceId: device.id, name, role }, createdAt: at });
  return { device, token, events: [event] };
}

export function devices(ctx: CommandContext): DeviceView[] {
  return listDevices(ctx.journal).map((d) => ({ id: d.id, name: d.name, role: d.role, status: d.status, pairedAt: d.pairedAt, lastSeenAt: d.lastSeenAt }));
}

export function revokeDevice(ctx: CommandContext, principal: Principal, deviceId: string): { events: JournalEvent[] } {
  const events = ctx.journal.transaction(() => {
    const device = getDevice(ctx.journal, deviceId);
    if (!device) throw new AppError("device_not_found", `no device ${deviceId}`);
    if (device.status === "revoked") return [];
    const at = iso(ctx.clock.now());
    setDeviceStatus(ctx.journal, deviceId, "revoked");
    revokeTokensOf(ctx.journal, "device", deviceId, at);
    return [appendEvent(ctx.journal, { id: newId(), type: "device.revoked", aggregateId: deviceId, actor: actorOf(principal), payload: { deviceId }, createdAt: at })];
  });
  ctx.bus.emit("revoked", "device", deviceId);
  return { events };
}

function userView(u: UserRecord): UserView {
  return { id: u.id, name: u.name, role: u.role, status: u.status, createdAt: u.createdAt };
}

export function users(ctx: CommandContext): UserView[] {
  return listUsers(ctx.journal).map(userView);
}

async function assertPinFree(ctx: CommandContext, pin: string, exceptUser?: string): Promise<void> {
  for (const user of listUsers(ctx.journal)) {
    if (user.id !== exceptUser && (await verifyPin(pin, user.pinHash))) {
      throw new AppError("pin_in_use", "another user has this PIN; choose a different one");
    }
  }
}

export async function createUser(ctx: CommandContext, principal: Principal, input: { name: string; role: Role; pin: string }): Promise<{ user: UserView; events: JournalEvent[] }> {
  if (!canManageRole(principal.role, input.role)) throw new AppError("forbidden", `a ${principal.role} cannot create ${input.role} users`);
  await assertPinFree(ctx, input.pin);
  const pinHash = await hashPin(input.pin);
  return ctx.journal.transaction(() => {
    const at = iso(ctx.clock.now());
    const user: UserRecord = { id: newId(), name: input.name, role: input.role, pinHash, status: "active", createdAt: at };
    insertUser(ctx.journal, user);
    const event = appendEvent(ctx.journal, { id: newId(), type: "user.created", aggregateId: user.id, actor: actorOf(principal), payload: { userId: user.id, name: user.name, role: user.role }, createdAt: at });
    return { user: userView(user), events: [event] };
  });
}

export async function changeUser(
  ctx: CommandContext,
  principal: Principal,
  userId: string,
  patch: { name?: string; status?: "active" | "deactivated"; pin?: string },
): Promise<{ user: UserView; events: JournalEvent[] }> {
  const existing = getUser(ctx.journal, userId);
  if (!existing) throw new AppError("user_not_found", `no user ${userId}`);
  if (!canManageRole(principal.role, existing.role)) throw new AppError("forbidden", `a ${principal.role} cannot change ${existing.role} users`);
  if (patch.status === "deactivated" && existing.id === principal.id) throw new AppError("forbidden", "you cannot deactivate yourself");
  if (patch.pin) await assertPinFree(ctx, patch.pin, userId);
  const pinHash = patch.pin ? await hashPin(patch.pin) : undefined;
  const result = ctx.journal.transaction(() => {
    const at = iso(ctx.clock.now());
    updateUser(ctx.journal, userId, { ...(patch.name ? { name: patch.name } : {}), ...(patch.status ? { status: patch.status } : {}), ...(pinHash ? { pinHash } : {}) }, at);
    if (patch.status === "deactivated" || pinHash) revokeTokensOf(ctx.journal, "user", userId, at);
    const event = appendEvent(ctx.journal, {
      id: newId(), type: "user.updated", aggregateId: userId, actor: actorOf(principal),
      payload: { userId, ...(patch.name ? { name: patch.name } : {}), ...(patch.status ? { status: patch.status } : {}), ...(patch.pin ? { pinChanged: true } : {}) }, createdAt: at,
    });
    const user = getUser(ctx.journal, userId);
    if (!user) throw new AppError("user_not_found", `no user ${userId}`);
    return { user: userView(user), events: [event] };
  });
  if (patch.status === "deactivated" || pinHash) ctx.bus.emit("revoked", "user", userId);
  return result;
}
