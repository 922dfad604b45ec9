/**
 * status: `/api/status` and `/api/endpoints` answer, the overall verdict is ok and every service the
 * installation has switched on is ready. A service that is disabled (`DISABLED_SERVICES`) or not
 * configured (Qdrant while the embedded store is in use) is named, not counted.
 */
import type { ClusterStatus, EndpointEntry } from '../../../shared/contracts/gateway.ts'
import { type Check, fail } from '../check.ts'

type StatusBody = Pick<ClusterStatus, 'overall' | 'summary'> & {
  upstreams?: Pick<ClusterStatus['upstreams'][number], 'name' | 'state' | 'detail'>[]
}

export const statusCheck: Check = {
  name: 'status',
  needs: [],
  async run({ client }) {
    const status = (await client.request('/api/status')).json<StatusBody>()
    const endpoints = (await client.request('/api/endpoints')).json<Record<string, EndpointEntry>>()
    return statusVerdict(status, endpoints)
  },
}

/** The summary line when everything switched on is ready; otherwise fails naming what is not. */
export function statusVerdict(status: StatusBody, endpoints: Record<string, EndpointEntry>): string {
  const entries = Object.values(endpoints ?? {})
  if (entries.length === 0) fail('/api/endpoints lists no services')
  const seen = new Map((status.upstreams ?? []).map((u) => [u.name, u]))
  const ready: string[] = []
  const off: string[] = []
  const notReady: string[] = []
  for (const entry of entries) {
    const upstream = seen.get(entry.name)
    if (entry.disabled) off.push(`${entry.name} disabled`)
    else if (upstream?.state === 'not_configured') off.push(`${entry.name} not configured`)
    else if (entry.ready) ready.push(entry.name)
    else notReady.push(`${entry.name} (${upstream ? `${upstream.state}: ${upstream.detail}` : entry.status})`)
  }
  if (notReady.length > 0)
    fail(
      `not ready: ${notReady.join(', ')}; /api/status says "${status.summary}" (overall ${status.overall})`,
    )
  if (status.overall !== 'ok') fail(`/api/status says "${status.summary}" (overall ${status.overall})`)
  return [`${ready.join(', ')} ready`, ...off].join('; ')
}
