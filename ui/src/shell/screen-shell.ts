/**
 * The shell every screen app is built on: the screen's identity from the registry (`SCREENS` in
 * protocol/index.ts) and the page heartbeat (the board restarts its own display when it stops;
 * never shown, never in the way). Two shells extend it: PairedScreenShell (kiosk, kitchen,
 * board: pairing, the session phase, the push connection) and StaffScreenShell (admin, and the
 * counter next: a staff PIN sign-in). An app keeps only its own content.
 */
import { LitElement } from "lit";
import { SCREENS, type ScreenInfo, type ScreenPage } from "../../../protocol/index.ts";
import { HeartbeatController } from "../controllers/heartbeat-controller.ts";
import type { ApiClient } from "../data/api.ts";
import { heartbeatPage } from "../data/heartbeat.ts";

/** The registry's entry of a page. */
export function screenOf(page: ScreenPage): ScreenInfo {
  const screen = SCREENS.find((s) => s.page === page);
  if (!screen) throw new Error(`no screen ${page} in the registry`);
  return screen;
}

export class ScreenShell extends LitElement {
  /** This screen in the registry. */
  readonly screen: ScreenInfo;
  readonly heartbeat: HeartbeatController;

  /** `api` sends the heartbeat while `active()` says the screen is signed in (or paired). */
  constructor(page: ScreenPage, api: ApiClient, active: () => boolean) {
    super();
    this.screen = screenOf(page);
    this.heartbeat = new HeartbeatController(this, { api, page: heartbeatPage(location), active });
  }
}
