import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { MonitorEvent } from '../../shared/contracts/connectivity-monitor.ts'
import { createLogger } from '../../shared/logger.ts'
import type { ReadyReport } from '../../shared/readiness.ts'
import { askRoutes } from '../../shared/testing/capabilities.ts'
import { MONITOR_CAPABILITIES } from './capabilities.ts'
import type { MonitorEngine } from './domain/engine/engine.ts'
import { monitorApp } from './testing/app.ts'

const engines: MonitorEngine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()))
})

function started(options: Parameters<typeof monitorApp>[0] = {}) {
  const m = monitorApp(options)
  m.engine.start()
  engines.push(m.engine)
  return m
}

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

describe('connectivity-monitor: the service', () => {
  it('answers every built route (none is 404 or 501)', async () => {
    const { app } = started()
    // The event stream never ends by itself; its own tests below read it.
    const [connectivity] = MONITOR_CAPABILITIES
    const built = connectivity.built.filter((r) => r !== 'GET /api/monitor/events')
    const answers = await askRoutes(app, [{ ...connectivity, built }], 'built')
    expect(answers).toHaveLength(8)
    for (const a of answers) {
      expect(a.status, a.route).not.toBe(501)
      // A 404 must be the handler's (no such window), never the router's.
      if (a.status === 404)
        expect((a.body as { detail: string }).detail, a.route).toBe('No maintenance window x.')
    }
  })

  it('is ready and calls the connectivity capability working while the history answers', async () => {
    const { app } = started()
    const body = (await (await app.request('/ready')).json()) as ReadyReport
    expect(body.status).toBe('ready')
    expect(body.dependencies.history).toMatchObject({ state: 'up', detail: '0 outages open' })
    expect(body.capabilities?.connectivity).toMatchObject({ state: 'up', needs: ['history'], planned: [] })
  })

  it('calls the capability down while the history database fails, and outages answer 503', async () => {
    const { app, history } = started()
    history.failing = true
    const ready = (await (await app.request('/ready')).json()) as ReadyReport
    expect(ready.capabilities?.connectivity).toMatchObject({ state: 'down' })
    expect(ready.capabilities?.connectivity?.detail).toContain('database is locked')
    const res = await app.request('/api/monitor/outages')
    expect(res.status).toBe(503)
    expect((await res.json()).detail).toContain('database is locked')
  })
})

