import { Readable } from 'node:stream'
import { request } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFake } from '../../../shared/testing/fake-upstream.ts'
import { type RedactionHarness, redactionHarness } from './scrub-testing.ts'

let h: RedactionHarness
let handle: string
let person: string
let org: string
const ORG_VALUE = 'O"Brien \\ Partners'

beforeEach(async () => {
  h = await redactionHarness({ env: { BODY_LIMIT_BYTES: '4096' } })
  handle = h.store.create('t').handle
  person = h.store.tokenFor(handle, 'PERSON', 'Sarah Johnson')
  org = h.store.tokenFor(handle, 'ORG', ORG_VALUE)
})
afterEach(async () => {
  await h.close()
})

const enc = new TextEncoder()
type Json = Record<string, unknown>
const chunk = (choices: Json[]) => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices,
})
const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`
const content = (text: string, finish: string | null = null) =>
  event(chunk([{ index: 0, delta: { content: text }, finish_reason: finish }]))

/** A request body the test writes piece by piece; `cancelled` resolves when the route drops it. */
function controlledBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let cancelled!: () => void
  const wasCancelled = new Promise<void>((r) => (cancelled = r))
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c
    },
    cancel: () => cancelled(),
  })
  return {
    body,
    write: (text: string) => controller.enqueue(enc.encode(text)),
    end: () => controller.close(),
    wasCancelled,
  }
}

function post(body: BodyInit, type = 'text/event-stream', query = `?map_handle=${handle}`) {
  return h.app.request(`/rehydrate/stream${query}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
    duplex: 'half',
  } as RequestInit)
}

/** The stream sent in two pieces cut at `at`. */
function split(text: string, at: number): ReadableStream<Uint8Array> {
  const bytes = enc.encode(text)
  return new ReadableStream({
    start(c) {
      c.enqueue(bytes.slice(0, at))
      c.enqueue(bytes.slice(at))
      c.close()
    },
  })
}

function joined(out: string, pick: (delta: Json) => unknown): string {
  return out
    .split('\n\n')
    .map((e) => e.slice('data: '.length))
    .filter((d) => d.startsWith('{'))
    .flatMap((d) => (JSON.parse(d) as { choices: { delta: Json }[] }).choices.map((c) => pick(c.delta) ?? ''))
    .join('')
}

describe('POST /rehydrate/stream (SSE)', () => {
  it('gives the same restored stream whatever byte the body is split at around a placeholder', async () => {
    const stream = [
      content(''),
      content(`Dear ${person.slice(0, 4)}`),
      content(`${person.slice(4)}, from ${org}`),
      content('.', 'stop'),
      'data: [DONE]\n\n',
    ].join('')
    const whole = await (await post(stream)).text()
    expect(joined(whole, (d) => d.content)).toBe(`Dear Sarah Johnson, from ${ORG_VALUE}.`)
    expect(whole).toMatch(/data: \[DONE\]\n\n$/)
    const from = enc.encode(stream.slice(0, stream.indexOf('Dear'))).length
    const to = enc.encode(stream.slice(0, stream.indexOf('.'))).length + 40
    for (let at = from; at < to; at++) {
      const res = await post(split(stream, at))
      expect(res.status).toBe(200)
      expect(await res.text(), `split at byte ${at}`).toBe(whole)
    }
  })

  it('keeps tool-call arguments valid JSON after restoring a value with quotes and backslashes', async () => {
    const call = (args: string, extra: Json = {}) => ({ index: 0, ...extra, function: { arguments: args } })
    const stream = [
      event(chunk([{ index: 0, delta: { tool_calls: [call('{"org": "', { id: 'x', type: 'function' })] } }])),
      event(chunk([{ index: 0, delta: { tool_calls: [call(org.slice(0, 3))] } }])),
      event(chunk([{ index: 0, delta: { tool_calls: [call(`${org.slice(3)}", "n": 1}`)] } }])),
      event(chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }])),
    ].join('')
    const res = await post(stream)
    const args = joined(await res.text(), (d) =>
      (d.tool_calls as { function: { arguments: string } }[] | undefined)
        ?.map((c) => c.function.arguments)
        .join(''),
    )
    expect(JSON.parse(args)).toEqual({ org: ORG_VALUE, n: 1 })
  })

  it('answers while the body is still arriving, and stops reading it when the client goes', async () => {
    const source = controlledBody()
    const res = await post(source.body)
    const reader = res.body!.getReader()
    // An exact placeholder waits for the 16 characters after it (its surface context) before it is settled.
    source.write(content(`Hi ${person}! How are you today?`))
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(joined(first, (d) => d.content)).toBe('Hi Sarah Johnson! How are you today?')
    await reader.cancel()
    await source.wasCancelled
  })

  it('holds the body limit on a streamed body: the answer ends with an error event', async () => {
    const source = controlledBody()
    const res = await post(source.body)
    expect(res.status).toBe(200)
    for (let i = 0; i < 60; i++) source.write(content('x'.repeat(50)))
    const text = await res.text()
    expect(text).toMatch(
      /event: error\ndata: \{"error":\{"message":"Request body is larger than the limit of 4096 bytes\.".*"code":413\}\}\n\n$/,
    )
    await source.wasCancelled
  })
})

