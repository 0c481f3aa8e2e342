/** The ticket column's look (galley-counter-order-ticket): dense lines, the service choice, the totals and Pay. */
import { css } from "lit";
import { controls, keyHint } from "./counter-pay-styles.ts";

export const ticketStyles = css`
  ${keyHint}
  ${controls}
  :host {
    display: block;
    min-height: 0;
  }
  .ticket {
    height: 100%;
    display: grid;
    grid-template-rows: auto minmax(0, 1fr) auto auto auto;
    gap: var(--g-space-3);
    padding: var(--g-space-4);
    background: var(--g-surface);
    border: 1px solid var(--g-line);
    border-radius: var(--g-radius);
  }
  header {
    display: flex;
    align-items: center;
    gap: var(--g-space-3);
  }
  h2 {
    font-size: 1.3rem;
    font-weight: 850;
  }
  .count {
    color: var(--g-ink-soft);
    flex: 1;
  }
  .btn.small {
    min-height: 2.5rem;
    padding: 0 0.9em;
    font-size: 0.95rem;
  }
  .lines {
    overflow-y: auto;
    display: grid;
    align-content: start;
    gap: 2px;
  }
  .line {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto 5.5rem auto;
    align-items: center;
    gap: var(--g-space-2);
    padding: var(--g-space-2) 0;
    border-bottom: 1px solid var(--g-line);
  }
  .line.placed {
    grid-template-columns: minmax(0, 1fr) auto 5.5rem;
  }
  .what {
    display: grid;
    min-width: 0;
  }
  .name {
    font-weight: 700;
    text-align: start;
  }
  .name.link {
    padding: 0;
    border: 0;
    background: none;
    cursor: pointer;
    text-decoration: underline dotted;
    text-underline-offset: 3px;
  }
  .name.link:focus-visible {
    outline: none;
    box-shadow: var(--g-focus);
  }
  .line.gone .name {
    text-decoration: line-through;
  }
  .tag {
    justify-self: start;
    padding: 0 0.5em;
    border-radius: var(--g-radius-pill);
    background: var(--g-danger-soft);
    color: var(--g-danger);
    font-size: 0.8rem;
    font-weight: 800;
  }
  .details {
    font-size: 0.9rem;
    color: var(--g-ink-soft);
  }
  .qty {
    display: flex;
    align-items: center;
    gap: var(--g-space-1);
    font-weight: 800;
  }
  .qty .num {
    min-width: 1.8em;
    text-align: center;
  }
  .qty .btn,
  .remove {
    width: 2.75rem;
    min-width: 2.75rem;
    min-height: 2.75rem;
  }
  .price {
    text-align: end;
    font-weight: 700;
  }
  .empty {
    color: var(--g-ink-soft);
    padding: var(--g-space-5) 0;
    text-align: center;
  }
  .service {
    display: grid;
    gap: var(--g-space-2);
  }
  .modes {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: var(--g-space-2);
  }
  .modes .btn {
    min-height: 2.9rem;
    border-radius: var(--g-radius-small);
  }
  .fields {
    display: flex;
    gap: var(--g-space-2);
  }
  .fields label {
    flex: 1;
    display: grid;
    gap: 2px;
    font-size: 0.9rem;
    color: var(--g-ink-soft);
  }
  .fields label.table {
    flex: 0 0 6rem;
  }
  .fields input {
    min-height: 2.75rem;
    background: var(--g-bg);
    font-size: 1rem;
  }
  .totals {
    margin: 0;
    display: grid;
    gap: 2px;
  }
  .totals div {
    display: flex;
    justify-content: space-between;
  }
  .totals dd {
    margin: 0;
  }
  .totals .tax {
    color: var(--g-ink-soft);
    font-size: 0.95rem;
  }
  .totals .total {
    font-size: 1.5rem;
    font-weight: 900;
  }
  .actions {
    display: grid;
    gap: var(--g-space-2);
  }
  .pay {
    width: 100%;
    border-radius: var(--g-radius-small);
    font-size: 1.4rem;
  }
  kbd {
    opacity: 0.85;
  }
`;
