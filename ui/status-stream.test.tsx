import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ClusterStatus } from '../shared/contracts/gateway.ts'
import { silentLogger } from '../shared/logger.ts'
import { buildDashboard, type DashboardDeps } from './app.tsx'
import { SAMPLE_MODEL, sampleStatus, withUpstream } from './fixtures/sample-status.ts'
import { sseReader } from './fixtures/sse.ts'
import { fakeSwapSource, sampleHistory } from './fixtures/swap.ts'

function setup(extra: Partial<DashboardDeps> = {}) {
  let current: ClusterStatus | Error = sampleStatus()
  let calls = 0
  const shutdown = new AbortController()
  const app = buildDashboard({
    getStatus: async () => {
      calls++
      if (current instanceof Error) throw current
      return current
    },
    simulated: true,
    logger: silentLogger(),
    shutdown: shutdown.signal,
    statusIntervalMs: 20,
    ...extra,
  })
  return {
    app,
    shutdown,
    calls: () => calls,
    set: (next: ClusterStatus | Error) => {
      current = next
    },
    get status() {
      return current as ClusterStatus
    },
  }
}

async function open(app: ReturnType<typeof buildDashboard>, init?: RequestInit) {
  const res = await app.request('/ui/events/status', init)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/event-stream')
  return sseReader(res.body!)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('status stream', () => {
  it('says a deliberate stop in neutral words, read from the swap-controller history', async () => {
    const fake = fakeSwapSource({
      history: [
        {
          ...sampleHistory()[0]!,
          action: 'swap.stop',
          outcome: 'ok',
          actor: 'alice',
          at: '2030-01-01T11:58:00.000Z',
        },
      ],
    })
    const down = withUpstream(sampleStatus(), 'vllm', { state: 'down', ready: false, model: null })
    const t = setup({ statusIntervalMs: 60_000, swap: fake.source })
    t.set({ ...down, overall: 'degraded', summary: 'The chat model server is down', loaded_model: null })
    const events = await open(t.app)
    const first = await events.next()
    expect(first?.data).toContain('No chat model is loaded (stopped by alice at 11:58 UTC)')
    expect(first?.data).not.toContain('The chat model server is down')
    expect(first?.data).toContain('data-state="stopped"')
    await events.cancel()
  })

  it('sends the summary and the cards together, in one event, on connect', async () => {
    const t = setup({ statusIntervalMs: 60_000 })
    const events = await open(t.app)
    const first = await events.next()
    expect(first?.event).toBe('overview')
    expect(first?.data).toContain('<div id="live-summary" hx-swap-oob="innerHTML">')
    expect(first?.data).toContain('Everything is working')
    expect(first?.data).toContain(`Chat model: <strong>${SAMPLE_MODEL}</strong>`)
    expect(first?.data).toContain('<div id="status-cards" hx-swap-oob="innerHTML">')
    expect(first?.data).toContain('data-card="upstream:vllm"')
    expect(first?.data).toContain('data-card="service:speech-proxy"')
    await events.cancel()
  })

  it('re-sends the cards every tick but the live summary only when it changes', async () => {
    const t = setup()
    const events = await open(t.app)
    const seen: string[] = []
    for (let i = 0; i < 8; i++) seen.push((await events.next())!.data)
    expect(seen.every((d) => d.includes('id="status-cards"'))).toBe(true)
    expect(seen.map((d) => d.includes('id="live-summary"'))).toEqual([true, ...Array(7).fill(false)])
    t.set({
      ...withUpstream(t.status, 'parakeet', { state: 'down', detail: 'Connection refused' }),
      loaded_model: 'GLM-4.5-Air',
    })
    let changed: string | undefined
    for (let i = 0; i < 10 && !changed; i++) {
      const e = await events.next()
      if (e?.data.includes('id="live-summary"')) changed = e.data
    }
    expect(changed).toContain('Chat model: <strong>GLM-4.5-Air</strong>')
    await events.cancel()
  })

  it('streams the friendly retry notice while getStatus fails, then recovers', async () => {
    const t = setup()
    t.set(new Error('connect ECONNREFUSED 127.0.0.1:9999'))
    const events = await open(t.app)
    const first = await events.next()
    expect(first?.data).toContain('Cannot reach the gateway&#39;s status — retrying')
    expect(first?.data).not.toContain('ECONNREFUSED')
    t.set(sampleStatus())
    let back: string | undefined
    for (let i = 0; i < 10 && !back; i++) {
      const e = await events.next()
      if (e?.data.includes('id="live-summary"')) back = e.data
    }
    expect(back).toContain('Everything is working')
    await events.cancel()
  })

  it('keeps the last known cards, marked as old, when the status goes away', async () => {
    const t = setup()
    const events = await open(t.app)
    await events.next()
    t.set(new Error('gone'))
    let cards: string | undefined
    for (let i = 0; i < 10 && !cards; i++) {
      const e = await events.next()
      if (e?.data.includes('class="stale"')) cards = e.data
    }
    expect(cards).toContain('data-card="upstream:vllm"')
    await events.cancel()
  })

  it('escapes hostile strings inside streamed fragments', async () => {
    const t = setup()
    t.set({ ...sampleStatus(), summary: '<script>alert(1)</script>', loaded_model: '<b>x</b>' })
    const events = await open(t.app)
    const first = await events.next()
    expect(first?.data).not.toContain('<script>')
    expect(first?.data).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(first?.data).toContain('&lt;b&gt;x&lt;/b&gt;')
    await events.cancel()
  })

  it('stops polling once the client goes away', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const t = setup()
    const events = await open(t.app)
    await events.next()
    await vi.advanceTimersByTimeAsync(40)
    const polled = t.calls()
    expect(polled).toBeGreaterThan(1)
    await events.cancel()
    // Ten more ticks of the 20 ms interval: a loop still running would read the status again.
    await vi.advanceTimersByTimeAsync(200)
    expect(t.calls()).toBe(polled)
  })

  it('ends the stream when the request is aborted, even while the client keeps reading', async () => {
    const t = setup()
    const client = new AbortController()
    const events = await open(t.app, { signal: client.signal })
    await events.next()
    client.abort()
    let ended = false
    for (let i = 0; i < 50 && !ended; i++) ended = (await events.next()) === undefined
    expect(ended).toBe(true)
  })

  it('ends the stream cleanly on shutdown, even in the middle of a long pause', async () => {
    const t = setup({ statusIntervalMs: 60_000 })
    const events = await open(t.app)
    expect((await events.next())?.event).toBe('overview')
    const started = Date.now()
    t.shutdown.abort()
    expect(await events.next(2000)).toBeUndefined()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(t.calls()).toBe(1)
  })

  it('closes at once for a client arriving after shutdown began', async () => {
    const t = setup()
    t.shutdown.abort()
    const events = await open(t.app)
    expect(await events.next(2000)).toBeUndefined()
    expect(t.calls()).toBe(0)
  })

  it('answers HEAD without starting a stream', async () => {
    const t = setup()
    const res = await t.app.request('/ui/events/status', { method: 'HEAD' })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    expect(await res.text()).toBe('')
    expect(t.calls()).toBe(0)
  })

  it('frees a stream slot when a stream ends, so the cap never locks the page out', async () => {
    const t = setup({ maxStreams: 1, statusIntervalMs: 60_000 })
    for (let i = 0; i < 3; i++) {
      // The slot comes back when the cancelled stream's loop has ended, a few turns later.
      const res = await vi.waitFor(async () => {
        const r = await t.app.request('/ui/events/status')
        expect(r.status).toBe(200)
        return r
      })
      const events = sseReader(res.body!)
      await events.next()
      await events.cancel()
    }
  })
})