describe('POST /rehydrate/stream (plain text and refusals)', () => {
  it('streams plain text back restored, the handle in the header', async () => {
    const res = await h.app.request('/rehydrate/stream', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-redaction-map': handle },
      body: split(`To ${person} and ${person.toLowerCase()}`, 6),
      duplex: 'half',
    } as RequestInit)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await res.text()).toBe('To Sarah Johnson and Sarah Johnson')
  })

  it.each([
    ['an unknown handle', () => '?map_handle=nope', 'text/event-stream', 404, 'map_not_found'],
    ['no handle', () => '', 'text/event-stream', 400, 'bad_request'],
    ['another body type', () => `?map_handle=${handle}`, 'application/json', 415, 'unsupported_media_type'],
  ])('refuses %s before any byte', async (_, query, type, status, code) => {
    const res = await post(content(person), type, query())
    expect(res.status).toBe(status)
    expect(await res.json()).toMatchObject({ error: code })
  })

  it('refuses an expired map with 410', async () => {
    h.clock.now += 2 * 24 * 3600 * 1000
    const res = await post(content(person))
    expect(res.status).toBe(410)
    expect(await res.json()).toMatchObject({ error: 'map_expired' })
  })

  it('refuses a declared body over the limit at the door', async () => {
    const res = await h.app.request(`/rehydrate/stream?map_handle=${handle}`, {
      method: 'POST',
      headers: { 'content-type': 'text/event-stream', 'content-length': '5000' },
      body: 'x'.repeat(5000),
    })
    expect(res.status).toBe(413)
  })
})

describe('POST /rehydrate/stream over real HTTP', () => {
  it('streams both ways: the first restored event arrives before the request body ends', async () => {
    const server = await startFake(h.app as never)
    try {
      let sendRest!: () => void
      const rest = new Promise<void>((r) => (sendRest = r))
      async function* body() {
        yield enc.encode(content(`A ${person.slice(0, 5)}`))
        yield enc.encode(content(`${person.slice(5)} B, and a few more words`))
        await rest
        yield enc.encode(content('', 'stop'))
      }
      const res = await request(`${server.url}/rehydrate/stream?map_handle=${handle}`, {
        method: 'POST',
        headers: { 'content-type': 'text/event-stream' },
        body: Readable.from(body()),
      })
      expect(res.statusCode).toBe(200)
      let seen = ''
      for await (const piece of res.body) {
        seen += piece.toString()
        if (seen.includes('Sarah Johnson B')) sendRest()
      }
      expect(joined(seen, (d) => d.content)).toBe('A Sarah Johnson B, and a few more words')
    } finally {
      await server.close()
    }
  })
})
