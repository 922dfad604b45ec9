/**
 * Simulated `spark-embed` (port 8088 on Spark 2): BAAI/bge-m3 embeddings and BAAI/bge-reranker-v2-m3,
 * with deterministic vectors that still carry meaning (see text-features.ts). Routes:
 *
 *   GET  /health          {"status":"ok"}
 *   GET  /v1/models       OpenAI model list (both models)
 *   POST /v1/embeddings   OpenAI shape: {input: string | string[], model?, encoding_format?: float|base64}
 *                         → {object:'list', data:[{object:'embedding', index, embedding:[1024]}], model,
 *                         usage:{prompt_tokens:0,total_tokens:0}} — zeros, as the earlier server reported
 *   POST /embed           dense + sparse in the shape the small FastAPI bge-m3 servers converge on
 *                         (docs/UPSTREAMS.md#bge-m3-embeddings-server): {texts | input | inputs,
 *                         return_dense = true, return_sparse = true}
 *                         → {dense: [[1024]], sparse: [{indices, values}]}
 *   POST /v1/rerank       {query, documents: (string | {text})[], top_n?, return_documents?}
 *                         → {object:'rerank.result', model, results:[{index, relevance_score, document?}]},
 *                         sorted, raw logits (not 0–1); `/rerank` is an alias
 *
 * More than 64 inputs (or documents beyond 1000) in one call → 413, worded like TEI's client batch
 * limit (TEI itself answers 422; see ../README.md).
 * Errors use the OpenAI envelope; malformed JSON is 400, fields that do not validate are 422.
 */
import { Buffer } from 'node:buffer'
import type { Context } from 'hono'
import { z } from 'zod'
import {
  type EmulatorContext,
  EmulatorError,
  type EmulatorHandle,
  type EmulatorOptions,
  startEmulator,
} from '../speech/emulator-server.ts'
import { DENSE_DIM, denseEmbedding, rerankLogit, sparseEmbedding } from './text-features.ts'

export const EMBEDDING_MODEL = 'BAAI/bge-m3'
export const RERANK_MODEL = 'BAAI/bge-reranker-v2-m3'
export const MAX_BATCH = 64
export const MAX_DOCUMENTS = 1000
// bge-m3's context is 8192 tokens; ~4 characters a token is close enough to refuse absurd inputs.
const MAX_INPUT_CHARS = 8192 * 4

const openaiError = (
  status: number,
  message: string,
  param: string | null = null,
  code: string | null = null,
) =>
  new EmulatorError(status, {
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param, code },
  })

const texts = z.union([z.string(), z.array(z.string())])

const EmbeddingsRequest = z.object({
  input: texts,
  model: z.string().optional(),
  encoding_format: z.enum(['float', 'base64']).default('float'),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
})

const EmbedRequest = z
  .object({
    texts: texts.optional(),
    input: texts.optional(),
    inputs: texts.optional(),
    return_dense: z.boolean().default(true),
    return_sparse: z.boolean().default(true),
    return_colbert_vecs: z.boolean().default(false),
  })
  .refine((b) => b.texts ?? b.input ?? b.inputs, {
    message: 'one of texts, input or inputs is required',
    path: ['texts'],
  })

const RerankRequest = z.object({
  model: z.string().optional(),
  query: z.string().min(1),
  documents: z.array(z.union([z.string(), z.object({ text: z.string() })])),
  top_n: z.number().int().positive().optional(),
  return_documents: z.boolean().default(false),
})

async function parseBody<T extends z.ZodType>(
  c: Context,
  ctx: EmulatorContext,
  schema: T,
): Promise<z.infer<T>> {
  let raw: unknown
  try {
    raw = JSON.parse(await ctx.readText(c))
  } catch (err) {
    if (err instanceof EmulatorError) throw err
    throw openaiError(400, 'We could not parse the JSON body of your request.', null, 'invalid_json')
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const param = issue.path.join('.') || null
    throw openaiError(422, `Invalid value for '${param ?? 'body'}': ${issue.message}`, param, 'invalid_value')
  }
  return parsed.data
}

