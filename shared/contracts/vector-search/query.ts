/**
 * `POST /api/search/collections/{name}/query`: hybrid (dense + sparse, fused), dense-only or
 * sparse-only search of one collection, with an optional rerank of the top candidates.
 */
import { z } from '@hono/zod-openapi'

export const MAX_QUERY_LIMIT = 100
export const MAX_PREFETCH = 1000
export const MAX_RERANK_CANDIDATES = 100

export const QuerySparseVector = z
  .object({
    indices: z.array(z.number().int().min(0).max(4_294_967_295)).max(65_536),
    values: z.array(z.number()).max(65_536),
  })
  .openapi('QuerySparseVector', { description: 'Token ids (unique) and their weights, same length.' })

/**
 * Qdrant's filter tree (must / should / must_not of `match` value|any|except, `range`, `is_empty`,
 * `has_id` and nested filters). Checked in full by the route (400 `bad_filter`); the schema here
 * only documents the top level.
 */
export const QueryFilter = z
  .object({
    must: z.array(z.unknown()).optional(),
    should: z.array(z.unknown()).optional(),
    must_not: z.array(z.unknown()).optional(),
  })
  // Unknown clauses reach the route's check, which names them (400), rather than being dropped unread.
  .loose()
  .openapi('QueryFilter', {
    example: { must: [{ key: 'source', match: { value: 'crm' } }] },
  })

export const QueryFusion = z
  .union([
    z.object({ rrf: z.object({ k: z.number().int().min(1).max(1000).default(60) }) }),
    z.literal('dbsf'),
  ])
  .openapi('QueryFusion', { description: 'Reciprocal rank fusion with constant k (default 60), or DBSF.' })

export const QueryRequest = z
  .object({
    query: z
      .string()
      .min(1)
      .max(8192)
      .optional()
      .openapi({ description: 'Embedded here (dense and sparse).' }),
    dense: z
      .array(z.number())
      .max(65_536)
      .optional()
      .openapi({ description: "The caller's own dense vector." }),
    sparse: QuerySparseVector.optional(),
    mode: z.enum(['hybrid', 'dense', 'sparse']).default('hybrid'),
    filter: QueryFilter.optional(),
    fusion: QueryFusion.default({ rrf: { k: 60 } }),
    prefetch_limit: z.number().int().min(1).max(MAX_PREFETCH).optional().openapi({
      description: 'Candidates each leg returns before fusion; at least limit + offset (default 4× that).',
    }),
    limit: z.number().int().min(1).max(MAX_QUERY_LIMIT).default(10),
    offset: z.number().int().min(0).max(10_000).default(0),
    with_payload: z.boolean().default(true),
    rerank: z
      .object({
        top_n: z.number().int().min(1).max(MAX_QUERY_LIMIT).optional(),
        candidates: z.number().int().min(1).max(MAX_RERANK_CANDIDATES).default(50),
      })
      .optional()
      .openapi({
        description:
          "Scores the top `candidates` fused hits' `text` payload with the reranker (raw logits) and answers the best `top_n` (default `limit`).",
      }),
  })
  .openapi('QueryRequest')

export const QueryHit = z
  .object({
    id: z.string(),
    score: z
      .number()
      .openapi({ description: 'The rank score: rerank_score when reranked, else the store score.' }),
    fused_score: z
      .number()
      .optional()
      .openapi({ description: 'The fused (hybrid) or leg score before rerank.' }),
    rerank_score: z
      .number()
      .nullable()
      .optional()
      .openapi({ description: 'Raw reranker logit; null without text.' }),
    payload: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('QueryHit')

export const QueryTimings = z.object({
  embed: z.number(),
  search: z.number(),
  rerank: z.number(),
  total: z.number(),
})

export const QueryResponse = z
  .object({
    results: z.array(QueryHit),
    timings_ms: QueryTimings,
    mode: z.enum(['hybrid', 'dense', 'sparse']),
    fusion: z.string().nullable().openapi({ description: '`rrf(k=60)`, `dbsf`, or null for one leg.' }),
  })
  .openapi('QueryResponse')

export type QueryRequest = z.infer<typeof QueryRequest>
export type QueryHit = z.infer<typeof QueryHit>
export type QueryResponse = z.infer<typeof QueryResponse>
