/**
 * Which API-key group (docs/SECURITY.md) a request belongs to, derived from the route table rather than a
 * second list of paths: the backend a path goes to decides the group, and for the control backends
 * only state-changing methods count (reads stay open, like the dashboard's polling). Null means the
 * request never needs a key (discovery, docs, health, the dashboard's pages).
 */
import type { Scope } from '../../../shared/auth/keys.ts'
import type { Route } from './route-table.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Data backends: every method of their routes is in the group. */
const DATA_GROUPS: Partial<Record<Route['service'], Scope>> = {
  'speech-proxy': 'audio',
  'vector-search': 'search',
  'redaction-gateway': 'redaction',
}

/**
 * The dashboard's forms post to `/ui/actions/…`; the gateway serves them itself. The unlock form
 * (`POST /ui/unlock`) must stay open: it is how a browser presents its key.
 */
const DASHBOARD_ACTIONS = '/ui/actions/'
/** The gateway's own control route: saving the settings file (routes/settings.ts). */
const GATEWAY_CONTROLS = new Set(['/api/settings'])
/** The gateway's key management (routes/keys.ts), every method. */
const KEYS_PATH = '/api/keys'

/** `route`: what `resolveRoute(path)` found (null: the gateway answers the path itself). */
export function groupFor(method: string, path: string, route: Route | null): Scope | null {
  const safe = SAFE_METHODS.has(method.toUpperCase())
  // CORS preflights carry no credentials by design; the real request that follows is checked.
  if (method.toUpperCase() === 'OPTIONS') return null
  // Key management: even a read is admin's, as it names every key and what it may do.
  if (route === null && (path === KEYS_PATH || path.startsWith(`${KEYS_PATH}/`))) return 'admin'
  // The audit logs (merged, and each service's own) name who did what: admin's, like the keys.
  if (path === '/api/audit' || /^\/api\/[a-z-]+\/audit$/.test(path)) return 'admin'
  if (route === null)
    return !safe && (path.startsWith(DASHBOARD_ACTIONS) || GATEWAY_CONTROLS.has(path)) ? 'admin' : null
  // `/api/<service>/health|ready|metrics|openapi.json`: the same as each service's own probes.
  if (route.upstreamPath !== undefined) return null
  // Before the chat budget: the redaction routes that stream (scrub-proxy, /rehydrate/stream) read maps.
  const data = DATA_GROUPS[route.service]
  if (data) return data
  if (route.budget === 'chat') return 'chat'
  // `/api/health-event` is a report the apps send, not a change to the cluster.
  if (route.service === 'connectivity-monitor' && path === '/api/health-event') return null
  // swap-controller (swaps, models, services, schedule, lock, NIM) and the monitor's own routes.
  return safe ? null : 'admin'
}
