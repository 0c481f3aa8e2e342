/** 0002: payments taken for an order (cash at the counter, a card terminal, or an external payment). */
export const sql = /* sql */ `
CREATE TABLE payments (
  seq        INTEGER PRIMARY KEY REFERENCES events (seq),
  id         TEXT NOT NULL UNIQUE,
  order_id   TEXT NOT NULL REFERENCES orders (id),
  method     TEXT NOT NULL CHECK (method IN ('cash', 'card', 'external')),
  amount     INTEGER NOT NULL CHECK (amount > 0),
  tip        INTEGER NOT NULL DEFAULT 0 CHECK (tip >= 0),
  tendered   INTEGER,
  change     INTEGER,
  currency   TEXT NOT NULL,
  reference  TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  request_hash    TEXT NOT NULL,
  taken_by   TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX payments_by_order ON payments (order_id);
CREATE TRIGGER payments_immutable BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are immutable'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;
`;
