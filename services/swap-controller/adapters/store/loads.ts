/**
 * Swap records: one per swap (real or dry run) with its per-phase seconds and a log excerpt. The
 * catalog reads past loads of a recipe through `LoadHistory` for its ETA and its history column.
 */
import type { Database } from '../../../../shared/sqlite.ts'
import { isoUtc } from '../../domain/coordination/time.ts'
import type { LastSwap, LeftoverRecords } from '../../domain/swap/startup-cleanup.ts'
import { clip, parseJsonRecord, pruneToNewest } from './prune.ts'

export interface PastLoad {
  started_at: string
  outcome: string
  total_s: number
  /** Seconds per phase, e.g. `{stopping: 4.2, loading: 71.5, warming: 3.1}`. */
  phases: Record<string, number>
}

/** A load that reached `ready`, for the ETA: `load_s` runs from the launch to ready (no drain, no teardown). */
export interface SuccessfulLoad extends PastLoad {
  mode: string
  load_s: number
}

/** What the catalog consumes; async so another store could stand behind it. */
export interface LoadHistory {
  recentLoads(key: string, limit: number): Promise<PastLoad[]>
}

/** The swap states between the launch and ready: a load's own time. */
const LOAD_STATES = ['starting', 'loading', 'warming'] as const

export interface SwapRecordStart {
  id: string
  recipe: string
  model?: string | null
  fromModel?: string | null
  /** `solo` or `cluster`; what an ETA is learnt per. */
  mode?: string | null
  dryRun?: boolean
  startedAtMs: number
}

export interface SwapRecordEnd {
  /** `ready`, `failed`, `cancelled`, `rolled_back`, … */
  outcome: string
  endedAtMs: number
  /** Seconds per phase. */
  phases: Record<string, number>
  logExcerpt?: string | null
  error?: string | null
  /** Interrupted by shutdown after its launch: the half-loaded container was left on the nodes. */
  leftOnNodes?: boolean
}

export interface SwapRecord {
  id: string
  recipe: string
  model: string | null
  from_model: string | null
  dry_run: boolean
  started_at: string
  ended_at: string | null
  outcome: string
  total_s: number | null
  phases: Record<string, number>
  log_excerpt: string | null
  error: string | null
}

export interface SwapRecords extends LoadHistory, LeftoverRecords {
  /** The newest loads of `key` in `mode` that reached ready (not failed, cancelled, rolled back or dry). */
  successfulLoads(key: string, mode: string, limit: number): Promise<SuccessfulLoad[]>
  start(record: SwapRecordStart): void
  finish(id: string, end: SwapRecordEnd): boolean
  get(id: string): SwapRecord | undefined
}

interface Row {
  id: string
  recipe: string
  model: string | null
  from_model: string | null
  mode: string | null
  dry_run: number
  started_at_ms: number
  ended_at_ms: number | null
  outcome: string
  total_s: number | null
  phases: string
  log_excerpt: string | null
  error: string | null
  left_on_nodes: number
  cleanup_at_ms: number | null
}

/** A log excerpt is the tail of the container log; 64 KiB is about the last thousand lines. */
export const MAX_LOG_EXCERPT_CHARS = 64 * 1024

const toRecord = (row: Row): SwapRecord => ({
  id: row.id,
  recipe: row.recipe,
  model: row.model,
  from_model: row.from_model,
  dry_run: row.dry_run === 1,
  started_at: isoUtc(row.started_at_ms),
  ended_at: row.ended_at_ms === null ? null : isoUtc(row.ended_at_ms),
  outcome: row.outcome,
  total_s: row.total_s,
  phases: parseJsonRecord(row.phases) ?? {},
  log_excerpt: row.log_excerpt,
  error: row.error,
})

/** Finite values only, millisecond precision, a bounded number of phases. */
const seconds = (phases: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(phases)
      .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
      .slice(0, 32)
      .map(([k, v]) => [k.slice(0, 64), Math.round(v * 1000) / 1000]),
  )

const pastLoad = (r: Row): PastLoad => ({
  started_at: isoUtc(r.started_at_ms),
  outcome: r.outcome,
  total_s: r.total_s ?? 0,
  phases: parseJsonRecord(r.phases) ?? {},
})

