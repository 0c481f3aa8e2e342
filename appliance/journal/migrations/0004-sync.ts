/**
 * 0004: upstream sync (docs/architecture.md#upstream-sync). Only new tables, so the previous release
 * can still open a journal this migration has touched.
 *
 * - sync_targets / sync_credentials: one row per upstream; tokens sealed with a key kept outside
 *   the journal (appliance/sync/secrets.ts).
 * - outbox: one row per (event, target, operation), written in the event's own transaction.
 * - sync_attempts: every request made upstream (the integrations' audit trail).
 * - order_backups: each order's backup record for the central target.
 * - sync_notifications: alerts for people, with their own delivery outbox (webhook).
 * - reconciliations, job_runs, journal_backups: what the scheduled jobs did, and every backup file.
 */
export const sql = /* sql */ `
CREATE TABLE sync_targets (
  target               TEXT PRIMARY KEY CHECK (target IN ('central', 'square', 'zoho')),
  state                TEXT NOT NULL CHECK (state IN ('active', 'blocked', 'disconnected')),
  auto_sync            INTEGER NOT NULL DEFAULT 1,
  settings             TEXT NOT NULL DEFAULT '{}',
  blocked_code         TEXT,
  blocked_reason       TEXT,
  blocked_at           TEXT,
  not_before_ms        INTEGER NOT NULL DEFAULT 0,
  connected_at         TEXT,
  disconnected_at      TEXT,
  last_success_at      TEXT,
  last_error           TEXT,
  last_error_at        TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  error_count          INTEGER NOT NULL DEFAULT 0,
  import_cursor        TEXT,
  updated_at           TEXT NOT NULL
) STRICT;

CREATE TABLE sync_credentials (
  target               TEXT PRIMARY KEY REFERENCES sync_targets (target),
  sealed               TEXT NOT NULL,
  key_id               TEXT NOT NULL,
  access_expires_at_ms INTEGER,
  rotated_at           TEXT NOT NULL
) STRICT;

CREATE TABLE outbox (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  event_seq           INTEGER NOT NULL REFERENCES events (seq),
  event_id            TEXT NOT NULL,
  target              TEXT NOT NULL,
  operation           TEXT NOT NULL,
  order_id            TEXT,
  depends_on          INTEGER REFERENCES outbox (id),
  idempotency_key     TEXT NOT NULL,
  state               TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'retry_wait', 'needs_lookup', 'acked', 'verified', 'missing_on_server', 'dead')),
  attempted           INTEGER NOT NULL DEFAULT 0,
  attempts            INTEGER NOT NULL DEFAULT 0,
  outcome_unknown     INTEGER NOT NULL DEFAULT 0,
  network_failure     INTEGER NOT NULL DEFAULT 0,
  created_at          TEXT NOT NULL,
  created_at_ms       INTEGER NOT NULL,
  first_attempt_at_ms INTEGER,
  last_attempt_at_ms  INTEGER,
  next_attempt_at_ms  INTEGER NOT NULL DEFAULT 0,
  last_status         INTEGER,
  last_error_code     TEXT,
  last_error_detail   TEXT,
  remote_id           TEXT,
  remote_version      INTEGER,
  acked_at            TEXT,
  acked_at_ms         INTEGER,
  verified_at         TEXT,
  checked_at_ms       INTEGER,
  duration_ms         INTEGER,
  lease_owner         TEXT,
  lease_expires_at_ms INTEGER,
  import_requested    INTEGER NOT NULL DEFAULT 0,
  requeued_by         TEXT,
  UNIQUE (target, event_id, operation)
) STRICT;
-- The worker reads only open rows; partial indexes keep that cheap however many rows are done.
CREATE INDEX outbox_open_by_seq ON outbox (target, event_seq)
  WHERE state IN ('pending', 'sending', 'retry_wait', 'needs_lookup', 'missing_on_server');
CREATE INDEX outbox_open_by_due ON outbox (target, next_attempt_at_ms)
  WHERE state IN ('pending', 'sending', 'retry_wait', 'needs_lookup', 'missing_on_server');
CREATE INDEX outbox_by_target_seq ON outbox (target, event_seq);
CREATE INDEX outbox_by_order ON outbox (order_id, target);
CREATE INDEX outbox_by_state ON outbox (target, state, acked_at_ms);

CREATE TABLE sync_attempts (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  target        TEXT NOT NULL,
  operation     TEXT NOT NULL,
  outbox_id     INTEGER,
  items         INTEGER NOT NULL,
  outcome       TEXT NOT NULL,
  http_status   INTEGER,
  error_code    TEXT,
  detail        TEXT,
  duration_ms   INTEGER NOT NULL,
  at            TEXT NOT NULL
) STRICT;
CREATE INDEX sync_attempts_by_target ON sync_attempts (target, id);

CREATE TABLE order_backups (
  order_id         TEXT PRIMARY KEY,
  order_seq        INTEGER NOT NULL,
  ref              TEXT NOT NULL,
  number           INTEGER NOT NULL,
  business_date    TEXT NOT NULL,
  total            INTEGER NOT NULL,
  currency         TEXT NOT NULL,
  snapshot_hash    TEXT NOT NULL,
  origin           TEXT NOT NULL CHECK (origin IN ('local', 'imported')),
  imported_from    TEXT,
  state            TEXT NOT NULL CHECK (state IN ('backup', 'synced', 'verified', 'missing', 'imported', 'duplicate', 'error')),
  import_requested INTEGER NOT NULL DEFAULT 0,
  error            TEXT,
  created_at       TEXT NOT NULL,
  created_at_ms    INTEGER NOT NULL,
  synced_at        TEXT,
  verified_at      TEXT,
  missing_at       TEXT,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX order_backups_by_state ON order_backups (state, business_date);
CREATE INDEX order_backups_by_date ON order_backups (business_date, order_seq);
-- Orders from before this release get their backup record too (only in the journal so far).
INSERT INTO order_backups (order_id, order_seq, ref, number, business_date, total, currency, snapshot_hash, origin, state, created_at, created_at_ms, updated_at)
  SELECT id, placed_seq, ref, number, business_date, total, currency, snapshot_hash, 'local', 'backup', created_at,
         COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), 0), created_at
  FROM orders;

CREATE TABLE sync_notifications (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  kind             TEXT NOT NULL,
  severity         TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  target           TEXT,
  order_id         TEXT,
  message          TEXT NOT NULL,
  details          TEXT NOT NULL DEFAULT '{}',
  raised_at        TEXT NOT NULL,
  cleared_at       TEXT,
  cleared_by       TEXT,
  delivery_state   TEXT NOT NULL CHECK (delivery_state IN ('none', 'pending', 'sent', 'retry_wait')),
  delivery_attempts INTEGER NOT NULL DEFAULT 0,
  next_delivery_ms INTEGER NOT NULL DEFAULT 0,
  delivered_at     TEXT
) STRICT;
CREATE INDEX sync_notifications_delivery ON sync_notifications (delivery_state, next_delivery_ms);

CREATE TABLE reconciliations (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  business_date  TEXT NOT NULL,
  orders         INTEGER NOT NULL,
  backups        INTEGER NOT NULL,
  verified       INTEGER NOT NULL,
  synced         INTEGER NOT NULL,
  missing        INTEGER NOT NULL,
  errors         INTEGER NOT NULL,
  not_upstream   INTEGER NOT NULL,
  ok             INTEGER NOT NULL,
  trigger        TEXT NOT NULL,
  at             TEXT NOT NULL
) STRICT;
CREATE INDEX reconciliations_by_date ON reconciliations (business_date, id);

CREATE TABLE job_runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  job         TEXT NOT NULL,
  trigger     TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('running', 'ok', 'failed', 'skipped', 'interrupted')),
  started_at  TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  finished_at TEXT,
  summary     TEXT NOT NULL DEFAULT '{}',
  error       TEXT
) STRICT;
CREATE INDEX job_runs_by_job ON job_runs (job, id);

CREATE TABLE journal_backups (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  file          TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('creating', 'ready', 'failed', 'deleting', 'deleted')),
  trigger       TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  boot_count    INTEGER NOT NULL,
  clock_synced  INTEGER NOT NULL,
  size_bytes    INTEGER,
  sha256        TEXT,
  page_count    INTEGER,
  seq           INTEGER,
  integrity     TEXT,
  error         TEXT,
  deleted_at    TEXT
) STRICT;
CREATE INDEX journal_backups_by_state ON journal_backups (state, id);
`;
