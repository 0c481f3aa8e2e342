/**
 * The item page's look (galley-kiosk-item), on top of the shared sheet: the hero, the modifier
 * groups, a combo's slot choices, and the footer with the quantity and "Add to order".
 */
import { css } from "lit";

export const itemStyles = css`
  :host {
    animation: fade 180ms ease-out;
  }
  section {
    inset: 3vh 0 0 0;
    grid-template-rows: minmax(0, 1fr) auto;
    box-shadow: var(--g-shadow);
    overflow: hidden;
    animation: rise 260ms var(--g-ease);
  }
  .scroll {
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 0 var(--g-space-5) var(--g-space-6);
  }
  .hero {
    display: grid;
    grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
    gap: var(--g-space-5);
    align-items: center;
    padding: var(--g-space-5) 0;
  }
  .hero img {
    width: 100%;
    aspect-ratio: 4 / 3;
    object-fit: contain;
  }
  .hero-text {
    display: grid;
    gap: 0.7rem;
  }
  h2 {
    font-size: 2.2rem;
    font-weight: 900;
    line-height: 1.1;
  }
  h2:focus {
    outline: none;
  }
  .price {
    font-size: 1.6rem;
    font-weight: 850;
    color: var(--g-accent);
  }
  .description {
    font-size: 1.1rem;
    color: var(--g-ink-soft);
  }
  h3 {
    font-size: 1.05rem;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--g-ink-soft);
    margin-bottom: 0.4rem;
  }
  .groups {
    display: grid;
    gap: var(--g-space-6);
  }
  .slot {
    display: grid;
    gap: var(--g-space-4);
    padding: 1.2rem;
    border-radius: var(--g-radius);
    background: var(--g-surface);
    border: 1px solid var(--g-line);
  }
  .slot-title {
    font-size: 1.5rem;
    font-weight: 850;
  }
  .choices {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
    gap: 0.65rem;
    border: none;
    margin: 0;
    padding: 0;
  }
  .choice {
    position: relative;
    display: grid;
    justify-items: center;
    gap: var(--g-space-1);
    padding: 0.6rem;
    border-radius: var(--g-radius-small);
    border: 2px solid var(--g-line);
    background: var(--g-bg);
    text-align: center;
    font-weight: 700;
    cursor: pointer;
  }
  .choice input {
    position: absolute;
    inset: 0;
    opacity: 0;
    margin: 0;
    cursor: pointer;
  }
  .choice img {
    width: 5rem;
    height: 3.75rem;
    object-fit: contain;
  }
  .choice .up {
    color: var(--g-ink-soft);
    font-variant-numeric: tabular-nums;
  }
  .choice.on {
    border-color: var(--g-accent);
    background: var(--g-accent-soft);
  }
  .choice:has(input:focus-visible) {
    box-shadow: var(--g-focus);
  }
  .choice.off {
    color: var(--g-muted);
    border-style: dashed;
    cursor: not-allowed;
  }
  .choice.off img {
    filter: grayscale(1);
    opacity: 0.5;
  }
  .sub {
    display: grid;
    gap: 1.4rem;
    padding-top: 0.4rem;
  }
  footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--g-space-4);
    padding: var(--g-space-4) var(--g-space-5);
    background: var(--g-surface);
    border-top: 1px solid var(--g-line);
  }
  footer .add {
    flex: 1;
    min-width: 16rem;
  }
  .warning {
    width: 100%;
    color: var(--g-danger);
    font-weight: 750;
  }
  @keyframes fade {
    from {
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
