import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { untilAborted } from '../../../shared/testing/deferred.ts'
import { createVllmClient } from './vllm-client.ts'

let base: string
let close: () => Promise<void>

beforeAll(async () => {
  const app = new Hono()
  app.get('/ok/v1/models', (c) =>
    c.json({ object: 'list', data: [{ id: 'Qwen/Qwen3-8B' }, { id: 'alias' }] }),
  )
  app.get('/odd/v1/models', (c) => c.json({ models: ['x'] }))
  app.get('/html/v1/models', (c) => c.html('<h1>proxy</h1>'))
  // Never answers: only the client giving up ends the request.
  app.get('/slow/v1/models', async (c) => {
    await untilAborted(c.req.raw.signal)
    return c.json({ data: [] })
  })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => new Promise((resolve) => server.close(() => resolve()))
})
afterAll(() => close())

async function failure(baseUrl: string | null, timeoutMs = 1000): Promise<AppError> {
  const err = await createVllmClient({ baseUrl, timeoutMs })
    .listModels()
    .then(
      () => expect.fail('expected an error'),
      (e: unknown) => e,
    )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

describe('vLLM client', () => {
  it('lists the served model ids', async () => {
    expect(await createVllmClient({ baseUrl: `${base}/ok` }).listModels()).toEqual(['Qwen/Qwen3-8B', 'alias'])
  })

  it('maps bad answers to 502, slowness to 504, absence to 503', async () => {
    expect((await failure(`${base}/odd`)).status).toBe(502)
    expect((await failure(`${base}/html`)).status).toBe(502)
    expect((await failure(`${base}/nothing`)).message).toContain('404')
    expect((await failure(`${base}/slow`, 100)).status).toBe(504)
    expect((await failure('http://127.0.0.1:1')).status).toBe(503)
    expect((await failure(null)).message).toContain('no vLLM host')
  })
})
