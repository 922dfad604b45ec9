/**
 * The connectivity feed: its first event carries every live part; a state change the monitor
 * announces is on the page at once (not at the next tick), reports are not; parts that did not
 * change are not sent again; a broken monitor stream is listened to again, and the page meanwhile
 * says the monitor cannot be reached.
 */
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppError } from '../../shared/errors.ts'
import { silentLogger } from '../../shared/logger.ts'
import { type AppEnv, sendError } from '../../shared/service.ts'
import { fakeMonitor, NOW, sampleTargets } from '../fixtures/connectivity.ts'
import { sseReader } from '../fixtures/sse.ts'
import type { Chrome } from '../layout/layout.tsx'
import { connectivityDashboardRoutes } from './routes.tsx'

const chrome: Chrome = {
  simulated: false,
  controlsOpen: true,
  urls: { htmx: '', sse: '', css: '', script: '', icon: '' },
}

const open: AbortController[] = []
afterEach(() => {
  for (const c of open.splice(0)) c.abort()
})

async function feed(monitor = fakeMonitor(), over: { maxFeeds?: number } = {}) {
  const app = new Hono<AppEnv>()
  // As the gateway does around the dashboard: a typed error is its status, never a 500.
  app.onError((err, c) => sendError(c, err as AppError))
  const routes = connectivityDashboardRoutes({
    monitor: monitor.source,
    chrome,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    now: () => NOW,
    // Long: in these tests only the monitor's events may bring a new message.
    feedIntervalMs: 60_000,
    ...over,
  })
  app.route('/', routes)
  const client = new AbortController()
  open.push(client)
  const res = await app.request('/ui/events/connectivity', { signal: client.signal })
  return { res, events: sseReader(res.body!), monitor, app }
}

describe('GET /ui/events/connectivity', () => {
  it('sends every live part first, then only what a state change changed', async () => {
    const { res, events, monitor } = await feed()
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const first = await events.next()
    expect(first?.event).toBe('connectivity')
    for (const id of ['conn-monitor', 'conn-summary', 'conn-states', 'conn-timeline', 'conn-outages'])
      expect(first?.data).toMatch(new RegExp(`id="${id}"[^>]*hx-swap-oob="true"`))
    await expect.poll(() => monitor.events.opened).toBe(1)

    monitor.state.targets = sampleTargets({ embeddings: { state: 'down', reason: 'refused' } })
    monitor.events.push({
      type: 'state',
      target: 'embeddings',
      from: 'up',
      to: 'down',
      at: NOW.toISOString(),
      reason: 'refused',
    })
    const next = await events.next()
    expect(next?.data).toMatch(/<tr data-target="embeddings" data-state="down"/)
    expect(next?.data).toContain('Down: Embeddings (bge-m3).')
    // The timeline and the outage table did not change: they are not sent again.
    expect(next?.data).not.toContain('id="conn-timeline"')
    expect(next?.data).not.toContain('id="conn-outages"')
  })

  it('reads again on an outage event but not on a report', async () => {
    const { events, monitor } = await feed()
    await events.next()
    await expect.poll(() => monitor.events.opened).toBe(1)
    const reads = () => monitor.calls.filter((c) => c.what === 'targets').length
    const before = reads()
    monitor.events.push({ type: 'report', target: 'vllm', at: NOW.toISOString(), ok: true, source: 'recap' })
    const closed = monitor.state.outages[0]!
    monitor.state.outages = []
    monitor.events.push({ type: 'outage', outage: closed })
    await expect.poll(reads).toBe(before + 1)
    const next = await events.next()
    expect(next?.data).toContain('No outage in this span.')
  })

  it('listens again when the monitor’s stream breaks, and says the monitor is away while it is', async () => {
    const m = fakeMonitor()
    const { events } = await feed(m)
    await events.next()
    await expect.poll(() => m.events.opened).toBe(1)
    const away = async () => {
      throw new Error('connection refused')
    }
    const back = { ...m.source }
    Object.assign(m.source, { targets: away, outages: away, maintenance: away })
    m.events.refuse = new Error('connection refused')
    m.events.fail()
    const down = await events.next()
    expect(down?.data).toContain('data-monitor="unreachable"')
    Object.assign(m.source, back)
    m.events.refuse = null
    // Back after a backoff of at most a second: the stream opens again and the page says so at once.
    await expect.poll(() => m.events.opened, { timeout: 5000 }).toBe(2)
    const up = await events.next()
    expect(up?.data).not.toContain('data-monitor="unreachable"')
    expect(up?.data).toContain('id="conn-states"')
  })

  it('refuses feeds beyond its bound with a 503 that says when to retry', async () => {
    const { app } = await feed(fakeMonitor(), { maxFeeds: 1 })
    const res = await app.request('/ui/events/connectivity')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('10')
  })
})
