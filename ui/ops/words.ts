/** The operations page in words: service pills, uptime, memory, health, restart and patch outcomes. */
import type { StateLook, Tone } from '../components/labels.ts'
import { agoWords, latency, span } from '../connectivity/words.ts'
import { gib } from '../swap/format.ts'
import type {
  AutoRestartEntry,
  OpsServicesAnswer,
  PatchApplyResult,
  PatchStep,
  RestartAnswer,
  ServiceContainerView,
  ServiceHealth,
} from './source.ts'

const PILLS: Record<ServiceContainerView['pill'], StateLook> = {
  healthy: { label: 'Healthy', icon: '✓', tone: 'good' },
  starting: { label: 'Starting', icon: '◐', tone: 'busy' },
  unhealthy: { label: 'Unhealthy', icon: '✕', tone: 'bad' },
  stopped: { label: 'Stopped', icon: '■', tone: 'off' },
  not_configured: { label: 'Not configured', icon: '–', tone: 'off' },
  unknown: { label: 'Unknown', icon: '?', tone: 'warn' },
}

export const pillLook = (pill: ServiceContainerView['pill']): StateLook => PILLS[pill] ?? PILLS.unknown

const STATE_WORDS: Record<ServiceContainerView['state'], string> = {
  running: 'running',
  restarting: 'restarting (docker is starting it again)',
  exited: 'stopped (the container exited)',
  created: 'created, never started',
  paused: 'paused',
  dead: 'dead (docker could not stop or remove it)',
  missing: 'missing: there is no container of that name on the node',
  unknown: 'unknown: the node did not answer',
}

export const containerStateWords = (s: ServiceContainerView['state']) => STATE_WORDS[s] ?? s

export const uptimeWords = (v: ServiceContainerView) =>
  v.state === 'running' && v.uptime_s !== null ? `up ${span(v.uptime_s * 1000)}` : '—'

export const restartsWords = (n: number | null) =>
  n === null ? 'unknown' : n === 0 ? 'never restarted by docker' : `${n} restart${n === 1 ? '' : 's'}`

/** "6.0 GiB of a 24 GiB cap (25 %)", and a cap the inventory wants that is not in force said so. */
export function memoryWords(v: ServiceContainerView): string {
  const used = v.memory_bytes
  const limit = v.memory_limit_bytes !== null && v.memory_limit_bytes > 0 ? v.memory_limit_bytes : null
  // A container that is not there (or a node that did not answer) has no figures to compare.
  if (used === null) return limit === null ? 'not known' : `not known (cap ${gib(limit)})`
  const inForce =
    limit === null
      ? `${gib(used)} (no cap)`
      : `${gib(used)} of a ${gib(limit)} cap (${Math.round((used / limit) * 100)} %)`
  const wanted = v.memory_cap_bytes
  if (wanted !== null && wanted !== limit) return `${inForce} — ${gib(wanted)} wanted: re-apply the patches`
  return inForce
}

/** "answering (HTTP 200 in 12 ms), 2.0 s ago" / "failing: connection refused, 1 min ago". */
export function healthWords(h: ServiceHealth | null, now: Date): string {
  if (!h) return 'not checked yet'
  const when = agoWords(h.at, now)
  if (h.ok)
    return `answering (HTTP ${h.status ?? '?'}${h.ms === null ? '' : ` in ${latency(h.ms)}`}), ${when}`
  const why = h.error ?? (h.status === null ? 'no answer' : `HTTP ${h.status}`)
  return `failing: ${why}, ${when}`
}

const AUTO_OUTCOMES: Record<AutoRestartEntry['outcome'], string> = {
  restarted: 'restarted automatically',
  failed: 'automatic restart failed',
  rate_limited: 'not restarted: too many automatic restarts recently',
  refused_swap: 'not restarted: a model switch was using its node',
}

export const autoEntryWords = (e: AutoRestartEntry, now: Date) =>
  `${agoWords(e.at, now)}: ${AUTO_OUTCOMES[e.outcome] ?? e.outcome}${e.detail ? ` (${e.detail})` : ''}`

