/**
 * The redaction maps: which placeholder stands for which value, per map handle, encrypted at rest.
 * A write has reached the disk when a call returns (the shared kit's WAL + synchronous=FULL), so a
 * `/scrub` answered after `tokenFor` can be rehydrated after a crash. The API hands out values only
 * for the tokens asked; no method returns a whole map, and no value is ever logged.
 */
import { randomBytes } from 'node:crypto'
import { AppError } from '../../../shared/errors.ts'
import type { Logger } from '../../../shared/logger.ts'
import { type Database, openDatabase } from '../../../shared/sqlite.ts'
import type { Occurrence, SurfaceRecord } from '../domain/scrub/ports.ts'
import { createMapCipher, type MapCipher, normaliseValue } from './map-store-crypto.ts'
import { refuseExposedMapFile } from './map-store-files.ts'
import { MAP_STORE_MIGRATIONS } from './map-store-schema.ts'
import { recordSurfaces, surfacesAt } from './map-store-surfaces.ts'

export type MapState = 'live' | 'expired' | 'unknown'
export type Extended = { state: 'live'; expiresAt: Date } | { state: 'expired' | 'unknown' }

export interface MapStore {
  create(taskId: string): { handle: string; expiresAt: Date }
  /** Pushes a live map's expiry to now + TTL. */
  extend(handle: string): Extended
  /** The token already standing for this value (equal after `dedupKey`), or a new `[TYPE_N]`. */
  tokenFor(handle: string, type: string, value: string, dedupKey?: string): string
  /** `tokenFor`, with the value the token stands for (the first one stored, which an equal one may not be). */
  entryFor(handle: string, type: string, value: string, dedupKey?: string): { token: string; value: string }
  /** Every value of one type in a map, for mention propagation inside a scrub; never for an answer. */
  valuesOfType(handle: string, type: string): string[]
  /** Keeps the texts placeholders replaced where they differ from the value (map-store-surfaces.ts). */
  recordSurfaces(handle: string, records: SurfaceRecord[]): void
  /** The surface recorded for each occurrence's context, or undefined. */
  surfacesAt(handle: string, occurrences: readonly Occurrence[]): (string | undefined)[]
  /** Values of the tokens asked that this map holds; tokens it does not hold are absent. */
  valuesFor(handle: string, tokens: readonly string[]): Map<string, string>
  status(handle: string): MapState
  /** Runs `fn` (synchronous) as one transaction: one disk sync for all of a scrub's tokens. */
  batch<T>(fn: () => T): T
  delete(handle: string): boolean
  /** Removes the values of expired maps, at most `batch` maps per call; returns how many. */
  sweep(batch?: number): number
  close(): void
}

export interface MapStoreOptions {
  path: string
  key: Buffer
  ttlS: number
  logger?: Logger
  now?: () => number
  /** How often the sweep runs; 0 = never on its own (tests call `sweep`). */
  sweepEveryMs?: number
  sweepBatch?: number
}

export const SWEEP_EVERY_MS = 3600_000
export const SWEEP_BATCH = 500
/** An expired map's row (no values) is kept this long so its handle answers "expired", not "unknown". */
export const EXPIRED_TOMBSTONE_MS = 7 * 24 * 3600_000
const TYPE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/
const IN_CHUNK = 500

export const mapUnknown = () =>
  new AppError(404, 'map_not_found', 'No redaction map has this handle (never created, deleted, or swept).')
export const mapExpired = () =>
  new AppError(410, 'map_expired', 'This redaction map has expired; its values are gone. Scrub again.')

export async function openMapStore(options: MapStoreOptions): Promise<MapStore> {
  refuseExposedMapFile(options.path)
  const db = await openDatabase(options.path, { migrations: MAP_STORE_MIGRATIONS })
  const store = mapStoreOn(db, createMapCipher(options.key), options)
  const every = options.sweepEveryMs ?? SWEEP_EVERY_MS
  if (every <= 0) return store
  const timer = setInterval(() => {
    try {
      const swept = store.sweep(options.sweepBatch)
      if (swept > 0) options.logger?.info({ swept }, 'expired redaction maps swept')
    } catch (err) {
      options.logger?.error({ err: (err as Error).message }, 'redaction map sweep failed')
    }
  }, every)
  timer.unref()
  const close = () => {
    clearInterval(timer)
    store.close()
  }
  return { ...store, close }
}

interface EntryRow {
  token: string
  ciphertext: Uint8Array
  iv: Uint8Array
  tag: Uint8Array
}

