/**
 * The outages table: opened, escalated and closed as state changes arrive (domain/history's
 * rules), grouped under their node's outage, and read back as the contract's `Outage`.
 */
import type { EvidenceItem } from '../../../shared/contracts/connectivity-monitor.ts'
import type { Database } from '../../../shared/sqlite.ts'
import { boundEvidence, isoUtc } from '../domain/history/evidence.ts'
import { belongsToHostOutage, HOST_GROUP_WINDOW_MS } from '../domain/history/grouping.ts'
import { outageStep, type Severity } from '../domain/history/outage-rules.ts'
import type { Outage, RecordedChange, Target, TargetKind, Transition } from '../domain/ports.ts'

interface OutageRow {
  id: number
  target: string
  kind: TargetKind
  host: string | null
  severity: Severity
  started_at: number
  ended_at: number | null
  reason: string
  evidence: string
  host_outage_id: number | null
  alerted: number
}

export interface OutageQuery {
  target?: string
  since?: number
  until?: number
  limit: number
  now: number
}

function parseEvidence(text: string): EvidenceItem[] {
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? (value as EvidenceItem[]) : []
  } catch {
    return []
  }
}

const mergedEvidence = (row: OutageRow, more: readonly EvidenceItem[]) =>
  JSON.stringify(boundEvidence([...parseEvidence(row.evidence), ...more]))

export function outageRecords(db: Database) {
  const byId = (id: number) => db.get<OutageRow>('SELECT * FROM outages WHERE id = ?', [id])

  function toWire(rows: readonly OutageRow[], now: number): Outage[] {
    const grouped = new Map<number, string[]>()
    if (rows.length > 0) {
      const children = db.all<{ id: number; parent: number }>(
        `SELECT id, host_outage_id AS parent FROM outages
         WHERE host_outage_id IN (SELECT value FROM json_each(?)) ORDER BY started_at, id`,
        [JSON.stringify(rows.map((r) => r.id))],
      )
      for (const child of children)
        grouped.set(child.parent, [...(grouped.get(child.parent) ?? []), String(child.id)])
    }
    return rows.map((row) => ({
      id: String(row.id),
      target: row.target,
      kind: row.kind,
      severity: row.severity,
      started_at: isoUtc(row.started_at),
      ended_at: row.ended_at === null ? null : isoUtc(row.ended_at),
      duration_ms: Math.max(0, Math.round((row.ended_at ?? now) - row.started_at)),
      ongoing: row.ended_at === null,
      reason: row.reason,
      evidence: parseEvidence(row.evidence),
      host_outage_id: row.host_outage_id === null ? null : String(row.host_outage_id),
      grouped: grouped.get(row.id) ?? [],
      alerted: row.alerted === 1,
    }))
  }

  const wireOne = (id: number, now: number) => toWire([byId(id)!], now)[0]!

  /** The new outage joins its node's outage, if that one is open or began within the window after it. */
  function joinHostOutage(childId: number, host: string, startedAt: number): void {
    const parent = db.get<OutageRow>(
      `SELECT * FROM outages WHERE target = ? AND (ended_at IS NULL OR ended_at >= ?)
       ORDER BY started_at DESC LIMIT 1`,
      [host, startedAt],
    )
    if (
      !parent ||
      !belongsToHostOutage({ startedAt }, { startedAt: parent.started_at, endedAt: parent.ended_at })
    )
      return
    db.run('UPDATE outages SET host_outage_id = ? WHERE id = ?', [parent.id, childId])
  }

  /** A node's new outage takes the outages on it that began up to the window before it was seen. */
  function adoptChildren(parentId: number, node: string, startedAt: number): void {
    const candidates = db.all<OutageRow>(
      'SELECT * FROM outages WHERE host = ? AND host_outage_id IS NULL AND started_at >= ? AND id <> ?',
      [node, startedAt - HOST_GROUP_WINDOW_MS, parentId],
    )
    const parent = { startedAt, endedAt: null }
    for (const child of candidates)
      if (belongsToHostOutage({ startedAt: child.started_at }, parent))
        db.run('UPDATE outages SET host_outage_id = ? WHERE id = ?', [parentId, child.id])
  }

  function apply(change: Transition, target: Target, evidence: readonly EvidenceItem[]): RecordedChange {
    const open = db.get<OutageRow>('SELECT * FROM outages WHERE target = ? AND ended_at IS NULL', [
      change.target,
    ])
    const step = outageStep(open ?? null, change)
    if (step.kind === 'open') {
      const { lastInsertRowid: id } = db.run(
        `INSERT INTO outages (target, kind, host, severity, started_at, reason, evidence)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          change.target,
          target.kind,
          target.host,
          step.severity,
          change.at,
          change.reason,
          JSON.stringify(boundEvidence(evidence)),
        ],
      )
      if (target.host) joinHostOutage(id, target.host, change.at)
      adoptChildren(id, change.target, change.at)
      return { opened: wireOne(id, change.decidedAt) }
    }
    if (!open) return {}
    if (step.kind === 'continue') {
      db.run('UPDATE outages SET severity = ?, evidence = ? WHERE id = ?', [
        step.severity,
        mergedEvidence(open, evidence),
        open.id,
      ])
      return {}
    }
    db.run('UPDATE outages SET ended_at = MAX(started_at, ?), evidence = ? WHERE id = ?', [
      change.at,
      mergedEvidence(open, evidence),
      open.id,
    ])
    return { closed: wireOne(open.id, change.decidedAt) }
  }

  return {
    apply,
    list(query: OutageQuery): Outage[] {
      const rows = db.all<OutageRow>(
        `SELECT * FROM outages
         WHERE (:target IS NULL OR target = :target)
           AND (:since IS NULL OR ended_at IS NULL OR ended_at >= :since)
           AND (:until IS NULL OR started_at <= :until)
         ORDER BY started_at DESC, id DESC LIMIT :limit`,
        {
          target: query.target ?? null,
          since: query.since ?? null,
          until: query.until ?? null,
          limit: Math.max(0, Math.trunc(query.limit)),
        },
      )
      return toWire(rows, query.now)
    },
    open: (now: number): Outage[] =>
      toWire(
        db.all<OutageRow>('SELECT * FROM outages WHERE ended_at IS NULL ORDER BY started_at DESC, id DESC'),
        now,
      ),
    markAlerted(id: string): void {
      if (/^\d{1,15}$/.test(id)) db.run('UPDATE outages SET alerted = 1 WHERE id = ?', [Number(id)])
    },
  }
}