const lastSwap = (row: Row): LastSwap => ({
  id: row.id,
  recipe: row.recipe,
  model: row.model,
  leftOnNodes: row.left_on_nodes === 1,
  cleanupAtMs: row.cleanup_at_ms,
})

/** Said of a swap the process never finished: it was killed (SIGKILL, power) during the swap. */
export const ORPHAN_ERROR =
  'The swap-controller stopped during this swap; found unfinished at the next start.'

export function swapRecords(db: Database, maxRows: number): SwapRecords {
  // A record still `running` at open belongs to a process that died mid-swap (a clean shutdown
  // records `cancelled`). Close it, without an end time, so it neither looks live nor feeds an ETA.
  db.run(`UPDATE swap_records SET outcome = 'interrupted', error = ? WHERE outcome = 'running'`, [
    ORPHAN_ERROR,
  ])
  return {
    start(record) {
      db.transaction(() => {
        const seq = (db.get<{ s: number | null }>('SELECT MAX(seq) AS s FROM swap_records')?.s ?? 0) + 1
        db.run(
          `INSERT INTO swap_records (id, seq, recipe, model, from_model, mode, dry_run, started_at_ms, outcome)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running')`,
          [
            record.id,
            seq,
            record.recipe,
            record.model ?? null,
            record.fromModel ?? null,
            record.mode ?? null,
            record.dryRun ?? false,
            record.startedAtMs,
          ],
        )
        pruneToNewest(db, 'swap_records', 'seq', maxRows)
      })
    },
    finish(id, end) {
      const row = db.get<{ started_at_ms: number }>('SELECT started_at_ms FROM swap_records WHERE id = ?', [
        id,
      ])
      if (!row) return false
      const total = Math.max(0, end.endedAtMs - row.started_at_ms) / 1000
      db.run(
        `UPDATE swap_records
         SET ended_at_ms = ?, outcome = ?, total_s = ?, phases = ?, log_excerpt = ?, error = ?, left_on_nodes = ?
         WHERE id = ?`,
        [
          end.endedAtMs,
          clip(end.outcome, 32),
          total,
          JSON.stringify(seconds(end.phases)),
          clip(end.logExcerpt, MAX_LOG_EXCERPT_CHARS, 'tail'),
          clip(end.error, 2000),
          end.leftOnNodes === true,
          id,
        ],
      )
      return true
    },
    get(id) {
      const row = db.get<Row>('SELECT * FROM swap_records WHERE id = ?', [id])
      return row && toRecord(row)
    },
    newest() {
      // At open every record is finished: one still running was closed above as interrupted.
      const row = db.get<Row>('SELECT * FROM swap_records WHERE dry_run = 0 ORDER BY seq DESC LIMIT 1')
      return row && lastSwap(row)
    },
    markCleanedUp(id, atMs) {
      db.run('UPDATE swap_records SET cleanup_at_ms = ? WHERE id = ?', [Math.round(atMs), id])
    },
    async recentLoads(key, limit) {
      const rows = db.all<Row>(
        `SELECT * FROM swap_records WHERE recipe = ? AND ended_at_ms IS NOT NULL AND dry_run = 0
         ORDER BY started_at_ms DESC LIMIT ?`,
        [key, Math.max(0, Math.min(1000, Math.trunc(limit)))],
      )
      return rows.map(pastLoad)
    },
    async successfulLoads(key, mode, limit) {
      const rows = db.all<Row>(
        `SELECT * FROM swap_records
         WHERE recipe = ? AND mode = ? AND outcome = 'ready' AND ended_at_ms IS NOT NULL AND dry_run = 0
         ORDER BY started_at_ms DESC LIMIT ?`,
        [key, mode, Math.max(0, Math.min(1000, Math.trunc(limit)))],
      )
      return rows.map((r) => {
        const load = pastLoad(r)
        const launched = LOAD_STATES.reduce((s, state) => s + (load.phases[state] ?? 0), 0)
        return { ...load, mode, load_s: launched > 0 ? launched : load.total_s }
      })
    },
  }
}