export function mapStoreOn(db: Database, cipher: MapCipher, options: MapStoreOptions): MapStore {
  const now = options.now ?? Date.now
  const ttlMs = options.ttlS * 1000
  const stateOf = (handle: string): MapState => {
    const row = db.get<{ expires_at: number }>('SELECT expires_at FROM maps WHERE handle = ?', [handle])
    if (!row) return 'unknown'
    return row.expires_at > now() ? 'live' : 'expired'
  }
  const requireLive = (handle: string) => {
    const state = stateOf(handle)
    if (state === 'unknown') throw mapUnknown()
    if (state === 'expired') throw mapExpired()
  }
  const nextToken = (handle: string, type: string) => {
    const row = db.get<{ n: number }>('SELECT COUNT(*) AS n FROM entries WHERE handle = ? AND type = ?', [
      handle,
      type,
    ])
    return `[${type}_${(row?.n ?? 0) + 1}]`
  }
  const openRow = (handle: string, row: EntryRow) =>
    cipher.open(handle, row.token, {
      ciphertext: Buffer.from(row.ciphertext),
      iv: Buffer.from(row.iv),
      tag: Buffer.from(row.tag),
    })
  const entryFor = (handle: string, type: string, value: string, dedupKey?: string) => {
    if (!TYPE_PATTERN.test(type)) throw new RangeError(`not a placeholder type: ${type}`)
    const hash = cipher.dedupHash(handle, type, dedupKey ?? normaliseValue(value))
    // One transaction: two scrubs of one map cannot hand out the same number or two tokens for one value.
    return db.transaction(() => {
      requireLive(handle)
      const existing = db.get<EntryRow>(
        'SELECT token, ciphertext, iv, tag FROM entries WHERE handle = ? AND type = ? AND value_hash = ?',
        [handle, type, hash],
      )
      if (existing) return { token: existing.token, value: openRow(handle, existing) }
      const token = nextToken(handle, type)
      const sealed = cipher.seal(handle, token, value)
      db.run(
        'INSERT INTO entries (handle, token, type, value_hash, ciphertext, iv, tag) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [handle, token, type, hash, sealed.ciphertext, sealed.iv, sealed.tag],
      )
      return { token, value }
    })
  }
  return {
    create(taskId) {
      const handle = randomBytes(24).toString('base64url')
      const created = now()
      const expiresAt = created + ttlMs
      db.run('INSERT INTO maps (handle, task_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
        handle,
        taskId,
        created,
        expiresAt,
      ])
      return { handle, expiresAt: new Date(expiresAt) }
    },
    extend(handle) {
      const state = stateOf(handle)
      if (state !== 'live') return { state }
      const expiresAt = now() + ttlMs
      db.run('UPDATE maps SET expires_at = MAX(expires_at, ?) WHERE handle = ?', [expiresAt, handle])
      return { state, expiresAt: new Date(expiresAt) }
    },
    tokenFor: (handle, type, value, dedupKey) => entryFor(handle, type, value, dedupKey).token,
    entryFor,
    valuesOfType(handle, type) {
      requireLive(handle)
      const rows = db.all<EntryRow>(
        'SELECT token, ciphertext, iv, tag FROM entries WHERE handle = ? AND type = ?',
        [handle, type],
      )
      return rows.map((row) => openRow(handle, row))
    },
    recordSurfaces(handle, records) {
      db.transaction(() => {
        requireLive(handle)
        recordSurfaces(db, cipher, handle, records)
      })
    },
    surfacesAt(handle, occurrences) {
      requireLive(handle)
      return surfacesAt(db, cipher, handle, occurrences)
    },
    valuesFor(handle, tokens) {
      requireLive(handle)
      const values = new Map<string, string>()
      const wanted = [...new Set(tokens)]
      for (let i = 0; i < wanted.length; i += IN_CHUNK) {
        const chunk = wanted.slice(i, i + IN_CHUNK)
        const rows = db.all<EntryRow>(
          `SELECT token, ciphertext, iv, tag FROM entries WHERE handle = ? AND token IN (${chunk.map(() => '?').join(',')})`,
          [handle, ...chunk],
        )
        for (const row of rows) {
          values.set(row.token, openRow(handle, row))
        }
      }
      return values
    },
    status: stateOf,
    batch: (fn) => db.transaction(fn),
    delete: (handle) => db.run('DELETE FROM maps WHERE handle = ?', [handle]).changes > 0,
    sweep(batch = options.sweepBatch ?? SWEEP_BATCH) {
      const at = now()
      return db.transaction(() => {
        const expired = db.all<{ handle: string }>(
          `SELECT handle FROM maps WHERE expires_at <= ?
             AND EXISTS (SELECT 1 FROM entries WHERE entries.handle = maps.handle) LIMIT ?`,
          [at, batch],
        )
        for (const { handle } of expired) {
          db.run('DELETE FROM entries WHERE handle = ?', [handle])
          db.run('DELETE FROM surfaces WHERE handle = ?', [handle])
        }
        db.run('DELETE FROM maps WHERE handle IN (SELECT handle FROM maps WHERE expires_at <= ? LIMIT ?)', [
          at - EXPIRED_TOMBSTONE_MS,
          batch,
        ])
        return expired.length
      })
    },
    close: () => db.close(),
  }
}
