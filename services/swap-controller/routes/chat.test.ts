import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { createReadiness } from '../../../shared/readiness.ts'
import { createService } from '../../../shared/service.ts'
import { createVllmProxy } from '../adapters/vllm-proxy.ts'
import { createInflight } from '../domain/chat/inflight.ts'
import { type ChatRouteDeps, chatRoutes } from './chat.ts'

/** A fake vLLM whose behaviour each test picks by the prompt it sends. */
interface Seen {
  body: string
  requestId: string | undefined
  closed: boolean
}
const seen: Seen[] = []
let gate: { open: () => void; wait: Promise<void> }
const newGate = () => {
  let open: () => void = () => undefined
  const wait = new Promise<void>((r) => (open = r))
  gate = { open, wait }
}
const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`

async function serve(req: IncomingMessage, res: ServerResponse) {
  if (req.method === 'GET' && req.url === '/v1/models') {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ object: 'list', data: [{ id: 'qwen' }] }))
    return
  }
  let body = ''
  for await (const c of req) body += c
  const entry: Seen = { body, requestId: req.headers['x-request-id'] as string | undefined, closed: false }
  seen.push(entry)
  res.on('close', () => (entry.closed = !res.writableFinished))
  const prompt = String(JSON.parse(body).prompt ?? '')
  if (prompt === 'refuse') {
    res.writeHead(400, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        object: 'error',
        message: 'max_tokens is too large',
        type: 'BadRequestError',
        code: 400,
      }),
    )
    return
  }
  if (!JSON.parse(body).stream) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        id: 'cmpl-1',
        choices: [{ text: 'hi' }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      }),
    )
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  const first = sse({ choices: [{ text: 'one' }] })
  // Dies once its first chunk has left: the client gets it, then the break.
  if (prompt === 'die') return void res.write(first, () => res.destroy())
  res.write(first)
  await gate.wait
  if (res.destroyed) return
  res.write(sse({ choices: [{ text: 'two' }] }))
  res.end('data: [DONE]\n\n')
}

let server: Server
let baseUrl: string
let deadUrl: string
beforeAll(async () => {
  server = createServer((req, res) => void serve(req, res))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const dead = createServer()
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r))
  deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`
  await new Promise((r) => dead.close(r))
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

function setup(over: Partial<ChatRouteDeps> & { url?: string } = {}) {
  const inflight = createInflight()
  const app = createService({
    name: 'swap-controller',
    logger: silentLogger(),
    readiness: createReadiness({ service: 'swap-controller', checks: [] }),
  })
  const proxy = createVllmProxy({ baseUrl: over.url ?? baseUrl, timeoutMs: 5000 })
  app.route(
    '/',
    chatRoutes({
      proxy,
      inflight,
      loadedModels: async () => ['qwen'],
      waitDuringSwapMs: 2000,
      pollMs: 20,
      ...over,
    }),
  )
  return { app, inflight }
}
const post = (app: ReturnType<typeof setup>['app'], body: unknown, init: RequestInit = {}) =>
  app.request(
    new Request('http://x/v1/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-chat-1' },
      body: JSON.stringify(body),
      ...init,
    }),
  )

describe('chat proxy passthrough', () => {
  it('forwards the body verbatim with the request id, and passes usage back', async () => {
    const { app, inflight } = setup()
    const body = { model: 'qwen', prompt: 'x', max_tokens: 1, extra_vllm_field: { a: [1, 2] } }
    const res = await post(app, body)
    expect(res.status).toBe(200)
    expect((await res.json()).usage).toEqual({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 })
    expect(seen.at(-1)).toMatchObject({ body: JSON.stringify(body), requestId: 'req-chat-1' })
    expect(res.headers.get('x-request-id')).toBe('req-chat-1')
    expect(inflight.count).toBe(0)
  })

  it('streams SSE chunk by chunk, counted in flight until the end', async () => {
    newGate()
    const { app, inflight } = setup()
    const res = await post(app, { prompt: 'stream', stream: true })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    // vLLM has not finished (the gate is shut), yet the first chunk is already here.
    expect(first).toContain('"one"')
    expect(inflight.count).toBe(1)
    gate.open()
    let rest = ''
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value)
    expect(rest).toContain('"two"')
    expect(rest).toContain('data: [DONE]')
    expect(inflight.count).toBe(0)
  })

  it('propagates a client abort to vLLM', async () => {
    newGate()
    const { app, inflight } = setup()
    const ac = new AbortController()
    const res = await post(app, { prompt: 'stream', stream: true }, { signal: ac.signal })
    const reader = res.body!.getReader()
    await reader.read()
    const upstream = seen.at(-1)!
    ac.abort()
    await reader.cancel().catch(() => undefined)
    await expect.poll(() => upstream.closed, { timeout: 2000 }).toBe(true)
    expect(inflight.count).toBe(0)
    gate.open()
  })

  it('turns an upstream non-200 while streaming into one SSE error event', async () => {
    const { app } = setup()
    const res = await post(app, { prompt: 'refuse', stream: true })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const text = await res.text()
    expect(text.match(/^event: error$/gm)).toHaveLength(1)
    expect(text).toContain('max_tokens is too large')
    // Not streaming: vLLM's own status and body.
    const plain = await post(app, { prompt: 'refuse' })
    expect(plain.status).toBe(400)
    expect((await plain.json()).message).toBe('max_tokens is too large')
  })

  it('ends a stream that dies mid-way with one SSE error event', async () => {
    const { app, inflight } = setup()
    const res = await post(app, { prompt: 'die', stream: true })
    const text = await res.text()
    expect(text).toContain('"one"')
    expect(text.match(/^event: error$/gm)).toHaveLength(1)
    expect(text).toContain('vLLM stopped mid-stream')
    expect(inflight.count).toBe(0)
  })

  it('answers 502 {"detail": "vllm unreachable"} when vLLM refuses the connection', async () => {
    const { app, inflight } = setup({ url: deadUrl })
    for (const stream of [false, true]) {
      const res = await post(app, { prompt: 'x', stream })
      expect(res.status).toBe(502)
      expect(await res.json()).toEqual({ detail: 'vllm unreachable' })
    }
    expect(inflight.count).toBe(0)
    expect((await app.request('/v1/models')).status).toBe(502)
  })

  it('answers 503 + Retry-After "the model is loading" while vLLM starts (container up, port closed, no swap)', async () => {
    const refused = new AppError(502, 'upstream_unreachable', 'vllm unreachable', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    })
    const running = { value: true }
    const { app, inflight } = setup({
      url: deadUrl,
      loadedModels: () => Promise.reject(refused),
      vllmContainerRunning: async () => running.value,
      loadingRetryAfterS: 20,
    })
    const res = await post(app, { model: 'qwen', prompt: 'x' })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('20')
    expect(await res.json()).toMatchObject({
      error: { code: 'model_loading', message: expect.stringContaining('loading') },
    })
    expect(inflight.count).toBe(0)
    // No container: nothing is starting, and the earlier 502 stays.
    running.value = false
    const gone = await post(app, { model: 'qwen', prompt: 'x' })
    expect(gone.status).toBe(502)
    expect(await gone.json()).toEqual({ detail: 'vllm unreachable' })
  })

  it("serves vLLM's /v1/models", async () => {
    const { app } = setup()
    const res = await app.request('/v1/models')
    expect(await res.json()).toEqual({ object: 'list', data: [{ id: 'qwen' }] })
  })
})
