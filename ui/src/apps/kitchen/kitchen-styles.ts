/**
 * The kitchen display's own styles: header, printer banner, the three ticket columns beside the
 * all-day panel, and the footer with the key help and the toast. Shared tokens and buttons come
 * from styles/shared.ts.
 */
import { css } from "lit";

export const kitchenStyles = css`
  :host {
    display: grid;
    grid-template-rows: auto auto minmax(0, 1fr) auto;
    height: 100%;
    background: var(--g-bg);
    color: var(--g-ink);
  }
  header {
    display: flex;
    align-items: center;
    gap: 0.8rem;
    padding: var(--g-space-2) var(--g-space-4);
    background: var(--g-surface);
    border-bottom: 2px solid var(--g-line);
  }
  h1 {
    font-size: 1.6rem;
    font-weight: 900;
  }
  .count {
    color: var(--g-ink-soft);
    font-weight: 700;
    margin-right: auto;
  }
  .clock {
    font-size: 1.6rem;
    font-weight: 800;
    font-variant-numeric: tabular-nums;
  }
  .btn {
    min-height: 3rem;
    border-radius: var(--g-radius-l);
    background: var(--g-surface-2);
  }
  .btn[aria-pressed="false"] {
    color: var(--g-ink-soft);
  }
  .board {
    display: grid;
    grid-template-columns: minmax(0, 4fr) minmax(0, 4fr) minmax(0, 2.4fr) minmax(13rem, 1.6fr);
    min-height: 0;
  }
  section {
    display: grid;
    grid-template-rows: auto minmax(0, 1fr);
    min-height: 0;
    border-right: 2px solid var(--g-line);
  }
  h2 {
    display: flex;
    justify-content: space-between;
    padding: 0.5rem 0.9rem;
    font-size: 1.2rem;
    text-transform: uppercase;
    letter-spacing: 0.08em;
    color: var(--g-ink-soft);
  }
  .tickets {
    overflow-y: auto;
    padding: 0 0.6rem 1rem;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
    align-content: start;
    align-items: start;
    gap: 0.7rem;
  }
  .ready .tickets {
    grid-template-columns: 1fr;
  }
  .empty {
    padding: var(--g-space-6) var(--g-space-4);
    color: var(--g-ink-soft);
    text-align: center;
    font-size: 1.2rem;
  }
  footer {
    display: flex;
    justify-content: space-between;
    gap: var(--g-space-4);
    padding: 0.4rem 1rem;
    background: var(--g-surface);
    border-top: 2px solid var(--g-line);
    color: var(--g-ink-soft);
    font-weight: 600;
  }
  .toast {
    color: var(--g-ink);
    font-weight: 800;
  }
  .printers {
    display: grid;
  }
  .printer {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: 0.3rem 0.6rem;
    padding: 0.35rem 1rem;
    font-weight: 650;
    background: var(--g-banner-warn);
    color: var(--g-banner-warn-ink);
    border-bottom: 2px solid var(--g-warn);
  }
  .printer.error {
    background: var(--g-banner-error);
    color: var(--g-banner-error-ink);
    border-bottom-color: var(--g-late);
  }
  .printer svg {
    width: 1.4rem;
    height: 1.4rem;
    flex: none;
  }
  .printer .counts {
    margin-left: auto;
    font-variant-numeric: tabular-nums;
  }
  .blocking {
    display: grid;
    place-content: center;
    gap: var(--g-space-4);
    text-align: center;
    grid-row: 1 / -1;
    font-size: 1.4rem;
  }
`;
