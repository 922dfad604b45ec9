/**
 * Documents of a collection: `POST /api/search/collections/{name}/documents` (ingest, chunked
 * here), the deletes by document id or by filter, and `GET /api/search/jobs/{id}` (the progress of
 * an ingest answered 202). Every chunk's payload holds `doc_id`, `chunk_index`, `text`, `heading`
 * (the Markdown heading path), `offsets` ({start, end} in the document, UTF-16 code units),
 * `content_hash` (SHA-256 of the chunk text), the caller's `metadata` keys, and the tenant field.
 */
import { z } from '@hono/zod-openapi'
import { QueryFilter } from './query.ts'

/** A document id: any text without control characters, up to 256 characters. */
export const DOCUMENT_ID = /^[^\u0000-\u001f\u007f]{1,256}$/

export const IngestDocument = z
  .object({
    id: z
      .string()
      .regex(DOCUMENT_ID, 'must be 1–256 characters without control characters')
      .openapi({ example: 'crm-note-1042' }),
    text: z
      .string()
      .regex(/\S/, 'must not be blank')
      .openapi({ description: 'Plain text or Markdown; headings, paragraphs and sentences guide the cuts.' }),
    metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description:
          'A JSON object copied into every chunk payload (filterable). Reserved: doc_id, chunk_index, text, ' +
          'heading, offsets, content_hash and the tenant field.',
        example: { source: 'crm', lang: 'en' },
      }),
  })
  .openapi('IngestDocument')

export const IngestRequest = z
  .object({ documents: z.array(IngestDocument).min(1) })
  .openapi('IngestRequest', {
    description:
      'Documents of one collection; the count, each text and each metadata object are bounded (413).',
  })

export const DocumentStatus = z.enum(['created', 'replaced', 'unchanged'])

export const DocumentResult = z
  .object({
    id: z.string(),
    status: DocumentStatus.openapi({
      description: '`unchanged`: the stored chunks were already these (no embedding, no write).',
    }),
    chunks: z.number().int().openapi({ description: 'Chunks the document now has.' }),
    embedded: z.number().int().openapi({ description: 'Chunks embedded and written by this call.' }),
  })
  .openapi('DocumentResult')

export const IngestTimings = z.object({
  chunk_ms: z.number(),
  plan_ms: z.number().openapi({ description: 'Reading back what is stored, to diff.' }),
  embed_ms: z.number(),
  write_ms: z.number(),
  total_ms: z.number(),
})

export const IngestResponse = z
  .object({
    collection: z.string(),
    documents: z.array(DocumentResult),
    chunks: z.number().int(),
    embedded: z.number().int(),
    timings: IngestTimings,
  })
  .openapi('IngestResponse')

export const JobState = z.enum(['queued', 'running', 'done', 'failed'])

export const IngestJob = z
  .object({
    id: z.string().openapi({ example: 'ing_6f1c2a9e0b7d4c35' }),
    collection: z.string(),
    state: JobState,
    documents_done: z.number().int(),
    documents_total: z.number().int(),
    chunks_done: z.number().int(),
    chunks_total: z.number().int(),
    created_at: z.string().openapi({ description: 'ISO 8601.' }),
    finished_at: z.string().nullable(),
    error: z
      .object({ status: z.number().int(), code: z.string(), message: z.string() })
      .optional()
      .openapi({ description: 'Why a failed job stopped; the documents done before it stay written.' }),
    documents: z.array(DocumentResult).optional().openapi({ description: 'Per document, once done.' }),
  })
  .openapi('IngestJob')

export const DeleteDocumentsRequest = z.object({ filter: QueryFilter }).openapi('DeleteDocumentsRequest')

export const DeletedDocuments = z
  .object({ deleted: z.number().int().openapi({ description: 'Chunks (points) deleted.' }) })
  .openapi('DeletedDocuments')

export type IngestRequest = z.infer<typeof IngestRequest>
export type DocumentResult = z.infer<typeof DocumentResult>
export type IngestResponse = z.infer<typeof IngestResponse>
export type IngestJob = z.infer<typeof IngestJob>
export type JobState = z.infer<typeof JobState>
