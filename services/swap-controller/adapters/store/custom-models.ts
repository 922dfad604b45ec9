/** Custom model cards (`POST /api/models`); validated and bounded by the model service before they get here. */
import type { Database } from '../../../../shared/sqlite.ts'
import type { CustomModel, CustomModelStore } from '../../domain/models/custom.ts'

const COLUMNS = 'key, name, repo, local_path, served_model_name, max_model_len, notes, created_at, created_by'

export function customModelRepository(db: Database): CustomModelStore {
  // Plain rows: node:sqlite hands back null-prototype objects.
  const plain = (row: CustomModel): CustomModel => ({ ...row })
  return {
    list: () =>
      db.all<CustomModel>(`SELECT ${COLUMNS} FROM custom_models ORDER BY created_at, rowid`).map(plain),
    get(key) {
      const row = db.get<CustomModel>(`SELECT ${COLUMNS} FROM custom_models WHERE key = ?`, [key])
      return row && plain(row)
    },
    put(model) {
      db.run(
        `INSERT INTO custom_models (${COLUMNS})
         VALUES (:key, :name, :repo, :local_path, :served_model_name, :max_model_len, :notes, :created_at, :created_by)`,
        { ...model },
      )
    },
    remove: (key) => db.run('DELETE FROM custom_models WHERE key = ?', [key]).changes > 0,
    count: () => db.get<{ n: number }>('SELECT COUNT(*) AS n FROM custom_models')?.n ?? 0,
  }
}
