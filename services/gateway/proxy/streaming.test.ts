/**
 * The proxy over real sockets: bytes must flow both ways as they are produced, and a client that
 * leaves must stop the backend's work.
 */
import { Readable } from 'node:stream'
import { request } from 'undici'
import { describe, expect, it, vi } from 'vitest'
import { deferred } from '../../../shared/testing/deferred.ts'
import { listen, rawRequest, readBody, startGateway } from '../testing/harness.ts'
import { trackServers } from '../testing/tracked.ts'

const track = trackServers()

/** Resolves once `check` holds: a bounded wait on something the test cannot be told about directly. */
const until = (check: () => boolean, what: string) =>
  vi.waitFor(
    () => {
      if (!check()) throw new Error(`still waiting: ${what}`)
    },
    { timeout: 5000, interval: 5 },
  )

describe('streaming proxy', () => {
  it('delivers each SSE event as the backend produces it', async () => {
    // The backend writes the next event only once the client holds the previous one: a proxy that
    // held events back would stall here.
    let received = ''
    const events = () => received.split('data: {"n":').length - 1
    const upstream = await track(
      listen(async (req, res) => {
        await readBody(req)
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
        for (let i = 0; i < 5; i++) {
          res.write(`data: {"n":${i}}\n\n`)
          await until(() => events() > i, `the client to receive event ${i}`)
        }
        res.end('data: [DONE]\n\n')
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const res = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true }),
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream')
    expect(res.headers['content-length']).toBeUndefined()
    let chunks = 0
    for await (const chunk of res.body) {
      chunks++
      received += chunk.toString()
    }
    expect(events()).toBe(5)
    expect(chunks).toBeGreaterThanOrEqual(5)
    expect(received).toContain('data: [DONE]')
  })

  it('sends an event stream’s head before its first event', async () => {
    const headArrived = deferred()
    const upstream = await track(
      listen(async (req, res) => {
        req.resume()
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        res.flushHeaders()
        // The first event only once the client has the head.
        await headArrived.promise
        res.end('data: late\n\n')
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    // The client knows the stream is open while the backend has said nothing yet (else: no head within 2 s).
    const res = await request(`${gw.url}/api/swap/job-1/stream`, { headersTimeout: 2000 })
    headArrived.resolve()
    expect(await res.body.text()).toBe('data: late\n\n')
  })

  it('aborts the backend stream soon after the client goes away', async () => {
    let closedAt = 0
    let finished = false
    const upstream = await track(
      listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        const timer = setInterval(() => res.write('data: tick\n\n'), 200)
        res.write('data: first\n\n')
        res.on('close', () => {
          clearInterval(timer)
          closedAt = Date.now()
          finished = res.writableFinished
        })
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const controller = new AbortController()
    const res = await request(`${gw.url}/api/swap/job-1/stream`, { signal: controller.signal })
    const iterator = res.body[Symbol.asyncIterator]()
    const first = await iterator.next()
    expect(String(first.value)).toContain('data: first')
    const abortedAt = Date.now()
    controller.abort()
    await expect.poll(() => closedAt, { timeout: 2000, interval: 20 }).toBeGreaterThan(0)
    expect(closedAt - abortedAt).toBeLessThan(1000)
    expect(finished).toBe(false)
  })

  it('aborts the backend request when the client leaves before any answer', async () => {
    let backendSawClose = 0
    const arrived = deferred()
    const upstream = await track(
      listen((req, res) => {
        arrived.resolve()
        req.resume()
        // Like a long completion: nothing is sent for a while.
        res.on('close', () => {
          backendSawClose = Date.now()
        })
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const controller = new AbortController()
    const pending = request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{"model":"m"}',
      headers: { 'content-type': 'application/json' },
      signal: controller.signal,
    }).catch((err: Error) => err)
    await arrived.promise
    const abortedAt = Date.now()
    controller.abort()
    expect(await pending).toBeInstanceOf(Error)
    await expect.poll(() => backendSawClose, { timeout: 2000, interval: 20 }).toBeGreaterThan(0)
    expect(backendSawClose - abortedAt).toBeLessThan(1000)
  })

  it('streams a chunked request body to the backend as it is sent', async () => {
    let firstByteAt = 0
    let received = 0
    let framing = ''
    const upstream = await track(
      listen(async (req, res) => {
        framing = `${req.headers['transfer-encoding'] ?? ''}|${req.headers['content-length'] ?? ''}`
        for await (const chunk of req) {
          if (!firstByteAt) firstByteAt = Date.now()
          received += (chunk as Buffer).length
        }
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ received }))
      }),
    )
    const gw = await track(startGateway({ 'vector-search': upstream.url }))
    let lastSentAt = 0
    async function* slowBody() {
      for (let i = 0; i < 4; i++) {
        yield Buffer.alloc(16 * 1024, i)
        // The next part only once the backend has this one: a proxy that collected the body first would stall.
        await until(() => received >= (i + 1) * 16 * 1024, `the backend to receive part ${i}`)
      }
      lastSentAt = Date.now()
    }
    const res = await request(`${gw.url}/api/search/collections/docs/documents`, {
      method: 'POST',
      body: Readable.from(slowBody()),
    })
    expect(res.statusCode).toBe(200)
    expect(await res.body.json()).toEqual({ received: 64 * 1024 })
    expect(framing).toBe('chunked|')
    expect(firstByteAt).toBeGreaterThan(0)
    expect(firstByteAt).toBeLessThan(lastSentAt)
  })

  it('streams a large multipart upload through without holding it', async () => {
    const total = 24 * 1024 * 1024
    let firstByteAt = 0
    let received = 0
    let contentType = ''
    const upstream = await track(
      listen(async (req, res) => {
        contentType = String(req.headers['content-type'])
        for await (const chunk of req) {
          if (!firstByteAt) firstByteAt = Date.now()
          received += (chunk as Buffer).length
        }
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ text: 'hello' }))
      }),
    )
    const gw = await track(startGateway({ 'speech-proxy': upstream.url }))
    const boundary = 'spark-test-boundary'
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    )
    const tail = Buffer.from(
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--${boundary}--\r\n`,
    )
    const length = head.length + total + tail.length
    let lastSentAt = 0
    async function* upload() {
      yield head
      for (let sent = 0; sent < total; sent += 1024 * 1024) {
        yield Buffer.alloc(1024 * 1024, 7)
        // The rest only once the backend has the first bytes: the upload is not held back whole.
        if (sent === 0) await until(() => firstByteAt > 0, 'the first bytes at the backend')
      }
      yield tail
      lastSentAt = Date.now()
    }
    const res = await request(`${gw.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(length),
      },
      body: Readable.from(upload()),
    })
    expect(res.statusCode).toBe(200)
    expect(await res.body.json()).toEqual({ text: 'hello' })
    expect(received).toBe(length)
    expect(contentType).toBe(`multipart/form-data; boundary=${boundary}`)
    expect(firstByteAt).toBeLessThan(lastSentAt)
  })

  it('ends a broken event stream with one SSE error event', async () => {
    const upstream = await track(
      listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        // Broken once the first event has left: the client gets it, then the break.
        res.write('data: {"n":0}\n\n', () => res.socket?.destroy())
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const res = await rawRequest(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' })
    expect(res.status).toBe(200)
    expect(res.body).toContain('data: {"n":0}')
    expect(res.body).toMatch(
      /event: error\ndata: \{"error":\{"message":"swap-controller (failed|is not reachable)/,
    )
  })

  it('cuts the client connection when a plain stream breaks, and says so in the log', async () => {
    const upstream = await track(
      listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'audio/wav' })
        res.write(Buffer.alloc(1000), () => res.socket?.destroy())
      }),
    )
    const broken: string[] = []
    const gw = await track(
      startGateway(
        { 'speech-proxy': upstream.url },
        {
          onBrokenStream: (i) => broken.push(`${i.service} ${i.reason}`),
        },
      ),
    )
    const res = await request(`${gw.url}/v1/audio/speech`, { method: 'POST', body: '{}' })
    let received = 0
    // A clean end would pass a truncated file off as complete; the client must see a failure.
    await expect(async () => {
      for await (const chunk of res.body) received += chunk.length
    }).rejects.toThrow()
    expect(received).toBe(1000)
    expect(broken).toEqual([expect.stringMatching(/^speech-proxy /)])
  })

  it('keeps bounded memory while a slow client reads a large download', async () => {
    const total = 32 * 1024 * 1024
    let written = 0
    const upstream = await track(
      listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'audio/wav' })
        const chunk = Buffer.alloc(256 * 1024, 1)
        const pump = () => {
          while (written < total) {
            written += chunk.length
            if (!res.write(chunk)) return void res.once('drain', pump)
          }
          res.end()
        }
        pump()
      }),
    )
    const gw = await track(startGateway({ 'speech-proxy': upstream.url }))
    const res = await request(`${gw.url}/v1/audio/speech`, { method: 'POST', body: '{"input":"hi"}' })
    const iterator = res.body[Symbol.asyncIterator]()
    await iterator.next()
    // The client has read one chunk; the backend writes until backpressure holds it (two readings
    // 50 ms apart agree), and what it got out is bounded, not the whole download buffered.
    let last = -1
    await vi.waitFor(
      () => {
        const [before, now] = [last, written]
        last = now
        if (now !== before) throw new Error(`the backend is still writing (${now} bytes)`)
      },
      { timeout: 5000, interval: 50 },
    )
    expect(written).toBeLessThan(total / 2)
    let read = 0
    for await (const chunk of res.body) read += chunk.length
    expect(written).toBe(total)
    expect(read).toBeGreaterThan(total - 512 * 1024)
  })
})
