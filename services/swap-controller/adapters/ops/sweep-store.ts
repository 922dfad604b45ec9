/**
 * Saved sweeps in the swap-controller's database (`<DATA_DIR>/swap-controller.db`), in their own
 * migration scope (`ops_sweep`, shared/sqlite.ts) so their version count never mixes with the main
 * store's. Each row is the result as answered (JSON, checked against the contract on the way out:
 * a row that does not parse is skipped, not fatal); the newest `keep` are kept.
 */
import { join } from 'node:path'
import { SweepResult } from '../../../../shared/contracts/swap-controller.ts'
import { type Database, openDatabase } from '../../../../shared/sqlite.ts'
import type { SweepStore } from '../../domain/ops/sweep/ports.ts'
import { KEPT_SWEEPS } from '../../domain/ops/sweep/service.ts'
import { pruneToNewest } from '../store/prune.ts'
import { STORE_FILE } from '../store/store.ts'

export const SWEEP_SCOPE = 'ops_sweep'

export const SWEEP_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ops_sweeps (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    result TEXT NOT NULL
  );
  `,
]

export interface OpenSweepStoreOptions {
  /** The service's DATA_DIR (the file is the main store's); or `path` (`:memory:` in tests). */
  dataDir?: string
  path?: string
  keep?: number
}

export async function openSweepStore(
  options: OpenSweepStoreOptions,
): Promise<SweepStore & { close(): void }> {
  const path = options.path ?? join(options.dataDir ?? '.', STORE_FILE)
  const db = await openDatabase(path, { migrations: SWEEP_MIGRATIONS, scope: SWEEP_SCOPE })
  return { ...sweepStoreOn(db, options.keep ?? KEPT_SWEEPS), close: () => db.close() }
}

function parse(text: string): SweepResult | null {
  try {
    const parsed = SweepResult.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export function sweepStoreOn(db: Database, keep: number): SweepStore {
  return {
    save(result) {
      const text = JSON.stringify(result)
      if (db.run('UPDATE ops_sweeps SET result = ? WHERE id = ?', [text, result.id]).changes > 0) return
      db.run('INSERT INTO ops_sweeps (id, result) VALUES (?, ?)', [result.id, text])
      pruneToNewest(db, 'ops_sweeps', 'seq', keep)
    },
    list(limit) {
      return db
        .all<{ result: string }>('SELECT result FROM ops_sweeps ORDER BY seq DESC LIMIT ?', [limit])
        .flatMap((r) => parse(r.result) ?? [])
    },
    get(id) {
      const row = db.get<{ result: string }>('SELECT result FROM ops_sweeps WHERE id = ?', [id])
      return row ? parse(row.result) : null
    },
  }
}
