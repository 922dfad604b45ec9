/**
 * Stable point ids: a UUID version 5 (RFC 4122 §4.3, SHA-1 name-based) in our own namespace, over
 * the tenant, the document id, the chunk's index and the SHA-256 of its text. The same chunk of the
 * same document always gets the same id, on every run and either store, so a re-ingest can tell
 * which chunks it already holds by their ids alone.
 */
import { createHash } from 'node:crypto'

/** Spark Control's namespace for chunk ids (a random UUID, fixed once: changing it re-embeds everything). */
export const CHUNK_ID_NAMESPACE = '19abfdae-a119-47ed-9416-cce70a94b9d9'

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** A version 5 UUID for `name` in `namespace` (both as RFC 4122 describes: namespace bytes, then the name's UTF-8). */
export function uuidV5(name: string, namespace: string): string {
  const hex = namespace.replace(/-/g, '')
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error('namespace is not a UUID')
  const hash = createHash('sha1').update(Buffer.from(hex, 'hex')).update(name, 'utf8').digest()
  const bytes = hash.subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const out = bytes.toString('hex')
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}-${out.slice(16, 20)}-${out.slice(20)}`
}

export interface ChunkKey {
  tenant?: string
  docId: string
  index: number
  contentHash: string
}

/** The name is a JSON array, so no choice of document id can make two keys spell the same name. */
export function chunkId(key: ChunkKey): string {
  return uuidV5(
    JSON.stringify([key.tenant ?? null, key.docId, key.index, key.contentHash]),
    CHUNK_ID_NAMESPACE,
  )
}
