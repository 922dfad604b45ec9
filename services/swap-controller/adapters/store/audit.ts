/**
 * The audit log: one row per mutation of the cluster or of coordination state (who, when, what,
 * dry run or real, outcome, milliseconds per phase). Bounded by count; the oldest rows go first.
 * The rows are written and read by the same code as every service's audit store (shared/audit/table.ts).
 */
import { type AuditRow, insertAuditRow, queryAuditTable, toEntry } from '../../../../shared/audit/table.ts'
import type { Database } from '../../../../shared/sqlite.ts'
import type { AuditInput, AuditRepository } from '../../domain/coordination/ports.ts'

const TABLE = 'audit_log'

export function auditRepository(db: Database, maxRows: number): AuditRepository {
  return {
    append: (entry: AuditInput & { atMs: number }) => insertAuditRow(db, TABLE, entry, maxRows),
    query: (query) => queryAuditTable(db, TABLE, query),
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
        .all<AuditRow>(`SELECT * FROM ${TABLE} ${clause}ORDER BY id DESC LIMIT ?`, [
          ...params,
          Math.max(0, limit),
        ])
        .map(toEntry)
    },
  }
}
