/** The connection indicator every staff screen shows: a dot and a word, announced when it changes. */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { ConnectionState } from "../data/push.ts";
import type { SessionPhase } from "../data/screen-session.ts";
import { translator } from "../i18n/index.ts";
import { base } from "../styles/shared.ts";

@customElement("galley-connection-status")
export class GalleyConnectionStatus extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: inline-flex;
      }
      .pill {
        display: inline-flex;
        align-items: center;
        gap: 0.5em;
        padding: 0.35em 0.9em;
        border-radius: var(--g-radius-pill);
        font-weight: 700;
        background: var(--g-surface-2, var(--g-status-pill));
        color: var(--g-ink);
        white-space: nowrap;
      }
      .dot {
        width: 0.8em;
        height: 0.8em;
        border-radius: var(--g-radius-round);
        background: var(--g-status-waiting);
      }
      .online .dot {
        background: var(--g-status-live);
        box-shadow: 0 0 0 3px var(--g-status-live-halo);
      }
      .offline {
        background: var(--g-status-offline);
        color: var(--g-status-offline-ink);
      }
      .offline .dot {
        background: var(--g-status-offline-dot);
        animation: blink 1s steps(2, start) infinite;
      }
      @keyframes blink {
        to {
          visibility: hidden;
        }
      }
    `,
  ];

  @property() state: ConnectionState = "connecting";
  @property() phase: SessionPhase = "starting";
  @property() language = "en";

  override render() {
    const t = translator(this.language);
    let kind: "online" | "connecting" | "offline" = this.state;
    let label = t(
      this.state === "online" ? "conn.live" : this.state === "connecting" ? "conn.connecting" : "conn.offline",
    );
    if (this.phase === "unreachable") {
      kind = "offline";
      label = t("conn.unreachable");
    } else if (this.phase === "starting") {
      kind = "connecting";
      label = t("conn.starting");
    }
    return html`<span class="pill ${kind}" role="status" data-state=${kind}><span class="dot" aria-hidden="true"></span>${label}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "galley-connection-status": GalleyConnectionStatus;
  }
}
