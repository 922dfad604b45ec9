/**
 * Counts per hour per placeholder type and Tier-1 kind, in their own SQLite file beside the map
 * database (owner-only like it, by the shared kit: folder 0700, file 0600). A file of its own, not
 * a table in the maps: it holds no secret, has its own retention, and a problem with it never
 * touches the maps. Counts gather in memory and are written every few seconds in one transaction
 * (and before every read, and at close): one disk sync per flush, not one more per scrub. A crash
 * loses at most the last few seconds of counts, never a map.
 */
import { dirname, join } from 'node:path'
import type { Logger } from '../../../shared/logger.ts'
import { type Database, openDatabase } from '../../../shared/sqlite.ts'
import {
  HOUR_MS,
  type HourCounts,
  hourOf,
  RETENTION_HOURS,
  type ScrubCounts,
  type TypeCountStore,
} from '../domain/stats/counts.ts'

export const COUNTS_DB_FILE = 'redaction_counts.db'
export const FLUSH_EVERY_MS = 5000
/** Pending rows before a flush is forced: types × kinds × hours stays far below this. */
const MAX_PENDING = 5000
/** Type and kind names come from code; anything else is not counted (and cannot reach the file). */
const NAME = /^[A-Za-z0-9_]{1,40}$/

export const TYPE_COUNT_MIGRATIONS = [
  `CREATE TABLE type_counts (
     hour INTEGER NOT NULL,
     grp TEXT NOT NULL,
     name TEXT NOT NULL,
     n INTEGER NOT NULL,
     PRIMARY KEY (hour, grp, name)
   ) WITHOUT ROWID;`,
] as const

type Group = 'scrubs' | 'type' | 'tier1'

export interface TypeCountOptions {
  path: string
  logger?: Logger
  now?: () => number
  /** 0 = only on reads and close (tests). */
  flushEveryMs?: number
  retentionHours?: number
}

interface Row {
  hour: number
  grp: Group
  name: string
  n: number
}

export async function openTypeCounts(options: TypeCountOptions): Promise<TypeCountStore> {
  const db = await openDatabase(options.path, { migrations: TYPE_COUNT_MIGRATIONS })
  const now = options.now ?? Date.now
  const retentionMs = (options.retentionHours ?? RETENTION_HOURS) * HOUR_MS
  const pending = new Map<string, Row>()

  const add = (hour: number, grp: Group, name: string, n: number) => {
    if (!NAME.test(name) || !Number.isSafeInteger(n) || n <= 0) return
    const key = `${hour}\u0000${grp}\u0000${name}`
    const row = pending.get(key)
    if (row) row.n += n
    else pending.set(key, { hour, grp, name, n })
  }

  const flush = () => {
    if (pending.size === 0) return
    const rows = [...pending.values()]
    pending.clear()
    writeRows(db, rows, hourOf(now()) - retentionMs)
  }

  // A failed write loses those counts, logged by number only; a scrub never fails for its counts.
  const safeFlush = () => {
    try {
      flush()
    } catch (err) {
      options.logger?.warn({ err: (err as Error).message }, 'redaction counts could not be written')
    }
  }

  const every = options.flushEveryMs ?? FLUSH_EVERY_MS
  const timer = every > 0 ? setInterval(safeFlush, every) : undefined
  timer?.unref()

  return {
    record(at, counts: ScrubCounts) {
      const hour = hourOf(at.getTime())
      add(hour, 'scrubs', 'all', 1)
      for (const [type, n] of Object.entries(counts.types)) add(hour, 'type', type, n)
      for (const [kind, n] of Object.entries(counts.tier1)) add(hour, 'tier1', kind, n)
      if (pending.size > MAX_PENDING) safeFlush()
    },
    hours(fromHour, toHour) {
      flush()
      const rows = db.all<Row>(
        'SELECT hour, grp, name, n FROM type_counts WHERE hour >= ? AND hour <= ? ORDER BY hour',
        [fromHour, toHour],
      )
      return bucketsOf(rows)
    },
    close() {
      if (timer) clearInterval(timer)
      safeFlush()
      db.close()
    },
  }
}

function writeRows(db: Database, rows: Row[], oldestHour: number) {
  db.transaction(() => {
    for (const r of rows) {
      db.run(
        `INSERT INTO type_counts (hour, grp, name, n) VALUES (?, ?, ?, ?)
         ON CONFLICT (hour, grp, name) DO UPDATE SET n = n + excluded.n`,
        [r.hour, r.grp, r.name, r.n],
      )
    }
    db.run('DELETE FROM type_counts WHERE hour < ?', [oldestHour])
  })
}

function bucketsOf(rows: Row[]): HourCounts[] {
  const byHour = new Map<number, HourCounts>()
  for (const r of rows) {
    let bucket = byHour.get(r.hour)
    if (!bucket) {
      bucket = { hour: r.hour, scrubs: 0, types: {}, tier1: {} }
      byHour.set(r.hour, bucket)
    }
    if (r.grp === 'scrubs') bucket.scrubs += r.n
    else if (r.grp === 'type') bucket.types[r.name] = r.n
    else bucket.tier1[r.name] = r.n
  }
  return [...byHour.values()]
}

/**
 * The counts beside the map database (main.ts). Not essential: when they cannot be opened the
 * scrubs go on, uncounted, and `GET /api/redaction/stats` answers 503.
 */
export async function openTypeCountsBeside(
  mapDb: string,
  logger: Logger,
): Promise<TypeCountStore | undefined> {
  const path = join(dirname(mapDb), COUNTS_DB_FILE)
  try {
    return await openTypeCounts({ path, logger })
  } catch (err) {
    logger.warn({ path, err: (err as Error).message }, 'redaction counts could not be opened')
    return undefined
  }
}
