/** Users, paired devices, tokens and pairing codes. Secrets are stored only as hashes. */
import type { Role } from "../../protocol/schemas/common.ts";
import type { Journal } from "./database.ts";

export interface UserRecord {
  id: string;
  name: string;
  role: Role;
  pinHash: string;
  /** HMAC of the PIN under the board's index key (commands/pins.ts); null until indexed. */
  pinIndex: string | null;
  /** Which key made `pinIndex`. */
  pinIndexKey: string | null;
  status: "active" | "deactivated";
  createdAt: string;
}

export interface DeviceRecord {
  id: string;
  name: string;
  role: Role;
  status: "active" | "revoked";
  pairedAt: string;
  lastSeenAt: string | null;
}

export interface TokenRecord {
  hash: string;
  subjectKind: "user" | "device";
  subjectId: string;
  expiresAtMs: number | null;
  revokedAt: string | null;
}

type UserRow = {
  id: string;
  name: string;
  role: string;
  pin_hash: string;
  pin_index: string | null;
  pin_index_key: string | null;
  status: string;
  created_at: string;
};

const userFrom = (r: UserRow): UserRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  pinHash: r.pin_hash,
  pinIndex: r.pin_index,
  pinIndexKey: r.pin_index_key,
  status: r.status as UserRecord["status"],
  createdAt: r.created_at,
});

const deviceFrom = (r: {
  id: string;
  name: string;
  role: string;
  status: string;
  paired_at: string;
  last_seen_at: string | null;
}): DeviceRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  status: r.status as DeviceRecord["status"],
  pairedAt: r.paired_at,
  lastSeenAt: r.last_seen_at,
});

export function listUsers(journal: Journal): UserRecord[] {
  return journal.all<UserRow>("SELECT * FROM users ORDER BY created_at, name").map(userFrom);
}

export function getUser(journal: Journal, id: string): UserRecord | undefined {
  const row = journal.get<UserRow>("SELECT * FROM users WHERE id = ?", [id]);
  return row ? userFrom(row) : undefined;
}

/** Users whose PIN has this index value under this key (one, or none; the index is unique). */
export function listUsersByPinIndex(journal: Journal, pinIndex: string, keyId: string): UserRecord[] {
  return journal
    .all<UserRow>("SELECT * FROM users WHERE pin_index = ? AND pin_index_key = ?", [pinIndex, keyId])
    .map(userFrom);
}

/** Users whose PIN is not indexed under this key (found by scrypt, then indexed). */
export function listUnindexedUsers(journal: Journal, keyId: string): UserRecord[] {
  return journal
    .all<UserRow>("SELECT * FROM users WHERE pin_index IS NULL OR pin_index_key IS NOT ? ORDER BY created_at", [keyId])
    .map(userFrom);
}

export function indexUserPin(journal: Journal, id: string, pinIndex: string, keyId: string): void {
  journal.run("UPDATE users SET pin_index = ?, pin_index_key = ? WHERE id = ?", [pinIndex, keyId, id]);
}

export function insertUser(journal: Journal, user: UserRecord): void {
  journal.run(
    "INSERT INTO users (id, name, role, pin_hash, pin_index, pin_index_key, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      user.id,
      user.name,
      user.role,
      user.pinHash,
      user.pinIndex,
      user.pinIndexKey,
      user.status,
      user.createdAt,
      user.createdAt,
    ],
  );
}

export function updateUser(
  journal: Journal,
  id: string,
  patch: { name?: string; status?: UserRecord["status"]; pin?: { hash: string; index: string; keyId: string } },
  at: string,
): void {
  const user = getUser(journal, id);
  if (!user) return;
  journal.run(
    "UPDATE users SET name = ?, status = ?, pin_hash = ?, pin_index = ?, pin_index_key = ?, updated_at = ? WHERE id = ?",
    [
      patch.name ?? user.name,
      patch.status ?? user.status,
      patch.pin?.hash ?? user.pinHash,
      patch.pin ? patch.pin.index : user.pinIndex,
      patch.pin ? patch.pin.keyId : user.pinIndexKey,
      at,
      id,
    ],
  );
}

