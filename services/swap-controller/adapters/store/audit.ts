/**
 * The audit log: one row per mutation of the cluster or of coordination state (who, when, what,
 * dry run or real, outcome, milliseconds per phase). Bounded by count; the oldest rows go first.
 */
import type { Database } from '../../../../shared/sqlite.ts'
import type { AuditEntry, AuditInput, AuditRepository } from '../../domain/coordination/ports.ts'
import { isoUtc } from '../../domain/coordination/time.ts'
import { clip, parseJsonRecord, pruneToNewest } from './prune.ts'

interface AuditRow {
  id: number
  at_ms: number
  actor: string
  action: string
  target: string | null
  dry_run: number
  outcome: string
  duration_ms: string | null
  detail: string | null
  request_id: string | null
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: isoUtc(row.at_ms),
  actor: row.actor,
  action: row.action,
  target: row.target,
  dry_run: row.dry_run === 1,
  outcome: row.outcome,
  duration_ms: parseJsonRecord(row.duration_ms),
  detail: row.detail,
  request_id: row.request_id,
})

/** Only finite numbers survive: the column is documented as `{phase: milliseconds}`. */
function phasesJson(phases: Record<string, number> | null | undefined): string | null {
  if (!phases) return null
  const clean = Object.entries(phases).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
  return JSON.stringify(
    Object.fromEntries(clean.slice(0, 32).map(([k, v]) => [k.slice(0, 64), Math.round(v)])),
  )
}

export function auditRepository(db: Database, maxRows: number): AuditRepository {
  return {
    append(entry: AuditInput & { atMs: number }) {
      const { lastInsertRowid } = db.run(
        `INSERT INTO audit_log (at_ms, actor, action, target, dry_run, outcome, duration_ms, detail, request_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          Math.round(entry.atMs),
          clip(entry.actor, 64),
          clip(entry.action, 64),
          clip(entry.target, 256),
          entry.dryRun ?? false,
          clip(entry.outcome, 32),
          phasesJson(entry.durationMs),
          clip(entry.detail, 2000),
          clip(entry.requestId, 128),
        ],
      )
      pruneToNewest(db, 'audit_log', 'id', maxRows)
      return toEntry(db.get<AuditRow>('SELECT * FROM audit_log WHERE id = ?', [lastInsertRowid])!)
    },
    recent(limit, filter = {}) {
      const where: string[] = []
      const params: Array<string | number> = []
      const within = (column: string, values: readonly string[] | undefined) => {
        if (!values?.length) return
        where.push(`${column} IN (${values.map(() => '?').join(', ')})`)
        params.push(...values)
      }
      within('action', filter.actions)
      within('outcome', filter.outcomes)
      if (filter.dryRun !== undefined) {
        where.push('dry_run = ?')
        params.push(filter.dryRun ? 1 : 0)
      }
      const clause = where.length ? `WHERE ${where.join(' AND ')} ` : ''
      return db
        .all<AuditRow>(`SELECT * FROM audit_log ${clause}ORDER BY id DESC LIMIT ?`, [
          ...params,
          Math.max(0, limit),
        ])
        .map(toEntry)
    },
  }
}
