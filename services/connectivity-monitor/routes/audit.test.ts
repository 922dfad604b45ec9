import { describe, expect, it } from 'vitest'
import { openAuditStore } from '../../../shared/audit/store.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { postJson, startedMonitor } from '../testing/app.ts'

describe('maintenance windows, audited', () => {
  it('records a window planned and ended with who asked, readable at /api/connectivity-monitor/audit', async () => {
    const audit = await openAuditStore(':memory:', { logger: silentLogger() })
    const { app } = startedMonitor({ audit })
    const ends = new Date(Date.now() + 3_600_000).toISOString()
    const added = await app.request(
      '/api/monitor/maintenance',
      postJson({ targets: ['vllm'], ends_at: ends, reason: 'new PSU' }, { 'x-spark-actor': 'owner' }),
    )
    const window = await added.json()
    await app.request(`/api/monitor/maintenance/${window.id}`, { method: 'DELETE' })
    const { entries } = await (await app.request('/api/connectivity-monitor/audit')).json()
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'maintenance.remove',
        actor: 'api',
        target: window.id,
        outcome: 'ok',
      }),
      expect.objectContaining({ action: 'maintenance.add', actor: 'owner', target: 'vllm', outcome: 'ok' }),
    ])
    const refused = await app.request('/api/connectivity-monitor/audit?since=not-a-time')
    expect(refused.status).toBe(422)
    audit.close()
  })
})
