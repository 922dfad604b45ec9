/**
 * The monitor's durable record in `MONITOR_DB` (SQLite through the shared kit: WAL, a busy
 * timeout, migrations under the `history` scope): every state change, time per state (spans) for
 * uptime, and the outage log. A heartbeat row says when the monitor last ran, so what it left open
 * when it stopped ends there and the gap until it came back counts as unknown.
 */

import type { Logger } from '../../../shared/logger.ts'
import type { Database } from '../../../shared/sqlite.ts'
import { openDatabase } from '../../../shared/sqlite.ts'
import { boundEvidence, evidenceItem } from '../domain/history/evidence.ts'
import { stoppedReason } from '../domain/history/outage-rules.ts'
import type { History, Transition } from '../domain/ports.ts'
import { outageRecords } from './history-store-outages.ts'
import { HISTORY_MIGRATIONS, HISTORY_SCOPE } from './history-store-schema.ts'
import { uptimeOf } from './history-store-uptime.ts'

export interface OpenHistoryOptions {
  /** The database file (`MONITOR_DB`); its folder is created. */
  path: string
  retentionDays: number
  logger: Logger
  /** The clock; default `Date.now`. */
  now?: () => number
}

const DAY_MS = 86_400_000

export async function openHistory(options: OpenHistoryOptions): Promise<History> {
  const db = await openDatabase(options.path, { migrations: HISTORY_MIGRATIONS, scope: HISTORY_SCOPE })
  const now = options.now ?? Date.now
  try {
    // The history is the monitor's own record, acknowledged to nobody: a power cut may lose its
    // last state changes (the next start counts that time as unknown), and in exchange a state
    // change is not an fsync that holds the event loop — and the probes' timers — for milliseconds.
    // Owner maintenance windows keep FULL: their connection (maintenance-store.ts) is its own.
    db.exec('PRAGMA synchronous = NORMAL')
    closeWhatTheLastRunLeftOpen(db, now(), options.logger)
  } catch (err) {
    db.close()
    throw err
  }
  return historyOn(db, { retentionDays: options.retentionDays, now })
}

const HEARTBEAT =
  'INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = MAX(at, excluded.at)'

function insertTransition(db: Database, change: Transition, evidence: string): void {
  db.run(
    `INSERT INTO transitions (target, from_state, to_state, at, decided_at, reason, evidence)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [change.target, change.from, change.to, change.at, change.decidedAt, change.reason, evidence],
  )
}

/** A monitor that stopped (cleanly or not) left spans and outages open: they end at its last heartbeat. */
function closeWhatTheLastRunLeftOpen(db: Database, now: number, logger: Logger): void {
  db.transaction(() => {
    const open = db.all<{ target: string; state: string; started_at: number }>(
      'SELECT target, state, started_at FROM spans WHERE ended_at IS NULL',
    )
    const openOutages =
      db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outages WHERE ended_at IS NULL')?.n ?? 0
    if (open.length === 0 && openOutages === 0) return
    const latestStart = Math.max(0, ...open.map((s) => s.started_at))
    const lastSeen = db.get<{ at: number }>('SELECT at FROM heartbeat WHERE id = 1')?.at ?? latestStart
    for (const span of open)
      insertTransition(
        db,
        {
          target: span.target,
          from: span.state as Transition['from'],
          to: 'unknown',
          at: Math.max(span.started_at, lastSeen),
          decidedAt: now,
          reason: 'the monitor stopped',
          evidence: [],
        },
        '[]',
      )
    db.run('UPDATE spans SET ended_at = MAX(started_at, ?) WHERE ended_at IS NULL', [lastSeen])
    for (const row of db.all<{ id: number; reason: string }>(
      'SELECT id, reason FROM outages WHERE ended_at IS NULL',
    ))
      db.run('UPDATE outages SET ended_at = MAX(started_at, ?), reason = ? WHERE id = ?', [
        lastSeen,
        stoppedReason(row.reason),
        row.id,
      ])
    logger.info(
      {
        spans: open.length,
        outages: openOutages,
        last_seen: new Date(lastSeen).toISOString(),
        away_s: (now - lastSeen) / 1000,
      },
      'connectivity history: closed what the previous run left open at its last heartbeat; the time since is unknown',
    )
  })
}

function historyOn(db: Database, options: { retentionDays: number; now: () => number }): History {
  const outages = outageRecords(db)
  let closed = false
  return {
    record(change, target) {
      const evidence = boundEvidence(change.evidence).map(evidenceItem)
      return db.transaction(() => {
        insertTransition(db, change, JSON.stringify(evidence))
        const open = db.get<{ id: number; state: string; started_at: number }>(
          'SELECT id, state, started_at FROM spans WHERE target = ? AND ended_at IS NULL',
          [change.target],
        )
        if (open?.state !== change.to) {
          // A back-dated change never starts before the span it ends: spans stay ordered and disjoint.
          const at = Math.max(change.at, open?.started_at ?? change.at)
          if (open) db.run('UPDATE spans SET ended_at = ? WHERE id = ?', [at, open.id])
          db.run('INSERT INTO spans (target, state, started_at) VALUES (?, ?, ?)', [
            change.target,
            change.to,
            at,
          ])
        }
        db.run(HEARTBEAT, [change.decidedAt])
        return outages.apply(change, target, evidence)
      })
    },
    outages: (query) => outages.list(query),
    open: (now) => outages.open(now),
    uptime: (targets, now) => uptimeOf(db, targets, now),
    markAlerted: (id) => outages.markAlerted(id),
    heartbeat(now) {
      db.run(HEARTBEAT, [now])
    },
    prune(now) {
      const cutoff = now - options.retentionDays * DAY_MS
      return db.transaction(
        () =>
          db.run('DELETE FROM transitions WHERE at < ?', [cutoff]).changes +
          db.run('DELETE FROM spans WHERE ended_at < ?', [cutoff]).changes +
          db.run('DELETE FROM outages WHERE ended_at < ?', [cutoff]).changes,
      )
    },
    close() {
      if (closed) return
      closed = true
      // The last heartbeat is the moment the record stops vouching for: the next start closes there.
      try {
        db.run(HEARTBEAT, [options.now()])
      } finally {
        db.close()
      }
    },
  }
}
