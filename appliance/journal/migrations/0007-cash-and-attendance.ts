/**
 * 0007: the store's cash and its people's hours (appliance/cash, appliance/attendance).
 *
 * - `cash_shifts`: one drawer's shift from its float to its count; at most one open per drawer
 *   (a partial unique index, so two cashiers opening at once cannot both succeed).
 * - `cash_movements`: cash in and out, immutable, keyed by their `cash.moved` event.
 * - `cash_shift_payments`: which payments and refunds were taken while a shift was open, so the
 *   summary is a query and never an edited total.
 * - `cash_reports`: every X and Z report as it was made (the summary at that moment).
 * - `attendance`: clock entries and managers' corrections; a correction is a new row that names
 *   the entry it supersedes.
 * - `orders_by_day`: the counter lists a business day's orders (`GET /api/orders?date=`).
 * - `print_jobs` takes the kind `shift_report` (the X and Z reports on paper). SQLite cannot widen
 *   a CHECK in place, so the table is rebuilt under the same name with the same columns (as 0006
 *   did for payments): the previous release still reads it.
 */
export const sql = /* sql */ `
CREATE TABLE cash_shifts (
  id             TEXT PRIMARY KEY,
  drawer         TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opening_float  INTEGER NOT NULL CHECK (opening_float >= 0),
  currency       TEXT NOT NULL,
  opened_at      TEXT NOT NULL,
  opened_by      TEXT NOT NULL,
  opened_seq     INTEGER NOT NULL REFERENCES events (seq),
  closed_at      TEXT,
  closed_by      TEXT,
  closed_seq     INTEGER REFERENCES events (seq),
  counted        INTEGER,
  denominations  TEXT NOT NULL DEFAULT '[]',
  note           TEXT,
  summary        TEXT
) STRICT;
CREATE UNIQUE INDEX cash_shifts_one_open ON cash_shifts (drawer) WHERE status = 'open';
CREATE INDEX cash_shifts_by_opened ON cash_shifts (opened_at);

CREATE TABLE cash_movements (
  seq        INTEGER PRIMARY KEY REFERENCES events (seq),
  id         TEXT NOT NULL UNIQUE,
  shift_id   TEXT NOT NULL REFERENCES cash_shifts (id),
  type       TEXT NOT NULL CHECK (type IN ('cash_in', 'cash_out')),
  amount     INTEGER NOT NULL CHECK (amount > 0),
  reason     TEXT NOT NULL,
  actor      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  request_hash    TEXT NOT NULL
) STRICT;
CREATE INDEX cash_movements_by_shift ON cash_movements (shift_id, seq);

CREATE TABLE cash_shift_payments (
  shift_id   TEXT NOT NULL REFERENCES cash_shifts (id),
  kind       TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
  ref_id     TEXT NOT NULL,
  method     TEXT NOT NULL,
  amount     INTEGER NOT NULL,
  tip        INTEGER NOT NULL DEFAULT 0,
  order_id   TEXT NOT NULL,
  seq        INTEGER NOT NULL REFERENCES events (seq),
  PRIMARY KEY (kind, ref_id)
) STRICT;
CREATE INDEX cash_shift_payments_by_shift ON cash_shift_payments (shift_id, seq);

CREATE TABLE cash_reports (
  seq        INTEGER PRIMARY KEY REFERENCES events (seq),
  id         TEXT NOT NULL UNIQUE,
  shift_id   TEXT NOT NULL REFERENCES cash_shifts (id),
  kind       TEXT NOT NULL CHECK (kind IN ('x', 'z')),
  actor      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  payload    TEXT NOT NULL,
  printed    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX cash_reports_by_shift ON cash_reports (shift_id, seq);

CREATE TABLE attendance (
  seq        INTEGER PRIMARY KEY REFERENCES events (seq),
  id         TEXT NOT NULL UNIQUE,
  user_id    TEXT NOT NULL,
  name       TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('clock_in', 'clock_out', 'break_start', 'break_end')),
  at         TEXT NOT NULL,
  store_date TEXT NOT NULL,
  actor      TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  corrects   TEXT,
  voided     INTEGER NOT NULL DEFAULT 0,
  reason     TEXT,
  superseded_by TEXT
) STRICT;
CREATE INDEX attendance_by_user ON attendance (user_id, at);
CREATE INDEX attendance_by_date ON attendance (store_date, at);

CREATE INDEX orders_by_day ON orders (business_date, placed_seq);

CREATE TABLE print_jobs_v7 (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL CHECK (kind IN ('kitchen', 'receipt', 'number_slip', 'drawer', 'test', 'boot_slip',
                    'shift_report')),
  order_id        TEXT,
  order_number    INTEGER,
  station         TEXT,
  revision        INTEGER NOT NULL DEFAULT 1,
  printer_id      TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('queued', 'preflight', 'sending', 'awaiting-completion', 'done', 'held',
                    'retry-wait', 'uncertain', 'expired', 'cancelled', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  banner          TEXT CHECK (banner IN ('COPY', 'REPRINT')),
  copy_of         TEXT,
  followed_by     TEXT,
  document        TEXT NOT NULL,
  queue_pos       INTEGER NOT NULL,
  in_printer      INTEGER NOT NULL DEFAULT 0 CHECK (in_printer IN (0, 1)),
  not_before_ms   INTEGER,
  expires_at_ms   INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  completed_at    TEXT,
  last_error      TEXT,
  bytes_sent      INTEGER,
  confirmed_by    TEXT
) STRICT;
INSERT INTO print_jobs_v7 SELECT seq, id, idempotency_key, kind, order_id, order_number, station, revision, printer_id,
  state, attempts, banner, copy_of, followed_by, document, queue_pos, in_printer, not_before_ms, expires_at_ms,
  created_at, updated_at, completed_at, last_error, bytes_sent, confirmed_by FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_v7 RENAME TO print_jobs;
CREATE INDEX print_jobs_queue ON print_jobs (printer_id, queue_pos, seq)
  WHERE state IN ('queued', 'preflight', 'sending', 'awaiting-completion', 'held', 'retry-wait');
CREATE INDEX print_jobs_by_order ON print_jobs (order_id, kind);
CREATE INDEX print_jobs_by_state ON print_jobs (state, seq);
`;
