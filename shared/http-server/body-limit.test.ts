import { Readable } from 'node:stream'
import { Hono } from 'hono'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { type RunningServer, serve } from '../serve.ts'
import { limitBody } from './body-limit.ts'

const LIMIT = 64

function limitedApp() {
  const app = new Hono()
  app.use(limitBody({ maxSize: LIMIT, onError: (c) => c.json({ error: 'too large' }, 413) }))
  app.post('/echo', async (c) => c.json({ text: await c.req.text() }))
  app.get('/plain', (c) => c.json({ ok: true }))
  return app
}

/** A POST whose `body` getter records being asked: the limit must not need it when the length is declared. */
function watchedPost(body: string): { req: Request; touched: () => boolean } {
  const req = new Request('http://x/echo', {
    method: 'POST',
    body,
    headers: { 'content-length': String(body.length) },
  })
  const body$ = Object.getOwnPropertyDescriptor(Request.prototype, 'body')!.get!
  let touched = false
  Object.defineProperty(req, 'body', {
    get() {
      touched = true
      return body$.call(req)
    },
  })
  return { req, touched: () => touched }
}

describe('limitBody', () => {
  const app = limitedApp()

  it('refuses a declared length over the limit without reading the body', async () => {
    const { req, touched } = watchedPost('x'.repeat(LIMIT + 1))
    const res = await app.fetch(req)
    expect(res.status).toBe(413)
    expect(touched()).toBe(false)
  })

  it('lets a declared length within the limit through, body intact, without asking for the stream', async () => {
    const { req, touched } = watchedPost('y'.repeat(LIMIT))
    const limitOnly = new Hono()
    let reached = false
    limitOnly.use(limitBody({ maxSize: LIMIT, onError: (c) => c.json({}, 413) }))
    limitOnly.post('/echo', (c) => {
      reached = true
      return c.json({})
    })
    expect((await limitOnly.fetch(req)).status).toBe(200)
    expect(reached).toBe(true)
    expect(touched()).toBe(false)
    expect(await (await app.request('/echo', { method: 'POST', body: 'hello' })).json()).toEqual({
      text: 'hello',
    })
  })

  it('counts a body that declares no length (a Request built in-process) and refuses it over the limit', async () => {
    const res = await app.request('/echo', { method: 'POST', body: 'x'.repeat(LIMIT + 1) })
    expect(res.status).toBe(413)
  })

  it('passes a request with no body headers (a GET) straight on', async () => {
    expect((await app.request('/plain')).status).toBe(200)
  })
})

describe('limitBody on a real server, chunked bodies', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await serve({
      fetch: limitedApp().fetch,
      port: 0,
      hostname: '127.0.0.1',
      logger: silentLogger(),
      lifecycle: new AbortController(),
    })
  })
  afterAll(() => server.close())

  /** Sends `parts` as a chunked body (no Content-Length), so only counting can judge it. */
  async function chunked(parts: string[]) {
    const body = Readable.from(parts.map((part) => Buffer.from(part)))
    const res = await request(`http://127.0.0.1:${server.port}/echo`, { method: 'POST', body })
    return { status: res.statusCode, body: await res.body.text() }
  }

  it('counts a chunked body and refuses it once it passes the limit', async () => {
    expect((await chunked(['a'.repeat(40), 'b'.repeat(40)])).status).toBe(413)
  })

  it('takes a chunked body within the limit, and the route reads all of it', async () => {
    const res = await chunked(['a'.repeat(30), 'b'.repeat(30)])
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ text: `${'a'.repeat(30)}${'b'.repeat(30)}` })
  })

  it('refuses a declared length over the limit', async () => {
    const res = await request(`http://127.0.0.1:${server.port}/echo`, {
      method: 'POST',
      body: 'z'.repeat(LIMIT + 1),
    })
    expect(res.statusCode).toBe(413)
    await res.body.dump()
  })
})
