/**
 * 0003: the print spooler's jobs and the devices' history.
 *
 * A print job is written in the same transaction as the event that causes it (order placed,
 * queued, cancelled, paid), so a committed order always has its tickets queued and a crash can
 * never lose one. Jobs are device-local state, not events: they are not synced upstream.
 * `seq` is the FIFO position of creation; `queue_pos` lets an automatic REPRINT take the place of
 * the job it replaces. No foreign key to orders: jobs are written before the order row exists.
 */
export const sql = /* sql */ `
CREATE TABLE print_jobs (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL CHECK (kind IN ('kitchen', 'receipt', 'number_slip', 'drawer', 'test', 'boot_slip')),
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
-- The spooler's queue: a printer's active jobs in FIFO order.
CREATE INDEX print_jobs_queue ON print_jobs (printer_id, queue_pos, seq)
  WHERE state IN ('queued', 'preflight', 'sending', 'awaiting-completion', 'held', 'retry-wait');
CREATE INDEX print_jobs_by_order ON print_jobs (order_id, kind);
CREATE INDEX print_jobs_by_state ON print_jobs (state, seq);

-- What the devices did and went through: printer online/offline/faults, drawer kicked/opened/
-- closed/left open, display offline. An audit trail for the technician, pruned after 30 days.
CREATE TABLE device_events (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL,
  type      TEXT NOT NULL,
  detail    TEXT NOT NULL DEFAULT '{}',
  at        TEXT NOT NULL
) STRICT;
CREATE INDEX device_events_by_device ON device_events (device_id, seq);
`;
