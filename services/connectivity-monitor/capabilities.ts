/**
 * What connectivity-monitor serves: the connectivity capability — the earlier `/api/health-event`
 * and the monitor's own routes. It needs no upstream (watching them is its job, and it works with
 * every one of them down), only its history database (`history` in /ready), so the capability is
 * called working exactly when its outage and uptime routes can answer (shared/capabilities.ts).
 */
import type { Capability } from '../../shared/capabilities.ts'

export const MONITOR_CAPABILITIES = [
  {
    name: 'connectivity',
    title: 'The connectivity monitor',
    needs: ['history'],
    built: [
      'POST /api/health-event',
      'POST /api/monitor/outcomes',
      'GET /api/monitor/targets',
      'GET /api/monitor/outages',
      'GET /api/monitor/uptime',
      'GET /api/monitor/events',
      'GET /api/monitor/maintenance',
      'POST /api/monitor/maintenance',
      'DELETE /api/monitor/maintenance/:id',
    ],
    planned: [],
  },
] as const satisfies readonly Capability[]
