/**
 * The swap lock as a single row, so it survives a restart (the earlier version kept it in memory
 * and forgot it). Only the token's SHA-256 is stored.
 */
import type { Database } from '../../../../shared/sqlite.ts'
import type { LockRecord } from '../../domain/coordination/lock.ts'
import type { LockRepository } from '../../domain/coordination/ports.ts'

interface Row {
  holder: string
  note: string | null
  acquired_at_ms: number
  expires_at_ms: number
  token_sha256: string
}

export function lockRepository(db: Database): LockRepository {
  return {
    read() {
      const row = db.get<Row>('SELECT * FROM swap_lock WHERE id = 1')
      if (!row) return null
      return {
        holder: row.holder,
        note: row.note,
        acquiredAtMs: row.acquired_at_ms,
        expiresAtMs: row.expires_at_ms,
        tokenHash: row.token_sha256,
      }
    },
    write(lock: LockRecord) {
      if (!/^[0-9a-f]{64}$/.test(lock.tokenHash))
        throw new TypeError('the lock keeps a SHA-256 hex digest, never a token')
      db.run(
        `INSERT INTO swap_lock (id, holder, note, acquired_at_ms, expires_at_ms, token_sha256) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, note = excluded.note,
           acquired_at_ms = excluded.acquired_at_ms, expires_at_ms = excluded.expires_at_ms,
           token_sha256 = excluded.token_sha256`,
        [lock.holder, lock.note, Math.round(lock.acquiredAtMs), Math.round(lock.expiresAtMs), lock.tokenHash],
      )
    },
    clear() {
      db.run('DELETE FROM swap_lock')
    },
  }
}
