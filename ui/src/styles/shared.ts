/** Styles shared by the components: the reset inside shadow roots, buttons, focus, helpers. */
import { css } from "lit";

export const base = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  h1,
  h2,
  h3,
  h4,
  p {
    margin: 0;
  }
  ul,
  ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  img {
    display: block;
    max-width: 100%;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .num {
    font-variant-numeric: tabular-nums;
  }
`;

export const buttons = css`
  .btn {
    min-height: var(--g-touch);
    min-width: var(--g-touch);
    padding: 0 1.4em;
    border-radius: 999px;
    border: 2px solid var(--g-line);
    background: var(--g-surface);
    color: var(--g-ink);
    font-size: 1.05rem;
    font-weight: 650;
    line-height: 1.1;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.55em;
    cursor: pointer;
    text-decoration: none;
    transition:
      transform 120ms var(--g-ease),
      background-color 160ms,
      border-color 160ms;
    touch-action: manipulation;
  }
  .btn:active:not([disabled]) {
    transform: scale(0.97);
  }
  .btn:focus-visible,
  .focusable:focus-visible {
    outline: none;
    box-shadow: var(--g-focus);
  }
  .btn.primary {
    background: var(--g-accent);
    border-color: var(--g-accent);
    color: var(--g-accent-ink);
  }
  .btn.ghost {
    background: transparent;
    border-color: transparent;
  }
  .btn.danger {
    color: var(--g-danger);
  }
  .btn.block {
    width: 100%;
  }
  .btn.big {
    min-height: calc(var(--g-touch) + 12px);
    font-size: 1.25rem;
    padding: 0 1.8em;
  }
  .btn[disabled] {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .btn svg {
    width: 1.3em;
    height: 1.3em;
    flex: none;
  }
  .icon-btn {
    padding: 0;
    border-radius: 50%;
    width: var(--g-touch);
  }
`;

/**
 * A dialog rising from the bottom over the dimmed screen (the kiosk's item page, filters and
 * upsell). Components add their own layout after it; motion stops for reduced-motion users.
 */
export const sheet = css`
  :host {
    display: block;
    background: rgba(20, 14, 8, 0.45);
  }
  section {
    position: absolute;
    inset: auto 0 0 0;
    display: grid;
    background: var(--g-bg);
    border-radius: var(--g-radius) var(--g-radius) 0 0;
    animation: rise 240ms var(--g-ease);
  }
  @keyframes rise {
    from {
      transform: translateY(40px);
      opacity: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    section,
    :host {
      animation: none;
    }
  }
`;

/**
 * A kiosk page that fills the stage: a scrolling main with a large heading (focused on arrival)
 * above a footer bar (the cart and checkout). Components add their own layout after it.
 */
export const page = css`
  :host {
    position: absolute;
    inset: 0;
    display: grid;
    grid-template-rows: minmax(0, 1fr) auto;
  }
  main {
    overflow-y: auto;
    padding: 1.5rem;
  }
  h1 {
    font-size: 2.2rem;
    font-weight: 900;
  }
  h1:focus {
    outline: none;
  }
  footer {
    padding: 1rem 1.5rem 1.2rem;
    background: var(--g-surface);
    border-top: 1px solid var(--g-line);
  }
`;

/** "Wait": a turning ring, 2rem unless the component sizes it. */
export const spinner = css`
  .spinner {
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    border: 0.3rem solid var(--g-line);
    border-top-color: var(--g-accent);
    animation: spin 900ms linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
`;
