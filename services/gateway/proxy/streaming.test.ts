/**
 * The proxy over real sockets: bytes must flow both ways as they are produced, and a client that
 * leaves must stop the backend's work.
 */
import { Readable } from 'node:stream'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { listen, rawRequest, readBody, sleep, startGateway } from '../testing/harness.ts'
import { trackServers } from '../testing/tracked.ts'

const track = trackServers()

describe('streaming proxy', () => {
  it('delivers each SSE event as the backend produces it', async () => {
    const sent: number[] = []
    const upstream = await track(
      listen(async (req, res) => {
        await readBody(req)
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
        for (let i = 0; i < 5; i++) {
          sent.push(Date.now())
          res.write(`data: {"n":${i}}\n\n`)
          await sleep(200)
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
    const received: Array<{ at: number; text: string }> = []
    for await (const chunk of res.body) received.push({ at: Date.now(), text: chunk.toString() })
    const lastSent = sent[sent.length - 1]!
    // The first event is in the client's hands while the backend still has four to send.
    expect(received[0]!.at).toBeLessThan(lastSent)
    expect(received[0]!.at - sent[0]!).toBeLessThan(150)
    expect(received.length).toBeGreaterThanOrEqual(5)
    expect(received.map((r) => r.text).join('')).toContain('data: [DONE]')
  })

  it('sends an event stream’s head before its first event', async () => {
    const upstream = await track(
      listen((req, res) => {
        req.resume()
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        res.flushHeaders()
        setTimeout(() => res.end('data: late\n\n'), 600)
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const started = Date.now()
    const res = await request(`${gw.url}/api/swap/job-1/stream`)
    // The client knows the stream is open while the backend has said nothing yet.
    expect(Date.now() - started).toBeLessThan(400)
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
    const upstream = await track(
      listen((req, res) => {
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
    await sleep(150)
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
        await sleep(150)
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
        if (sent === 0) await sleep(100)
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
        res.write('data: {"n":0}\n\n')
        setTimeout(() => res.socket?.destroy(), 100)
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
        res.write(Buffer.alloc(1000))
        setTimeout(() => res.socket?.destroy(), 100)
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
    await sleep(300)
    // The client has read one chunk; the backend is held back by backpressure, not buffered.
    expect(written).toBeLessThan(total / 2)
    let read = 0
    for await (const chunk of res.body) read += chunk.length
    expect(written).toBe(total)
    expect(read).toBeGreaterThan(total - 512 * 1024)
  })
})
