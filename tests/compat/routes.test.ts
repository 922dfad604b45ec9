/**
 * Every path the gateway routes to a backend either reaches a real handler or answers 501 saying
 * what is not built yet — never a 404 that reads as a wrong URL. Derived from the route table and
 * the services' capability declarations, so a new routed prefix without a handler or a plan fails
 * here. The earlier routes that are not built yet keep their earlier error style.
 */
import { describe, expect, it } from 'vitest'
import { MONITOR_CAPABILITIES } from '../../services/connectivity-monitor/capabilities.ts'
import { resolveRoute, routedPaths } from '../../services/gateway/domain/route-table.ts'
import { REDACTION_CAPABILITIES } from '../../services/redaction-gateway/capabilities.ts'
import { SPEECH_CAPABILITIES } from '../../services/speech-proxy/capabilities.ts'
import { SWAP_CONTROLLER_CAPABILITIES } from '../../services/swap-controller/capabilities.ts'
import { VECTOR_CAPABILITIES } from '../../services/vector-search/capabilities.ts'
import { samplePath, splitRoute } from '../../shared/capabilities.ts'
import { errorStyleFor } from '../../shared/errors.ts'
import { compatTarget } from './target.ts'

const target = compatTarget('routes')

const DECLARED = [
  ...SWAP_CONTROLLER_CAPABILITIES,
  ...SPEECH_CAPABILITIES,
  ...VECTOR_CAPABILITIES,
  ...REDACTION_CAPABILITIES,
  ...MONITOR_CAPABILITIES,
]

interface Probe {
  method: string
  path: string
}

/** A request for each route: `ALL` is tried as POST; parameters and wildcards are filled in. */
function probeOf(route: string): Probe {
  const { method, path } = splitRoute(route as `GET /${string}`)
  return { method: method === 'ALL' ? 'POST' : method, path: samplePath(path) }
}

const onEntry = (pattern: string) => (p: Probe) => resolveRoute(p.path)?.pattern === pattern

/** Every planned route that lands on table entry `pattern`. */
const plannedFor = (pattern: string) =>
  DECLARED.flatMap((c) => c.planned as readonly string[])
    .map(probeOf)
    .filter(onEntry(pattern))

/**
 * Built routes read without side effects: the GETs without parameters; where an entry has none
 * (`/v1/chat/completions`), a GET on its other routes, which a real handler refuses with 405.
 */
function builtFor(pattern: string): Probe[] {
  const built = DECLARED.flatMap((c) => c.built as readonly string[])
    .filter((r) => !/[:*]/.test(r))
    .map(probeOf)
    .filter(onEntry(pattern))
  const reads = built.filter((p) => p.method === 'GET')
  return reads.length > 0 ? reads : built.map((p) => ({ method: 'GET', path: p.path }))
}

const send = (p: Probe) =>
  fetch(target.url(p.path), {
    method: p.method,
    headers: p.method === 'GET' ? {} : { 'content-type': 'application/json' },
    body: p.method === 'GET' ? undefined : '{}',
  })

describe('every routed path reaches a handler or says it is not built yet', () => {
  const entries = routedPaths()

  it('has, for every route-table entry, a built route or a planned one', () => {
    const uncovered = entries
      .map((e) => e.route.pattern)
      .filter((p) => builtFor(p).length + plannedFor(p).length === 0)
    expect(uncovered).toEqual([])
  })

  it.each(entries.map((e) => [e.route.pattern, e.route.service]))(
    '%s (%s): no 404 through the gateway',
    async (pattern) => {
      for (const probe of plannedFor(pattern)) {
        const res = await send(probe)
        const where = `${probe.method} ${probe.path}`
        expect(res.status, where).toBe(501)
        const body = await res.json()
        const message = {
          openai: body.error?.message,
          detail: body.detail,
          code: body.detail,
          problem: body.detail,
        }[errorStyleFor(probe.path)]
        expect(message, where).toMatch(/ is not built yet in this version of Spark Control\.$/)
      }
      for (const probe of builtFor(pattern)) {
        const res = await send(probe)
        await res.body?.cancel()
        expect([404, 501], `${probe.method} ${probe.path}`).not.toContain(res.status)
      }
    },
  )
})

describe('earlier routes keep the earlier error shape', () => {
  it('answers a refused /v1/embeddings in the OpenAI envelope, so SDKs show the message', async () => {
    const res = await send({ method: 'POST', path: '/v1/embeddings' })
    expect(res.status).toBe(422)
    expect((await res.json()).error).toMatchObject({
      message: expect.stringContaining('input'),
      type: 'invalid_request_error',
    })
  })

  it('answers /api/services* and /api/nim/* errors with {"detail": …}', async () => {
    const unknown = await send({ method: 'POST', path: '/api/services/nosuch/restart' })
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get('content-type')).toContain('application/json')
    expect(typeof (await unknown.json()).detail).toBe('string')
    // An empty body lacks the image: FastAPI's validation list.
    const nim = await send({ method: 'POST', path: '/api/nim/install' })
    expect(nim.status).toBe(422)
    expect((await nim.json()).detail).toEqual([expect.objectContaining({ loc: ['body', 'image'] })])
  })
})
