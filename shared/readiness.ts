/**
 * Readiness: each service names its dependencies and how to check them, and the capabilities it
 * serves (shared/capabilities.ts), each judged from those same checks.
 *
 * A dependency that is not configured is reported, not failed — an owner who has not set up Qdrant
 * still has a working gateway. Only `critical` dependencies make `/ready` answer 503; the rest
 * show up as `degraded` so the dashboard can explain them. A capability that is not built yet is
 * `not_built` whatever its upstream says, and never makes the service less ready.
 */
import { basename } from 'node:path'
import { assessCapabilities, type Capability, type CapabilityReport } from './capabilities.ts'
import { storageFaultDetail, storageFaults } from './sqlite-faults.ts'

export type DependencyState = 'up' | 'busy' | 'down' | 'not_configured' | 'disabled'

export interface DependencyReport {
  state: DependencyState
  /** Plain-language note for the dashboard ("connection refused", "model Qwen/… loaded"). */
  detail?: string
  latency_ms?: number
  /** Facts the gateway's discovery routes read (base_url, model, …). */
  info?: Record<string, unknown>
}

export interface DependencyCheck {
  name: string
  critical?: boolean
  check: (signal: AbortSignal) => Promise<DependencyReport>
}

export interface ReadyReport {
  service: string
  status: 'ready' | 'degraded' | 'not_ready'
  simulated: boolean
  checked_at: string
  dependencies: Record<string, DependencyReport & { critical: boolean }>
  /** What the service serves and whether each works; absent from reports of services that declare none. */
  capabilities?: Record<string, CapabilityReport>
}

export interface ReadinessOptions {
  service: string
  checks: DependencyCheck[]
  /** What the service serves, built or planned; planned routes answer 501 (see `createService`). */
  capabilities?: readonly Capability[]
  simulated?: boolean
  timeoutMs?: number
  /** Results are reused this long so a polling dashboard never multiplies upstream probes. */
  cacheMs?: number
}

export function createReadiness({
  service,
  checks,
  capabilities = [],
  simulated = false,
  timeoutMs = 2000,
  cacheMs = 500,
}: ReadinessOptions) {
  let cached: { at: number; report: Promise<ReadyReport> } | undefined

  async function runOne(dep: DependencyCheck): Promise<DependencyReport> {
    const started = performance.now()
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      const report = await Promise.race([
        dep.check(signal),
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs} ms`)), {
            once: true,
          }),
        ),
      ])
      return { latency_ms: Math.round(performance.now() - started), ...report }
    } catch (err) {
      return {
        state: 'down',
        detail: (err as Error).message,
        latency_ms: Math.round(performance.now() - started),
      }
    }
  }

  async function evaluate(): Promise<ReadyReport> {
    const results = await Promise.all(checks.map(runOne))
    const dependencies: ReadyReport['dependencies'] = {}
    let status: ReadyReport['status'] = 'ready'
    checks.forEach((dep, i) => {
      const r = results[i]!
      const critical = dep.critical ?? false
      dependencies[dep.name] = { ...r, critical }
      if (r.state === 'down' || r.state === 'busy') {
        if (critical) status = 'not_ready'
        else if (status === 'ready') status = 'degraded'
      }
    })
    // A database file of this process that a write failed on (full or read-only volume): reads still
    // answer, so degraded, with the reason; the entry goes once a write succeeds again.
    for (const fault of storageFaults()) {
      dependencies[`storage:${basename(fault.path)}`] = {
        state: 'down',
        detail: storageFaultDetail(fault),
        critical: false,
      }
      if (status === 'ready') status = 'degraded'
    }
    return {
      service,
      status,
      simulated,
      checked_at: new Date().toISOString(),
      dependencies,
      capabilities: assessCapabilities(capabilities, dependencies),
    }
  }

  return {
    capabilities,
    report(): Promise<ReadyReport> {
      const now = Date.now()
      if (!cached || now - cached.at > cacheMs) cached = { at: now, report: evaluate() }
      return cached.report
    },
  }
}

export type Readiness = ReturnType<typeof createReadiness>
