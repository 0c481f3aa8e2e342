import { execFile } from "node:child_process";
import type { Logger } from "./logger.ts";

/**
 * systemd readiness and watchdog through the `systemd-notify` binary. Node cannot open the
 * AF_UNIX datagram socket behind NOTIFY_SOCKET itself (its dgram is UDP only;
 * docs/architecture.md#the-board), so we spawn the helper; the unit needs
 * `NotifyAccess=all` because the sender is our child.
 *
 * Everything here is a no-op when NOTIFY_SOCKET is unset (development, tests).
 */
export interface SdNotifyEnv {
  NOTIFY_SOCKET?: string | undefined;
  WATCHDOG_USEC?: string | undefined;
  WATCHDOG_PID?: string | undefined;
}

export interface SdNotifier {
  ready(status: string): Promise<void>;
  status(status: string): Promise<void>;
  stopping(): Promise<void>;
  /** Starts WATCHDOG=1 pings at half the interval systemd asked for; returns the interval in ms or 0. */
  startWatchdog(): number;
  close(): void;
}

export function createSdNotifier(env: SdNotifyEnv, log: Logger, binary = "systemd-notify"): SdNotifier {
  const enabled = Boolean(env.NOTIFY_SOCKET);
  let timer: NodeJS.Timeout | undefined;

  const send = (args: string[]): Promise<void> =>
    new Promise((resolve) => {
      if (!enabled) {
        resolve();
        return;
      }
      execFile(binary, args, { timeout: 5_000 }, (error) => {
        if (error) log.warn({ err: error, args }, "systemd-notify failed");
        resolve();
      });
    });

  return {
    ready: (status) => send(["--ready", `--status=${status}`]),
    status: (status) => send([`--status=${status}`]),
    stopping: () => send(["STOPPING=1"]),
    startWatchdog() {
      if (!enabled || !env.WATCHDOG_USEC) return 0;
      if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== process.pid) return 0;
      const usec = Number(env.WATCHDOG_USEC);
      if (!Number.isFinite(usec) || usec <= 0) return 0;
      // Half the interval, as sd_watchdog_enabled(3) recommends. The ping runs on the main event
      // loop on purpose: a blocked loop misses it and systemd restarts us.
      const everyMs = Math.max(1, Math.floor(usec / 2_000));
      timer = setInterval(() => void send(["WATCHDOG=1"]), everyMs);
      timer.unref();
      return everyMs;
    },
    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
