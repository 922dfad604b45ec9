/**
 * The scrub-proxy: an OpenAI-compatible `POST /scrub-proxy/v1/chat/completions` (an OpenAI SDK with
 * base URL `…/scrub-proxy/v1` works unchanged). Each request is scrubbed with the `/scrub`
 * pipeline — every message's texts, tool-call arguments and tool results, Tier-1 data dropped —
 * a short instruction to copy placeholders is added, and only then is it sent to the configured
 * cloud endpoint; the answer, whole or streamed, comes back rehydrated. One map per conversation:
 * the caller sends `X-Redaction-Map` to reuse one across turns, and every answer names its map in
 * that header. Off (503 `scrub_proxy_off`) unless `REDACTION_CLOUD_URL` is set.
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  MAP_EXPIRES_HEADER,
  MAP_HANDLE_HEADER,
  ScrubProxyRequest,
} from '../../../shared/contracts/redaction-gateway.ts'
import { AppError } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { sseErrorEvent } from '../../../shared/sse.ts'
import type { NameModel } from '../domain/detect/llm-names-pass.ts'
import { chatTexts } from '../domain/proxy/chat-texts.ts'
import { withInstruction } from '../domain/proxy/instruction.ts'
import type { CloudChat } from '../domain/proxy/ports.ts'
import { tooLarge } from '../domain/scrub/errors.ts'
import { type ScrubDeps, scrub } from '../domain/scrub/pipeline.ts'
import { restoreMessages, restorerFor } from '../domain/scrub/restore.ts'
import { createChunkRestorer } from '../domain/stream/chunk-restorer.ts'
import { liveMap } from '../domain/stream/live-map.ts'
import { restoredBody } from '../domain/stream/restored-body.ts'
import { createSseRestorer } from '../domain/stream/sse-restorer.ts'
import { refuseOtherMethods } from './rehydrate-stream.ts'
import { localNames } from './scrub-proxy-names.ts'

export const SCRUB_PROXY_PATH = '/scrub-proxy/v1/chat/completions'

export interface ScrubProxyDeps extends Omit<ScrubDeps, 'store'> {
  store: () => ScrubDeps['store']
  /** The cloud endpoint; absent when `REDACTION_CLOUD_URL` is not set (the route answers 503). */
  cloud?: CloudChat
  /** `REDACTION_PROXY_NER`. */
  ner: 'rules_only' | 'auto'
  nameModel?: NameModel
  /** Requests at once; past it a 503 with Retry-After (nothing waits in a queue). */
  maxInFlight: number
  /** The longest one event of the cloud's stream may be. */
  maxEventChars: number
}

const envelope = z.object({ error: z.object({ message: z.string(), type: z.string(), code: z.string() }) })
const openaiError = (description: string) => jsonContent(description, envelope)

const route = createRoute({
  method: 'post',
  path: SCRUB_PROXY_PATH,
  tags: ['redaction'],
  summary: 'OpenAI-compatible chat through a cloud endpoint, with PII scrubbed out and put back',
  description:
    'The request is scrubbed (`rules_only` unless REDACTION_PROXY_NER=auto; Tier-1 data dropped) ' +
    'and sent to REDACTION_CLOUD_URL; the answer (`stream: true` or not) comes back rehydrated. Send ' +
    '`X-Redaction-Map: <handle>` to keep one map across a conversation; the answer carries the map ' +
    'in `X-Redaction-Map` and its expiry in `X-Redaction-Map-Expires-At`.',
  request: {
    body: jsonBody(ScrubProxyRequest),
    headers: z.object({ [MAP_HANDLE_HEADER.toLowerCase()]: z.string().max(200).optional() }),
  },
  responses: {
    200: {
      description: "The cloud's answer with the values restored (`text/event-stream` when `stream: true`)",
      content: { 'application/json': { schema: z.any() }, 'text/event-stream': { schema: z.string() } },
    },
    400: openaiError('The body is not JSON'),
    404: openaiError('`X-Redaction-Map` names no map (`map_not_found`)'),
    410: openaiError('`X-Redaction-Map` names an expired map (`map_expired`)'),
    413: openaiError('Too many texts, or one over the size limit (`too_large`)'),
    422: openaiError('A field is invalid, or the local-LLM name pass cannot run (`ner_unavailable`)'),
    429: openaiError('The cloud endpoint is rate limiting (`cloud_rate_limited`, Retry-After)'),
    502: openaiError('The cloud endpoint failed or refused the configured key'),
    503: openaiError(
      '`scrub_proxy_off`, `scrub_proxy_busy`, the map store is not open, or the cloud is unreachable',
    ),
    504: openaiError('The cloud endpoint did not answer in time'),
  },
})

/** How long a client should wait before asking again for something only configuration turns on. */
const NOT_CONFIGURED_RETRY_S = 300

export const proxyOff = () =>
  new AppError(
    503,
    'scrub_proxy_off',
    'The scrub-proxy is off: no cloud endpoint is configured (set REDACTION_CLOUD_URL).',
    // Every 503 says when to look again; this one changes only when the owner configures it.
    { retryAfterS: NOT_CONFIGURED_RETRY_S },
  )
