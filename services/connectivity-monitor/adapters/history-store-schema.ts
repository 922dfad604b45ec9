/**
 * The history's tables in `MONITOR_DB` (its own migration scope: the maintenance windows live in
 * the same file under theirs). One migration per entry; never edit a shipped one, append.
 * Times are integer milliseconds since the epoch; the wire formats them.
 */
export const HISTORY_SCOPE = 'history'

export const HISTORY_MIGRATIONS: readonly string[] = [
  `
  -- Every state change, as decided (at = when the new state began, decided_at = when it was sure).
  CREATE TABLE transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    target TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    at INTEGER NOT NULL,
    decided_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX transitions_at ON transitions (at);

  -- Time in each state, one row per stretch; ended_at is NULL for the one still running.
  CREATE TABLE spans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    target TEXT NOT NULL,
    state TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE UNIQUE INDEX spans_open ON spans (target) WHERE ended_at IS NULL;
  -- Uptime reads a target's spans that end inside its longest window: a range, not the whole year.
  CREATE INDEX spans_target_end ON spans (target, ended_at);
  CREATE INDEX spans_end ON spans (ended_at);

  CREATE TABLE outages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- The node the target runs on, so a node's outage finds the outages it takes with it.
    host TEXT,
    severity TEXT NOT NULL CHECK (severity IN ('down', 'degraded')),
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    host_outage_id INTEGER REFERENCES outages (id) ON DELETE SET NULL,
    alerted INTEGER NOT NULL DEFAULT 0
  );
  CREATE UNIQUE INDEX outages_open ON outages (target) WHERE ended_at IS NULL;
  CREATE INDEX outages_started ON outages (started_at);
  CREATE INDEX outages_target_start ON outages (target, started_at);
  CREATE INDEX outages_target_end ON outages (target, ended_at);
  CREATE INDEX outages_end ON outages (ended_at);
  CREATE INDEX outages_host ON outages (host, started_at);
  CREATE INDEX outages_parent ON outages (host_outage_id);

  -- When the monitor was last known to run: what it left open ends there, after it is unknown.
  CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
  );
  `,
]
