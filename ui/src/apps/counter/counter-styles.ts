/**
 * The counter's look: its colour tokens (a bright room, like the kiosk, but denser and calmer:
 * cashiers look at it all day), which every panel inherits, the lock screen, the bar with the
 * tabs and the cashier, and the panels' frame.
 */
import { css } from "lit";

export const counterStyles = css`
  :host {
    color-scheme: light;
    --g-bg: #f4f5f7;
    --g-surface: #ffffff;
    --g-surface-2: #e9ecf1;
    --g-ink: #14171c;
    --g-ink-soft: #4d5562;
    --g-line: #cfd5de;
    --g-accent: #1d5fd1;
    --g-accent-ink: #ffffff;
    --g-accent-soft: #dde8fb;
    --g-ok: #11652a;
    --g-ok-soft: #dcf2e2;
    --g-danger: #a61b1b;
    --g-danger-soft: #fbe3e3;
    --g-warn: #8a5a00;
    --g-muted: #6b7280;
    --g-focus-ring: #1d4ed8;
    --g-shadow: 0 8px 24px rgba(20, 30, 50, 0.12);
    --g-touch: 56px;
    --g-radius: 14px;
    --g-radius-small: 10px;
    display: block;
    height: 100%;
    background: var(--g-bg);
    color: var(--g-ink);
    font-size: clamp(14px, 0.45vw + 9px, 18px);
  }
  .lock {
    height: 100%;
    display: grid;
    grid-template-rows: auto minmax(0, 1fr);
    overflow-y: auto;
  }
  .lock header,
  .bar {
    min-height: 3.75rem;
    display: flex;
    align-items: center;
    gap: var(--g-space-3);
    padding: var(--g-space-2) var(--g-space-4);
    background: var(--g-surface);
    border-bottom: 1px solid var(--g-line);
  }
  .brand {
    font-size: 1.15rem;
    font-weight: 900;
    margin-inline-end: var(--g-space-3);
  }
  .spacer {
    flex: 1;
  }
  .lock-body {
    display: grid;
    justify-items: center;
    align-content: start;
    gap: var(--g-space-3);
    padding-bottom: var(--g-space-6);
  }
  .lock-body galley-staff-sign-in {
    width: min(26rem, 100%);
  }
  .clock-box {
    width: min(40rem, 100%);
    padding: var(--g-space-5) var(--g-space-4);
  }
  /* The bar, the banners that come and go, then the panels taking the rest. */
  .app {
    height: 100%;
    display: flex;
    flex-direction: column;
  }
  [role="tablist"] {
    display: flex;
    gap: var(--g-space-1);
  }
  [role="tab"] {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    min-height: 3rem;
    padding: 0 1em;
    border: 0;
    border-radius: var(--g-radius-small);
    background: transparent;
    font-weight: 750;
    cursor: pointer;
  }
  [role="tab"][aria-selected="true"] {
    background: var(--g-ink);
    color: var(--g-bg);
  }
  [role="tab"]:focus-visible {
    outline: none;
    box-shadow: var(--g-focus);
  }
  kbd {
    font: inherit;
    font-size: 0.72rem;
    padding: 0.05em 0.4em;
    border-radius: var(--g-radius-s);
    border: 1px solid currentColor;
    opacity: 0.8;
  }
  .who {
    display: grid;
    text-align: end;
    line-height: 1.15;
  }
  .who strong {
    font-weight: 800;
  }
  .who span {
    color: var(--g-ink-soft);
    font-size: 0.9rem;
  }
  .lock header .btn,
  .bar .btn {
    min-height: 2.75rem;
    padding: 0 1.1em;
  }
  .banner {
    padding: var(--g-space-2) var(--g-space-4);
    font-weight: 700;
    background: var(--g-danger-soft);
    color: var(--g-danger);
  }
  .banner.warn {
    background: var(--g-accent-soft);
    color: var(--g-ink);
    display: flex;
    align-items: center;
    gap: var(--g-space-3);
  }
  .panels {
    flex: 1;
    min-height: 0;
    position: relative;
  }
  .panel {
    height: 100%;
    min-height: 0;
    padding: var(--g-space-4);
    overflow: auto;
  }
  .panel.order {
    overflow: hidden;
  }
  .starting {
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--g-space-3);
    height: 100%;
    color: var(--g-ink-soft);
  }
`;
