/**
 * The gateway's aggregated view of the whole system, built from every service's `/ready`.
 * `/api/status` returns it and the dashboard renders it; its shape is the gateway's wire contract.
 */
import type {
  ClusterStatus,
  NodeStatus,
  ServiceStatus,
  Switching,
  UpstreamStatus,
} from '../../../shared/contracts/gateway.ts'
import type { JobView } from '../../../shared/contracts/swap-controller.ts'
import type { DependencyReport, ReadyReport } from '../../../shared/readiness.ts'
import { type ServiceName, UPSTREAM_NAMES, UPSTREAMS, type UpstreamName } from '../../../shared/topology.ts'
import { type CapabilityStatus, capabilityStatuses, notBuiltNote } from './capability-status.ts'
import { dependencyTitle, summarize } from './status-summary.ts'

// The shapes `/api/status` answers, defined by the contract (shared/contracts/gateway.ts).
export type {
  ClusterStatus,
  NodeStatus,
  ServiceStatus,
  UpstreamStatus,
} from '../../../shared/contracts/gateway.ts'

/** What the gateway learned from one backend's `/ready` (the input of `buildClusterStatus`). */
export interface ServiceProbeResult {
  name: Exclude<ServiceName, 'gateway'>
  url: string | null
  /** The backend's own readiness report, when it answered with one (200 or 503). */
  report: ReadyReport | null
  /** Why there is no report, in plain words ("connection refused"). */
  error: string | null
  latency_ms: number | null
  /** Named in `DISABLED_SERVICES`: not probed. */
  disabled: boolean
}

export interface StatusOptions {
  /** `DISABLED_SERVICES` of the gateway: upstream or service names switched off on purpose. */
  disabled: readonly string[]
  /** The gateway's own `SIMULATED_CLUSTER`. */
  simulated: boolean
  now: Date
  /** The swap-controller's current job, when it could be read; a running one is a planned switch. */
  swap?: JobView | null
}

/** Builds the one view of the system from every backend's readiness report. Pure. */
export function buildClusterStatus(probes: ServiceProbeResult[], options: StatusOptions): ClusterStatus {
  const capabilities = capabilityStatuses(probes)
  const services = probes.map((p) => serviceStatus(p, capabilities))
  const switching = switchingFrom(options.swap)
  const upstreams = UPSTREAM_NAMES.map((name) => upstreamStatus(name, probes, options.disabled, switching))
  const nodes = nodeStatuses(probes)
  const vllm = upstreams.find((u) => u.name === 'vllm')
  const loaded_model = vllm?.ready ? vllm.model : null
  const { overall, summary } = summarize({ services, upstreams, nodes, loaded_model, switching })
  return {
    simulated: options.simulated || probes.some((p) => p.report?.simulated === true),
    overall,
    summary,
    loaded_model,
    services,
    upstreams,
    nodes,
    capabilities,
    checked_at: options.now.toISOString(),
    switching,
  }
}

/** Only a job still running is a switch; a finished one is history (its outcome shows in the model). */
function switchingFrom(job: JobView | null | undefined): Switching | null {
  if (job?.outcome !== 'running' || job.finished_at !== null) return null
  return {
    job_id: job.job_id,
    status: job.status,
    recipe: job.recipe,
    model: job.model,
    from_model: job.from_model,
    started_at: job.started_at,
    percent: job.progress?.percent ?? null,
    eta_s: job.progress?.eta_s ?? null,
  }
}

function serviceStatus(p: ServiceProbeResult, capabilities: CapabilityStatus[] = []): ServiceStatus {
  const base = { name: p.name, url: p.url, latency_ms: p.latency_ms }
  if (p.disabled) {
    return { ...base, state: 'not_configured', detail: 'Turned off by DISABLED_SERVICES.', dependencies: {} }
  }
  if (!p.report) {
    return { ...base, state: 'down', detail: `Not answering: ${p.error ?? 'no answer'}.`, dependencies: {} }
  }
  const dependencies = p.report.dependencies
  const troubled = Object.entries(dependencies).filter(([, d]) => d.state === 'down' || d.state === 'busy')
  const troubles = troubled.map(([name, d]) => `${dependencyTitle(name)} is ${d.state}`).join('; ')
  switch (p.report.status) {
    case 'ready':
      return { ...base, state: 'up', detail: notBuiltNote(capabilities, p.name) ?? 'Working.', dependencies }
    case 'degraded':
      return {
        ...base,
        state: 'degraded',
        detail: `Working, but ${troubles || 'a dependency has trouble'}.`,
        dependencies,
      }
    default:
      return {
        ...base,
        state: 'down',
        detail: `Answers, but cannot serve: ${troubles || 'not ready'}.`,
        dependencies,
      }
  }
}

