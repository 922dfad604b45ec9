/**
 * Which backend answers a path. Pure and cheap: it runs on every proxied request, so it is a map
 * lookup and a handful of prefix tests, no regular expressions. Paths the table does not claim
 * belong to the gateway itself (status, discovery, docs, dashboard) or are a 404. A path it claims
 * whose handler is not built yet answers 501 from its service (shared/capabilities.ts).
 */
import { BACKEND_SERVICES, type ServiceName } from '../../../shared/topology.ts'

export type BackendName = Exclude<ServiceName, 'gateway'>

/** Which time and size budget a request gets: chat and audio run long, audio uploads are large. */
export type Budget = 'chat' | 'audio' | 'standard'

export interface Route {
  service: BackendName
  /** The table entry that matched; a bounded label for metrics and logs, never the raw path. */
  pattern: string
  budget: Budget
  /** Set when the backend serves the request under another path (its standard endpoints). */
  upstreamPath?: string
}

const route = (service: BackendName, pattern: string, budget: Budget = 'standard'): Route => ({
  service,
  pattern,
  budget,
})

// A Map, not an object literal: a path like `/__proto__` must not find anything.
const EXACT = new Map<string, Route>([
  ['/v1/chat/completions', route('swap-controller', '/v1/chat/completions', 'chat')],
  ['/v1/completions', route('swap-controller', '/v1/completions', 'chat')],
  ['/v1/embeddings', route('vector-search', '/v1/embeddings')],
  ['/v1/rerank', route('vector-search', '/v1/rerank')],
  ['/api/search', route('vector-search', '/api/search')],
  ['/scrub', route('redaction-gateway', '/scrub')],
  ['/rehydrate', route('redaction-gateway', '/rehydrate')],
  // Both stream a model's answer, so they get chat's time budget (an idle gap can be long).
  ['/rehydrate/stream', route('redaction-gateway', '/rehydrate/stream', 'chat')],
  [
    '/scrub-proxy/v1/chat/completions',
    route('redaction-gateway', '/scrub-proxy/v1/chat/completions', 'chat'),
  ],
  ['/api/health-event', route('connectivity-monitor', '/api/health-event')],
])

/** Checked in order. `/api/swap*` and friends are literal prefixes (`/api/swapx` matches too). */
const PREFIXES: Array<[string, Route]> = [
  ['/v1/audio/', route('speech-proxy', '/v1/audio/*', 'audio')],
  ['/api/audio/', route('speech-proxy', '/api/audio/*', 'audio')],
  ['/api/speech/', route('speech-proxy', '/api/speech/*')],
  ['/api/redaction/', route('redaction-gateway', '/api/redaction/*')],
  ['/api/search/', route('vector-search', '/api/search/*')],
  ['/api/swap', route('swap-controller', '/api/swap*')],
  ['/api/models', route('swap-controller', '/api/models*')],
  ['/api/schedule', route('swap-controller', '/api/schedule*')],
  ['/api/services', route('swap-controller', '/api/services*')],
  ['/api/nim/', route('swap-controller', '/api/nim/*')],
  ['/api/ops/', route('swap-controller', '/api/ops/*')],
  ['/api/monitor/', route('connectivity-monitor', '/api/monitor/*')],
]

const BACKENDS = new Set<string>(BACKEND_SERVICES)

/**
 * Every service's standard endpoints, reachable through the one public port as
 * `/api/<service>/health` and so on; the backend serves them at its root.
 */
const STANDARD_ENDPOINTS = new Set(['health', 'ready', 'metrics', 'openapi.json'])

/** `/api/<service>/…` for every backend, so new routes need no gateway change. */
function serviceScoped(path: string): Route | null {
  const end = path.indexOf('/', 5)
  if (end === -1) return null
  const name = path.slice(5, end)
  if (!BACKENDS.has(name)) return null
  const service = name as BackendName
  const rest = path.slice(end + 1)
  if (STANDARD_ENDPOINTS.has(rest)) {
    return { service, pattern: `/api/${service}/${rest}`, budget: 'standard', upstreamPath: `/${rest}` }
  }
  return { service, pattern: `/api/${service}/*`, budget: service === 'speech-proxy' ? 'audio' : 'standard' }
}

/**
 * Every path and prefix the table sends to a backend (not the `/api/<service>/*` namespace). A test
 * checks each one either reaches a handler or answers 501 through the gateway, never 404.
 */
export function routedPaths(): Array<{ match: 'exact' | 'prefix'; path: string; route: Route }> {
  return [
    ...[...EXACT].map(([path, route]) => ({ match: 'exact' as const, path, route })),
    ...PREFIXES.map(([path, route]) => ({ match: 'prefix' as const, path, route })),
  ]
}

/** The backend for `path` (no query string), or null when the gateway answers it itself. */
export function resolveRoute(path: string): Route | null {
  const exact = EXACT.get(path)
  if (exact) return exact
  if (path.startsWith('/api/')) {
    const scoped = serviceScoped(path)
    if (scoped) return scoped
  }
  for (const [prefix, target] of PREFIXES) if (path.startsWith(prefix)) return target
  return null
}

/**
 * The data routes apps call without a browser; the CSRF guard leaves them alone, as the earlier
 * version did. Everything else is a control route.
 */
export function isDataRoute(path: string): boolean {
  return (
    path === '/v1' ||
    path.startsWith('/v1/') ||
    path === '/scrub' ||
    path === '/rehydrate' ||
    path === '/rehydrate/stream' ||
    path.startsWith('/scrub-proxy/v1/') ||
    path.startsWith('/api/search') ||
    path.startsWith('/api/audio/') ||
    path === '/api/health-event'
  )
}
