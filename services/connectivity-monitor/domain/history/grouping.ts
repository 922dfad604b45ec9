/**
 * Host outages: a node going down takes the services and upstreams on it with it. Whichever the
 * monitor notices first — the node (SSH, TCP) or a service on it — their outages are one event,
 * so a service's outage joins its node's when it starts while the node's lasts, or up to
 * `HOST_GROUP_WINDOW_MS` before the node's began.
 */

export const HOST_GROUP_WINDOW_MS = 5000

interface Span {
  startedAt: number
  endedAt: number | null
}

/** Whether an outage starting at `child.startedAt` on a node belongs to that node's outage `host`. */
export function belongsToHostOutage(child: Pick<Span, 'startedAt'>, host: Span): boolean {
  if (child.startedAt < host.startedAt - HOST_GROUP_WINDOW_MS) return false
  return host.endedAt === null || child.startedAt <= host.endedAt
}
