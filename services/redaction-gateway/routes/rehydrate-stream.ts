/**
 * `POST /rehydrate/stream`: a model's answer rehydrated while it streams. The body is an OpenAI
 * chat-completions event stream (`text/event-stream`: each choice's `delta.content` and tool-call
 * `arguments` restored, see domain/stream) or plain text (`text/plain`), read as it arrives and
 * answered in the same form as it goes. The map is named by `?map_handle=` or `X-Redaction-Map`;
 * an unknown or expired map is refused before any byte is answered. The body limit holds while it
 * streams: past it, the answer ends with an SSE error event (or, for plain text, is cut).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { MAP_HANDLE_HEADER } from '../../../shared/contracts/redaction-gateway.ts'
import { AppError, badRequest } from '../../../shared/errors.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { sseErrorEvent } from '../../../shared/sse.ts'
import type { TokenStore } from '../domain/scrub/ports.ts'
import { createChunkRestorer } from '../domain/stream/chunk-restorer.ts'
import { liveMap } from '../domain/stream/live-map.ts'
import { type BodyOutcome, restoredBody, webSource } from '../domain/stream/restored-body.ts'
import { createSseRestorer, type TextStage } from '../domain/stream/sse-restorer.ts'
import { createTextRestorer } from '../domain/stream/text-restorer.ts'
import { CodeError } from './redaction-schemas.ts'

export const REHYDRATE_STREAM_PATH = '/rehydrate/stream'

export interface RehydrateStreamDeps {
  store: () => TokenStore
  /** The most bytes one streamed body may carry (the service's body limit). */
  maxBytes: number
}

const route = createRoute({
  method: 'post',
  path: REHYDRATE_STREAM_PATH,
  summary: 'Put the original values back while a model answer streams',
  description:
    "Send the model's OpenAI chat-completions stream as the body (`text/event-stream`; each " +
    "choice's `delta.content` and `delta.tool_calls[j].function.arguments` are restored, values " +
    'JSON-escaped inside arguments, a placeholder split across chunks held back until it is whole) ' +
    'or plain text (`text/plain`), and read the restored stream back as it comes. Name the map with ' +
    '`?map_handle=<handle>` or the `X-Redaction-Map` header.',
  request: {
    body: {
      required: true,
      content: { 'text/event-stream': { schema: z.string() }, 'text/plain': { schema: z.string() } },
    },
  },
  responses: {
    200: {
      description: 'The restored stream, in the form it was sent',
      content: { 'text/event-stream': { schema: z.string() }, 'text/plain': { schema: z.string() } },
    },
    400: jsonContent('No map handle, or two different ones', CodeError),
    404: jsonContent('The handle names no map', CodeError),
    410: jsonContent('The handle names an expired map', CodeError),
    413: jsonContent('The declared body is over the limit', CodeError),
    415: jsonContent('The body is neither `text/event-stream` nor `text/plain`', CodeError),
    503: jsonContent('The map store is not open', CodeError),
  },
})

const unsupportedType = () =>
  new AppError(
    415,
    'unsupported_media_type',
    'Send the stream as text/event-stream (OpenAI chat-completions events) or text/plain.',
  )

/** The handle from the query or the header; both may be sent only when they agree. */
export function handleOf(query: string | undefined, header: string | undefined): string {
  const handles = new Set([query, header].filter((h): h is string => !!h && h.trim() !== ''))
  if (handles.size === 1) return [...handles][0]!
  const field = { field: 'map_handle', location: 'query' }
  if (handles.size === 0)
    throw badRequest(`Name the map: ?map_handle=<handle> or the ${MAP_HANDLE_HEADER} header.`, {
      issues: [{ ...field, message: 'required' }],
    })
  throw badRequest(`?map_handle and ${MAP_HANDLE_HEADER} name different maps.`, {
    issues: [{ ...field, message: 'differs from the header' }],
  })
}

const STREAM_TYPES = { sse: 'text/event-stream; charset=utf-8', text: 'text/plain; charset=utf-8' }

/** Another method on a POST-only path is a 405 naming POST, never a 404 that reads as a wrong URL. */
export function refuseOtherMethods(app: ServiceApp, path: string) {
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], path, (c) => {
    throw new AppError(405, 'method_not_allowed', `${c.req.method} is not allowed on ${path}; use POST.`, {
      headers: { Allow: 'POST' },
    })
  })
}

export function rehydrateStreamRoutes(deps: RehydrateStreamDeps): ServiceApp {
  const app = createRouter()
  refuseOtherMethods(app, REHYDRATE_STREAM_PATH)
  app.openapi(route, (c) => {
    const handle = handleOf(c.req.query('map_handle'), c.req.header(MAP_HANDLE_HEADER))
    const type = (c.req.header('content-type') ?? '').toLowerCase()
    const form = type.startsWith('text/event-stream') ? 'sse' : type.startsWith('text/plain') ? 'text' : null
    if (!form) throw unsupportedType()
    const map = liveMap(deps.store(), handle)
    const chunks = createChunkRestorer(map.lookup, map.surfaces)
    const text = createTextRestorer(map.lookup, { surfaces: map.surfaces })
    const stage: TextStage =
      form === 'sse' ? createSseRestorer(chunks, { maxEventChars: deps.maxBytes }) : text
    const done = (outcome: BodyOutcome, err?: unknown) => {
      const totals =
        form === 'sse' ? chunks.totals : { restored: text.restored, unresolved: text.unknown.length }
      const code = err instanceof AppError ? err.code : err ? 'stream_failed' : undefined
      c.var.log.info({ form, outcome, ...totals, ...(code ? { code } : {}) }, 'rehydrated stream')
    }
    const body = restoredBody(webSource(c.req.raw.body), stage, {
      maxBytes: deps.maxBytes,
      done,
      failure: (err) => (form === 'sse' ? failureEvent(err) : undefined),
    })
    return new Response(body, {
      status: 200,
      headers: { 'content-type': STREAM_TYPES[form], 'cache-control': 'no-cache' },
    })
  })
  return app
}

/** The error event a failed stream ends with; its message names the limit, never any text of the body. */
function failureEvent(err: unknown): string {
  const known = err instanceof AppError
  const message = known ? err.message : 'The stream could not be read to the end.'
  return sseErrorEvent(message, known ? err.status : 400)
}
