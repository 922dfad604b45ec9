/**
 * No way around the gateway: every service of the demo, reached directly on its own port, refuses a
 * data route and a mutation without the installation's proof (401, in the path's error style), while
 * the same requests through the gateway reach the route. Routes come from each service's own
 * /openapi.json, not from a hand list. /health and /ready stay open for container health checks.
 */
import { describe, expect, it } from 'vitest'
import { errorStyleFor } from '../../shared/errors.ts'
import { BACKEND_SERVICES } from '../../shared/topology.ts'
import { useDemo } from '../support/demo.ts'
import { internalProver, provenFetch } from '../support/internal-proof.ts'

const fixture = useDemo({ name: 'no-back-door' })

interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, unknown> }
}
type OpenApi = { paths: Record<string, Record<string, Operation>> }

const OPEN_OR_KIT = new Set(['/health', '/ready', '/metrics', '/openapi.json'])
/** Long-lived answers (event streams, log tails): a status is all this test wants, not a stream to end. */
const STREAMING = /stream|events|logs|watch/

/** A data route (a GET with no path parameter) and a mutation whose JSON body is required. */
function pickRoutes(doc: OpenApi): { data: string; mutation: { method: string; path: string } } {
  const routes = Object.entries(doc.paths).filter(([path]) => !OPEN_OR_KIT.has(path))
  const data = routes.find(([path, ops]) => ops.get && !path.includes('{') && !STREAMING.test(path))?.[0]
  let mutation: { method: string; path: string } | undefined
  for (const [path, ops] of routes) {
    for (const method of ['post', 'put', 'patch', 'delete']) {
      const body = ops[method]?.requestBody
      if (!mutation && body?.required && body.content?.['application/json'] && !path.includes('{'))
        mutation = { method: method.toUpperCase(), path }
    }
  }
  if (!data || !mutation) throw new Error(`no data route or mutation in ${Object.keys(doc.paths).join(', ')}`)
  return { data, mutation }
}

/** Which of shared/errors.ts's body styles an answer is in. */
function styleOf(res: Response, body: Record<string, unknown>): string {
  if (res.headers.get('content-type')?.startsWith('application/problem+json')) return 'problem'
  if (typeof body.error === 'object') return 'openai'
  if (typeof body.error === 'string') return 'code'
  return typeof body.detail === 'string' ? 'detail' : 'unknown'
}

describe('no back door around the gateway', () => {
  it.each(BACKEND_SERVICES)('%s refuses a data route and a mutation reached directly', async (service) => {
    const demo = fixture.demo()
    const direct = demo.stack.url(service)
    const proven = provenFetch(internalProver(demo.stack))
    const doc = (await (await proven(`${direct}/openapi.json`)).json()) as OpenApi
    const { data, mutation } = pickRoutes(doc)
    // An array where an object is expected: the route is reached and refuses it, nothing changes.
    const wrongBody = { body: '[]', headers: { 'content-type': 'application/json' } }
    const requests: Array<[string, RequestInit]> = [
      [data, { method: 'GET' }],
      [mutation.path, { method: mutation.method, ...wrongBody }],
    ]
    for (const [path, init] of requests) {
      const refused = await fetch(`${direct}${path}`, {
        ...init,
        headers: { ...init.headers, 'x-spark-actor': 'me' },
      })
      const body = (await refused.json()) as Record<string, unknown>
      expect(refused.status, `${init.method} ${path} direct`).toBe(401)
      expect(styleOf(refused, body), `${init.method} ${path}`).toBe(errorStyleFor(path))
      expect(JSON.stringify(body)).not.toMatch(/[0-9a-f]{64}/)

      const forged = await fetch(`${direct}${path}`, {
        ...init,
        headers: { ...init.headers, 'x-spark-internal': `v1.0.AAAAAAAAAAAAAAAA.${'A'.repeat(43)}` },
      })
      expect(forged.status, `${init.method} ${path} forged`).toBe(401)
      await forged.body?.cancel()

      const allowed = await proven(`${direct}${path}`, init)
      expect(allowed.status, `${init.method} ${path} with the proof`).not.toBe(401)
      await allowed.body?.cancel()

      // Through the gateway the route answers as it does to a proven direct call (a 200 read, a 422 body).
      const through = await fetch(fixture.url(path), init)
      expect(through.status, `${init.method} ${path} through the gateway`).toBe(allowed.status)
      expect(through.status, `${init.method} ${path} through the gateway`).toBeLessThan(500)
      await through.body?.cancel()
    }
    for (const open of ['/health', '/ready']) expect((await fetch(`${direct}${open}`)).status).not.toBe(401)
  })

  it('every service answers the gateway as before: the status, the models, a chat', async () => {
    const status = await fetch(fixture.url('/api/status'))
    expect(status.status).toBe(200)
    expect(await status.json()).toMatchObject({ overall: 'ok' })
    const models = await fetch(fixture.url('/v1/models'))
    expect(models.status).toBe(200)
  })
})
