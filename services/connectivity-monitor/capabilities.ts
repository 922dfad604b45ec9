/**
 * What connectivity-monitor serves: nothing yet. The gateway already routes the earlier
 * `/api/health-event` here; it answers 501 until the monitor's issue builds it and moves it to
 * `built` (shared/capabilities.ts).
 */
import type { Capability } from '../../shared/capabilities.ts'

export const MONITOR_CAPABILITIES = [
  {
    name: 'connectivity',
    title: 'The connectivity monitor',
    needs: [],
    built: [],
    planned: ['POST /api/health-event'],
  },
] as const satisfies readonly Capability[]