export function userCount(journal: Journal): number {
  return journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM users")?.n ?? 0;
}

export function listDevices(journal: Journal): DeviceRecord[] {
  return journal.all<Parameters<typeof deviceFrom>[0]>("SELECT * FROM devices ORDER BY paired_at").map(deviceFrom);
}

export function getDevice(journal: Journal, id: string): DeviceRecord | undefined {
  const row = journal.get<Parameters<typeof deviceFrom>[0]>("SELECT * FROM devices WHERE id = ?", [id]);
  return row ? deviceFrom(row) : undefined;
}

export function insertDevice(journal: Journal, device: DeviceRecord): void {
  journal.run("INSERT INTO devices (id, name, role, status, paired_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)", [
    device.id,
    device.name,
    device.role,
    device.status,
    device.pairedAt,
    device.lastSeenAt,
  ]);
}

export function setDeviceStatus(journal: Journal, id: string, status: DeviceRecord["status"]): void {
  journal.run("UPDATE devices SET status = ? WHERE id = ?", [status, id]);
}

export function touchDevice(journal: Journal, id: string, at: string): void {
  journal.run("UPDATE devices SET last_seen_at = ? WHERE id = ?", [at, id]);
}

export function insertToken(journal: Journal, token: TokenRecord, at: string): void {
  journal.run(
    "INSERT INTO tokens (hash, subject_kind, subject_id, created_at, expires_at_ms, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)",
    [token.hash, token.subjectKind, token.subjectId, at, token.expiresAtMs],
  );
}

export function findToken(journal: Journal, hash: string): TokenRecord | undefined {
  const row = journal.get<{
    hash: string;
    subject_kind: string;
    subject_id: string;
    expires_at_ms: number | null;
    revoked_at: string | null;
  }>("SELECT hash, subject_kind, subject_id, expires_at_ms, revoked_at FROM tokens WHERE hash = ?", [hash]);
  return row
    ? {
        hash: row.hash,
        subjectKind: row.subject_kind as TokenRecord["subjectKind"],
        subjectId: row.subject_id,
        expiresAtMs: row.expires_at_ms,
        revokedAt: row.revoked_at,
      }
    : undefined;
}

export function revokeToken(journal: Journal, hash: string, at: string): number {
  return journal.run("UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL", [at, hash]).changes;
}

export function revokeTokensOf(journal: Journal, kind: "user" | "device", subjectId: string, at: string): number {
  return journal.run(
    "UPDATE tokens SET revoked_at = ? WHERE subject_kind = ? AND subject_id = ? AND revoked_at IS NULL",
    [at, kind, subjectId],
  ).changes;
}

export interface PairingCodeRecord {
  codeHash: string;
  role: Role;
  name: string;
  createdBy: string;
  expiresAtMs: number;
  usedAt: string | null;
}

export function insertPairingCode(journal: Journal, code: PairingCodeRecord, at: string): void {
  journal.run(
    "INSERT INTO pairing_codes (code_hash, role, name, created_by, created_at, expires_at_ms, used_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
    [code.codeHash, code.role, code.name, code.createdBy, at, code.expiresAtMs],
  );
}

export function findPairingCode(journal: Journal, codeHash: string): PairingCodeRecord | undefined {
  const row = journal.get<{
    code_hash: string;
    role: string;
    name: string;
    created_by: string;
    expires_at_ms: number;
    used_at: string | null;
  }>("SELECT * FROM pairing_codes WHERE code_hash = ?", [codeHash]);
  return row
    ? {
        codeHash: row.code_hash,
        role: row.role as Role,
        name: row.name,
        createdBy: row.created_by,
        expiresAtMs: row.expires_at_ms,
        usedAt: row.used_at,
      }
    : undefined;
}

export function markPairingCodeUsed(journal: Journal, codeHash: string, deviceId: string, at: string): void {
  journal.run("UPDATE pairing_codes SET used_at = ?, device_id = ? WHERE code_hash = ?", [at, deviceId, codeHash]);
}