/** "on (at most 3 in 30 min)", "off for this service", "off (OPS_AUTO_RESTART is not set)". */
export function autoRestartWords(v: ServiceContainerView, auto: OpsServicesAnswer['auto_restart']): string {
  if (!auto.enabled) return 'off (automatic restarts are not turned on for this installation)'
  if (!v.auto_restart) return 'off for this service'
  return `on (at most ${auto.max} in ${span(auto.window_s * 1000)})`
}

/** What a restart will do, in plain words (before the commands). */
export function restartPlanWords(a: RestartAnswer): string[] {
  return [
    `Docker on ${a.node} stops the container ${a.container} and starts it again.`,
    `While it restarts, ${a.service} does not answer: requests in flight fail and new ones are refused until it is healthy again (usually a few seconds; a model can take a minute to load).`,
    'Nothing else on the node is touched, and its settings and data are kept.',
  ]
}

/** "Restarted parakeet in 4 s. Health after: answering (HTTP 200 in 15 ms)." */
export function restartResultWords(a: RestartAnswer): { tone: Tone; text: string } {
  if (!a.restarted) return { tone: 'bad', text: `${a.service} was not restarted.` }
  const took = a.duration_ms === null ? '' : ` in ${span(a.duration_ms)}`
  const h = a.health_after
  if (!h)
    return { tone: 'warn', text: `Restarted ${a.service}${took}; its health was not checked afterwards.` }
  if (h.ok) {
    const ms = h.ms === null ? '' : ` in ${latency(h.ms)}`
    return {
      tone: 'good',
      text: `Restarted ${a.service}${took}. Health after: answering (HTTP ${h.status ?? '?'}${ms}).`,
    }
  }
  const why = h.error ?? (h.status === null ? 'no answer' : `HTTP ${h.status}`)
  return { tone: 'warn', text: `Restarted ${a.service}${took}, but its health check still fails: ${why}.` }
}

const STEP_KINDS: Record<PatchStep['kind'], string> = {
  check: 'check',
  apply: 'apply',
  recheck: 'check again',
}

export const stepName = (s: PatchStep) => STEP_KINDS[s.kind] ?? s.kind

/** One step of a patch run: "apply: ok (40 ms)", "check again: still fails — HostConfig.Memory is 0". */
export function stepWords(s: PatchStep): { tone: Tone; text: string } {
  const name = stepName(s)
  if (s.ok === null) return { tone: 'off', text: `${name}: would run` }
  const ms = s.ms === null ? '' : ` (${latency(s.ms)})`
  const detail = s.detail ? ` — ${s.detail}` : ''
  if (s.ok) return { tone: 'good', text: `${name}: ok${ms}` }
  // A first check failing is why the patch is applied; only an apply or a recheck failing is a problem.
  if (s.kind === 'check') return { tone: 'off', text: `${name}: not applied yet${detail}` }
  if (s.kind === 'recheck') return { tone: 'bad', text: `${name}: still fails after apply${detail}` }
  return { tone: 'bad', text: `${name}: failed (exit ${s.exit_code ?? '?'})${detail}` }
}

/** How one patch's run ended: applied, already applied, or a problem said as one. */
export function patchOutcome(r: PatchApplyResult, dryRun: boolean): { tone: Tone; text: string } {
  if (r.skipped) return { tone: 'off', text: 'already applied: nothing ran' }
  if (dryRun)
    return {
      tone: 'busy',
      text: `missing: ${r.steps.length} step${r.steps.length === 1 ? '' : 's'} would run`,
    }
  if (r.applied) return { tone: 'good', text: 'applied: the check passes now' }
  const recheck = r.steps.find((s) => s.kind === 'recheck')
  if (recheck && recheck.ok === false)
    return { tone: 'bad', text: 'problem: the check still fails after apply, so it is not applied' }
  return { tone: 'bad', text: 'problem: not applied' }
}

export const PATCH_STATES: Record<'applied' | 'missing' | 'unknown', StateLook> = {
  applied: { label: 'Applied', icon: '✓', tone: 'good' },
  missing: { label: 'Missing', icon: '✕', tone: 'warn' },
  unknown: { label: 'Unknown', icon: '?', tone: 'off' },
}
