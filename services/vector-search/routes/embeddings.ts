/**
 * `POST /v1/embeddings` — OpenAI's embeddings API over bge-m3, as the earlier version served it:
 * 1024-d L2-normalised dense vectors, `usage` reported as zeros, float or base64.
 */
import { createRoute } from '@hono/zod-openapi'
import { MAX_EMBED_INPUTS } from '../../../shared/contracts/vector-search/embeddings.ts'
import { AppError, badRequest } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { base64Floats, isModelName } from '../domain/embed/answers.ts'
import { viaEmbedder } from '../domain/embed/errors.ts'
import type { Embedder } from '../domain/embed/ports.ts'
import { EmbeddingsRequest, EmbeddingsResponse, openaiError } from './embeddings-schemas.ts'

export interface EmbeddingsRouteDeps {
  embedder: Embedder
}

const route = createRoute({
  method: 'post',
  path: '/v1/embeddings',
  summary: 'Dense bge-m3 embeddings, OpenAI shape',
  description:
    'Works with the OpenAI SDKs (`base_url` = this server + `/v1`). `model` may be left out or name ' +
    'bge-m3; `dimensions` only 1024; token arrays are refused. Inputs are sent to the embeddings ' +
    'server in batches.',
  request: { body: jsonBody(EmbeddingsRequest) },
  responses: {
    200: jsonContent('One embedding per input, in input order', EmbeddingsResponse),
    400: openaiError('An empty input, token arrays, too many inputs, or `dimensions` other than 1024'),
    404: openaiError('A model this server does not serve'),
    422: openaiError('A field of the wrong type'),
    502: openaiError('The embeddings server answered something unusable'),
    503: openaiError('The embeddings server is down or failing; see Retry-After'),
    504: openaiError('The embeddings server did not answer in time'),
  },
})

/** The texts of a request, or the 400 OpenAI would answer. */
function textsOf(input: unknown): string[] {
  const list = typeof input === 'string' ? [input] : (input as unknown[])
  if (list.length === 0) throw badRequest("'input' must not be empty.")
  if (list.some((x) => typeof x !== 'string'))
    throw badRequest("'input' as token arrays is not supported: send the text.")
  if (list.length > MAX_EMBED_INPUTS) throw badRequest(`'input' holds more than ${MAX_EMBED_INPUTS} texts.`)
  if ((list as string[]).some((t) => t.length === 0))
    throw badRequest("'input' must not hold an empty string.")
  return list as string[]
}

export function embeddingsRoutes(deps: EmbeddingsRouteDeps): ServiceApp {
  const app = createRouter()
  const { embedder } = deps
  app.openapi(route, async (c) => {
    const body = c.req.valid('json')
    if (!isModelName(body.model, embedder.model))
      throw new AppError(
        404,
        'model_not_found',
        `The model '${body.model}' does not exist here; use ${embedder.model}.`,
      )
    if (body.dimensions !== undefined && body.dimensions !== embedder.dim)
      throw badRequest(`${embedder.model} only gives ${embedder.dim}-dimensional embeddings.`)
    const texts = textsOf(body.input)
    const { dense } = await viaEmbedder(() =>
      embedder.embed(texts, { dense: true, sparse: false }, c.req.raw.signal),
    )
    const base64 = body.encoding_format === 'base64'
    return c.json(
      {
        object: 'list' as const,
        data: dense!.map((v, index) => ({
          object: 'embedding' as const,
          index,
          embedding: base64 ? base64Floats(v) : v,
        })),
        model: embedder.model,
        // Zeros, as the earlier version reported: the server does not count tokens for us.
        usage: { prompt_tokens: 0, total_tokens: 0 },
      },
      200,
    )
  })
  return app
}
