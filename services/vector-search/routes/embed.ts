/**
 * `POST /api/search/embed` — bge-m3's dense and sparse vectors per input, in one shape whatever
 * server computes them (adapters/embedder.ts): `{model, data: [{index, dense?, sparse?}]}`.
 */
import { createRoute } from '@hono/zod-openapi'
import { MAX_EMBED_INPUTS } from '../../../shared/contracts/vector-search/embeddings.ts'
import { badRequest } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { viaEmbedder } from '../domain/embed/errors.ts'
import type { Embedder } from '../domain/embed/ports.ts'
import { EmbedRequest, EmbedResponse, problem } from './embeddings-schemas.ts'

export interface EmbedRouteDeps {
  embedder: Embedder
}

const route = createRoute({
  method: 'post',
  path: '/api/search/embed',
  summary: 'Dense and sparse bge-m3 vectors per input',
  description:
    'Dense vectors are L2-normalised (1024-d); sparse vectors are token ids ascending with weights ' +
    'above zero. `dense`/`sparse` (both true by default) say which to compute; a server that gives ' +
    'dense vectors only answers 400 to a sparse request.',
  request: { body: jsonBody(EmbedRequest) },
  responses: {
    200: jsonContent('One entry per input, in input order', EmbedResponse),
    400: problem('An empty input, nothing asked for, or sparse from a dense-only server'),
    422: problem('A field of the wrong type'),
    502: problem('The embeddings server answered something unusable'),
    503: problem('The embeddings server is down or failing; see Retry-After'),
    504: problem('The embeddings server did not answer in time'),
  },
})

export function embedRoutes(deps: EmbedRouteDeps): ServiceApp {
  const app = createRouter()
  const { embedder } = deps
  app.openapi(route, async (c) => {
    const body = c.req.valid('json')
    const texts = typeof body.input === 'string' ? [body.input] : body.input
    if (!body.dense && !body.sparse) throw badRequest('Ask for dense, sparse or both.')
    if (texts.length === 0 || texts.some((t) => t.length === 0))
      throw badRequest("'input' must hold at least one text, and no empty one.")
    if (texts.length > MAX_EMBED_INPUTS)
      throw badRequest(`'input' holds more than ${MAX_EMBED_INPUTS} texts.`)
    const out = await viaEmbedder(() =>
      embedder.embed(texts, { dense: body.dense, sparse: body.sparse }, c.req.raw.signal),
    )
    const data = texts.map((_, index) => ({
      index,
      ...(out.dense ? { dense: out.dense[index]! } : {}),
      ...(out.sparse ? { sparse: out.sparse[index]! } : {}),
    }))
    return c.json({ model: embedder.model, data }, 200)
  })
  return app
}
