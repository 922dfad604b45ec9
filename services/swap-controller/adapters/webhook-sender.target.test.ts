/**
 * The swap webhook's receiver follows the settings: the address and secret are read at each send,
 * nothing is queued while no address is set, and setting one later sends what waits.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { Secret } from '../../../shared/secret.ts'
import { verifySignature } from '../../../shared/webhook.ts'
import { createCoordination } from '../domain/coordination/service.ts'
import { swapEvent } from '../domain/coordination/webhook.ts'
import { openSwapStore } from './store/store.ts'
import { createWebhookSender, type WebhookTarget } from './webhook-sender.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function receiver(path: string) {
  const received: Array<{ headers: IncomingHttpHeaders; body: string; path: string }> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      received.push({ headers: req.headers, body, path: req.url ?? '' })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, received }
}

const event = () =>
  swapEvent({
    swapId: 'swp_1',
    recipe: 'qwen3',
    model: 'Qwen/Qwen3',
    fromModel: null,
    servingModel: 'Qwen/Qwen3',
    startedAtMs: 0,
    finishedAtMs: 10,
    error: null,
  })

async function setup() {
  const store = await openSwapStore({ path: ':memory:' })
  let target: WebhookTarget = {}
  const sender = createWebhookSender({ target: () => target, outbox: store.outbox, logger: silentLogger() })
  cleanups.push(
    () => store.close(),
    () => sender.close(),
  )
  const coordination = createCoordination({ store, webhook: sender })
  return { sender, coordination, set: (t: WebhookTarget) => (target = t) }
}

describe('webhook sender following the settings', () => {
  it('queues nothing without an address, then sends to the address and secret in force at send time', async () => {
    const { sender, coordination, set } = await setup()
    expect(sender.enabled()).toBe(false)
    expect(coordination.enqueueWebhook(event())).toBeNull()

    const first = await receiver('/first')
    set({ url: first.url, secret: new Secret('one') })
    expect(sender.enabled()).toBe(true)
    expect(coordination.enqueueWebhook(event())).not.toBeNull()
    await vi.waitFor(() => expect(first.received).toHaveLength(1))
    const got = first.received[0]!
    expect(verifySignature(got.body, 'one', got.headers['x-spark-signature'] as string)).toBe(true)

    const second = await receiver('/second')
    set({ url: second.url, secret: new Secret('two') })
    coordination.enqueueWebhook(event())
    await vi.waitFor(() => expect(second.received).toHaveLength(1))
    const again = second.received[0]!
    expect(verifySignature(again.body, 'two', again.headers['x-spark-signature'] as string)).toBe(true)
    expect(first.received).toHaveLength(1)
  })

  it('leaves a pending delivery in the outbox while the address is removed, and sends it once one is set', async () => {
    const { sender, coordination, set } = await setup()
    const hook = await receiver('/late')
    set({ url: hook.url })
    // Enqueued while an address is set, then the address goes before the round runs.
    coordination.enqueueWebhook(event())
    set({})
    await sender.idle()
    expect(hook.received).toHaveLength(0)
    set({ url: hook.url })
    sender.notify()
    await vi.waitFor(() => expect(hook.received).toHaveLength(1))
  })
})
