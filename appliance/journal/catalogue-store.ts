/** Menus, sold-out flags, stock on hand and stock holds. */
import type { Menu } from "../../protocol/schemas/menu.ts";
import type { Journal } from "./database.ts";

export interface StoredMenu {
  version: number;
  menu: Menu;
  hash: string;
  importedAt: string;
}

export function currentMenu(journal: Journal): StoredMenu | undefined {
  const row = journal.get<{ version: number; document: string; hash: string; imported_at: string }>(
    "SELECT version, document, hash, imported_at FROM menus ORDER BY version DESC LIMIT 1",
  );
  return row
    ? { version: row.version, menu: JSON.parse(row.document) as Menu, hash: row.hash, importedAt: row.imported_at }
    : undefined;
}

export function insertMenu(journal: Journal, document: string, hash: string, at: string, by: string): number {
  return journal.run("INSERT INTO menus (document, hash, imported_at, imported_by) VALUES (?, ?, ?, ?)", [
    document,
    hash,
    at,
    by,
  ]).lastInsertRowid;
}

export function soldOut(journal: Journal): { items: Set<string>; options: Set<string> } {
  const rows = journal.all<{ kind: string; id: string }>("SELECT kind, id FROM sold_out");
  return {
    items: new Set(rows.filter((r) => r.kind === "item").map((r) => r.id)),
    options: new Set(rows.filter((r) => r.kind === "option").map((r) => r.id)),
  };
}

export function setSoldOut(
  journal: Journal,
  kind: "item" | "option",
  id: string,
  isSoldOut: boolean,
  at: string,
): boolean {
  if (isSoldOut) {
    return (
      journal.run("INSERT INTO sold_out (kind, id, changed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [kind, id, at])
        .changes > 0
    );
  }
  return journal.run("DELETE FROM sold_out WHERE kind = ? AND id = ?", [kind, id]).changes > 0;
}

/** Removes sold-out flags of ids that a new menu no longer has. */
export function pruneSoldOut(journal: Journal, items: ReadonlySet<string>, options: ReadonlySet<string>): void {
  for (const row of journal.all<{ kind: string; id: string }>("SELECT kind, id FROM sold_out")) {
    const keep = row.kind === "item" ? items.has(row.id) : options.has(row.id);
    if (!keep) journal.run("DELETE FROM sold_out WHERE kind = ? AND id = ?", [row.kind, row.id]);
  }
}

export function onHand(journal: Journal, itemId: string): number | undefined {
  return journal.get<{ on_hand: number }>("SELECT on_hand FROM stock WHERE item_id = ?", [itemId])?.on_hand;
}

export function setOnHand(journal: Journal, itemId: string, units: number, at: string): void {
  journal.run(
    "INSERT INTO stock (item_id, on_hand, updated_at) VALUES (?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at",
    [itemId, units, at],
  );
}

/** Units of `itemId` held by carts whose holds have not run out, optionally not counting one session's. */
export function heldUnits(journal: Journal, itemId: string, nowMs: number, exceptSession?: string): number {
  const row = journal.get<{ n: number | null }>(
    "SELECT SUM(quantity) AS n FROM stock_holds WHERE item_id = ? AND state = 'held' AND expires_at_ms > ? AND session_id <> ?",
    [itemId, nowMs, exceptSession ?? ""],
  );
  return row?.n ?? 0;
}

/** Sellable units of every counted item: on hand minus active holds. */
export function sellableStock(journal: Journal, nowMs: number): Record<string, number> {
  const rows = journal.all<{ item_id: string; on_hand: number; held: number | null }>(
    `SELECT s.item_id, s.on_hand,
       (SELECT SUM(h.quantity) FROM stock_holds h WHERE h.item_id = s.item_id AND h.state = 'held' AND h.expires_at_ms > ?) AS held
     FROM stock s ORDER BY s.item_id`,
    [nowMs],
  );
  return Object.fromEntries(rows.map((r) => [r.item_id, Math.max(0, r.on_hand - (r.held ?? 0))]));
}

export interface HoldRow {
  id: string;
  session_id: string;
  line_id: string;
  item_id: string;
  quantity: number;
  expires_at_ms: number;
  state: string;
}

export function insertHold(journal: Journal, hold: Omit<HoldRow, "state">, at: string): void {
  journal.run(
    "INSERT INTO stock_holds (id, session_id, line_id, item_id, quantity, expires_at_ms, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'held', ?)",
    [hold.id, hold.session_id, hold.line_id, hold.item_id, hold.quantity, hold.expires_at_ms, at],
  );
}

export function holdsOfSession(journal: Journal, sessionId: string): HoldRow[] {
  return journal.all<HoldRow>("SELECT * FROM stock_holds WHERE session_id = ? AND state = 'held'", [sessionId]);
}

export function setHoldState(
  journal: Journal,
  where: { lineId?: string; sessionId?: string },
  state: "released" | "converted" | "expired",
): number {
  if (where.lineId)
    return journal.run("UPDATE stock_holds SET state = ? WHERE line_id = ? AND state = 'held'", [state, where.lineId])
      .changes;
  if (where.sessionId)
    return journal.run("UPDATE stock_holds SET state = ? WHERE session_id = ? AND state = 'held'", [
      state,
      where.sessionId,
    ]).changes;
  return 0;
}

/** Marks holds past their expiry as expired; returns the items they were for. */
export function expireHolds(journal: Journal, nowMs: number): string[] {
  const items = journal.all<{ item_id: string }>(
    "SELECT DISTINCT item_id FROM stock_holds WHERE state = 'held' AND expires_at_ms <= ?",
    [nowMs],
  );
  journal.run("UPDATE stock_holds SET state = 'expired' WHERE state = 'held' AND expires_at_ms <= ?", [nowMs]);
  return items.map((r) => r.item_id);
}
