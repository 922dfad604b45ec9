/**
 * Model management (issue #3): add a custom card, delete a model (weights on every node plus the
 * card), suggestions for the download box, and downloads of weights to the Sparks with progress
 * (start, poll, list, cancel). `GET /api/models` itself is the catalog route (catalog.ts), which
 * asks this service for the on-disk part of the menu. Every mutation is audited.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { notFound } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import { customModelInput } from '../domain/models/custom.ts'
import type { ModelService } from '../domain/models/service.ts'
import { MAX_SUGGESTIONS } from '../domain/models/suggest.ts'
import {
  actorHeader,
  addedModel,
  deleteAnswer,
  detail,
  downloadIdParam,
  downloadList,
  downloadRequest,
  downloadView,
  keyParam,
  suggestionList,
} from './models-schemas.ts'

const json = <T extends z.ZodType>(schema: T, description: string) => jsonContent(description, schema)

const addRoute = createRoute({
  method: 'post',
  path: '/api/models',
  tags: ['models'],
  summary:
    'Add a custom model card: exactly one of `repo` (Hugging Face) or `local_path`; unknown fields are ignored',
  request: {
    headers: actorHeader,
    body: {
      required: true,
      content: { 'application/json': { schema: customModelInput.openapi('CustomModelRequest') } },
    },
  },
  responses: {
    201: json(
      addedModel,
      'Stored; it shows in the menu (as `needs_setup` until a recipe launches it); unknown fields are ignored and listed',
    ),
    409: detail('The key or the model is already in the catalog, or the catalog is full'),
    422: detail('Invalid entry; every failing field is named'),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/models/{key}',
  tags: ['models'],
  summary: 'Delete a model: its weights on every node and its custom card',
  request: { params: keyParam, headers: actorHeader },
  responses: {
    200: json(deleteAnswer, 'Removed'),
    404: detail('No recipe, custom card or on-disk model has this key'),
    409: detail('Loaded, part of a running swap, being downloaded, or a local-path recipe'),
    422: detail('Invalid key'),
    502: detail('A node did not remove the weights; the card is kept'),
  },
})

const suggestRoute = createRoute({
  method: 'get',
  path: '/api/models/suggest',
  tags: ['models'],
  summary: 'Suggestions for the download box (recipes, disks, custom cards, known-good Spark models)',
  request: {
    query: z.object({
      q: z
        .string()
        .max(200)
        .default('')
        .openapi({ description: 'Prefix or part of `org/name`.', example: 'qwen3' }),
      limit: z.coerce.number().int().min(1).max(MAX_SUGGESTIONS).default(10),
    }),
  },
  responses: { 200: json(suggestionList, 'Suggestions, prefix matches first'), 422: detail('Invalid query') },
})

const downloadRoute = createRoute({
  method: 'post',
  path: '/api/models/download',
  tags: ['models'],
  summary: 'Download a Hugging Face model to every Spark (or the nodes named); poll its progress',
  request: {
    headers: actorHeader,
    body: jsonBody(downloadRequest),
  },
  responses: {
    202: json(downloadView, 'Started; poll `GET /api/models/downloads/{download_id}`'),
    409: detail('This repo is already being downloaded'),
    422: detail('Invalid repo or unknown node'),
    429: detail('Too many downloads running; Retry-After says when to try again'),
    503: detail('No node is configured for SSH'),
  },
})

const listRoute = createRoute({
  method: 'get',
  path: '/api/models/downloads',
  tags: ['models'],
  summary: 'Running and recent downloads, newest first',
  responses: {
    200: json(downloadList, 'Downloads'),
  },
})

const getRoute = createRoute({
  method: 'get',
  path: '/api/models/downloads/{id}',
  tags: ['models'],
  summary: 'One download: overall and per-node progress',
  request: { params: downloadIdParam },
  responses: {
    200: json(downloadView, 'The download'),
    404: detail('Unknown (or long finished) download'),
    422: detail('Invalid id'),
  },
})

const cancelRoute = createRoute({
  method: 'delete',
  path: '/api/models/downloads/{id}',
  tags: ['models'],
  summary: 'Cancel a running download (its node runs are stopped)',
  request: { params: downloadIdParam, headers: actorHeader },
  responses: {
    200: json(downloadView, 'Cancelling (or already finished)'),
    404: detail('Unknown download'),
    422: detail('Invalid id'),
  },
})

export function modelsRoutes({ models }: { models: ModelService }): ServiceApp {
  const router = createRouter()
  const ctx = (c: { req: { header(n: string): string | undefined }; var: { requestId?: string } }) => ({
    actor: actorFrom((n) => c.req.header(n)),
    requestId: c.var.requestId,
  })
  router.openapi(suggestRoute, async (c) => {
    const { q, limit } = c.req.valid('query')
    return c.json({ q, suggestions: await models.suggest(q, limit) }, 200)
  })
  router.openapi(addRoute, async (c) => c.json(await models.add(c.req.valid('json'), ctx(c)), 201))
  router.openapi(deleteRoute, async (c) =>
    c.json(await models.remove(c.req.valid('param').key, ctx(c), c.req.raw.signal), 200),
  )
  router.openapi(downloadRoute, (c) => {
    const body = c.req.valid('json')
    return c.json(models.downloads.start({ repo: body.repo, nodes: body.nodes, ...ctx(c) }), 202)
  })
  router.openapi(listRoute, (c) => c.json({ downloads: models.downloads.list() }, 200))
  router.openapi(getRoute, (c) => {
    const { id } = c.req.valid('param')
    const view = models.downloads.get(id)
    if (!view) throw notFound(`No download ${id}.`)
    return c.json(view, 200)
  })
  router.openapi(cancelRoute, (c) => c.json(models.downloads.cancel(c.req.valid('param').id, ctx(c)), 200))
  return router
}
