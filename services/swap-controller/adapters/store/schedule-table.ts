/** Schedule registry entries; validated and bounded by the coordination layer before they get here. */
import type { Database } from '../../../../shared/sqlite.ts'
import type { ScheduleRepository } from '../../domain/coordination/ports.ts'
import type { ScheduleEntry } from '../../domain/coordination/schedule.ts'

const COLUMNS = 'id, holder, recipe, model, cron, at, note, created_at, updated_at'

export function scheduleRepository(db: Database): ScheduleRepository {
  // Plain rows: node:sqlite hands back null-prototype objects, which would surprise callers.
  const plain = (row: ScheduleEntry): ScheduleEntry => ({ ...row })
  return {
    list: () =>
      db.all<ScheduleEntry>(`SELECT ${COLUMNS} FROM schedule_entries ORDER BY created_at, rowid`).map(plain),
    get(id) {
      const row = db.get<ScheduleEntry>(`SELECT ${COLUMNS} FROM schedule_entries WHERE id = ?`, [id])
      return row && plain(row)
    },
    put(entry) {
      db.run(
        `INSERT INTO schedule_entries (${COLUMNS})
         VALUES (:id, :holder, :recipe, :model, :cron, :at, :note, :created_at, :updated_at)
         ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, recipe = excluded.recipe, model = excluded.model,
           cron = excluded.cron, at = excluded.at, note = excluded.note, updated_at = excluded.updated_at`,
        { ...entry },
      )
    },
    remove: (id) => db.run('DELETE FROM schedule_entries WHERE id = ?', [id]).changes > 0,
    count: () => db.get<{ n: number }>('SELECT COUNT(*) AS n FROM schedule_entries')?.n ?? 0,
  }
}
