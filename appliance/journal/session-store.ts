/** Cart sessions: mutable until committed, abandoned or expired. */
import type { Channel } from "../../protocol/schemas/common.ts";
import type { LineInput, PricedLine } from "../../protocol/schemas/orders.ts";
import type { Journal } from "./database.ts";

export type SessionState = "open" | "abandoned" | "committed" | "expired";

export interface SessionRecord {
  id: string;
  ownerId: string;
  channel: Channel;
  state: SessionState;
  orderId: string | null;
  createdAt: string;
  updatedAt: string;
  touchedAtMs: number;
}

export interface CartLineRecord {
  id: string;
  position: number;
  input: LineInput;
  /** The line as priced when it was last changed; shown if it cannot be priced any more. */
  priced: PricedLine;
  createdAt: string;
}

interface SessionRow {
  id: string;
  owner_id: string;
  channel: string;
  state: string;
  order_id: string | null;
  created_at: string;
  updated_at: string;
  touched_at_ms: number;
}

function fromRow(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    channel: row.channel as Channel,
    state: row.state as SessionState,
    orderId: row.order_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    touchedAtMs: row.touched_at_ms,
  };
}

export function getSession(journal: Journal, id: string): SessionRecord | undefined {
  const row = journal.get<SessionRow>("SELECT * FROM cart_sessions WHERE id = ?", [id]);
  return row ? fromRow(row) : undefined;
}

export function openSessionOf(journal: Journal, ownerId: string): SessionRecord | undefined {
  const row = journal.get<SessionRow>("SELECT * FROM cart_sessions WHERE owner_id = ? AND state = 'open'", [ownerId]);
  return row ? fromRow(row) : undefined;
}

export function insertSession(journal: Journal, session: SessionRecord): void {
  journal.run(
    "INSERT INTO cart_sessions (id, owner_id, channel, state, order_id, created_at, updated_at, touched_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [
      session.id,
      session.ownerId,
      session.channel,
      session.state,
      session.orderId,
      session.createdAt,
      session.updatedAt,
      session.touchedAtMs,
    ],
  );
}

export function touchSession(journal: Journal, id: string, at: string, atMs: number): void {
  journal.run("UPDATE cart_sessions SET updated_at = ?, touched_at_ms = ? WHERE id = ?", [at, atMs, id]);
}

export function closeSession(
  journal: Journal,
  id: string,
  state: Exclude<SessionState, "open">,
  at: string,
  orderId: string | null = null,
): void {
  journal.run("UPDATE cart_sessions SET state = ?, order_id = ?, updated_at = ? WHERE id = ? AND state = 'open'", [
    state,
    orderId,
    at,
    id,
  ]);
}

/** Open sessions untouched since `beforeMs`. */
export function idleSessions(journal: Journal, beforeMs: number): string[] {
  return journal
    .all<{ id: string }>("SELECT id FROM cart_sessions WHERE state = 'open' AND touched_at_ms < ?", [beforeMs])
    .map((r) => r.id);
}

export function linesOf(journal: Journal, sessionId: string): CartLineRecord[] {
  return journal
    .all<{ id: string; position: number; input: string; priced: string; created_at: string }>(
      "SELECT id, position, input, priced, created_at FROM cart_lines WHERE session_id = ? ORDER BY position",
      [sessionId],
    )
    .map((r) => ({
      id: r.id,
      position: r.position,
      input: JSON.parse(r.input) as LineInput,
      priced: JSON.parse(r.priced) as PricedLine,
      createdAt: r.created_at,
    }));
}

export function insertLine(journal: Journal, sessionId: string, line: CartLineRecord): void {
  journal.run(
    "INSERT INTO cart_lines (id, session_id, position, input, priced, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    [line.id, sessionId, line.position, JSON.stringify(line.input), JSON.stringify(line.priced), line.createdAt],
  );
}

export function updateLine(journal: Journal, lineId: string, input: LineInput, priced: PricedLine): void {
  journal.run("UPDATE cart_lines SET input = ?, priced = ? WHERE id = ?", [
    JSON.stringify(input),
    JSON.stringify(priced),
    lineId,
  ]);
}

export function deleteLine(journal: Journal, lineId: string): void {
  journal.run("DELETE FROM cart_lines WHERE id = ?", [lineId]);
}

export function nextLinePosition(journal: Journal, sessionId: string): number {
  return (
    (journal.get<{ p: number | null }>("SELECT MAX(position) AS p FROM cart_lines WHERE session_id = ?", [sessionId])
      ?.p ?? -1) + 1
  );
}
