/** The documents and jobs routes' wire shapes: the contract's, plus their parameters. */
import { z } from '@hono/zod-openapi'
import { DOCUMENT_ID } from '../../../shared/contracts/vector-search.ts'

export {
  DeleteDocumentsRequest,
  DeletedDocuments,
  IngestJob,
  IngestRequest,
  IngestResponse,
} from '../../../shared/contracts/vector-search.ts'

export const collectionParam = z.object({
  name: z.string().openapi({ description: 'Matches `^[A-Za-z0-9_-]{1,64}$` (else 400).', example: 'notes' }),
})

export const documentParam = collectionParam.extend({
  doc_id: z.string().regex(DOCUMENT_ID, 'must be 1–256 characters without control characters'),
})

export const tenantHeaders = z.object({
  'x-tenant': z.string().optional().openapi({
    description: 'Required on a collection with a tenant field; matches `^[A-Za-z0-9_.:-]{1,128}$`.',
  }),
})

export const ingestQuery = z.object({
  async: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .openapi({ description: '`true`: answer 202 with a job at once, whatever the size.' }),
})

export const jobParam = z.object({ id: z.string().max(64).openapi({ example: 'ing_6f1c2a9e0b7d4c35' }) })
