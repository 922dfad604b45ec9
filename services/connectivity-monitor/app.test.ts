import { describe, expect, it } from 'vitest'
import type { ReadyReport } from '../../shared/readiness.ts'
import { askRoutes } from '../../shared/testing/capabilities.ts'
import { MONITOR_CAPABILITIES } from './capabilities.ts'
import { postJson, startedMonitor } from './testing/app.ts'

describe('connectivity-monitor: the service', () => {
  it('answers every built route (none is 404 or 501)', async () => {
    const { app } = startedMonitor()
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
    const { app } = startedMonitor()
    const body = (await (await app.request('/ready')).json()) as ReadyReport
    expect(body.status).toBe('ready')
    expect(body.dependencies.history).toMatchObject({ state: 'up', detail: '0 outages open' })
    expect(body.capabilities?.connectivity).toMatchObject({ state: 'up', needs: ['history'], planned: [] })
  })

  it('calls the capability down while the history database fails, and outages answer 503', async () => {
    const { app, history } = startedMonitor()
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
    const { app, connectivityLog } = startedMonitor()
    const res = await app.request(
      '/api/health-event',
      postJson({ service: 'VLLM', ok: false, error: 'x'.repeat(400), ms: 3000, source: 'recap' }),
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
    const { app, connectivityLog } = startedMonitor()
    const res = await app.request('/api/health-event', postJson({ service: 'spark2', ok: true }))
    expect(res.status).toBe(200)
    expect(connectivityLog.reports[0]).toMatchObject({
      target: 'spark-2',
      evidence: { source: 'health-event', latencyMs: 0 },
    })
  })

  it('refuses an unknown service with 400 {"detail"} naming the known ones', async () => {
    const { app } = startedMonitor()
    const res = await app.request('/api/health-event', postJson({ service: 'nas', ok: true }))
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.detail).toBe('Unknown service "nas"; known: parakeet, spark-2, spark2, vllm.')
  })

  it('takes and drops a report on an earlier name it does not watch here (Qdrant with the embedded store)', async () => {
    const { app, connectivityLog } = startedMonitor()
    const res = await app.request('/api/health-event', postJson({ service: 'Qdrant', ok: false }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
    expect(connectivityLog.reports).toEqual([])
  })

  it('answers another method with 405 {"detail"} and Allow, not 404', async () => {
    const { app } = startedMonitor()
    const res = await app.request('/api/health-event')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect(typeof (await res.json()).detail).toBe('string')
  })

  it('refuses a body without `ok` with 422 and FastAPI’s field list', async () => {
    const { app } = startedMonitor()
    const res = await app.request('/api/health-event', postJson({ service: 'vllm' }))
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
    const { app, engine } = startedMonitor()
    const batch = {
      source: 'gateway',
      outcomes: [
        outcome('vllm', true),
        outcome('vllm', false),
        outcome('nope', true),
        outcome('nope', false),
      ],
    }
    const res = await app.request('/api/monitor/outcomes', postJson(batch))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ accepted: 2, unknown_targets: ['nope'] })
    expect(engine.views(Date.now()).find((v) => v.id === 'vllm')?.passive).toMatchObject({ ok: 1, failed: 1 })
  })

  it('refuses a batch over the limit with 400, a malformed outcome with 422', async () => {
    const { app } = startedMonitor()
    const big = { source: 'gateway', outcomes: Array.from({ length: 1001 }, () => outcome('vllm', true)) }
    const tooBig = await app.request('/api/monitor/outcomes', postJson(big))
    expect(tooBig.status).toBe(400)
    expect(tooBig.headers.get('content-type')).toContain('application/problem+json')
    const huge = { source: 'gateway', outcomes: [{ ...outcome('vllm', true), target: 'x'.repeat(600_000) }] }
    expect((await app.request('/api/monitor/outcomes', postJson(huge))).status).toBe(413)
    const bad = await app.request(
      '/api/monitor/outcomes',
      postJson({ source: 'gateway', outcomes: [{ target: 'vllm' }] }),
    )
    expect(bad.status).toBe(422)
  })
})
