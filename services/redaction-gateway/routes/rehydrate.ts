/**
 * `POST /rehydrate`: the items a model wrote from scrubbed text, with the original values put back.
 * The earlier response shape is not known; the one chosen here is recorded in docs/COMPATIBILITY.md.
 * A token this map does not hold is left as written and reported in `unresolved`, never guessed.
 */
import { createRoute } from '@hono/zod-openapi'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import type { ServiceApp } from '../../../shared/service.ts'
import type { TokenStore } from '../domain/scrub/ports.ts'
import { restoreMessages, restorerFor } from '../domain/scrub/restore.ts'
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
    'Send `items` (`[{id, text}]`, answered as `items: [{id, text, unresolved}]`), one `text` ' +
    '(answered as `text` + `unresolved`), or OpenAI chat `messages` (string and `text`-part ' +
    'contents and tool-call arguments restored; answered as `messages` + `unresolved`). Exact tokens are restored first, then tolerant forms ' +
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
    const restorer = restorerFor(body.map_handle, deps.store())
    const head = {
      ...(body.task_id === undefined ? {} : { task_id: body.task_id }),
      map_handle: body.map_handle,
    }
    const answer = (rest: Record<string, unknown>, count: number) => {
      const stats = { ...restorer.totals }
      c.var.log.info({ count, form: Object.keys(rest)[0], ...stats }, 'rehydrated')
      return c.json({ ...head, ...rest, stats }, 200)
    }
    if (body.messages) return answer(restoreMessages(body.messages, restorer), body.messages.length)
    if (body.items === undefined) return answer({ ...restorer.restore(body.text ?? '') }, 1)
    const items = body.items.map((item) => ({ id: item.id, ...restorer.restore(item.text) }))
    return answer({ items }, items.length)
  })
  return app
}
