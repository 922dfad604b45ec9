/**
 * Surface forms: where a placeholder replaced text that differs from its token's value — "Sarah" and
 * "Ms. Johnson" share the token of "Sarah Johnson", "JOSE GARCIA" the token of "José García" — the
 * text it replaced is kept, sealed, under a context key: the HMAC of (handle, token, the scrubbed
 * text on each side of that occurrence). `/rehydrate` gives an exact placeholder whose context
 * matches that text back, and the token's value everywhere else; so an echoed scrubbed text comes
 * back exactly, and a sentence a model writes itself gets the full value.
 *
 * The first surface recorded under a context wins: a later scrub of the same map cannot change what
 * an earlier answer rehydrates to. Surfaces are read one occurrence at a time, never as a list.
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

/** Writes in the caller's transaction (the scrub's batch), so surfaces are as durable as its tokens. */
export function recordSurfaces(db: Database, cipher: MapCipher, handle: string, records: SurfaceRecord[]) {
  for (const r of records) {
    const context = cipher.contextHash(handle, r.token, r.before, r.after)
    const sealed = cipher.sealSurface(handle, context, r.surface)
    db.run(
      'INSERT OR IGNORE INTO surfaces (handle, context_hash, ciphertext, iv, tag) VALUES (?, ?, ?, ?, ?)',
      [handle, context, sealed.ciphertext, sealed.iv, sealed.tag],
    )
  }
}

/** For each occurrence, the surface recorded for its context, or undefined. */
export function surfacesAt(
  db: Database,
  cipher: MapCipher,
  handle: string,
  occurrences: readonly Occurrence[],
): (string | undefined)[] {
  const hashes = occurrences.map((o) => cipher.contextHash(handle, o.token, o.before, o.after))
  const found = new Map<string, string>()
  const wanted = [...new Set(hashes.map((h) => h.toString('hex')))]
  for (let i = 0; i < wanted.length; i += IN_CHUNK) {
    const chunk = wanted.slice(i, i + IN_CHUNK).map((hex) => Buffer.from(hex, 'hex'))
    const rows = db.all<SurfaceRow>(
      `SELECT context_hash, ciphertext, iv, tag FROM surfaces WHERE handle = ? AND context_hash IN (${chunk.map(() => '?').join(',')})`,
      [handle, ...chunk],
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
  }
  return hashes.map((h) => found.get(h.toString('hex')))
}
