import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Secret } from '../../../shared/secret.ts'
import { captureLog } from '../../../shared/testing/log-capture.ts'
import { createCoordination } from '../domain/coordination/service.ts'
import { type RetryPolicy, swapEvent, verifySignature } from '../domain/coordination/webhook.ts'
import { openSwapStore } from './store/store.ts'
import { createWebhookSender } from './webhook-sender.ts'

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A receiver on 127.0.0.1:0 answering each POST with the next scripted status (then 200). */
async function startReceiver(statuses: Array<number | 'hang'> = []) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      const status = statuses.shift() ?? 200
      if (status === 'hang') return
      res.writeHead(status).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/s3cr3t-path`,
    received,
    close: () =>
      new Promise<void>((resolve) => server.close(() => resolve())).finally(() =>
        server.closeAllConnections(),
      ),
  }
}

const FAST: RetryPolicy = { baseMs: 20, maxMs: 40, maxAttempts: 3 }
const SECRET = 'hook-secret-value'
const cleanups: Array<() => unknown> = []
let dir: string | undefined

async function setup(url: string, options: { path?: string; timeoutMs?: number } = {}) {
  const store = await openSwapStore({ path: options.path ?? ':memory:' })
  const { logger, lines } = captureLog('swap-controller')
  const sender = createWebhookSender({
    url,
    secret: new Secret(SECRET),
    outbox: store.outbox,
    logger,
    policy: FAST,
    timeoutMs: options.timeoutMs ?? 2000,
  })
  cleanups.push(
    () => sender.close(),
    () => store.close(),
  )
  const coordination = createCoordination({ store, webhook: sender })
  return { store, sender, coordination, lines }
}

const event = (ok: boolean) =>
  swapEvent({
    swapId: 'swp_9',
    recipe: 'qwen3',
    model: 'Qwen/Qwen3',
    fromModel: 'old',
    servingModel: ok ? 'Qwen/Qwen3' : 'old',
    startedAtMs: 0,
    finishedAtMs: 2500,
    error: ok ? null : 'OOM',
  })

const until = (check: () => boolean) =>
  vi.waitFor(
    () => {
      if (!check()) throw new Error('condition not met in time')
    },
    { timeout: 5000, interval: 10 },
  )

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

describe('webhook sender', () => {
  it('POSTs swap_complete and swap_failed signed over the exact body bytes', async () => {
    const receiver = await startReceiver()
    cleanups.push(receiver.close)
    const { coordination, sender, lines } = await setup(receiver.url)
    coordination.enqueueWebhook(event(true))
    coordination.enqueueWebhook(event(false))
    await until(() => receiver.received.length === 2)
    await sender.idle()
    const [complete, failed] = receiver.received
    expect(JSON.parse(complete!.body)).toEqual(event(true))
    expect(JSON.parse(failed!.body)).toMatchObject({ event: 'swap_failed', error: 'OOM' })
    for (const r of receiver.received) {
      expect(r.headers['content-type']).toBe('application/json')
      expect(r.headers['x-spark-signature']).toMatch(/^sha256=[0-9a-f]{64}$/)
      expect(verifySignature(r.body, SECRET, r.headers['x-spark-signature'] as string)).toBe(true)
    }
    expect(complete!.headers['x-spark-event']).toBe('swap_complete')
    const log = lines.join('')
    expect(log).toContain('webhook delivered')
    expect(log).not.toContain(SECRET)
    expect(log).not.toContain('s3cr3t-path')
  })

  it('retries failures with backoff and gives up after the policy, never on a 4xx', async () => {
    const receiver = await startReceiver([503, 500, 503, 404])
    cleanups.push(receiver.close)
    const { coordination, store } = await setup(receiver.url)
    const first = coordination.enqueueWebhook(event(true))!
    await until(() => receiver.received.length === 3)
    // Given up: nothing is left due, so no fourth try can come.
    await until(() => store.outbox.nextDueAtMs() === null)
    expect(receiver.received).toHaveLength(3)
    expect(store.outbox.due(Date.now() + 60_000, 10).map((i) => i.id)).not.toContain(first)
    const second = coordination.enqueueWebhook(event(false))!
    await until(() => receiver.received.length === 4)
    await until(() => store.outbox.nextDueAtMs() === null)
    expect(receiver.received).toHaveLength(4)
    expect(second).toBeGreaterThan(first)
  })

  it('succeeds on a later try after a failure', async () => {
    const receiver = await startReceiver([502])
    cleanups.push(receiver.close)
    const { coordination, store } = await setup(receiver.url)
    coordination.enqueueWebhook(event(true))
    await until(() => receiver.received.length === 2)
    await until(() => store.outbox.nextDueAtMs() === null)
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body)
  })

  it('never blocks the caller, and a hanging receiver times out into a retry', async () => {
    const receiver = await startReceiver(['hang'])
    cleanups.push(receiver.close)
    const { coordination } = await setup(receiver.url, { timeoutMs: 150 })
    const started = performance.now()
    coordination.enqueueWebhook(event(true))
    expect(performance.now() - started).toBeLessThan(50)
    await until(() => receiver.received.length === 2)
  })

  it('delivers after a restart what an earlier run could not', async () => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-'))
    const path = join(dir, 'swap-controller.db')
    const down = await startReceiver()
    const url = down.url
    await down.close()
    const first = await setup(url, { path })
    first.coordination.enqueueWebhook(event(true))
    await until(() => first.store.outbox.due(Number.MAX_SAFE_INTEGER, 10)[0]?.attempts === 1)
    await first.sender.close()
    first.store.close()

    const receiver = await startReceiver()
    cleanups.push(receiver.close)
    const second = await setup(receiver.url, { path })
    second.sender.start()
    await until(() => receiver.received.length === 1)
    expect(JSON.parse(receiver.received[0]!.body)).toEqual(event(true))
  })
})
