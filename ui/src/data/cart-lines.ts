/**
 * The kiosk's cart lines as the customer sees them while changes are on their way: the
 * appliance's lines with the wanted quantity or choices laid over them, lines being removed
 * marked, and lines being added after them (they have no appliance line yet). Prices and totals
 * stay the appliance's last word until it answers. Framework-free.
 */
import type { SessionLine, SessionView } from "../../../protocol/index.ts";
import { draftFromLine, type LineDraft } from "./line-draft.ts";

/** What is under way for a line: being added, changed (quantity or choices) or removed. */
export type LinePending = "adding" | "updating" | "removing";

export interface CartLine {
  /** The appliance's line id; a local key while the line is being added. */
  key: string;
  /** The line as the appliance priced it; undefined while it is being added. */
  line: SessionLine | undefined;
  /** What the line is, as the customer sees it now (the wanted quantity or choices while pending). */
  draft: LineDraft;
  pending: LinePending | undefined;
}

/** A line on its way to the appliance, under a local key. */
export interface LineAdd {
  key: string;
  draft: LineDraft;
}

/** Changes the appliance has not confirmed yet. */
export class PendingLines {
  #adds: readonly LineAdd[] = [];
  #nextKey = 1;
  /** Wanted quantities not yet confirmed, by line id. */
  readonly quantities = new Map<string, number>();
  /** Wanted choices (and quantity) not yet confirmed, by line id. */
  readonly edits = new Map<string, LineDraft>();
  /** Lines being removed, by line id. */
  readonly removing = new Set<string>();

  /** A new line, shown at once as `adding` (a copy of `draft`, so later edits of it do not show). */
  add(draft: LineDraft): LineAdd {
    const add: LineAdd = { key: `adding-${this.#nextKey++}`, draft: structuredClone(draft) };
    this.#adds = [...this.#adds, add];
    return add;
  }

  /** The appliance answered (either way) about a line being added. */
  added(add: LineAdd): void {
    this.#adds = this.#adds.filter((a) => a !== add);
  }

  clear(): void {
    this.#adds = [];
    this.quantities.clear();
    this.edits.clear();
    this.removing.clear();
  }

  /** The lines to show over the appliance's cart `view`. */
  over(view: SessionView | undefined): CartLine[] {
    const lines: CartLine[] = [];
    for (const line of view?.lines ?? []) {
      const edit = this.edits.get(line.id);
      const wanted = this.quantities.get(line.id);
      const draft = edit ?? (wanted === undefined ? draftFromLine(line) : { ...draftFromLine(line), quantity: wanted });
      const pending: LinePending | undefined = this.removing.has(line.id)
        ? "removing"
        : edit !== undefined || wanted !== undefined
          ? "updating"
          : undefined;
      lines.push({ key: line.id, line, draft, pending });
    }
    for (const add of this.#adds) lines.push({ key: add.key, line: undefined, draft: add.draft, pending: "adding" });
    return lines;
  }
}
