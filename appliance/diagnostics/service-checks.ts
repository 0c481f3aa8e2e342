/**
 * Checks of the board's systemd units: the galleyd service (its unit state together with whether
 * it answers) and the local display. A unit this machine does not have is "unavailable" or a
 * failure as the check decides, never "ok".
 */
import type { Runner } from "./probe.ts";
import { formatDuration, linesFor, type Check } from "./check.ts";

/** `systemctl show` of one unit, or undefined when this machine has no systemd to ask. */
export async function unitState(run: Runner, unit: string): Promise<Record<string, string> | undefined> {
  const result = await run("systemctl", [
    "show",
    unit,
    "--property=LoadState,ActiveState,SubState,Result,NRestarts,ActiveEnterTimestamp,StatusText",
  ]);
  if (!result.ok) return undefined;
  const state: Record<string, string> = {};
  for (const line of result.stdout.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) state[line.slice(0, at)] = line.slice(at + 1);
  }
  return state.LoadState ? state : undefined;
}

/** The galleyd service: its systemd state together with whether it answers. */
export function serviceCheck(
  state: Record<string, string> | undefined,
  ping: { answers: boolean; uptimeSeconds?: number; version?: string; error?: string },
): Check {
  const details: Record<string, unknown> = { systemd: state ?? null, answers: ping.answers };
  const restarts = Number(state?.NRestarts ?? 0);
  const where = state ? ` (systemd: ${state.ActiveState}/${state.SubState})` : "";
  if (ping.answers) {
    const up = ping.uptimeSeconds === undefined ? "" : `, up ${formatDuration(ping.uptimeSeconds)}`;
    if (restarts > 0) {
      return {
        id: "service",
        title: "galleyd service",
        verdict: "warn",
        summary: `running${up}, but restarted ${restarts} time(s) since boot${where}`,
        hint: "see why: journalctl -u galleyd -b | grep -iE 'watchdog|error|fatal'",
        details,
      };
    }
    return { id: "service", title: "galleyd service", verdict: "ok", summary: `running${up}${where}`, details };
  }
  if (!state || state.LoadState === "not-found") {
    return {
      id: "service",
      title: "galleyd service",
      verdict: "fail",
      summary: `not answering on its port${ping.error ? ` (${ping.error})` : ""}${where}`,
      hint: "start it: systemctl start galleyd; then journalctl -u galleyd -n 50",
      details,
    };
  }
  if (state.ActiveState === "failed") {
    return {
      id: "service",
      title: "galleyd service",
      verdict: "fail",
      summary: `stopped after repeated failures (result: ${state.Result ?? "?"})`,
      hint: "read journalctl -u galleyd -n 80; fix the cause (exit 65: restore a backup, exit 78: config), then systemctl reset-failed galleyd && systemctl start galleyd",
      details,
    };
  }
  return {
    id: "service",
    title: "galleyd service",
    verdict: "fail",
    summary: `not answering${where}`,
    hint: "journalctl -u galleyd -n 50; systemctl restart galleyd",
    details,
  };
}

/** A unit that is expected to run on a board with a screen (galley-display). */
export function displayUnitCheck(state: Record<string, string> | undefined): Check {
  const line = linesFor("display", "local display", { systemd: state ?? null });
  if (!state || state.LoadState === "not-found") return line("unavailable", "no display unit on this machine");
  if (state.ActiveState === "active") return line("ok", "cage + Chromium running on tty1");
  if (state.ActiveState === "inactive" && state.Result === "success")
    return line("unavailable", "not started (headless board, or screen-only setup)");
  return line(
    "fail",
    `display ${state.ActiveState}/${state.SubState}`,
    "check the HDMI cable and screen power; systemctl restart galley-display; journalctl --namespace=display -n 50",
  );
}
