/**
 * "No chat model" can be a fault or a choice. The cluster status only sees vLLM down; the
 * swap-controller's audit log says whether someone stopped it on purpose (`POST /api/swap/stop`,
 * audited as `swap.stop`). A deliberate stop is said in a neutral tone, not as trouble.
 */
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'
import type { AuditEntry } from '../swap/source.ts'

/**
 * The audit rows that changed which model is loaded: real switches and stops that ran (not refused,
 * not dry runs). Only these are read, so nothing else can crowd the newest one out of sight.
 */
export const MODEL_CHANGES = {
  actions: ['swap.start', 'swap.stop'],
  outcomes: ['ok', 'ready', 'rolled_back', 'failed', 'cancelled'],
  dryRun: false,
} as const
export const STOP_HISTORY = 5

export interface DeliberateStop {
  actor: string
  at: string
  /** Set while a switch runs: the model is away because it is being replaced by this one. */
  switchingTo?: string
}

/** A switch in progress, said like a stop: no model answers, on purpose, for a while. */
export function switchInProgress(
  job: { outcome: string; model: string; started_at: string } | null | undefined,
): DeliberateStop | null {
  return job?.outcome === 'running' ? { actor: '', at: job.started_at, switchingTo: job.model } : null
}

/** "stopped by alice at 04:08 UTC", or "switching to gpt-oss-120b since 04:08 UTC". */
export const stoppedWords = (s: DeliberateStop, clock: (iso: string) => string) =>
  s.switchingTo
    ? `switching to ${s.switchingTo} since ${clock(s.at)}`
    : `stopped by ${s.actor} at ${clock(s.at)}`

/**
 * The newest change of the loaded model, if it was a completed stop. A switch after it (ended in
 * any way but a refusal) means the stop is no longer what the cluster shows.
 */
export function deliberateStop(history: AuditEntry[] | null): DeliberateStop | null {
  const last = history?.find(
    (e) =>
      !e.dry_run &&
      ((e.action === 'swap.start' && e.outcome !== 'refused') ||
        (e.action === 'swap.stop' && e.outcome === 'ok')),
  )
  return last?.action === 'swap.stop' ? { actor: last.actor, at: last.at } : null
}

/** The stop applies only while nothing answers: a model started by hand since wins. */
export const stopApplies = (
  status: ClusterStatus,
  stopped: DeliberateStop | null | undefined,
): stopped is DeliberateStop => !!stopped && status.loaded_model === null

/** A service's trouble that is only vLLM being away. */
const onlyVllm = (s: ClusterStatus['services'][number]) => {
  const troubled = Object.entries(s.dependencies).filter(([, d]) => d.state === 'down' || d.state === 'busy')
  return s.state === 'degraded' && troubled.length > 0 && troubled.every(([name]) => name === 'vllm')
}

/** Whether everything but the stopped chat model is well: then the stop is the whole story. */
export function onlyTheStop(status: ClusterStatus): boolean {
  return (
    status.overall !== 'down' &&
    status.services.every((s) => s.state === 'up' || s.state === 'not_configured' || onlyVllm(s)) &&
    status.upstreams.every((u) => u.name === 'vllm' || u.disabled || u.state !== 'down') &&
    status.nodes.every((n) => n.reachable || n.state === 'not_configured')
  )
}

export const serviceOnlyMissesModel = onlyVllm
