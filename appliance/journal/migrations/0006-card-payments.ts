/**
 * 0006: money that moves (appliance/payments).
 *
 * - `payments` takes the methods `mobile` and `card_online` (a provider token) and says which
 *   terminal or provider took it and the terminal's slip lines. SQLite cannot widen a CHECK in
 *   place, so the table is rebuilt under the same name with the same columns first: the previous
 *   release still reads it.
 * - `refunds`: money given back, immutable like payments, keyed by their `payment.refunded` event.
 * - `payment_attempts`: each request to a terminal or a provider, written before it is asked, so a
 *   crash at any point is settled at the next start by asking how it ended (never by asking again).
 * - `terminal_credentials`: ZVT passwords and Adyen keys, sealed with the board's key.
 * - `terminal_closings`: each end of day, the terminal's totals against the journal's.
 */
export const sql = /* sql */ `
CREATE TABLE payments_v6 (
  seq        INTEGER PRIMARY KEY REFERENCES events (seq),
  id         TEXT NOT NULL UNIQUE,
  order_id   TEXT NOT NULL REFERENCES orders (id),
  method     TEXT NOT NULL CHECK (method IN ('cash', 'card', 'external', 'mobile', 'card_online')),
  amount     INTEGER NOT NULL CHECK (amount > 0),
  tip        INTEGER NOT NULL DEFAULT 0 CHECK (tip >= 0),
  tendered   INTEGER,
  change     INTEGER,
  currency   TEXT NOT NULL,
  reference  TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  request_hash    TEXT NOT NULL,
  taken_by   TEXT NOT NULL,
  created_at TEXT NOT NULL,
  terminal   TEXT,
  provider   TEXT,
  card_slip  TEXT NOT NULL DEFAULT '[]'
) STRICT;
INSERT INTO payments_v6 (seq, id, order_id, method, amount, tip, tendered, change, currency, reference,
  idempotency_key, request_hash, taken_by, created_at)
SELECT seq, id, order_id, method, amount, tip, tendered, change, currency, reference,
  idempotency_key, request_hash, taken_by, created_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v6 RENAME TO payments;
CREATE INDEX payments_by_order ON payments (order_id);
CREATE INDEX payments_by_terminal ON payments (terminal, created_at) WHERE terminal IS NOT NULL;
CREATE TRIGGER payments_immutable BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are immutable'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;

CREATE TABLE refunds (
  seq        INTEGER PRIMARY KEY REFERENCES events (seq),
  id         TEXT NOT NULL UNIQUE,
  payment_id TEXT NOT NULL REFERENCES payments (id),
  order_id   TEXT NOT NULL REFERENCES orders (id),
  amount     INTEGER NOT NULL CHECK (amount > 0),
  currency   TEXT NOT NULL,
  route      TEXT NOT NULL CHECK (route IN ('terminal_reversal', 'terminal_refund', 'provider', 'cash', 'external')),
  reason     TEXT NOT NULL,
  reference  TEXT,
  card_slip  TEXT NOT NULL DEFAULT '[]',
  terminal   TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  request_hash    TEXT NOT NULL,
  taken_by   TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX refunds_by_payment ON refunds (payment_id);
CREATE INDEX refunds_by_order ON refunds (order_id);
CREATE TRIGGER refunds_immutable BEFORE UPDATE ON refunds
BEGIN SELECT RAISE(ABORT, 'refunds are immutable'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
BEGIN SELECT RAISE(ABORT, 'refunds are never deleted'); END;

CREATE TABLE payment_attempts (
  id          TEXT PRIMARY KEY,
  -- sale: a checkout on a terminal; refund / reversal: money back on a terminal; provider_charge /
  -- provider_refund: a token charged or refunded through a provider's API.
  kind        TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'reversal', 'provider_charge', 'provider_refund')),
  state       TEXT NOT NULL CHECK (state IN ('queued', 'presenting', 'approved', 'declined', 'cancelled', 'failed', 'uncertain', 'reversed')),
  device      TEXT NOT NULL,
  order_id    TEXT NOT NULL,
  -- The payment this refunds or reverses, or the payment a sale or charge became.
  payment_id  TEXT,
  refund_id   TEXT,
  amount      INTEGER NOT NULL CHECK (amount > 0),
  currency    TEXT NOT NULL,
  -- A new order to commit when the sale is approved (its priced lines, as charged), or NULL.
  draft       TEXT,
  -- Who asked: {id, role, name}, so a recovery after a crash commits in their name.
  principal   TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  stage       TEXT,
  message     TEXT NOT NULL DEFAULT '',
  reason      TEXT,
  -- What the terminal or provider answered (transaction id, auth code, slip lines), once it did.
  outcome     TEXT,
  recovered   INTEGER NOT NULL DEFAULT 0,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX payment_attempts_open ON payment_attempts (device, created_at)
  WHERE state IN ('queued', 'presenting', 'uncertain');
CREATE UNIQUE INDEX payment_attempts_one_open_per_order ON payment_attempts (order_id)
  WHERE state IN ('queued', 'presenting', 'uncertain') AND kind IN ('sale', 'provider_charge');

CREATE TABLE terminal_credentials (
  terminal   TEXT PRIMARY KEY,
  sealed     TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE terminal_closings (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  terminal   TEXT NOT NULL,
  closed_at  TEXT NOT NULL,
  since      TEXT,
  currency   TEXT NOT NULL,
  terminal_total INTEGER NOT NULL,
  terminal_count INTEGER NOT NULL,
  journal_total  INTEGER NOT NULL,
  journal_count  INTEGER NOT NULL,
  error      TEXT,
  receipt    TEXT NOT NULL DEFAULT '[]'
) STRICT;
CREATE INDEX terminal_closings_by_terminal ON terminal_closings (terminal, id);
`;
