/**
 * `POST /rehydrate`: the items a model wrote from scrubbed text, with the original values put back.
 * The earlier response shape is not known; the one chosen here is recorded in docs/COMPATIBILITY.md.
 * A token this map does not hold is left as written and reported in `unresolved`, never guessed.
 */
import { createRoute } from '@hono/zod-openapi'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import type { ServiceApp } from '../../../shared/service.ts'
import type { TokenStore } from '../domain/scrub/ports.ts'
import { restoreTexts } from '../domain/scrub/restore.ts'
import { createRedactionRouter } from './redaction-request.ts'
import { CodeError, RehydrateRequest, RehydrateResponse } from './redaction-schemas.ts'

export interface RehydrateRouteDeps {
  store: () => TokenStore
}

const route = createRoute({
  method: 'post',
  path: '/rehydrate',
  summary: 'Put the original values back in place of [TYPE_N] placeholders',
  description:
    'Send `items` (`[{id, text}]`, answered as `items: [{id, text, unresolved}]`) or one `text` ' +
    '(answered as `text` + `unresolved`). Exact tokens are restored first, then tolerant forms ' +
    '(case, spacing, brackets, HTML/Markdown/JSON escapes) of tokens this map holds.',
  request: { body: jsonBody(RehydrateRequest) },
  responses: {
    200: jsonContent('The texts with values restored', RehydrateResponse),
    400: jsonContent('The body is not JSON or a field is invalid', CodeError),
    404: jsonContent('`map_handle` names no map', CodeError),
    410: jsonContent('`map_handle` names an expired map', CodeError),
    503: jsonContent('The map store is not open', CodeError),
  },
})

export function rehydrateRoutes(deps: RehydrateRouteDeps): ServiceApp {
  const app = createRedactionRouter('/rehydrate')
  app.openapi(route, (c) => {
    const body = c.req.valid('json')
    const items = body.items ?? [{ id: 0, text: body.text ?? '' }]
    const out = restoreTexts(
      body.map_handle,
      items.map((i) => i.text),
      deps.store(),
    )
    c.var.log.info({ items: items.length, restored: out.restored, unresolved: out.unresolved }, 'rehydrated')
    const stats = { restored: out.restored, unresolved: out.unresolved }
    const head = {
      ...(body.task_id === undefined ? {} : { task_id: body.task_id }),
      map_handle: body.map_handle,
    }
    if (body.items === undefined) return c.json({ ...head, ...out.texts[0]!, stats }, 200)
    const answered = items.map((item, i) => ({ id: item.id, ...out.texts[i]! }))
    return c.json({ ...head, items: answered, stats }, 200)
  })
  return app
}
