/**
 * Every service's audit log: a table of its own migration scope (`audit`) in the service's own
 * SQLite file, opened by the kit (shared/start.ts `kit.audit`). Bounded by rows (the oldest go
 * first). A write that fails — disk full, read-only volume — is logged and dropped: an audit
 * problem never fails the request whose change it records.
 */
import { AppError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { type Database, openDatabase } from '../sqlite.ts'
import type { AuditInput, AuditRecorder } from './recorder.ts'
import {
  type AuditEntry,
  type AuditQuery,
  auditColumnsSql,
  insertAuditRow,
  queryAuditTable,
} from './table.ts'

export const AUDIT_SCOPE = 'audit'
export const AUDIT_TABLE = 'audit_entries'
export const DEFAULT_AUDIT_ROWS = 10_000

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE ${AUDIT_TABLE} (${auditColumnsSql});
   CREATE INDEX ${AUDIT_TABLE}_at ON ${AUDIT_TABLE} (at_ms DESC);`,
]

/** What a service's `GET /audit` route reads. */
export interface AuditReader {
  query(query: AuditQuery): AuditEntry[]
}

export interface AuditStore extends AuditRecorder, AuditReader {
  close(): void
}

export interface AuditStoreOptions {
  logger: Pick<Logger, 'warn'>
  maxRows?: number
  now?: () => number
}

export async function openAuditStore(path: string, options: AuditStoreOptions): Promise<AuditStore> {
  const db = await openDatabase(path, { migrations: MIGRATIONS, scope: AUDIT_SCOPE })
  return auditStoreOn(db, options)
}

/** The store over an open connection (tests use `:memory:`). */
export function auditStoreOn(db: Database, options: AuditStoreOptions): AuditStore {
  const maxRows = options.maxRows ?? DEFAULT_AUDIT_ROWS
  const now = options.now ?? Date.now
  let closed = false
  return {
    record(entry: AuditInput) {
      try {
        if (closed) throw new Error('the audit store is closed')
        insertAuditRow(db, AUDIT_TABLE, { ...entry, atMs: entry.atMs ?? now() }, maxRows)
      } catch (err) {
        // The action and outcome only: the entry's words are already bounded, but a log needs no more.
        options.logger.warn(
          { err: (err as Error).message, action: entry.action, outcome: entry.outcome },
          'audit entry not written',
        )
      }
    },
    query: (query) => (closed ? [] : queryAuditTable(db, AUDIT_TABLE, query)),
    close() {
      closed = true
      db.close()
    },
  }
}

/**
 * Stands in when the file cannot be opened (a read-only or full volume): the service still starts
 * and serves; each write is logged as lost and the read route says the log is unavailable.
 */
export function unavailableAuditStore(reason: string, logger: Pick<Logger, 'warn'>): AuditStore {
  return {
    record: (entry) =>
      logger.warn({ action: entry.action, outcome: entry.outcome, reason }, 'audit entry not written'),
    query: () => {
      throw new AppError(503, 'audit_unavailable', `The audit log is unavailable: ${reason}`)
    },
    close: () => {},
  }
}

/** The kit's way in: the store, or the stand-in with the reason logged once. */
export async function openAuditStoreOrStandIn(
  path: string,
  options: AuditStoreOptions & { logger: Pick<Logger, 'warn' | 'error'> },
): Promise<AuditStore> {
  try {
    return await openAuditStore(path, options)
  } catch (err) {
    const reason = (err as Error).message
    options.logger.error({ err: reason, path }, 'audit log unavailable; mutations are not recorded')
    return unavailableAuditStore(reason, options.logger)
  }
}
