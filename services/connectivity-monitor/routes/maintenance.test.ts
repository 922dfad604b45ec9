import { describe, expect, it } from 'vitest'
import { captureLog } from '../../../shared/testing/log-capture.ts'
import { postJson, startedMonitor } from '../testing/app.ts'

describe('maintenance windows', () => {
  const later = () => new Date(Date.now() + 3_600_000).toISOString()

  it('opens a window, lists it, and ends it; both changes are answered and audited', async () => {
    const { lines, logger } = captureLog()
    const { app } = startedMonitor({ logger })
    const added = await app.request(
      '/api/monitor/maintenance',
      postJson({ targets: ['vllm'], ends_at: later(), reason: 'new PSU' }, { 'x-spark-actor': 'owner' }),
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
    const { app } = startedMonitor()
    const unknown = await app.request(
      '/api/monitor/maintenance',
      postJson({ targets: ['nas'], ends_at: later(), reason: 'x' }),
    )
    expect(unknown.status).toBe(400)
    const past = new Date(Date.now() - 1000).toISOString()
    const over = await app.request(
      '/api/monitor/maintenance',
      postJson({ targets: ['*'], ends_at: past, reason: 'x' }),
    )
    expect(over.status).toBe(422)
  })
})
