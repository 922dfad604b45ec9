/**
 * Embeddings and rerank on the wire:
 *
 * - `POST /v1/embeddings` — OpenAI's shape (the earlier version's contract: 1024-d L2-normalised
 *   bge-m3 vectors, `usage` reported as zeros), `encoding_format: base64` being the little-endian
 *   float32 bytes, as OpenAI sends them.
 * - `POST /api/search/embed` — dense and sparse vectors per input, whatever server computes them.
 * - `POST /v1/rerank` — the Cohere/Jina shape; scores are bge-reranker's raw logits sorted best
 *   first, as the earlier version passed them on, unless `normalize: true` asks for sigmoid 0–1.
 */
import { z } from '@hono/zod-openapi'

export const DEFAULT_EMBED_MODEL = 'BAAI/bge-m3'
export const DEFAULT_RERANK_MODEL = 'BAAI/bge-reranker-v2-m3'
/** OpenAI's own limit on inputs per request. */
export const MAX_EMBED_INPUTS = 2048

const tokenArrays = z.union([z.array(z.number().int()), z.array(z.array(z.number().int()))])

export const EmbeddingsRequest = z
  .object({
    input: z
      .union([z.string(), z.array(z.string()), tokenArrays])
      .openapi({ description: 'A text or a list of texts. Token arrays are refused (400).' }),
    model: z.string().optional().openapi({ example: DEFAULT_EMBED_MODEL }),
    encoding_format: z.enum(['float', 'base64']).default('float'),
    dimensions: z.number().int().positive().optional().openapi({ description: 'Only 1024 is possible.' }),
    user: z.string().optional(),
  })
  .openapi('EmbeddingsRequest')

export const EmbeddingsResponse = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        object: z.literal('embedding'),
        index: z.number().int(),
        embedding: z
          .union([z.array(z.number()), z.string()])
          .openapi({ description: 'Floats, or base64 of little-endian float32 bytes.' }),
      }),
    ),
    model: z.string(),
    usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  })
  .openapi('EmbeddingsResponse')

export const SparseEmbedding = z
  .object({ indices: z.array(z.number().int()), values: z.array(z.number()) })
  .openapi('SparseEmbedding', { description: 'Token ids ascending and unique; weights above zero.' })

export const EmbedRequest = z
  .object({
    input: z.union([z.string(), z.array(z.string())]),
    dense: z.boolean().default(true),
    sparse: z.boolean().default(true),
  })
  .openapi('EmbedRequest')

export const EmbedResponse = z
  .object({
    model: z.string(),
    data: z.array(
      z.object({
        index: z.number().int(),
        dense: z.array(z.number()).optional(),
        sparse: SparseEmbedding.optional(),
      }),
    ),
  })
  .openapi('EmbedResponse')

export const RerankRequest = z
  .object({
    query: z.string().min(1),
    documents: z.array(z.union([z.string(), z.object({ text: z.string() })])).min(1),
    top_n: z.number().int().positive().optional(),
    return_documents: z.boolean().default(false),
    model: z.string().optional().openapi({ example: DEFAULT_RERANK_MODEL }),
    normalize: z
      .boolean()
      .default(false)
      .openapi({ description: 'Addition: sigmoid of the logits (0–1) instead of the raw logits.' }),
  })
  .openapi('RerankRequest')

export const RerankResponse = z
  .object({
    object: z.literal('rerank.result'),
    model: z.string(),
    results: z.array(
      z.object({
        index: z.number().int(),
        relevance_score: z.number(),
        document: z.object({ text: z.string() }).optional(),
      }),
    ),
  })
  .openapi('RerankResponse')
