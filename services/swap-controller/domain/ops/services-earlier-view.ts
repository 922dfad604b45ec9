/**
 * A service container's live view as the earlier dashboard's tile (`GET /api/services`): the
 * four pill words it knew, host:port, the model it serves, the restart count and its buttons.
 */
import type {
  EarlierServiceAction,
  EarlierServiceStatus,
  EarlierServiceTile,
  ServiceContainerSpec,
  ServiceContainerView,
  ServiceKind,
  ServicePill,
} from '../../../../shared/contracts/swap-controller.ts'
import { DEFAULT_EMBED_MODEL } from '../../../../shared/contracts/vector-search/embeddings.ts'

/** The earlier tiles had no word for a stopped or unreadable container: both showed Unhealthy. */
const EARLIER_WORD: Record<ServicePill, EarlierServiceStatus> = {
  healthy: 'Healthy',
  unhealthy: 'Unhealthy',
  starting: 'Starting',
  stopped: 'Unhealthy',
  not_configured: 'Not configured',
  unknown: 'Unhealthy',
}

/** What the default containers serve; a `kind: llm` service reports its own from `/v1/models`. */
const KNOWN_MODELS: Partial<Record<ServiceKind, string>> = {
  stt: 'nvidia/parakeet-tdt-0.6b-v3',
  tts: 'hexgrad/Kokoro-82M',
  embeddings: DEFAULT_EMBED_MODEL,
}

export const knownModel = (kind: ServiceKind): string | null => KNOWN_MODELS[kind] ?? null

/** The buttons of a tile: every service starts, stops, restarts and shows its log; a custom one with a checkout also updates. */
export function tileActions(
  spec: Pick<ServiceContainerSpec, 'custom' | 'update_dir'>,
): EarlierServiceAction[] {
  const actions: EarlierServiceAction[] = ['start', 'stop', 'restart', 'logs']
  if (spec.custom && spec.update_dir) actions.push('update')
  return actions
}

export function earlierTile(
  view: ServiceContainerView,
  extra: { host: string | null; model: string | null },
): EarlierServiceTile {
  const { host } = extra
  const url =
    host && view.port !== null ? `http://${host.includes(':') ? `[${host}]` : host}:${view.port}` : null
  return {
    name: view.name,
    kind: view.kind,
    node: view.node,
    host,
    port: view.port,
    url,
    container: view.container,
    state: view.state,
    status: EARLIER_WORD[view.pill],
    healthy: view.pill === 'healthy',
    pill: view.pill,
    health: view.health && {
      ok: view.health.ok,
      http_status: view.health.status,
      latency_s: view.health.ms === null ? null : Math.round(view.health.ms) / 1000,
      checked_at: view.health.at,
      error: view.health.error,
    },
    model: extra.model,
    restarts: view.restarts,
    uptime_s: view.uptime_s === null ? null : Math.floor(view.uptime_s),
    custom: view.custom,
    actions: tileActions(view),
    error: view.error,
  }
}

/** Where a service answers, from its health URL (which the inventory builds from `PARAKEET_URL` …). */
export function serviceBaseUrl(entry: {
  healthUrl: string | null
  spec: Pick<ServiceContainerSpec, 'health_path'>
}): string | null {
  const { healthUrl, spec } = entry
  if (!healthUrl || !spec.health_path || !healthUrl.endsWith(spec.health_path)) return null
  return healthUrl.slice(0, -spec.health_path.length)
}