/** Shared input checks: batch size, empty strings and over-long texts. */
function checkTexts(value: string | string[], param: string): string[] {
  const list = typeof value === 'string' ? [value] : value
  if (list.length === 0) throw openaiError(400, `'${param}' must not be empty`, param)
  if (list.length > MAX_BATCH)
    throw openaiError(
      413,
      `batch size ${list.length} > maximum allowed batch size ${MAX_BATCH}`,
      param,
      'batch_too_large',
    )
  list.forEach((t, i) => {
    if (t.length === 0) throw openaiError(400, `'${param}[${i}]' must not be an empty string`, param)
    if (t.length > MAX_INPUT_CHARS)
      throw openaiError(
        413,
        `'${param}[${i}]' is longer than the 8192-token context`,
        param,
        'input_too_long',
      )
  })
  return list
}

const toBase64 = (v: number[]) => Buffer.from(new Float32Array(v).buffer).toString('base64')

export function startBgeM3(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  return startEmulator(
    {
      name: 'bge-m3',
      errorBody: (status, message) => ({
        error: {
          message,
          type: status >= 500 ? 'server_error' : 'invalid_request_error',
          param: null,
          code: null,
        },
      }),
      routes(app, ctx) {
        app.get('/health', (c) => c.json({ status: 'ok' }))
        app.get('/v1/models', (c) =>
          c.json({
            object: 'list',
            data: [EMBEDDING_MODEL, RERANK_MODEL].map((id) => ({
              id,
              object: 'model',
              created: 1_706_000_000,
              owned_by: 'BAAI',
            })),
          }),
        )

        app.post('/v1/embeddings', async (c) => {
          const body = await parseBody(c, ctx, EmbeddingsRequest)
          if (body.dimensions !== undefined && body.dimensions !== DENSE_DIM)
            throw openaiError(
              400,
              `${EMBEDDING_MODEL} only produces ${DENSE_DIM}-dimensional embeddings`,
              'dimensions',
            )
          const list = checkTexts(body.input, 'input')
          return c.json({
            object: 'list',
            data: list.map((t, index) => {
              const v = denseEmbedding(t)
              return {
                object: 'embedding',
                index,
                embedding: body.encoding_format === 'base64' ? toBase64(v) : v,
              }
            }),
            model: EMBEDDING_MODEL,
            usage: { prompt_tokens: 0, total_tokens: 0 },
          })
        })

        app.post('/embed', async (c) => {
          const body = await parseBody(c, ctx, EmbedRequest)
          const param = body.texts !== undefined ? 'texts' : body.input !== undefined ? 'input' : 'inputs'
          const list = checkTexts((body.texts ?? body.input ?? body.inputs)!, param)
          if (body.return_colbert_vecs)
            throw openaiError(400, 'ColBERT vectors are not served by this endpoint', 'return_colbert_vecs')
          return c.json({
            ...(body.return_dense ? { dense: list.map(denseEmbedding) } : {}),
            ...(body.return_sparse ? { sparse: list.map(sparseEmbedding) } : {}),
          })
        })

        const rerank = async (c: Context) => {
          const body = await parseBody(c, ctx, RerankRequest)
          if (body.documents.length > MAX_DOCUMENTS)
            throw openaiError(
              413,
              `${body.documents.length} documents > maximum of ${MAX_DOCUMENTS}`,
              'documents',
            )
          const docs = body.documents.map((d) => (typeof d === 'string' ? d : d.text))
          const scored = docs
            .map((text, index) => ({ index, relevance_score: rerankLogit(body.query, text), text }))
            .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
            .slice(0, body.top_n ?? docs.length)
          return c.json({
            object: 'rerank.result',
            model: RERANK_MODEL,
            results: scored.map(({ index, relevance_score, text }) =>
              body.return_documents
                ? { index, relevance_score, document: { text } }
                : { index, relevance_score },
            ),
          })
        }
        app.post('/v1/rerank', rerank)
        app.post('/rerank', rerank)
      },
    },
    options,
  )
}
