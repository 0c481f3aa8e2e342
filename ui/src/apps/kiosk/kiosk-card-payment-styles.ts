/**
 * The card step's look (galley-kiosk-card-payment), on top of the shared base, buttons and
 * spinner: the amount, the terminal pictogram with its card going in (still once the card is asked
 * for, the step has ended, or motion is reduced), the stage words and the footer of choices. Kept
 * apart so the component's file holds only what the step shows and when, as the item page does
 * with kiosk-item-styles.ts.
 */
import { css } from "lit";

export const cardPaymentStyles = css`
  :host {
    position: absolute;
    inset: 0;
    display: grid;
    grid-template-rows: minmax(0, 1fr) auto;
    background: var(--g-bg);
  }
  main {
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--g-space-5);
    padding: var(--g-space-6);
    text-align: center;
    overflow-y: auto;
  }
  .amount-label {
    font-size: 1.3rem;
    font-weight: 700;
    color: var(--g-ink-soft);
  }
  .amount {
    font-size: clamp(3rem, 10vmin, 5.5rem);
    font-weight: 950;
    line-height: 1;
    letter-spacing: -0.02em;
  }
  .picto {
    width: clamp(8rem, 24vmin, 13rem);
    height: clamp(8rem, 24vmin, 13rem);
    color: var(--g-accent);
  }
  .picto svg {
    width: 100%;
    height: 100%;
    fill: none;
    stroke: currentColor;
    stroke-width: 3;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .picto .card {
    animation: insert 1.6s var(--g-ease) infinite alternate;
  }
  [data-state="present"] .picto .card,
  .ended .picto .card {
    animation: none;
  }
  .ended .picto {
    color: var(--g-danger);
  }
  @keyframes insert {
    to {
      transform: translateY(8px);
    }
  }
  .now {
    display: grid;
    justify-items: center;
    gap: var(--g-space-3);
    max-width: 34ch;
  }
  h1 {
    font-size: clamp(2rem, 5vmin, 2.8rem);
    font-weight: 900;
    line-height: 1.15;
  }
  h1:focus {
    outline: none;
  }
  .body {
    font-size: 1.35rem;
  }
  .small {
    font-size: 1rem;
    color: var(--g-ink-soft);
  }
  .trouble {
    font-size: 1.1rem;
    font-weight: 700;
    color: var(--g-warn);
  }
  .spinner {
    width: 3rem;
    height: 3rem;
    border-width: 0.4rem;
  }
  footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--g-space-4);
    padding: 1rem 1.5rem 1.4rem;
    background: var(--g-surface);
    border-top: 1px solid var(--g-line);
  }
  footer .btn {
    flex: 1 1 14rem;
    max-width: 26rem;
  }
  @media (prefers-reduced-motion: reduce) {
    .picto .card {
      animation: none;
    }
  }
`;
