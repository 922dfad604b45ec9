/**
 * Hostile and malformed input at every route the stack publishes (from the merged OpenAPI
 * document) and at the earlier version's routes: no 500s, no crashes, always a parseable error body.
 */
import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'

const fixture = useDemo({ name: 'fuzz' })

const HOSTILE = [
  '../../etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc',
  "x';rm -rf /;'",
  '$(touch /tmp/pwned)',
  '`id`',
  'a\nb',
  '%00',
  'ünïcødé-名前',
  'x'.repeat(5000),
]
const BODIES: Array<[string, string]> = [
  ['application/json', '{"broken": '],
  ['application/json', '[]'],
  ['application/json', 'null'],
  ['application/json', JSON.stringify({ model: { $ne: 1 }, input: Array(50).fill('x'), n: -1 })],
  ['text/plain', 'just text'],
  ['application/x-www-form-urlencoded', 'a=1&b=%ZZ'],
  ['multipart/form-data; boundary=zzz', '--zzz\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc'],
]
/** Routes of the earlier version, whether implemented yet or not: they must never 500. */
const EARLIER = [
  ['GET', '/api/status'],
  ['GET', '/api/endpoints'],
  ['GET', '/api/services'],
  ['POST', '/api/health-event'],
  ['GET', '/api/models'],
  ['POST', '/api/swap'],
  ['GET', '/api/swap/lock'],
  ['POST', '/api/swap/lock'],
  ['GET', '/api/schedule'],
  ['POST', '/v1/chat/completions'],
  ['POST', '/v1/completions'],
  ['POST', '/v1/audio/transcriptions'],
  ['POST', '/v1/audio/speech'],
  ['POST', '/api/audio/label-merge'],
  ['POST', '/v1/embeddings'],
  ['POST', '/v1/rerank'],
  ['POST', '/api/search'],
  ['POST', '/scrub'],
  ['POST', '/rehydrate'],
]

/** 5xx a client may see: a route not built yet (501, it says so) and upstream trouble (502–504). */
const UPSTREAM_STATUSES = new Set([501, 502, 503, 504])

async function probe(method: string, path: string, init: RequestInit = {}) {
  const res = await fetch(fixture.url(path), { method, ...init, signal: AbortSignal.timeout(15_000) })
  // Live streams (logs, telemetry) never end by design: an accepted stream is an answer.
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    await res.body?.cancel()
    return {
      status: res.status,
      text: '',
      retryAfter: res.headers.get('retry-after'),
      type: 'text/event-stream',
    }
  }
  const text = await res.text()
  return {
    status: res.status,
    text,
    retryAfter: res.headers.get('retry-after'),
    type: res.headers.get('content-type'),
  }
}

function expectHandled(r: Awaited<ReturnType<typeof probe>>, what: string) {
  expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 200)}`).toBeLessThan(600)
  if (r.status >= 500)
    expect(UPSTREAM_STATUSES.has(r.status), `${what} → ${r.status} ${r.text.slice(0, 200)}`).toBe(true)
  if (r.status === 503) expect(r.retryAfter, `${what} 503 without Retry-After`).not.toBeNull()
  if (r.status >= 400 && r.type?.includes('json')) expect(() => JSON.parse(r.text), what).not.toThrow()
}

describe('fuzzing every route', () => {
  it('published routes survive hostile path parameters, queries and bodies', async () => {
    const doc = await (await fetch(fixture.url('/openapi.json'))).json()
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path] as const),
    )
    expect(routes.length).toBeGreaterThan(3)
    for (const [method, template] of routes) {
      for (const value of HOSTILE) {
        const path = template.replace(/\{[^}]+\}/g, encodeURIComponent(value))
        expectHandled(await probe(method, path), `${method} ${path.slice(0, 60)}`)
        expectHandled(
          await probe(
            method,
            `${template.replace(/\{[^}]+\}/g, 'x')}?${encodeURIComponent(value)}=${encodeURIComponent(value)}`,
          ),
          `${method} ${template} query`,
        )
      }
      for (const [type, body] of BODIES) {
        if (method === 'GET') continue
        expectHandled(
          await probe(method, template, { body, headers: { 'content-type': type } }),
          `${method} ${template} ${type}`,
        )
      }
    }
  }, 120_000)

  it('earlier-version routes never answer 500, whatever they are sent', async () => {
    for (const [method, path] of EARLIER) {
      for (const [type, body] of BODIES) {
        const init = method === 'GET' ? {} : { body, headers: { 'content-type': type } }
        expectHandled(await probe(method!, path!, init), `${method} ${path} ${type}`)
      }
    }
  }, 120_000)

  it('hostile headers and oversized bodies are refused cleanly', async () => {
    const hostileId = await probe('GET', '/api/status', {
      headers: { 'x-request-id': "'; DROP TABLE x; --" },
    })
    expect(hostileId.status).toBe(200)
    const huge = await probe('POST', '/api/swap', {
      body: 'x'.repeat(11 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
    })
    expect(huge.status).toBe(413)
    const cross = await probe('POST', '/api/swap', {
      body: '{}',
      headers: { origin: 'http://elsewhere.example', 'content-type': 'application/json' },
    })
    expect(cross.status).toBe(403)
    expect(JSON.parse(cross.text).detail).toMatch(/cross-site/i)
  })

  it('every service is still alive afterwards', async () => {
    for (const service of Object.values(fixture.demo().stack.services)) {
      expect(service.process.exitCode, `${service.name} exited`).toBeNull()
      expect((await fetch(`${service.url}/health`)).status).toBe(200)
    }
  })
})
