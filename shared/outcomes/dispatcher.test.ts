/**
 * Real undici requests to a loopback upstream that answers, fails, hangs, cuts its answer, or is
 * stopped and restarted, through `reportOutcomes`, with a fake monitor collecting the batches.
 */
import { Agent, type Dispatcher, Pool, request } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RequestOutcome } from '../contracts/connectivity-monitor.ts'
import { originsOf, reportOutcomes } from './dispatcher.ts'
import { createOutcomeReporter, noOutcomeReporter, type OutcomeReporter } from './reporter.ts'
import {
  type FakeMonitor,
  listenRestartable,
  type Restartable,
  startFakeMonitor,
  upstreamRoutes,
} from './testing/loopback.ts'

let monitor: FakeMonitor
let upstream: Restartable
let reporter: OutcomeReporter
let agent: Agent
let reported: Dispatcher

beforeEach(async () => {
  monitor = await startFakeMonitor()
  upstream = await listenRestartable(upstreamRoutes)
  reporter = createOutcomeReporter({ url: monitor.url, source: 'test', flushMs: 20 })
  agent = new Agent({ connect: { timeout: 1000 } })
  reported = reportOutcomes(agent, reporter, { [upstream.url]: 'parakeet' })
})

afterEach(async () => {
  await reporter.close()
  await agent.destroy()
  await upstream.stop()
  await monitor.stop()
})

/** One request through the reported dispatcher; its failure, if any, is returned, not thrown. */
async function call(path: string, init: { signal?: AbortSignal; headersTimeout?: number } = {}) {
  try {
    const res = await request(`${upstream.url}${path}`, { dispatcher: reported, ...init })
    await res.body.text()
    return res.statusCode
  } catch (err) {
    return err as Error
  }
}

/** The outcomes the monitor has, once it has `n` of them. */
async function received(n: number): Promise<RequestOutcome[]> {
  await expect.poll(() => monitor.outcomes().length).toBeGreaterThanOrEqual(n)
  return monitor.outcomes()
}

