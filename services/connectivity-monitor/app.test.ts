import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import type { ReadyReport } from '../../shared/readiness.ts'
import { askRoutes } from '../../shared/testing/capabilities.ts'
import { buildApp } from './app.ts'
import { MONITOR_CAPABILITIES } from './capabilities.ts'
import { loadMonitorConfig } from './config.ts'

const monitorApp = () => buildApp({ config: loadMonitorConfig({}), logger: silentLogger() })

describe('connectivity-monitor before it is built', () => {
  it('answers the earlier POST /api/health-event with 501 {"detail": …}, not 404', async () => {
    const answers = await askRoutes(monitorApp(), MONITOR_CAPABILITIES, 'planned')
    expect(answers).toEqual([
      {
        route: 'POST /api/health-event',
        status: 501,
        body: {
          detail: 'The connectivity monitor is not built yet in this version of Spark Control.',
          capability: 'connectivity',
        },
      },
    ])
  })

  it('is ready (it answers) and says its one capability is not built', async () => {
    const res = await monitorApp().request('/ready')
    expect(res.status).toBe(200)
    const body = (await res.json()) as ReadyReport
    expect(body.status).toBe('ready')
    expect(body.capabilities).toEqual({
      connectivity: {
        title: 'The connectivity monitor',
        state: 'not_built',
        detail: 'Not built yet in this version of Spark Control.',
        needs: [],
        built: [],
        planned: ['POST /api/health-event'],
      },
    })
  })
})
