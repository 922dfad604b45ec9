/**
 * The swap-controller's tables, one migration per entry (never edit a shipped one; append).
 * Times are integer milliseconds since the epoch (sortable, exact); the wire formats them.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    dry_run INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL,
    duration_ms TEXT,
    detail TEXT,
    request_id TEXT
  );
  CREATE TABLE swap_records (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    recipe TEXT NOT NULL,
    model TEXT,
    from_model TEXT,
    dry_run INTEGER NOT NULL DEFAULT 0,
    started_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER,
    outcome TEXT NOT NULL,
    total_s REAL,
    phases TEXT NOT NULL DEFAULT '{}',
    log_excerpt TEXT,
    error TEXT
  );
  CREATE UNIQUE INDEX swap_records_seq ON swap_records (seq);
  CREATE INDEX swap_records_recipe ON swap_records (recipe, started_at_ms DESC);
  CREATE TABLE swap_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    note TEXT,
    acquired_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    token_sha256 TEXT NOT NULL
  );
  CREATE TABLE schedule_entries (
    id TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    recipe TEXT,
    model TEXT,
    cron TEXT,
    at TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE webhook_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL,
    next_attempt_at_ms INTEGER NOT NULL,
    finished_at_ms INTEGER,
    last_error TEXT
  );
  CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_at_ms);
  `,
  // Custom model cards from `POST /api/models` (model management, issue #3).
  `
  CREATE TABLE custom_models (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    repo TEXT,
    local_path TEXT,
    served_model_name TEXT NOT NULL,
    max_model_len INTEGER,
    notes TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK ((repo IS NULL) <> (local_path IS NULL))
  );
  `,
  // Model download jobs, so the list outlives a restart (one running then is shown as interrupted).
  `
  CREATE TABLE download_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    view TEXT NOT NULL
  );
  `,
  // The run mode of each swap, so an ETA learns from loads of the same recipe in the same mode
  // (a two-node load is not a solo one). Rows from before it have none and teach no ETA.
  `
  ALTER TABLE swap_records ADD COLUMN mode TEXT;
  CREATE INDEX swap_records_eta ON swap_records (recipe, mode, outcome, started_at_ms DESC);
  `,
  // A swap interrupted by shutdown after its launch left a half-loaded container on the nodes:
  // \`left_on_nodes\` says so, and \`cleanup_at_ms\` when the next start dealt with it (it runs once).
  `
  ALTER TABLE swap_records ADD COLUMN left_on_nodes INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE swap_records ADD COLUMN cleanup_at_ms INTEGER;
  `,
]
