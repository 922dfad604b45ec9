import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startBgeM3 } from '../../../../tools/spark-sim/embeddings/bge-m3.ts'
import type { EmulatorHandle } from '../../../../tools/spark-sim/speech/emulator-server.ts'
import { startKokoro } from '../../../../tools/spark-sim/speech/kokoro.ts'
import { startParakeet } from '../../../../tools/spark-sim/speech/parakeet.ts'
import { createSweepHttpBackend } from './sweep-http.ts'

const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()))
})

async function started<T extends EmulatorHandle>(handle: Promise<T>): Promise<T> {
  const h = await handle
  closers.push(() => h.close())
  return h
}

const signal = () => AbortSignal.timeout(30_000)

describe('sweep HTTP backend', () => {
  it('transcribes the speech clip with Parakeet the way the speech-proxy does, and checks health', async () => {
    const parakeet = await started(startParakeet({ host: '127.0.0.1', port: 0 }))
    const backend = createSweepHttpBackend({ target: 'asr', url: parakeet.url })
    expect(await backend.send(signal())).toEqual({ ok: true, status: 200 })
    expect(await backend.health(signal())).toBe(true)
    expect(parakeet.requestCount('/v1/audio/transcriptions')).toBe(1)
  })

  it('synthesises the sentence with Kokoro, reading the audio to its end', async () => {
    const kokoro = await started(startKokoro({ host: '127.0.0.1', port: 0 }))
    const backend = createSweepHttpBackend({ target: 'tts', url: `${kokoro.url}/` })
    expect(await backend.send(signal())).toEqual({ ok: true, status: 200 })
    expect(kokoro.requestCount('/v1/audio/speech')).toBe(1)
  })

  it("embeds the batch with the FastAPI server's /embed", async () => {
    const bge = await started(startBgeM3({ host: '127.0.0.1', port: 0 }))
    const backend = createSweepHttpBackend({ target: 'embeddings', url: bge.url })
    expect(await backend.send(signal())).toEqual({ ok: true, status: 200 })
    expect(await backend.send(signal())).toEqual({ ok: true, status: 200 })
    expect(bge.requestCount('/embed')).toBe(2)
  })

  it('falls back to /v1/embeddings once for a server without /embed', async () => {
    const seen: string[] = []
    const server: Server = createServer((req, res) => {
      seen.push(req.url ?? '')
      req.resume()
      req.on('end', () => {
        res.statusCode = req.url === '/v1/embeddings' ? 200 : 404
        res.end('{}')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    closers.push(() => new Promise((r) => server.close(r)))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const backend = createSweepHttpBackend({ target: 'embeddings', url })
    expect((await backend.send(signal())).ok).toBe(true)
    expect((await backend.send(signal())).ok).toBe(true)
    expect(seen).toEqual(['/embed', '/v1/embeddings', '/v1/embeddings'])
  })

  it('reports failures without throwing: an error status, a refused connection, a timeout', async () => {
    const bge = await started(startBgeM3({ host: '127.0.0.1', port: 0 }))
    await bge.setMode('wedged')
    const wedged = createSweepHttpBackend({ target: 'embeddings', url: bge.url })
    expect(await wedged.send(signal())).toEqual({ ok: false, status: 500, error: 'HTTP 500' })
    await bge.setMode('down')
    const down = await wedged.send(signal())
    expect(down).toMatchObject({ ok: false, status: null, error: 'ECONNREFUSED' })
    await bge.setMode('slow', { latencyMs: 2000 })
    const slow = createSweepHttpBackend({
      target: 'embeddings',
      url: bge.url,
      timeoutMs: 200,
      healthTimeoutMs: 200,
    })
    expect(await slow.send(signal())).toMatchObject({
      ok: false,
      status: null,
      error: 'no answer within 200 ms',
    })
    expect(await slow.health(signal())).toBe(false)
  })
})
