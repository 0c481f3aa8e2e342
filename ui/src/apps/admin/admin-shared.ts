/**
 * What the admin page's cards share: the look of their content (the surface and the heading row
 * are galley-card's), tables, verdict/tone colours with a shape besides the colour, and a friendly text for a failed
 * request (a 403 says the role may not use it, never the raw server message), and how a card
 * runs its buttons' work and its loads with that text.
 */
import { css } from "lit";
import { ApiError } from "../../data/api.ts";
import { errorText, translator, type Translate } from "../../i18n/index.ts";

export const card = css`
  /* The surface is the galley-card inside (admin-card.ts); the section is its grid item. */
  :host {
    display: block;
    min-width: 0;
  }
  /* The buttons beside the card's title, pushed to the right like the title row always was. */
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6rem var(--g-space-4);
    margin-left: auto;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  p {
    color: var(--g-ink-soft);
  }
  .btn {
    min-height: 2.75rem;
    padding: 0 1.1em;
    font-size: 0.98rem;
  }
  .error {
    color: var(--g-danger);
    font-weight: 700;
  }
  .note {
    color: var(--g-ink);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: var(--g-space-2) var(--g-space-2);
    border-bottom: 1px solid var(--g-line);
    vertical-align: top;
    overflow-wrap: break-word;
  }
  /* Long values (file names, hashes, URIs, error texts) break anywhere, so a table fits its card. */
  .long {
    overflow-wrap: anywhere;
  }
  th {
    color: var(--g-ink-soft);
    font-size: 0.9rem;
    font-weight: 650;
  }
  code,
  .mono {
    font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace;
  }
  .muted {
    color: var(--g-ink-soft);
  }
  .tone-ok {
    color: var(--g-ok);
  }
  .tone-warn {
    color: var(--g-warn);
  }
  .tone-bad {
    color: var(--g-danger);
  }
  .tone-off {
    color: var(--g-ink-soft);
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    font-weight: 750;
    white-space: nowrap;
  }
  select {
    min-height: 2.75rem;
    padding: 0 0.6rem;
    border-radius: var(--g-radius-small);
    border: 2px solid var(--g-line);
    background: var(--g-bg);
  }
  select:focus-visible {
    outline: none;
    box-shadow: var(--g-focus);
  }
`;

/** A failed request in words: the role's limits for a 403, else the error code's sentence. */
export function failureText(t: Translate, error: unknown): string {
  if (error instanceof ApiError && error.status === 403) return t("admin.forbidden");
  return errorText(t, error instanceof ApiError ? error.code : "generic");
}

/** A card whose buttons each start some work: which keys are busy, and the last failure. */
export interface ActionCard<K> {
  busy: ReadonlySet<K>;
  error: string;
  readonly language: string;
}

/**
 * Runs one button's work on a card: its key is busy (the button waits) until the work ends; the
 * card's error is cleared when it starts and shows the failure in words if it fails.
 */
export async function runCardAction<K>(card: ActionCard<K>, key: K, work: () => Promise<void>): Promise<void> {
  card.busy = new Set([...card.busy, key]);
  card.error = "";
  try {
    await work();
  } catch (error) {
    card.error = failureText(translator(card.language), error);
  } finally {
    const busy = new Set(card.busy);
    busy.delete(key);
    card.busy = busy;
  }
}

/** A card that loads what it shows: whether a load runs, and the failure of the last one. */
export interface LoadingCard {
  loading: boolean;
  error: string;
  readonly language: string;
}

/**
 * Loads a card's data: `loading` while it runs; success clears the error, a failure shows it in
 * words (what the card showed stays, and the error does not blink away while a refresh runs).
 */
export async function loadCard(card: LoadingCard, load: () => Promise<void>): Promise<void> {
  card.loading = true;
  try {
    await load();
    card.error = "";
  } catch (error) {
    card.error = failureText(translator(card.language), error);
  } finally {
    card.loading = false;
  }
}

/** `2026-11-25T12:03:07Z` → "12:03:07" (today) or a short date and time. */
export function formatWhen(iso: string | null | undefined, language: string, now = Date.now()): string {
  if (!iso) return "";
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return new Intl.DateTimeFormat(
    language,
    sameDay ? { hour: "2-digit", minute: "2-digit", second: "2-digit" } : { dateStyle: "short", timeStyle: "short" },
  ).format(at);
}