describe('reportOutcomes', () => {
  it('reports answers: under 500 is alive (4xx included), 5xx fails with its status', async () => {
    expect(await call('/')).toBe(200)
    expect(await call('/status/404')).toBe(404)
    expect(await call('/status/503')).toBe(503)
    const outcomes = await received(3)
    expect(outcomes.map(({ target, ok, kind, status }) => ({ target, ok, kind, status }))).toEqual([
      { target: 'parakeet', ok: true, status: 200 },
      { target: 'parakeet', ok: true, status: 404 },
      { target: 'parakeet', ok: false, kind: 'http_5xx', status: 503 },
    ])
    expect(monitor.batches[0]?.source).toBe('test')
  })

  it('times the request to its response head, and stamps when it was sent', async () => {
    const before = Date.now()
    expect(await call('/delay/150')).toBe(200)
    const [outcome] = await received(1)
    expect(outcome?.latency_ms).toBeGreaterThanOrEqual(145)
    expect(outcome?.latency_ms).toBeLessThan(1500)
    expect(outcome?.at).toBeGreaterThanOrEqual(before)
    expect(outcome?.at).toBeLessThanOrEqual(before + 100)
  })

  it('reports a stopped upstream as refused, and its return as ok', async () => {
    expect(await call('/')).toBe(200)
    await upstream.stop()
    const failure = await call('/')
    expect(failure).toBeInstanceOf(Error)
    await upstream.start()
    expect(await call('/')).toBe(200)
    const outcomes = await received(3)
    expect(outcomes.map((o) => o.kind ?? 'ok')).toEqual(['ok', 'refused', 'ok'])
  })

  it('reports a server that accepts but never answers as a timeout, whichever timeout fires', async () => {
    expect(await call('/hang', { headersTimeout: 100 })).toBeInstanceOf(Error)
    expect(await call('/hang', { signal: AbortSignal.timeout(100) })).toBeInstanceOf(Error)
    const outcomes = await received(2)
    expect(outcomes.map((o) => o.kind)).toEqual(['timeout', 'timeout'])
    for (const o of outcomes) expect(o.latency_ms).toBeGreaterThanOrEqual(95)
  })

  it('does not report a request its caller gave up on', async () => {
    const caller = new AbortController()
    const pending = call('/hang', { signal: caller.signal })
    // The upstream has the request before the caller goes away.
    await expect.poll(() => agent.stats[upstream.url]?.running ?? 0).toBe(1)
    caller.abort()
    expect(await pending).toBeInstanceOf(Error)
    expect(await call('/')).toBe(200)
    const outcomes = await received(1)
    // The answered request after it went out in a later batch or the same one; the aborted one never.
    await reporter.close()
    expect(monitor.outcomes()).toHaveLength(1)
    expect(outcomes[0]?.status).toBe(200)
  })

  it('adds a failed outcome when the body breaks after the head', async () => {
    expect(await call('/cut')).toBeInstanceOf(Error)
    const outcomes = await received(2)
    expect(outcomes.map((o) => o.kind ?? 'ok')).toEqual(['ok', 'reset'])
  })

  it('leaves out health checks and origins it does not know', async () => {
    const other = await listenRestartable(upstreamRoutes)
    try {
      expect(await call('/health')).toBe(200)
      expect(await call('/readyz?verbose=1')).toBe(200)
      const res = await request(`${other.url}/`, { dispatcher: reported })
      await res.body.text()
      // A POST to a health path is work, not a check.
      const posted = await request(`${upstream.url}/health`, { dispatcher: reported, method: 'POST' })
      await posted.body.text()
      const outcomes = await received(1)
      await reporter.close()
      expect(monitor.outcomes()).toHaveLength(1)
      expect(outcomes[0]?.target).toBe('parakeet')
    } finally {
      await other.stop()
    }
  })

  it('works for a pool driven through the handler API, as the gateway proxy drives it', async () => {
    const pool = new Pool(upstream.url)
    try {
      const dispatcher = reportOutcomes(pool, reporter, { [upstream.url]: 'speech-proxy' })
      const status = await new Promise<number>((resolve, reject) => {
        let code = 0
        dispatcher.dispatch(
          { origin: upstream.url, path: '/status/502', method: 'GET' },
          {
            // undici tells the handler API from the older one by this method.
            onRequestStart: () => {},
            onResponseStart: (_c, statusCode) => {
              code = statusCode
            },
            onResponseEnd: () => resolve(code),
            onResponseError: (_c, err) => reject(err),
          },
        )
      })
      expect(status).toBe(502)
      const [outcome] = await received(1)
      expect(outcome).toMatchObject({ target: 'speech-proxy', ok: false, kind: 'http_5xx', status: 502 })
    } finally {
      await pool.destroy()
    }
  })

  it('counts any answer of a service that relays its upstreams as alive, keeping the status', async () => {
    const relaying = reportOutcomes(agent, reporter, { [upstream.url]: 'speech-proxy' }, { relays: true })
    const res = await request(`${upstream.url}/status/503`, { dispatcher: relaying })
    await res.body.text()
    await upstream.stop()
    await request(`${upstream.url}/`, { dispatcher: relaying }).catch(() => undefined)
    const outcomes = await received(2)
    expect(outcomes.map(({ ok, kind, status }) => ({ ok, kind, status }))).toEqual([
      { ok: true, status: 503 },
      { ok: false, kind: 'refused' },
    ])
  })

  it('is the dispatcher itself when nothing is reported', () => {
    expect(reportOutcomes(agent, noOutcomeReporter(), { [upstream.url]: 'kokoro' })).toBe(agent)
    expect(reportOutcomes(agent, reporter, {})).toBe(agent)
  })
})

describe('originsOf', () => {
  it('keys targets by their URL origin and leaves out unset URLs', () => {
    expect(
      originsOf({
        parakeet: 'http://127.0.0.1:8000/v1/',
        kokoro: null,
        embeddings: 'not a url',
        qdrant: undefined,
      }),
    ).toEqual({ 'http://127.0.0.1:8000': 'parakeet' })
  })
})
