/**
 * Surface forms: where a placeholder replaced text that differs from its token's value — "Sarah" and
 * "Ms. Johnson" share the token of "Sarah Johnson", "JOSE GARCIA" the token of "José García" — the
 * text it replaced is kept, sealed, under a context key: the HMAC of (handle, token, the scrubbed
 * text on each side of that occurrence, its rank among the text's occurrences with the same sides).
 * `/rehydrate` gives an exact placeholder whose context matches that text back, and the token's
 * value everywhere else; so an echoed scrubbed text comes back exactly, and a sentence a model
 * writes itself gets the full value.
 *
 * The first surface recorded under a context wins: a later scrub of the same map cannot change what
 * an earlier answer rehydrates to. Surfaces are read one occurrence at a time, never as a list; only
 * the occurrences of tokens that have any surface are hashed.
 */
import type { Database } from '../../../shared/sqlite.ts'
import type { Occurrence, SurfaceRecord } from '../domain/scrub/ports.ts'
import type { MapCipher } from './map-store-crypto.ts'

const IN_CHUNK = 500

interface SurfaceRow {
  context_hash: Uint8Array
  ciphertext: Uint8Array
  iv: Uint8Array
  tag: Uint8Array
}

const contextOf = (cipher: MapCipher, handle: string, o: Occurrence) =>
  cipher.contextHash(handle, o.token, o.before, o.after, o.nth)

/** Writes in the caller's transaction (the scrub's batch), so surfaces are as durable as its tokens. */
export function recordSurfaces(db: Database, cipher: MapCipher, handle: string, records: SurfaceRecord[]) {
  for (const r of records) {
    const context = contextOf(cipher, handle, r)
    const sealed = cipher.sealSurface(handle, context, r.surface)
    db.run(
      'INSERT OR IGNORE INTO surfaces (handle, context_hash, token, ciphertext, iv, tag) VALUES (?, ?, ?, ?, ?, ?)',
      [handle, context, r.token, sealed.ciphertext, sealed.iv, sealed.tag],
    )
  }
}

/** `params` in chunks under SQLite's parameter limit: `sql(placeholders)` for each, rows joined. */
function allIn<T>(db: Database, params: readonly unknown[], sql: (marks: string) => string, head: unknown[]) {
  const rows: T[] = []
  for (let i = 0; i < params.length; i += IN_CHUNK) {
    const chunk = params.slice(i, i + IN_CHUNK)
    rows.push(...db.all<T>(sql(chunk.map(() => '?').join(',')), [...head, ...chunk] as never))
  }
  return rows
}

/** For each occurrence, the surface recorded for its context, or undefined. */
export function surfacesAt(
  db: Database,
  cipher: MapCipher,
  handle: string,
  occurrences: readonly Occurrence[],
): (string | undefined)[] {
  const tokens = [...new Set(occurrences.map((o) => o.token))]
  const withSurfaces = new Set(
    allIn<{ token: string }>(
      db,
      tokens,
      (marks) => `SELECT DISTINCT token FROM surfaces WHERE handle = ? AND token IN (${marks})`,
      [handle],
    ).map((row) => row.token),
  )
  const hashes = occurrences.map((o) =>
    withSurfaces.has(o.token) ? contextOf(cipher, handle, o) : undefined,
  )
  const wanted = hashes.filter((h): h is Buffer => h !== undefined)
  const found = new Map<string, string>()
  const rows = allIn<SurfaceRow>(
    db,
    wanted,
    (marks) =>
      `SELECT context_hash, ciphertext, iv, tag FROM surfaces WHERE handle = ? AND context_hash IN (${marks})`,
    [handle],
  )
  for (const row of rows) {
    const context = Buffer.from(row.context_hash)
    const sealed = {
      ciphertext: Buffer.from(row.ciphertext),
      iv: Buffer.from(row.iv),
      tag: Buffer.from(row.tag),
    }
    found.set(context.toString('hex'), cipher.openSurface(handle, context, sealed))
  }
  return hashes.map((h) => (h ? found.get(h.toString('hex')) : undefined))
}
