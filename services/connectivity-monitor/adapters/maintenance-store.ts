/**
 * Owner maintenance windows in SQLite: one table in the monitor's database (MONITOR_DB), through a
 * connection of its own with its own migration scope, so the history store can migrate its tables
 * in the same file independently (shared/sqlite.ts). WAL and busy_timeout come with openDatabase.
 */
import { openDatabase } from '../../../shared/sqlite.ts'
import type { MaintenanceStore, StoredWindow } from '../domain/maintenance/ports.ts'

const MIGRATIONS = [
  `CREATE TABLE maintenance_windows (
     id TEXT PRIMARY KEY,
     targets TEXT NOT NULL,
     starts_at_ms INTEGER NOT NULL,
     ends_at_ms INTEGER NOT NULL,
     reason TEXT NOT NULL
   )`,
]

interface Row {
  id: string
  targets: string
  starts_at_ms: number
  ends_at_ms: number
  reason: string
}

const fromRow = (row: Row): StoredWindow => ({
  id: row.id,
  targets: JSON.parse(row.targets) as string[],
  startsAt: row.starts_at_ms,
  endsAt: row.ends_at_ms,
  reason: row.reason,
})

export interface OpenMaintenanceStore extends MaintenanceStore {
  close(): void
}

export async function openMaintenanceStore(path: string): Promise<OpenMaintenanceStore> {
  const db = await openDatabase(path, { migrations: MIGRATIONS, scope: 'maintenance' })
  return {
    all: () => db.all<Row>('SELECT * FROM maintenance_windows ORDER BY starts_at_ms, id').map(fromRow),
    insert(w) {
      db.run(
        'INSERT INTO maintenance_windows (id, targets, starts_at_ms, ends_at_ms, reason) VALUES (?, ?, ?, ?, ?)',
        [w.id, JSON.stringify(w.targets), w.startsAt, w.endsAt, w.reason],
      )
    },
    remove: (id) => db.run('DELETE FROM maintenance_windows WHERE id = ?', [id]).changes > 0,
    removeEnded: (now) => db.run('DELETE FROM maintenance_windows WHERE ends_at_ms <= ?', [now]).changes,
    close: () => db.close(),
  }
}