const proxyBusy = (max: number) =>
  new AppError(503, 'scrub_proxy_busy', `The scrub-proxy is handling ${max} requests; retry shortly.`, {
    retryAfterS: 2,
  })

export function scrubProxyRoutes(deps: ScrubProxyDeps): ServiceApp {
  const app = createRouter()
  refuseOtherMethods(app, SCRUB_PROXY_PATH)
  let inFlight = 0
  // Off is said before the body is read or checked: no request can be right while it is off.
  app.post(SCRUB_PROXY_PATH, (_, next) => {
    if (!deps.cloud) throw proxyOff()
    return next()
  })
  app.openapi(route, async (c) => {
    const cloud = deps.cloud
    if (!cloud) throw proxyOff()
    const request = c.req.valid('json')
    const store = deps.store()
    const asked = c.req.header(MAP_HANDLE_HEADER)
    if (asked) liveMap(store, asked)
    if (inFlight >= deps.maxInFlight) throw proxyBusy(deps.maxInFlight)
    inFlight++
    let released = false
    const release = () => {
      if (!released) inFlight--
      released = true
    }
    let streaming = false
    try {
      const signal = c.req.raw.signal
      const out = await scrubbed(request, asked, { ...deps, store }, signal)
      const log = c.var.log
      const { mapHandle } = out
      const fields = {
        texts: out.texts,
        tier1Dropped: out.tier1Dropped,
        types: out.typeCounts,
        extended: !!asked,
      }
      log.info(fields, 'scrub-proxy scrubbed')
      const answer = await cloud.complete(out.request, { signal, requestId: c.var.requestId })
      const headers = { [MAP_HANDLE_HEADER]: mapHandle, [MAP_EXPIRES_HEADER]: out.expiresAt.toISOString() }
      if (answer.kind === 'json') {
        const restored = restoreAnswer(answer.body, restorerFor(mapHandle, store))
        log.info({ form: 'json', ...restored.totals }, 'scrub-proxy answer restored')
        return c.json(restored.body, 200, headers)
      }
      const map = liveMap(store, mapHandle)
      const chunks = createChunkRestorer(map.lookup, map.surfaces)
      const stage = createSseRestorer(chunks, { maxEventChars: deps.maxEventChars })
      const body = restoredBody(answer.source, stage, {
        failure: (err) => sseErrorEvent(streamFailure(err), 502),
        done: (outcome, err) => {
          release()
          const code = err instanceof AppError ? err.code : err ? 'stream_failed' : undefined
          log.info({ form: 'sse', outcome, ...chunks.totals, code }, 'scrub-proxy answer restored')
        },
      })
      streaming = true
      return new Response(body, { status: 200, headers: { ...headers, ...SSE_HEADERS } })
    } finally {
      if (!streaming) release()
    }
  })
  return app
}

/**
 * The request as the cloud may see it: every text scrubbed into the conversation's map (Tier-1
 * dropped), the placeholder instruction added. Over-limit input is refused before the local-LLM
 * pass sees any of it.
 */
async function scrubbed(
  request: Record<string, unknown>,
  mapHandle: string | undefined,
  deps: Omit<ScrubProxyDeps, 'store'> & { store: ScrubDeps['store'] },
  signal: AbortSignal,
) {
  const texts = chatTexts(request)
  const items = texts.texts.map((text, id) => ({ id, text }))
  const { maxItems, maxItemChars } = deps.limits
  if (items.length > maxItems) throw tooLarge(`${items.length} texts is over the limit of ${maxItems}`)
  if (items.some((i) => i.text.length > maxItemChars))
    throw tooLarge(`a text is over the limit of ${maxItemChars} characters`)
  const modelNames = deps.ner === 'auto' ? await localNames(items, deps.nameModel, signal) : undefined
  const out = scrub(
    { taskId: 'scrub-proxy', items, tier1Action: 'drop', ner: deps.ner, mapHandle, modelNames },
    deps,
  )
  const forCloud = withInstruction(texts.finish(out.items.map((i) => i.scrubbedText)))
  return { ...out, texts: items.length, request: forCloud }
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }

/** A whole answer with each choice's message restored (contents, text parts, tool-call arguments). */
function restoreAnswer(body: unknown, restorer: ReturnType<typeof restorerFor>) {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const choices = Array.isArray(record.choices) ? record.choices : []
  const messages = choices.map((choice) => (choice as { message?: Record<string, unknown> })?.message ?? {})
  const restored = restoreMessages(messages, restorer).messages
  const out = choices.map((choice, i) =>
    typeof choice === 'object' && choice !== null && 'message' in choice
      ? { ...choice, message: restored[i] }
      : choice,
  )
  return { body: Array.isArray(record.choices) ? { ...record, choices: out } : body, totals: restorer.totals }
}

/** What a stream that broke off says: the kind of failure, never a byte of the answer. */
function streamFailure(err: unknown): string {
  if (err instanceof AppError) return err.message
  const name = (err as { name?: string })?.name ?? ''
  if (/timeout/i.test(name)) return 'The cloud endpoint stopped sending mid-stream: no data in time.'
  return 'The cloud endpoint stopped sending mid-stream: the connection was lost.'
}
