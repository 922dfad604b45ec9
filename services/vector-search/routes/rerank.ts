/**
 * `POST /v1/rerank` — the Cohere/Jina rerank API over bge-reranker-v2-m3, as the earlier version
 * served it: `{object: "rerank.result", model, results: [{index, relevance_score, document?}]}`
 * best first, the scores raw logits (not 0–1) unless the new `normalize: true` asks for a sigmoid.
 */
import { createRoute } from '@hono/zod-openapi'
import { AppError, badRequest } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { isModelName, rank } from '../domain/embed/answers.ts'
import { viaEmbedder } from '../domain/embed/errors.ts'
import type { Reranker } from '../domain/embed/ports.ts'
import { openaiError, RerankRequest, RerankResponse } from './embeddings-schemas.ts'

export interface RerankRouteDeps {
  reranker: Reranker
  /** Documents per request (over: 400). */
  maxDocuments: number
}

const route = createRoute({
  method: 'post',
  path: '/v1/rerank',
  summary: 'Rerank documents against a query (Cohere/Jina shape)',
  description:
    '`documents` are strings or `{text}`; `top_n` keeps the best n; `return_documents` adds ' +
    '`document: {text}`. Scores are raw logits sorted best first; `normalize: true` (an addition) ' +
    'gives sigmoid 0–1 scores in the same order.',
  request: { body: jsonBody(RerankRequest) },
  responses: {
    200: jsonContent('The documents ranked best first', RerankResponse),
    400: openaiError('Too many documents, or an empty one'),
    404: openaiError('A model this server does not serve'),
    422: openaiError('A missing query, no documents, or a field of the wrong type'),
    502: openaiError('The rerank server answered something unusable'),
    503: openaiError('The rerank server is down or failing; see Retry-After'),
    504: openaiError('The rerank server did not answer in time'),
  },
})

export function rerankRoutes(deps: RerankRouteDeps): ServiceApp {
  const app = createRouter()
  const { reranker } = deps
  app.openapi(route, async (c) => {
    const body = c.req.valid('json')
    if (!isModelName(body.model, reranker.model))
      throw new AppError(
        404,
        'model_not_found',
        `The model '${body.model}' does not exist here; use ${reranker.model}.`,
      )
    if (body.documents.length > deps.maxDocuments)
      throw badRequest(`'documents' holds more than ${deps.maxDocuments} documents.`)
    const texts = body.documents.map((d) => (typeof d === 'string' ? d : d.text))
    if (texts.some((t) => t.length === 0)) throw badRequest("'documents' must not hold an empty text.")
    const scores = await viaEmbedder(() => reranker.score(body.query, texts, c.req.raw.signal))
    const results = rank(scores, body.top_n, body.normalize).map((r) =>
      body.return_documents ? { ...r, document: { text: texts[r.index]! } } : r,
    )
    return c.json({ object: 'rerank.result' as const, model: reranker.model, results }, 200)
  })
  return app
}
