/**
 * One service's live view from what was read (pure): its container as docker inspect and stats
 * saw it, its last health check, or why its node could not be read. The pill is the earlier
 * tiles' word for it: healthy, unhealthy, starting (up less than STARTING_S, or restarting),
 * stopped, not_configured (no container, unknown node, hidden), unknown (the node did not answer).
 */
import type {
  ServiceContainerSpec,
  ServiceContainerView,
  ServiceHealth,
  ServicePill,
} from '../../../../shared/contracts/swap-controller.ts'
import type { ContainerStats, InspectedContainer } from './docker-inspect.ts'

/** A container up for less than this is still starting (models load before /health answers). */
export const STARTING_S = 30

export type ContainerReading =
  | { kind: 'found'; container: InspectedContainer; stats: ContainerStats | null }
  | { kind: 'missing' }
  | { kind: 'unknown'; reason: string }
  | { kind: 'not_configured'; reason: string }

export function pillOf(
  state: ServiceContainerView['state'],
  uptimeS: number | null,
  health: ServiceHealth | null,
  hasHealthCheck: boolean,
): ServicePill {
  if (state === 'unknown') return 'unknown'
  if (state === 'missing') return 'not_configured'
  if (state === 'restarting') return 'starting'
  if (state !== 'running') return 'stopped'
  const young = uptimeS !== null && uptimeS < STARTING_S
  if (!hasHealthCheck) return young ? 'starting' : 'healthy'
  if (health?.ok) return 'healthy'
  return young || health === null ? 'starting' : 'unhealthy'
}

const STATES = new Set(['running', 'restarting', 'exited', 'created', 'paused', 'dead'])

export function buildView(
  spec: ServiceContainerSpec,
  reading: ContainerReading,
  health: ServiceHealth | null,
  nowMs: number,
): ServiceContainerView {
  const base = {
    ...spec,
    started_at: null,
    uptime_s: null,
    restarts: null,
    memory_bytes: null,
    memory_limit_bytes: null,
    image: null,
    health: null,
    error: null,
  }
  if (reading.kind === 'not_configured')
    return { ...base, state: 'unknown', pill: 'not_configured', error: reading.reason }
  if (reading.kind === 'unknown') return { ...base, state: 'unknown', pill: 'unknown', error: reading.reason }
  if (reading.kind === 'missing')
    return {
      ...base,
      state: 'missing',
      pill: 'not_configured',
      error: `There is no container named ${spec.container} on ${spec.node}.`,
    }
  const c = reading.container
  // `removing` is a moment on the way out: shown as exited.
  const state = (STATES.has(c.state) ? c.state : 'exited') as ServiceContainerView['state']
  const started = c.startedAt ? Date.parse(c.startedAt) : Number.NaN
  const uptime =
    state === 'running' && Number.isFinite(started) ? Math.max(0, Math.round((nowMs - started) / 1000)) : null
  const shownHealth = state === 'running' ? health : null
  return {
    ...base,
    state,
    pill: pillOf(state, uptime, shownHealth, spec.health_path !== null),
    started_at: Number.isFinite(started) ? new Date(started).toISOString() : null,
    uptime_s: uptime,
    restarts: c.restartCount,
    memory_bytes: state === 'running' ? (reading.stats?.memoryBytes ?? null) : null,
    memory_limit_bytes: c.memoryLimit,
    image: c.image,
    health: shownHealth,
  }
}
