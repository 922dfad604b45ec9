/**
 * What a write to a SQLite file that cannot take it becomes: a volume that is full (507) or
 * read-only or failing (503), in the path's error style like any `AppError`, never a 500. SQLite
 * rolls the failed statement or transaction back by itself, so the file stays as it was before
 * it; the fault is kept until a later write to that file succeeds, and `/ready` of every service
 * reports it (shared/readiness.ts) so the owner sees why saving fails.
 */
import { AppError } from './errors.ts'

export type StorageFaultKind = 'full' | 'read_only' | 'io_error'

export interface StorageFault {
  path: string
  kind: StorageFaultKind
  /** SQLite's own words (never a value from a row: SQLite does not put those in its messages). */
  message: string
  at: string
}

/** SQLite's primary result codes, as numbers (node:sqlite) and names (better-sqlite3). */
const PRIMARY: Record<number, StorageFaultKind> = {
  13: 'full',
  8: 'read_only',
  10: 'io_error',
  14: 'io_error',
}
const NAMED: Array<[string, StorageFaultKind]> = [
  ['SQLITE_FULL', 'full'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_IOERR', 'io_error'],
  ['SQLITE_CANTOPEN', 'io_error'],
]

/** Which storage fault a driver error is, or null when it is something else (a constraint, a bug). */
export function storageFaultKind(err: unknown): StorageFaultKind | null {
  const e = err as { code?: unknown; errcode?: unknown }
  if (typeof e?.errcode === 'number') return PRIMARY[e.errcode & 0xff] ?? null
  if (typeof e?.code !== 'string') return null
  const code = e.code
  return NAMED.find(([name]) => code === name || code.startsWith(`${name}_`))?.[1] ?? null
}

const faults = new Map<string, StorageFault>()

/** Storage faults of the files this process has open now, oldest first. */
export function storageFaults(): StorageFault[] {
  return [...faults.values()]
}

export function clearStorageFault(path: string): void {
  faults.delete(path)
}

const WORDS: Record<StorageFaultKind, string> = {
  full: 'The data volume is full',
  read_only: 'The data volume is read-only',
  io_error: 'The data volume failed to write',
}
const RETRY_AFTER_S = 30

/** The readiness detail: what failed, since when, and SQLite's words. */
export const storageFaultDetail = (fault: StorageFault) =>
  `${WORDS[fault.kind]} since ${fault.at}: ${fault.message}`

/** Records the fault and returns the error the client gets; anything else comes back unchanged. */
export function asStorageError(err: unknown, path: string): unknown {
  const kind = storageFaultKind(err)
  if (!kind) return err
  faults.set(path, { path, kind, message: (err as Error).message, at: new Date().toISOString() })
  const status = kind === 'full' ? 507 : 503
  // A full volume stays full until someone frees space: no Retry-After that a client would loop on.
  return new AppError(status, `storage_${kind}`, `${WORDS[kind]}; nothing was saved. See /ready.`, {
    retryAfterS: kind === 'full' ? undefined : RETRY_AFTER_S,
  })
}