describe('POST /api/health-event (the earlier route)', () => {
  it('takes a report by the earlier subject, logs it and answers {"ok": true}', async () => {
    const { app, connectivityLog } = started()
    const res = await app.request(
      '/api/health-event',
      post({ service: 'VLLM', ok: false, error: 'x'.repeat(400), ms: 3000, source: 'recap' }),
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
    const [report] = connectivityLog.reports
    expect(report).toMatchObject({
      target: 'vllm',
      evidence: { layer: 'passive', ok: false, kind: 'other', latencyMs: 3000, source: 'recap' },
    })
    expect(report!.evidence.detail).toHaveLength(280)
    expect(Date.now() - report!.evidence.at).toBeGreaterThanOrEqual(3000)
  })

  it('knows a node by its earlier subject, and defaults the source', async () => {
    const { app, connectivityLog } = started()
    const res = await app.request('/api/health-event', post({ service: 'spark2', ok: true }))
    expect(res.status).toBe(200)
    expect(connectivityLog.reports[0]).toMatchObject({
      target: 'spark-2',
      evidence: { source: 'health-event', latencyMs: 0 },
    })
  })

  it('refuses an unknown service with 400 {"detail"} naming the known ones', async () => {
    const { app } = started()
    const res = await app.request('/api/health-event', post({ service: 'nas', ok: true }))
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.detail).toBe('Unknown service "nas"; known: parakeet, spark-2, spark2, vllm.')
  })

  it('takes and drops a report on an earlier name it does not watch here (Qdrant with the embedded store)', async () => {
    const { app, connectivityLog } = started()
    const res = await app.request('/api/health-event', post({ service: 'Qdrant', ok: false }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
    expect(connectivityLog.reports).toEqual([])
  })

  it('answers another method with 405 {"detail"} and Allow, not 404', async () => {
    const { app } = started()
    const res = await app.request('/api/health-event')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect(typeof (await res.json()).detail).toBe('string')
  })

  it('refuses a body without `ok` with 422 and FastAPI’s field list', async () => {
    const { app } = started()
    const res = await app.request('/api/health-event', post({ service: 'vllm' }))
    expect(res.status).toBe(422)
    expect((await res.json()).detail).toEqual([expect.objectContaining({ loc: ['body', 'ok'] })])
  })
})

describe('POST /api/monitor/outcomes', () => {
  const outcome = (target: string, ok: boolean) => ({
    target,
    at: Date.now(),
    ok,
    ...(ok ? {} : { kind: 'refused' }),
    latency_ms: 12,
  })

  it('takes each outcome as passive evidence and counts the unknown targets', async () => {
    const { app, engine } = started()
    const batch = {
      source: 'gateway',
      outcomes: [
        outcome('vllm', true),
        outcome('vllm', false),
        outcome('nope', true),
        outcome('nope', false),
      ],
    }
    const res = await app.request('/api/monitor/outcomes', post(batch))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ accepted: 2, unknown_targets: ['nope'] })
    expect(engine.views(Date.now()).find((v) => v.id === 'vllm')?.passive).toMatchObject({ ok: 1, failed: 1 })
  })

  it('refuses a batch over the limit with 400, a malformed outcome with 422', async () => {
    const { app } = started()
    const big = { source: 'gateway', outcomes: Array.from({ length: 1001 }, () => outcome('vllm', true)) }
    const tooBig = await app.request('/api/monitor/outcomes', post(big))
    expect(tooBig.status).toBe(400)
    expect(tooBig.headers.get('content-type')).toContain('application/problem+json')
    const huge = { source: 'gateway', outcomes: [{ ...outcome('vllm', true), target: 'x'.repeat(600_000) }] }
    expect((await app.request('/api/monitor/outcomes', post(huge))).status).toBe(413)
    const bad = await app.request(
      '/api/monitor/outcomes',
      post({ source: 'gateway', outcomes: [{ target: 'vllm' }] }),
    )
    expect(bad.status).toBe(422)
  })
})

describe('GET /api/monitor/targets, outages and uptime', () => {
  it('lists every target with its state and the monitor’s figures', async () => {
    const { app } = started()
    const body = await (await app.request('/api/monitor/targets')).json()
    expect(body.targets.map((t: { id: string }) => t.id)).toEqual(['vllm', 'parakeet', 'spark-2'])
    expect(body.targets[0]).toMatchObject({
      state: 'unknown',
      address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/health$/),
    })
    expect(body.monitor).toMatchObject({ probe_budget_per_s: 1000, simulated: false })
  })

  it('lists the outages the history holds, filtered by target', async () => {
    const { app } = started()
    const failed = { ok: false, kind: 'refused', latency_ms: 1 }
    const at = Date.now()
    const outcomes = [
      { target: 'vllm', at, ...failed },
      { target: 'vllm', at: at + 1, ...failed },
    ]
    await app.request('/api/monitor/outcomes', post({ source: 'gateway', outcomes }))
    const all = await (await app.request('/api/monitor/outages?limit=5')).json()
    expect(all.outages).toEqual([expect.objectContaining({ target: 'vllm', ongoing: true })])
    const none = await (await app.request('/api/monitor/outages?target=parakeet')).json()
    expect(none.outages).toEqual([])
  })

  it.each([
    '/api/monitor/outages?limit=0',
    '/api/monitor/outages?limit=1001',
    '/api/monitor/outages?since=yesterday',
    '/api/monitor/outages?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z',
  ])('refuses %s with 400', async (path) => {
    const { app } = started()
    const res = await app.request(path)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  })

  it('answers uptime for every target, or the one asked for', async () => {
    const { app } = started()
    const all = await (await app.request('/api/monitor/uptime')).json()
    expect(all.targets.map((t: { target: string }) => t.target)).toEqual(['vllm', 'parakeet', 'spark-2'])
    const one = await (await app.request('/api/monitor/uptime?target=spark2')).json()
    expect(one.targets.map((t: { target: string }) => t.target)).toEqual(['spark-2'])
  })
})

