/**
 * Is the wall clock trustworthy? Most boards have no RTC and boot with the last saved time until
 * NTP syncs (docs/architecture.md#identity-and-time). `timedatectl show -p NTPSynchronized
 * --value` answers "yes" once systemd-timesyncd (or chrony) has synchronised; anything else —
 * including no timedatectl at all — counts as unsynchronised unless configured otherwise
 * (`backups.clockSync`).
 */
import { execFile } from "node:child_process";

export type ClockSyncProbe = () => Promise<boolean>;

export function clockSyncProbe(mode: "auto" | "synced" | "unsynced"): ClockSyncProbe {
  if (mode === "synced") return () => Promise.resolve(true);
  if (mode === "unsynced") return () => Promise.resolve(false);
  return () =>
    new Promise((resolve) => {
      execFile("timedatectl", ["show", "-p", "NTPSynchronized", "--value"], { timeout: 2_000 }, (error, stdout) => {
        resolve(!error && stdout.trim() === "yes");
      });
    });
}
