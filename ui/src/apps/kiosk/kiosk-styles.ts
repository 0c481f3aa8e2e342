/**
 * The kiosk's frame (galley-kiosk-app): the stage with its header and language buttons, the
 * layers the item page, filters and suggestions open in, the screens that block ordering
 * (starting, offline, paused), the refused-change notice, and the accessibility mode that moves
 * everything into reach at the bottom of the screen (`:host([access])`).
 */
import { css } from "lit";

export const kioskStyles = css`
  :host {
    display: block;
    position: relative;
    height: 100%;
    overflow: hidden;
    background: var(--g-bg);
    color: var(--g-ink);
  }
  .reach {
    position: absolute;
    inset: 0 0 auto 0;
    height: var(--reach-top);
    display: grid;
    place-content: center;
    gap: var(--g-space-4);
    padding: var(--g-space-6);
    text-align: center;
    color: var(--g-ink-soft);
    border-bottom: 2px solid var(--g-line);
  }
  .reach svg {
    width: 4rem;
    height: 4rem;
    margin: 0 auto;
  }
  .stage {
    position: absolute;
    inset: var(--reach-top, 0) 0 0 0;
    display: flex;
    flex-direction: column;
  }
  :host([access]) {
    --reach-top: 36vh;
  }
  header {
    display: flex;
    align-items: center;
    gap: var(--g-space-3);
    padding: 0.8rem 1.2rem;
    background: var(--g-surface);
    border-bottom: 1px solid var(--g-line);
  }
  :host([access]) .brand {
    display: none;
  }
  .brand {
    font-size: 1.6rem;
    font-weight: 900;
    letter-spacing: -0.02em;
    color: var(--g-accent);
    margin-right: auto;
  }
  .langs {
    display: flex;
    gap: 0.4rem;
    margin-left: auto;
  }
  .btn[aria-pressed="true"] {
    background: var(--g-ink);
    border-color: var(--g-ink);
    color: var(--g-bg);
  }
  .view {
    flex: 1;
    min-height: 0;
    position: relative;
  }
  .layer {
    position: absolute;
    inset: var(--reach-top, 0) 0 0 0;
    z-index: 20;
  }
  .blocking {
    position: absolute;
    inset: 0;
    z-index: 40;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 1.2rem;
    padding: var(--g-space-7);
    text-align: center;
    background: var(--g-bg);
  }
  .blocking h1 {
    font-size: 2.4rem;
    max-width: 22ch;
  }
  .blocking p {
    font-size: 1.3rem;
    color: var(--g-ink-soft);
    max-width: 32ch;
  }
  .blocking svg {
    width: 6rem;
    height: 6rem;
    color: var(--g-accent);
  }
  .blocking.calm svg {
    color: var(--g-ink-soft);
  }
  .notice {
    position: absolute;
    z-index: 15;
    left: 50%;
    bottom: 8rem;
    transform: translateX(-50%);
    width: min(46rem, calc(100% - 2rem));
    display: flex;
    align-items: center;
    gap: var(--g-space-4);
    padding: 1rem 1rem 1rem 1.4rem;
    border-radius: var(--g-radius);
    background: var(--g-ink);
    color: var(--g-bg);
    box-shadow: var(--g-shadow);
    font-size: 1.2rem;
    font-weight: 700;
  }
  .notice p {
    flex: 1;
  }
  .spinner {
    width: 4rem;
    height: 4rem;
    border-width: 0.5rem;
  }
`;