function upstreamStatus(
  name: UpstreamName,
  probes: ServiceProbeResult[],
  disabled: readonly string[],
  switching: Switching | null,
): UpstreamStatus {
  const owner = UPSTREAMS[name].owner as Exclude<ServiceName, 'gateway'>
  // The owner's word first; another service that reports the same upstream fills in when it is down.
  const ordered = [...probes.filter((p) => p.name === owner), ...probes.filter((p) => p.name !== owner)]
  const source = ordered.find((p) => p.report?.dependencies[name] !== undefined)
  const dep = source?.report?.dependencies[name]
  const info = readUpstreamInfo(dep?.info)
  const switchedOff = disabled.includes(name) || info.disabled || dep?.state === 'disabled'
  const base = { name, kind: info.kind ?? UPSTREAMS[name].kind, base_url: info.base_url, model: info.model }
  const via = source?.name ?? owner
  if (switchedOff) {
    return {
      ...base,
      state: 'disabled',
      ready: false,
      disabled: true,
      detail: 'Turned off by DISABLED_SERVICES.',
      via,
    }
  }
  if (!dep) {
    const ownerProbe = probes.find((p) => p.name === owner)
    const why = !ownerProbe?.report ? `${owner} is not answering` : `${owner} does not report it`
    return { ...base, state: 'unknown', ready: false, disabled: false, detail: `Unknown: ${why}.`, via }
  }
  const ready = dep.state === 'up' || dep.state === 'busy'
  // vLLM away during a planned switch is the switch, not a fault: say so instead of the error.
  const switchWords = name === 'vllm' && !ready && switching ? `Switching to ${switching.model}.` : null
  return {
    ...base,
    state: dep.state,
    ready,
    disabled: false,
    detail: switchWords ?? dep.detail ?? stateWords(dep.state),
    via,
  }
}

/** Only trusted fields are read from `info`; a backend sending something odd cannot break the view. */
function readUpstreamInfo(info: Record<string, unknown> | undefined) {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)
  return {
    kind: str(info?.kind),
    base_url: str(info?.base_url),
    model: str(info?.model),
    disabled: info?.disabled === true,
  }
}

function nodeStatuses(probes: ServiceProbeResult[]): NodeStatus[] {
  const byName = new Map<string, NodeStatus>()
  for (const p of probes) {
    for (const [key, dep] of Object.entries(p.report?.dependencies ?? {})) {
      if (!key.startsWith('node:')) continue
      const info = dep.info ?? {}
      const name = typeof info.name === 'string' && info.name ? info.name : key.slice(5)
      const reachable = dep.state === 'up' || dep.state === 'busy'
      const seen = byName.get(name)
      // Several services may see a node; one that reaches it is proof that it is reachable.
      if (seen && (seen.reachable || !reachable)) continue
      byName.set(name, {
        name,
        host: typeof info.host === 'string' ? info.host : (seen?.host ?? ''),
        role: typeof info.role === 'string' ? info.role : (seen?.role ?? ''),
        reachable,
        state: dep.state,
        detail: dep.detail ?? stateWords(dep.state),
      })
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
}

function stateWords(state: DependencyReport['state']): string {
  const words: Record<DependencyReport['state'], string> = {
    up: 'Working.',
    busy: 'Busy, but answering.',
    down: 'Not answering.',
    not_configured: 'Not configured.',
    disabled: 'Turned off.',
  }
  return words[state]
}

/** How one backend looks from the gateway's own `/ready`: answering is what matters here. */
export function serviceDependency(p: ServiceProbeResult): DependencyReport {
  const info = { url: p.url }
  const latency = p.latency_ms === null ? {} : { latency_ms: p.latency_ms }
  if (p.disabled) return { state: 'disabled', detail: 'Turned off by DISABLED_SERVICES.', info }
  if (!p.report) return { state: 'down', detail: p.error ?? 'no answer', info, ...latency }
  const detail = serviceStatus(p).detail
  return { state: p.report.status === 'not_ready' ? 'down' : 'up', detail, info, ...latency }
}
