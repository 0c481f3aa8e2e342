/**
 * The shell of a paired screen (kiosk, kitchen, board): its screen session (data/screen-session.ts:
 * reach galleyd, a device token, pairing), the session phase, the push connection's state and
 * the pairing screen shown while the screen has no token. The app renders its own content in
 * `renderScreen()` and starts its data in `screenReady()` (each time the session gets ready, just
 * before the heartbeat beats); its topic subscriptions and `push.start()` stay in the app.
 */
import { html } from "lit";
import { state } from "lit/decorators.js";
import { PAIRED_SCREENS, type PairedScreen, type ScreenRole } from "../../../protocol/index.ts";
import "../components/galley-pairing-screen.ts";
import type { GalleyDomEvent } from "../data/fire-event.ts";
import type { ConnectionState } from "../data/push.ts";
import { browserScreenSession, type ScreenSession, type SessionPhase } from "../data/screen-session.ts";
import { ScreenShell } from "./screen-shell.ts";

function pairedScreen(page: PairedScreen["page"]): PairedScreen {
  const screen = PAIRED_SCREENS.find((s) => s.page === page);
  if (!screen) throw new Error(`no paired screen ${page} in the registry`);
  return screen;
}

export abstract class PairedScreenShell extends ScreenShell {
  readonly session: ScreenSession;
  /** The screen role it pairs as (not `role`: that is the element's ARIA role). */
  readonly screenRole: ScreenRole;
  @state() phase: SessionPhase = "starting";
  @state() connection: ConnectionState = "connecting";
  /** Error code of the last pairing attempt. */
  @state() pairingError = "";

  /** `deviceName`: what a self-paired development screen is called (default "<title> (this machine)"). */
  constructor(page: PairedScreen["page"], deviceName?: string) {
    const screen = pairedScreen(page);
    const session = browserScreenSession(
      screen.access.role,
      location.origin,
      deviceName ?? `${screen.title} (this machine)`,
    );
    super(page, session.api, () => session.phase === "ready");
    this.session = session;
    this.screenRole = screen.access.role;
  }

  /** The language the pairing screen speaks. */
  protected abstract get shellLanguage(): string;

  /** The app's own content, once the screen is paired. */
  protected abstract renderScreen(): unknown;

  /** The session got ready (paired, or a token it had): the app loads and subscribes. */
  protected screenReady(): void {
    // nothing by default
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.session.onPhase((phase) => {
      this.phase = phase;
      if (phase !== "ready") return;
      this.screenReady();
      this.heartbeat.beat();
    });
    this.session.push.onState((state) => {
      this.connection = state;
    });
    void this.session.start();
  }

  override render() {
    if (this.phase === "pairing") {
      return html`<galley-pairing-screen screen-role=${this.screenRole} .language=${this.shellLanguage} error=${this.pairingError} @pair=${this.#pair}></galley-pairing-screen>`;
    }
    return this.renderScreen();
  }

  readonly #pair = async (event: GalleyDomEvent<"pair">): Promise<void> => {
    const ok = await this.session.pair(event.detail);
    this.pairingError = ok ? "" : (this.session.pairingError?.code ?? "generic");
  };
}
