/**
 * The earlier `POST /api/search`: a hybrid proxy to Qdrant for clients that build their own
 * collections (a dense vector from our `/v1/embeddings`, BM25 sparse vectors they compute
 * themselves) under vector names of their own. The shape is recorded in docs/COMPATIBILITY.md.
 */
import { z } from '@hono/zod-openapi'
import { QueryFilter, QuerySparseVector } from './query.ts'

const VectorName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/)

export const EarlierSearchRequest = z
  .object({
    collection: z.string().max(300).openapi({ description: 'Matches `^[A-Za-z0-9_-]{1,64}$`.' }),
    query: z.string().min(1).max(8192).optional().openapi({
      description: 'Embedded here into the dense vector (bge-m3) when `dense` is not given.',
    }),
    dense: z.array(z.number()).max(65_536).optional(),
    sparse: QuerySparseVector.optional().openapi({ description: "The client's own (BM25) sparse vector." }),
    filter: QueryFilter.optional(),
    limit: z.number().int().min(1).max(100).default(10),
    with_payload: z.boolean().default(true),
    using: z
      .object({ dense: VectorName.default('dense'), sparse: VectorName.default('sparse') })
      .default({ dense: 'dense', sparse: 'sparse' })
      .openapi({ description: "The collection's vector names." }),
  })
  .openapi('EarlierSearchRequest')

export const EarlierSearchResponse = z
  .object({
    collection: z.string(),
    mode: z.enum(['hybrid', 'dense', 'sparse']),
    results: z.array(
      z.object({
        id: z.union([z.string(), z.number()]),
        score: z.number(),
        payload: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .openapi('EarlierSearchResponse')

export type EarlierSearchRequest = z.infer<typeof EarlierSearchRequest>
export type EarlierSearchResponse = z.infer<typeof EarlierSearchResponse>
