/** The devices' history (migration 0003): printer online/offline/faults, drawer kicks and openings, display faults. */
import type { Journal } from "./database.ts";

export interface DeviceLogEntry {
  seq: number;
  deviceId: string;
  type: string;
  detail: Record<string, unknown>;
  at: string;
}

export function logDeviceEvent(
  journal: Journal,
  deviceId: string,
  type: string,
  detail: Record<string, unknown>,
  at: string,
): void {
  journal.run("INSERT INTO device_events (device_id, type, detail, at) VALUES (?, ?, ?, ?)", [
    deviceId,
    type,
    JSON.stringify(detail),
    at,
  ]);
}

/** The newest `limit` entries, newest first (optionally of one device). */
export function deviceEvents(journal: Journal, limit: number, deviceId?: string): DeviceLogEntry[] {
  const rows =
    deviceId === undefined
      ? journal.all<{ seq: number; device_id: string; type: string; detail: string; at: string }>(
          "SELECT * FROM device_events ORDER BY seq DESC LIMIT ?",
          [limit],
        )
      : journal.all<{ seq: number; device_id: string; type: string; detail: string; at: string }>(
          "SELECT * FROM device_events WHERE device_id = ? ORDER BY seq DESC LIMIT ?",
          [deviceId, limit],
        );
  return rows.map((r) => ({
    seq: r.seq,
    deviceId: r.device_id,
    type: r.type,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    at: r.at,
  }));
}

export function pruneDeviceEvents(journal: Journal, beforeIso: string): number {
  return journal.run("DELETE FROM device_events WHERE at < ?", [beforeIso]).changes;
}
