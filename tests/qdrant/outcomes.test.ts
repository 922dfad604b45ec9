/**
 * The Qdrant store reports each call's outcome to the connectivity monitor (target `qdrant`): the
 * client brings its own undici agent, so the store times its calls itself. Double and stubs only.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createQdrantStore } from '../../services/vector-search/adapters/qdrant-store.ts'
import type { RequestOutcome } from '../../shared/contracts/connectivity-monitor.ts'
import type { OutcomeSink } from '../../shared/outcomes/reporter.ts'
import { startQdrantDouble } from '../../tools/qdrant-double/server.ts'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function stub(status: number | null): Promise<string> {
  const server = createServer((_req, res) => {
    if (status !== null) res.writeHead(status, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function collecting() {
  const seen: RequestOutcome[] = []
  const outcomes: OutcomeSink = { enabled: true, record: (o) => seen.push(o) }
  return { outcomes, seen }
}

const settle = (p: Promise<unknown>) => p.catch(() => undefined)

describe('Qdrant store: outcomes', () => {
  it('reports answers as alive, a missing collection included, and a stopped Qdrant as failed', async () => {
    const { outcomes, seen } = collecting()
    const double = await startQdrantDouble()
    const store = createQdrantStore({ url: double.url, timeoutMs: 2000, outcomes })
    await store.listCollections()
    expect(await store.getCollection('absent')).toBeNull()
    await double.close()
    // The kept-alive connection breaks (a reset) or is found closed; a new one is refused.
    await settle(store.listCollections())
    await settle(store.listCollections())
    expect(seen.map((o) => [o.target, o.ok])).toEqual([
      ['qdrant', true],
      ['qdrant', true],
      ['qdrant', false],
      ['qdrant', false],
    ])
    expect(['reset', 'refused']).toContain(seen[2]?.kind)
    expect(seen[3]?.kind).toBe('refused')
  })

  it('reports a 5xx with its status, and no answer in time as a timeout', async () => {
    const failing = collecting()
    await settle(
      createQdrantStore({
        url: await stub(503),
        timeoutMs: 2000,
        outcomes: failing.outcomes,
      }).listCollections(),
    )
    const silent = collecting()
    await settle(
      createQdrantStore({
        url: await stub(null),
        timeoutMs: 200,
        outcomes: silent.outcomes,
      }).listCollections(),
    )
    expect(failing.seen).toMatchObject([{ ok: false, kind: 'http_5xx', status: 503 }])
    expect(silent.seen).toMatchObject([{ ok: false, kind: 'timeout' }])
    expect(silent.seen[0]?.latency_ms).toBeGreaterThanOrEqual(190)
  })
})
