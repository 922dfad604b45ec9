/**
 * A document as the store will hold it: its chunks, each with its stable id and its payload. Pure;
 * the caller's metadata is copied beside our own fields, which it may not overwrite.
 */
import { type Chunk, type ChunkingOptions, chunkDocument } from './chunking.ts'
import { chunkId, sha256Hex } from './ids.ts'

/** The payload fields every chunk carries; metadata may not use these names (nor the tenant field). */
export const RESERVED_PAYLOAD_KEYS = [
  'doc_id',
  'chunk_index',
  'text',
  'heading',
  'offsets',
  'content_hash',
] as const

export interface DocumentInput {
  id: string
  text: string
  metadata?: Record<string, unknown>
}

export interface PlannedChunk {
  id: string
  text: string
  payload: Record<string, unknown>
}

export interface PreparedDocument {
  id: string
  chunks: PlannedChunk[]
}

export interface Tenancy {
  /** The collection's tenant field, when it has one; the tenant is then stamped on every chunk. */
  field?: string
  tenant?: string
}

/** The metadata keys a document may not use in this collection (empty when it is fine). */
export function reservedKeysIn(metadata: Record<string, unknown> | undefined, tenancy: Tenancy): string[] {
  if (!metadata) return []
  const reserved = new Set<string>([...RESERVED_PAYLOAD_KEYS, ...(tenancy.field ? [tenancy.field] : [])])
  return Object.keys(metadata).filter((key) => reserved.has(key))
}

function payloadOf(doc: DocumentInput, chunk: Chunk, index: number, hash: string, tenancy: Tenancy) {
  return {
    ...doc.metadata,
    doc_id: doc.id,
    chunk_index: index,
    text: chunk.text,
    heading: chunk.heading,
    offsets: { start: chunk.start, end: chunk.end },
    content_hash: hash,
    ...(tenancy.field && tenancy.tenant !== undefined ? { [tenancy.field]: tenancy.tenant } : {}),
  }
}

export function prepareDocument(
  doc: DocumentInput,
  chunking: ChunkingOptions,
  tenancy: Tenancy,
): PreparedDocument {
  const chunks = chunkDocument(doc.text, chunking).map((chunk, index) => {
    const hash = sha256Hex(chunk.text)
    return {
      id: chunkId({ tenant: tenancy.tenant, docId: doc.id, index, contentHash: hash }),
      text: chunk.text,
      payload: payloadOf(doc, chunk, index, hash, tenancy),
    }
  })
  return { id: doc.id, chunks }
}

/** JSON with object keys sorted, so two payloads compare equal whatever order a store kept keys in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  )
}
