import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { untilAborted } from '../../../shared/testing/deferred.ts'
import { VllmMetrics } from '../../../tools/spark-sim/vllm/metrics.ts'
import { createVllmMetricsClient } from './vllm-metrics-client.ts'

let base: string
let close: () => Promise<void>

beforeAll(async () => {
  const metrics = new VllmMetrics('Qwen/Qwen3-8B', {
    gpuMemoryUtilization: 0.7,
    blockSize: 16,
    numGpuBlocks: 100,
  })
  const app = new Hono()
  app.get('/ok/metrics', (c) => c.text(metrics.render({ running: 3, waiting: 2, kvUsage: 0.5 })))
  app.get('/huge/metrics', (c) => c.text('x 1\n'.repeat(100_000)))
  // Never answers: only the client giving up ends the request.
  app.get('/slow/metrics', async (c) => {
    await untilAborted(c.req.raw.signal)
    return c.text('')
  })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => new Promise((resolve) => server.close(() => resolve()))
})
afterAll(() => close())

const failure = async (baseUrl: string | null, options: { timeoutMs?: number; maxBytes?: number } = {}) => {
  const err = await createVllmMetricsClient({ baseUrl, ...options })
    .scrape()
    .then(
      () => expect.fail('expected an error'),
      (e: unknown) => e,
    )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

describe('vLLM metrics client', () => {
  it('scrapes and parses the exposition, stamped with the time it arrived', async () => {
    const before = Date.now()
    const scrape = await createVllmMetricsClient({ baseUrl: `${base}/ok` }).scrape()
    expect(scrape.at_ms).toBeGreaterThanOrEqual(before)
    expect(scrape.samples.find((s) => s.name === 'vllm:num_requests_waiting')).toMatchObject({
      value: 2,
      labels: { model_name: 'Qwen/Qwen3-8B' },
    })
  })

  it('maps absence to 503, slowness to 504, bad and oversized answers to 502', async () => {
    expect((await failure('http://127.0.0.1:1')).status).toBe(503)
    expect((await failure(`${base}/slow`, { timeoutMs: 100 })).status).toBe(504)
    expect((await failure(`${base}/missing`)).message).toContain('404')
    const big = await failure(`${base}/huge`, { maxBytes: 10_000 })
    expect(big.status).toBe(502)
    expect(big.message).toContain('more than 10000 bytes')
    expect((await failure(null)).message).toContain('no vLLM host')
  })
})
