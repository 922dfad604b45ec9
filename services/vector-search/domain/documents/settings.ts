/** The ingestion settings from the service's configuration keys (config.ts says what each means). */
import type { IngestLimits } from './admit.ts'
import type { ChunkingOptions } from './chunking.ts'
import type { IngestSettings } from './ingest.ts'

export interface DocumentsConfig {
  CHUNK_TOKENS: number
  CHUNK_OVERLAP_TOKENS: number
  INGEST_ASYNC_CHUNKS: number
  INGEST_MAX_DOCUMENTS: number
  INGEST_MAX_DOCUMENT_CHARS: number
  INGEST_MAX_METADATA_BYTES: number
  INGEST_EMBED_BATCH: number
  INGEST_EMBED_BATCH_BYTES: number
  INGEST_STORE_BATCH: number
  INGEST_STORE_BATCH_BYTES: number
  INGEST_JOBS_MAX: number
  INGEST_JOB_KEEP_S: number
}

export function documentSettings(config: DocumentsConfig): {
  chunking: ChunkingOptions
  limits: IngestLimits
  ingest: IngestSettings
  asyncChunks: number
  jobs: { maxActive: number; keepMs: number }
} {
  return {
    chunking: { sizeTokens: config.CHUNK_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS },
    limits: {
      maxDocuments: config.INGEST_MAX_DOCUMENTS,
      maxDocumentChars: config.INGEST_MAX_DOCUMENT_CHARS,
      maxMetadataBytes: config.INGEST_MAX_METADATA_BYTES,
    },
    ingest: {
      embedBatch: { maxCount: config.INGEST_EMBED_BATCH, maxBytes: config.INGEST_EMBED_BATCH_BYTES },
      storeBatch: { maxCount: config.INGEST_STORE_BATCH, maxBytes: config.INGEST_STORE_BATCH_BYTES },
      // A request under the async threshold is one wave, so an embedder failure writes none of it.
      waveChunks: config.INGEST_ASYNC_CHUNKS,
    },
    asyncChunks: config.INGEST_ASYNC_CHUNKS,
    jobs: { maxActive: config.INGEST_JOBS_MAX, keepMs: config.INGEST_JOB_KEEP_S * 1000 },
  }
}