describe('maintenance windows', () => {
  const later = () => new Date(Date.now() + 3_600_000).toISOString()

  it('opens a window, lists it, and ends it; both changes are answered and audited', async () => {
    const lines: string[] = []
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const { app } = started({ logger: createLogger({ service: 'test', destination }) })
    const added = await app.request(
      '/api/monitor/maintenance',
      post({ targets: ['vllm'], ends_at: later(), reason: 'new PSU' }, { 'x-spark-actor': 'owner' }),
    )
    expect(added.status).toBe(201)
    const window = await added.json()
    expect(window).toMatchObject({ targets: ['vllm'], reason: 'new PSU', source: 'owner' })
    const list = await (await app.request('/api/monitor/maintenance')).json()
    expect(list.windows).toEqual([window])
    const removed = await app.request(`/api/monitor/maintenance/${window.id}`, { method: 'DELETE' })
    expect(removed.status).toBe(200)
    expect(await removed.json()).toEqual({ id: window.id, removed: true })
    const again = await app.request(`/api/monitor/maintenance/${window.id}`, { method: 'DELETE' })
    expect(again.status).toBe(404)
    const audits = lines
      .map((l) => JSON.parse(l))
      .filter((l) => l.audit)
      .map((l) => l.audit)
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'maintenance.add',
        actor: 'owner',
        window: window.id,
        request_id: expect.any(String),
      }),
      expect.objectContaining({
        action: 'maintenance.remove',
        actor: 'api',
        window: window.id,
        outcome: 'ok',
      }),
      expect.objectContaining({ action: 'maintenance.remove', outcome: 'not_found' }),
    ])
  })

  it('refuses an unknown target with 400 and a window already over with 422', async () => {
    const { app } = started()
    const unknown = await app.request(
      '/api/monitor/maintenance',
      post({ targets: ['nas'], ends_at: later(), reason: 'x' }),
    )
    expect(unknown.status).toBe(400)
    const past = new Date(Date.now() - 1000).toISOString()
    const over = await app.request(
      '/api/monitor/maintenance',
      post({ targets: ['*'], ends_at: past, reason: 'x' }),
    )
    expect(over.status).toBe(422)
  })
})

describe('GET /api/monitor/events', () => {
  /** Reads SSE messages off a response until `count` have come. */
  async function readEvents(res: Response, count: number, onFirst?: () => void): Promise<MonitorEvent[]> {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    const events: MonitorEvent[] = []
    let buffer = ''
    while (events.length < count) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
      let end = buffer.indexOf('\n\n')
      while (end >= 0) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find((l) => l.startsWith('data:'))
        if (data) events.push(JSON.parse(data.slice(5)))
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
        if (events.length === 3) onFirst?.()
      }
    }
    await reader.cancel()
    return events
  }

  it('sends each target’s state first, then live events', async () => {
    const { app } = started()
    const res = await app.request('/api/monitor/events')
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events = await readEvents(res, 4, () => {
      void app.request('/api/health-event', post({ service: 'parakeet', ok: true, source: 'recap' }))
    })
    expect(events.slice(0, 3)).toEqual(
      ['vllm', 'parakeet', 'spark-2'].map((target) =>
        expect.objectContaining({ type: 'state', target, from: 'unknown', to: 'unknown' }),
      ),
    )
    expect(events.slice(3)).toEqual([
      expect.objectContaining({ type: 'state', target: 'parakeet', from: 'unknown', to: 'up' }),
    ])
  })

  it('sends a comment line while nothing happens, so proxies keep the stream open', async () => {
    const { app } = started({ events: { heartbeatMs: 20 } })
    const res = await app.request('/api/monitor/events')
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes(': keep-alive')) text += (await reader.read()).value ?? ''
    await reader.cancel()
    expect(text.indexOf(': keep-alive')).toBeGreaterThan(text.lastIndexOf('event: state'))
  })

  it('drops a client that falls behind instead of holding the engine', async () => {
    const { app, engine } = started({ events: { queueSize: 2 } })
    const res = await app.request('/api/monitor/events')
    // Nobody reads the stream: the queue fills and the client is dropped.
    for (let i = 0; i < 10; i++)
      engine.report({ target: 'vllm', layer: 'passive', at: Date.now(), ok: true, latencyMs: 1, source: 't' })
    const text = await res.text()
    expect(text.match(/event: state/g)).toHaveLength(3)
    expect(text.match(/event: report/g)?.length ?? 0).toBeLessThanOrEqual(2)
  })
})
