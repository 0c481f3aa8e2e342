/**
 * The payment's look (galley-counter-pay): the amount due big, the method, the part to pay, the
 * change and the receipt. Also the pieces the ticket and the cash keypad draw the same way (a key
 * printed on a button; a pressed choice, a text field, a message), kept here once.
 */
import { css } from "lit";

/** The key that does it, printed on its button ("F9", "Enter"). */
export const keyHint = css`
  kbd {
    font: inherit;
    font-size: 0.75rem;
    padding: 0.1em 0.4em;
    border-radius: var(--g-radius-s);
    border: 1px solid currentColor;
  }
`;

/**
 * What the ticket and the payment draw alike: the chosen one of a pair of choices (cash or card;
 * eat in or take away), a text field (its line, ink and focus ring; size and fill are the
 * place's), and a message (what went wrong, a retry under way).
 */
export const controls = css`
  .btn[aria-pressed="true"] {
    background: var(--g-ink);
    border-color: var(--g-ink);
    color: var(--g-bg);
  }
  input {
    padding: 0 var(--g-space-3);
    border-radius: var(--g-radius-small);
    border: 2px solid var(--g-line);
    color: var(--g-ink);
  }
  input:focus-visible {
    outline: none;
    box-shadow: var(--g-focus);
  }
  .error {
    color: var(--g-danger);
    font-weight: 700;
  }
  .notice {
    color: var(--g-ink-soft);
    font-weight: 700;
  }
`;

export const payStyles = css`
  ${keyHint}
  ${controls}
  :host {
    display: block;
    min-height: 0;
    overflow-y: auto;
    container-type: inline-size;
  }
  /* Side by side on a wide screen: what is due and how, beside the cash keypad or the card. */
  .pay {
    display: grid;
    grid-template-columns: minmax(15rem, 1fr) minmax(20rem, 1.25fr);
    align-items: start;
    gap: var(--g-space-4);
    padding: var(--g-space-1);
  }
  .pay.done {
    grid-template-columns: minmax(0, 40rem);
    justify-content: center;
  }
  .side {
    display: grid;
    gap: var(--g-space-3);
  }
  @container (max-width: 42rem) {
    .pay {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .due {
    display: grid;
    justify-items: center;
    gap: var(--g-space-1);
    padding: var(--g-space-4);
    border-radius: var(--g-radius);
    background: var(--g-surface);
    border: 1px solid var(--g-line);
  }
  .due.paid {
    background: var(--g-ok-soft, var(--g-surface));
  }
  .due h2 {
    font-size: 1.1rem;
    font-weight: 800;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--g-ink-soft);
  }
  .due h2:focus {
    outline: none;
  }
  .big {
    font-size: 3.2rem;
    font-weight: 900;
    line-height: 1.05;
  }
  .sub {
    color: var(--g-ink-soft);
  }
  .methods {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: var(--g-space-2);
  }
  .methods .btn {
    border-radius: var(--g-radius-small);
    font-size: 1.2rem;
  }
  .part {
    display: grid;
    grid-template-columns: auto minmax(6rem, 9rem);
    align-items: center;
    gap: var(--g-space-1) var(--g-space-3);
    font-weight: 700;
  }
  .part input {
    min-height: 2.9rem;
    background: var(--g-surface);
    font-size: 1.1rem;
    text-align: end;
  }
  .part .error {
    grid-column: 1 / -1;
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--g-space-3);
  }
  .later {
    display: flex;
  }
  .change {
    display: grid;
    justify-items: center;
    padding: var(--g-space-4);
    border-radius: var(--g-radius);
    background: var(--g-ok-soft, var(--g-surface-2));
  }
  .change span:first-child {
    font-weight: 800;
    color: var(--g-ink-soft);
  }
  .change .num {
    font-size: 4rem;
    font-weight: 900;
    color: var(--g-ok, var(--g-ink));
  }
  .receipt {
    text-align: center;
    font-weight: 700;
  }
  .btn.big {
    border-radius: var(--g-radius-small);
  }
`;
