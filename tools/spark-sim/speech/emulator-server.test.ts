import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startBgeM3 } from '../embeddings/bge-m3.ts'
import type { EmulatorHandle } from './emulator-server.ts'
import { startKokoro } from './kokoro.ts'
import { startParakeet } from './parakeet.ts'

const started: EmulatorHandle[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()))
})

async function bge(options: { queueLimit?: number } = {}) {
  const s = await startBgeM3({ host: '127.0.0.1', port: 0, ...options })
  started.push(s)
  return s
}

const embed = (s: EmulatorHandle, input = 'hello') =>
  fetch(`${s.url}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  })

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = Date.now()
  const out = await work()
  return [out, Date.now() - t0]
}

describe('emulator modes', () => {
  it('ok: answers fast and counts requests per path', async () => {
    const s = await bge()
    expect(s.mode()).toBe('ok')
    const [res, ms] = await timed(() => fetch(`${s.url}/health`))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-spark-sim')).toBe('bge-m3 (simulated)')
    expect(ms).toBeLessThan(500)
    await embed(s)
    await embed(s)
    expect(s.requestCount('/health')).toBe(1)
    expect(s.requestCount('/v1/embeddings')).toBe(2)
    expect(s.requestCount()).toBe(3)
  })

  it('slow: adds the latency to every request, /health included', async () => {
    const s = await bge()
    await s.setMode('slow', { latencyMs: 400 })
    const [health, healthMs] = await timed(() => fetch(`${s.url}/health`))
    expect(health.status).toBe(200)
    expect(healthMs).toBeGreaterThanOrEqual(390)
    const [, workMs] = await timed(() => embed(s))
    expect(workMs).toBeGreaterThanOrEqual(390)
    await s.setMode('ok')
    const [, fastMs] = await timed(() => fetch(`${s.url}/health`))
    expect(fastMs).toBeLessThan(300)
  })

  it('busy: serves one request at a time and answers /health only after ~3 s while one runs', async () => {
    const s = await bge()
    await s.setMode('busy', { holdMs: 400 })
    const t0 = Date.now()
    const finished: number[] = []
    const work = [0, 1, 2].map((i) =>
      embed(s, `text ${i}`).then((r) => {
        finished.push(Date.now() - t0)
        return r.status
      }),
    )
    // Ask for /health once the first request holds the GPU.
    await expect.poll(() => s.requestCount('/v1/embeddings')).toBeGreaterThan(0)
    const [health, healthMs] = await timed(() => fetch(`${s.url}/health`))
    expect(await Promise.all(work)).toEqual([200, 200, 200])
    finished.sort((a, b) => a - b)
    // Serialised: each finishes a hold after the previous one.
    expect(finished[1]! - finished[0]!).toBeGreaterThanOrEqual(350)
    expect(finished[2]! - finished[1]!).toBeGreaterThanOrEqual(350)
    expect(health.status).toBe(200)
    expect(healthMs).toBeGreaterThanOrEqual(2900)
    const [, idleMs] = await timed(() => fetch(`${s.url}/health`))
    expect(idleMs).toBeLessThan(500)
  })

  it('bounds the queue: requests beyond it get 503 with Retry-After', async () => {
    const s = await bge({ queueLimit: 2 })
    await s.setMode('busy', { holdMs: 600 })
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => embed(s, `q ${i}`)))
    const statuses = responses.map((r) => r.status).sort()
    expect(statuses).toEqual([200, 200, 200, 503, 503])
    const rejected = responses.find((r) => r.status === 503)!
    expect(rejected.headers.get('retry-after')).toBe('5')
    expect(await rejected.json()).toMatchObject({
      error: { message: expect.stringMatching(/queue is full/) },
    })
  })

  it('wedged: work routes 500 with a cuBLAS failure, /health stays 200 (all three emulators)', async () => {
    const b = await bge()
    const k = await startKokoro({ port: 0 })
    const p = await startParakeet({ port: 0 })
    started.push(k, p)
    for (const s of [b, k, p]) await s.setMode('wedged')
    const wedged = [
      await embed(b),
      await fetch(`${k.url}/v1/audio/speech`, { method: 'POST', body: JSON.stringify({ input: 'hi' }) }),
      await fetch(`${p.url}/v1/audio/transcriptions`, { method: 'POST', body: new FormData() }),
    ]
    for (const res of wedged) {
      expect(res.status).toBe(500)
      expect(await res.text()).toMatch(/CUBLAS_STATUS_EXECUTION_FAILED/)
    }
    for (const s of [b, k, p]) expect((await fetch(`${s.url}/health`)).status).toBe(200)
    await b.setMode('ok')
    expect((await embed(b)).status).toBe(200)
  })

  it('fails a seeded share of work requests with the wedge body, and none at rate 0', async () => {
    const s = await bge()
    const statuses = async (n: number) => {
      const out: number[] = []
      for (let i = 0; i < n; i++) {
        const res = await embed(s, `t ${i}`)
        if (res.status === 500) expect(await res.text()).toMatch(/CUBLAS_STATUS_EXECUTION_FAILED/)
        else await res.arrayBuffer()
        out.push(res.status)
      }
      return out
    }
    s.setFailRate(0.3, 9)
    const first = await statuses(40)
    const failed = first.filter((x) => x === 500).length
    expect(failed).toBeGreaterThan(4)
    expect(failed).toBeLessThan(24)
    expect(s.failures()).toBe(failed)
    // Same seed, same requests that fail; health is never failed.
    s.setFailRate(0.3, 9)
    expect(await statuses(40)).toEqual(first)
    expect((await fetch(`${s.url}/health`)).status).toBe(200)
    s.setFailRate(0)
    expect(await statuses(10)).toEqual(Array(10).fill(200))
  })

  it('answers GETs late while a work request runs, in every mode (a blocked event loop)', async () => {
    const p = await startParakeet({ port: 0, truthDir: '', busyHealthDelayMs: 400 })
    started.push(p)
    // A work request whose upload is still arriving holds the GPU slot.
    let finish!: () => void
    const finished = new Promise<void>((r) => {
      finish = r
    })
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('--x\r\nContent-Disposition: form-data; name="model"\r\n\r\n'))
      },
      async pull(c) {
        await finished
        c.close()
      },
    })
    const work = fetch(`${p.url}/v1/audio/transcriptions`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      duplex: 'half',
    } as RequestInit)
    await expect.poll(() => p.requestCount('/v1/audio/transcriptions')).toBe(1)
    const [health, healthMs] = await timed(() => fetch(`${p.url}/health`))
    expect(health.status).toBe(200)
    expect(healthMs).toBeGreaterThanOrEqual(390)
    finish()
    await (await work).arrayBuffer()
    const [, idleMs] = await timed(() => fetch(`${p.url}/health`))
    expect(idleMs).toBeLessThan(300)
  })

  it('down: refuses connections, then re-listens on the same port', async () => {
    const s = await bge()
    const port = s.port
    expect((await fetch(`${s.url}/health`)).status).toBe(200)
    await s.setMode('down')
    const err = await fetch(`${s.url}/health`).then(
      () => undefined,
      (e: unknown) => e as { cause?: { code?: string } },
    )
    expect(err?.cause?.code).toBe('ECONNREFUSED')
    await s.setMode('ok')
    expect(s.port).toBe(port)
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
    expect((await embed(s)).status).toBe(200)
  })

  it('refuses bodies declared over 250 MB with 413', async () => {
    const s = await bge()
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
        req.destroy()
      })
      req.on('error', reject)
      req.write('{"input":"')
    })
    expect(status).toBe(413)
  })
})
