/**
 * The audit table's rows, shared by every service's store (shared/audit/store.ts) and the
 * swap-controller's coordination log (`audit_log`): one insert, one filtered query, one pruning
 * rule, so every service's entries read the same. Table names come from code, never a request.
 */
import type { Database } from '../sqlite.ts'
import type { AuditInput } from './recorder.ts'

/** One entry as the API shows it (shared/contracts/audit.ts `auditEntrySchema`). */
export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  target: string | null
  dry_run: boolean
  outcome: string
  duration_ms: Record<string, number> | null
  detail: string | null
  request_id: string | null
}

/** Every field is optional; together they narrow (AND). Times are milliseconds since the epoch. */
export interface AuditQuery {
  actor?: string
  /** `settings` matches `settings.update` and `settings` itself, never `settingsx`. */
  actionPrefix?: string
  target?: string
  outcome?: string
  sinceMs?: number
  untilMs?: number
  limit: number
}

/** The columns both tables share (the swap-controller's first migration has the same). */
export const auditColumnsSql = `
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    dry_run INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL,
    duration_ms TEXT,
    detail TEXT,
    request_id TEXT`

export interface AuditRow {
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

/** The earlier API's timestamps: UTC written `+00:00` with six fractional digits. */
export const isoUtc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 23)}000+00:00`

export const toEntry = (row: AuditRow): AuditEntry => ({
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

/** Bounded free text: a log line never grows a row past a few kilobytes. */
export function clip(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`
}

function parseJsonRecord(text: string | null): Record<string, number> | null {
  if (text === null) return null
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, number>)
      : null
  } catch {
    return null
  }
}

/** Only finite numbers survive: the column is documented as `{phase: milliseconds}`. */
function phasesJson(phases: Record<string, number> | null | undefined): string | null {
  if (!phases) return null
  const clean = Object.entries(phases).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
  return JSON.stringify(
    Object.fromEntries(clean.slice(0, 32).map(([k, v]) => [k.slice(0, 64), Math.round(v)])),
  )
}

/** Keeps the newest `keep` rows by id; with fewer rows the subquery is NULL and nothing goes. */
export function pruneAuditTable(db: Database, table: string, keep: number): number {
  return db.run(
    `DELETE FROM ${table} WHERE id <= (SELECT id FROM ${table} ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    [Math.max(0, Math.trunc(keep))],
  ).changes
}

export function insertAuditRow(
  db: Database,
  table: string,
  entry: AuditInput & { atMs: number },
  keep: number,
): AuditEntry {
  const { lastInsertRowid } = db.run(
    `INSERT INTO ${table} (at_ms, actor, action, target, dry_run, outcome, duration_ms, detail, request_id)
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
  pruneAuditTable(db, table, keep)
  return toEntry(db.get<AuditRow>(`SELECT * FROM ${table} WHERE id = ?`, [lastInsertRowid])!)
}

/** LIKE's wildcards in a prefix are matched literally. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** Newest first. */
export function queryAuditTable(db: Database, table: string, query: AuditQuery): AuditEntry[] {
  const where: string[] = []
  const params: Array<string | number> = []
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined) return
    where.push(`${column} = ?`)
    params.push(value)
  }
  equal('actor', query.actor)
  equal('target', query.target)
  equal('outcome', query.outcome)
  if (query.actionPrefix !== undefined) {
    where.push(`(action = ? OR action LIKE ? ESCAPE '\\')`)
    params.push(query.actionPrefix, likePrefix(`${query.actionPrefix.replace(/\.$/, '')}.`))
  }
  if (query.sinceMs !== undefined) {
    where.push('at_ms >= ?')
    params.push(Math.trunc(query.sinceMs))
  }
  if (query.untilMs !== undefined) {
    where.push('at_ms <= ?')
    params.push(Math.trunc(query.untilMs))
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')} ` : ''
  return db
    .all<AuditRow>(`SELECT * FROM ${table} ${clause}ORDER BY at_ms DESC, id DESC LIMIT ?`, [
      ...params,
      Math.max(0, Math.trunc(query.limit)),
    ])
    .map(toEntry)
}
