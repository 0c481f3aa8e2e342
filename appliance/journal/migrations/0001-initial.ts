/**
 * 0001: the spine. Events are append-only with a contiguous seq (enforced by triggers, not by
 * convention); orders and their lines are immutable after commit except for status.
 */
export const sql = /* sql */ `
CREATE TABLE device (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  instance_id TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  boot_count  INTEGER NOT NULL DEFAULT 0,
  restored_from TEXT
) STRICT;

CREATE TABLE events (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  instance_id  TEXT NOT NULL,
  type         TEXT NOT NULL,
  aggregate_id TEXT,
  actor        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  hash         TEXT NOT NULL,
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_aggregate ON events (aggregate_id, seq);

CREATE TRIGGER events_contiguous BEFORE INSERT ON events
WHEN NEW.seq <> (SELECT COALESCE(MAX(seq), 0) + 1 FROM events)
BEGIN SELECT RAISE(ABORT, 'events.seq must be contiguous'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE menus (
  version     INTEGER PRIMARY KEY AUTOINCREMENT,
  document    TEXT NOT NULL,
  hash        TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
) STRICT;

CREATE TABLE sold_out (
  kind       TEXT NOT NULL CHECK (kind IN ('item', 'option')),
  id         TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) STRICT;

CREATE TABLE stock (
  item_id    TEXT PRIMARY KEY,
  on_hand    INTEGER NOT NULL CHECK (on_hand >= 0),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE cart_sessions (
  id            TEXT PRIMARY KEY,
  owner_id      TEXT NOT NULL,
  channel       TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('open', 'abandoned', 'committed', 'expired')),
  order_id      TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  touched_at_ms INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX cart_sessions_one_open ON cart_sessions (owner_id) WHERE state = 'open';
CREATE INDEX cart_sessions_open_idle ON cart_sessions (state, touched_at_ms);

CREATE TABLE cart_lines (
  id         TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES cart_sessions (id),
  position   INTEGER NOT NULL,
  input      TEXT NOT NULL,
  priced     TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX cart_lines_by_session ON cart_lines (session_id, position);

CREATE TABLE stock_holds (
  id            TEXT PRIMARY KEY,
  session_id    TEXT NOT NULL REFERENCES cart_sessions (id),
  line_id       TEXT NOT NULL,
  item_id       TEXT NOT NULL,
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  expires_at_ms INTEGER NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('held', 'released', 'converted', 'expired')),
  created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX stock_holds_active ON stock_holds (item_id, state, expires_at_ms);
CREATE INDEX stock_holds_by_line ON stock_holds (line_id, state);

-- An order's immutable content (its snapshot) is stored once: in the payload of its order.placed
-- event (placed_seq). This row is the projection: status, totals for queries, idempotency.
-- Every page an order touches is a WAL frame written and fsynced: rows are keyed by the
-- monotonic seq of their order.placed event so they append instead of landing on random pages.
CREATE TABLE orders (
  placed_seq       INTEGER PRIMARY KEY REFERENCES events (seq),
  id               TEXT NOT NULL UNIQUE,
  ref              TEXT NOT NULL UNIQUE,
  number           INTEGER NOT NULL,
  business_date    TEXT NOT NULL,
  channel          TEXT NOT NULL,
  status           TEXT NOT NULL,
  currency         TEXT NOT NULL,
  subtotal         INTEGER NOT NULL,
  tax              INTEGER NOT NULL,
  total            INTEGER NOT NULL,
  snapshot_hash    TEXT NOT NULL,
  placed_status    TEXT NOT NULL,
  placed_reply_seq INTEGER NOT NULL,
  placed_by_id     TEXT NOT NULL,
  session_id       TEXT,
  idempotency_key  TEXT NOT NULL UNIQUE,
  request_hash     TEXT NOT NULL,
  done_marks       TEXT NOT NULL DEFAULT '[]',
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  last_seq         INTEGER NOT NULL
) STRICT;
-- Serves the queue (status IN open states) and "is this number still on the board?".
CREATE INDEX orders_open ON orders (status, number);
CREATE INDEX orders_by_placer ON orders (placed_by_id, created_at);

CREATE TRIGGER orders_immutable BEFORE UPDATE OF id, ref, number, business_date, channel, currency,
  subtotal, tax, total, snapshot_hash, placed_seq, placed_status, placed_reply_seq, placed_by_id, session_id,
  idempotency_key, request_hash, created_at ON orders
BEGIN SELECT RAISE(ABORT, 'orders are immutable after commit: only the status changes'); END;
CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
BEGIN SELECT RAISE(ABORT, 'orders are never deleted'); END;

CREATE TABLE order_lines (
  order_seq    INTEGER NOT NULL REFERENCES orders (placed_seq),
  position     INTEGER NOT NULL,
  line_id      TEXT NOT NULL,
  menu_item_id TEXT NOT NULL,
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  unit_price   INTEGER NOT NULL,
  total        INTEGER NOT NULL,
  tax_class    TEXT NOT NULL,
  PRIMARY KEY (order_seq, position)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER order_lines_immutable BEFORE UPDATE ON order_lines
BEGIN SELECT RAISE(ABORT, 'order lines are immutable'); END;
CREATE TRIGGER order_lines_no_delete BEFORE DELETE ON order_lines
BEGIN SELECT RAISE(ABORT, 'order lines are never deleted'); END;

CREATE TABLE order_numbers (
  business_date TEXT PRIMARY KEY,
  last_number   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE users (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL,
  pin_hash   TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('active', 'deactivated')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE devices (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
  paired_at    TEXT NOT NULL,
  last_seen_at TEXT
) STRICT;

CREATE TABLE tokens (
  hash          TEXT PRIMARY KEY,
  subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('user', 'device')),
  subject_id    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at_ms INTEGER,
  revoked_at    TEXT
) STRICT;
CREATE INDEX tokens_by_subject ON tokens (subject_kind, subject_id);

CREATE TABLE pairing_codes (
  code_hash     TEXT PRIMARY KEY,
  role          TEXT NOT NULL,
  name          TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  used_at       TEXT,
  device_id     TEXT
) STRICT;
`;
