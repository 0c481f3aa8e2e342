/**
 * The shift panel's own look beside the panels' shared one: the over/short in big type (red and
 * the word "short" when money is missing), the report's paper beside its figures, the count table.
 */
import { css } from "lit";

export const shiftStyles = css`
  .empty {
    display: grid;
    gap: var(--g-space-3);
    justify-items: start;
  }
  .result {
    display: grid;
    gap: var(--g-space-3);
  }
  dl.figures.big {
    font-size: 1.3rem;
  }
  .over-short {
    font-size: 2.4rem;
    font-weight: 900;
    font-variant-numeric: tabular-nums;
  }
  .over-short.short,
  td.short {
    color: var(--g-danger);
  }
  .over-short.over {
    color: var(--g-ok);
  }
  .report {
    display: grid;
    gap: var(--g-space-3);
    padding: var(--g-space-4);
    border: 1px solid var(--g-line);
    border-radius: var(--g-radius-small);
    background: var(--g-bg);
  }
  .report-body {
    display: flex;
    flex-wrap: wrap;
    align-items: start;
    gap: var(--g-space-5);
  }
  img.paper {
    width: min(22rem, 100%);
    background: var(--g-paper);
    border: 1px solid var(--g-line);
    box-shadow: 0 2px 6px var(--g-shadow-faint);
  }
  ul.methods,
  ul.reports {
    display: flex;
    flex-wrap: wrap;
    gap: var(--g-space-2);
  }
  .closed,
  .opened {
    display: grid;
    gap: var(--g-space-4);
  }
  .count-scroll {
    max-height: 50vh;
    overflow-y: auto;
  }
  table.count tbody th {
    color: var(--g-ink);
    font-size: 1rem;
    font-weight: 650;
  }
  table.count input {
    width: 7rem;
    text-align: right;
  }
  .count-total {
    font-size: 1.3rem;
    font-weight: 800;
  }
  .btn[aria-pressed="true"] {
    background: var(--g-ink);
    border-color: var(--g-ink);
    color: var(--g-bg);
  }
`;
