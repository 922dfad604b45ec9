import { describe, expect, it } from 'vitest'
import { postJson, startedMonitor } from '../testing/app.ts'

describe('GET /api/monitor/targets, outages and uptime', () => {
  it('lists every target with its state and the monitor’s figures', async () => {
    const { app } = startedMonitor()
    const body = await (await app.request('/api/monitor/targets')).json()
    expect(body.targets.map((t: { id: string }) => t.id)).toEqual(['vllm', 'parakeet', 'spark-2'])
    expect(body.targets[0]).toMatchObject({
      state: 'unknown',
      address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/health$/),
    })
    expect(body.monitor).toMatchObject({ probe_budget_per_s: 1000, simulated: false })
  })

  it('lists the outages the history holds, filtered by target', async () => {
    const { app } = startedMonitor()
    const failed = { ok: false, kind: 'refused', latency_ms: 1 }
    const at = Date.now()
    const outcomes = [
      { target: 'vllm', at, ...failed },
      { target: 'vllm', at: at + 1, ...failed },
    ]
    await app.request('/api/monitor/outcomes', postJson({ source: 'gateway', outcomes }))
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
    const { app } = startedMonitor()
    const res = await app.request(path)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  })

  it('answers uptime for every target, or the one asked for', async () => {
    const { app } = startedMonitor()
    const all = await (await app.request('/api/monitor/uptime')).json()
    expect(all.targets.map((t: { target: string }) => t.target)).toEqual(['vllm', 'parakeet', 'spark-2'])
    const one = await (await app.request('/api/monitor/uptime?target=spark2')).json()
    expect(one.targets.map((t: { target: string }) => t.target)).toEqual(['spark-2'])
  })
})
