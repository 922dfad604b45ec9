import { Hono } from 'hono'
import { afterAll, describe, expect, it } from 'vitest'
import { type FakeUpstream, startFake } from '../../../shared/testing/fake-upstream.ts'
import { upstreamStatusError } from '../domain/upstream-errors.ts'
import { speechUpstream } from './health.ts'

const fakes: FakeUpstream[] = []
afterAll(() => Promise.all(fakes.map((f) => f.close())))

/** An upstream whose /health always answers: a wedged GPU process still does. */
async function healthyUpstream() {
  const app = new Hono()
  app.get('/health', (c) => c.json({ status: 'ok' }))
  const fake = await startFake(app)
  fakes.push(fake)
  return speechUpstream({
    name: 'parakeet',
    baseUrl: fake.url,
    disabled: false,
    notConfiguredDetail: 'set PARAKEET_URL',
    healthTimeoutMs: 5000,
    defaultModel: 'nvidia/parakeet-tdt-0.6b-v3',
  })
}

const wedged = () =>
  upstreamStatusError('Parakeet ASR', 500, { detail: 'CUDA error: CUBLAS_STATUS_EXECUTION_FAILED' })

describe('speech upstream: what real requests teach its health', () => {
  it('calls it down when a request hits a GPU fault, though its /health still answers', async () => {
    const upstream = await healthyUpstream()
    await expect(upstream.inFlight.track(async () => Promise.reject(wedged()))).rejects.toMatchObject({
      code: 'upstream_wedged',
    })
    expect(upstream.status()).toMatchObject({ name: 'parakeet', state: 'down', in_flight: 0 })
    expect(upstream.status().why).toContain('CUBLAS_STATUS_EXECUTION_FAILED')
    const report = await upstream.check.check(AbortSignal.timeout(5000))
    expect(report).toMatchObject({ state: 'down', detail: expect.stringContaining('GPU fault') })
  })

  it('calls it up again as soon as a request succeeds; other failures change nothing', async () => {
    const upstream = await healthyUpstream()
    await upstream.inFlight.track(async () => Promise.reject(wedged())).catch(() => {})
    await upstream.inFlight.track(async () => Promise.reject(new Error('bad input'))).catch(() => {})
    expect(upstream.status().state).toBe('down')
    await expect(upstream.inFlight.track(async () => 'words')).resolves.toBe('words')
    expect(upstream.status()).toMatchObject({ state: 'up', misses: 0 })
    expect((await upstream.check.check(AbortSignal.timeout(5000))).state).toBe('up')
  })
})
