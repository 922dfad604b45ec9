/**
 * Asks every backend for its `/ready` report, all at once, and shares the answer for about a
 * second: the dashboard, `/api/status`, `/api/endpoints`, `/v1/models` and the gateway's own
 * `/ready` may all ask at the same moment and must not multiply the probes.
 */

import { z } from '@hono/zod-openapi'
import { abortable } from '../../../shared/abort.ts'
import type { JobView } from '../../../shared/contracts/swap-controller.ts'
import type { ReadyReport } from '../../../shared/readiness.ts'
import { BACKEND_SERVICES } from '../../../shared/topology.ts'
import {
  buildClusterStatus,
  type ClusterStatus,
  type ServiceProbeResult,
  type StatusOptions,
} from '../domain/cluster-status.ts'
import type { BackendName } from '../domain/route-table.ts'
import type { BackendReader } from './backend-reader.ts'

export interface ServiceProbe {
  probeAll(): Promise<ServiceProbeResult[]>
}

export interface ServiceProbeOptions {
  reader: BackendReader
  urls: Record<BackendName, string>
  /** `DISABLED_SERVICES`; backends named there are not asked. */
  disabled: readonly string[]
  cacheMs: number
}

const dependencySchema = z.looseObject({
  state: z.enum(['up', 'busy', 'down', 'not_configured', 'disabled']),
  detail: z.string().optional(),
  latency_ms: z.number().optional(),
  info: z.record(z.string(), z.unknown()).optional(),
  critical: z.boolean().default(false),
})

/** Checked, not trusted: a backend answering garbage is reported as such, never passed on. */
const readySchema = z.looseObject({
  service: z.string().default(''),
  status: z.enum(['ready', 'degraded', 'not_ready']),
  simulated: z.boolean().default(false),
  checked_at: z.string().default(''),
  dependencies: z.record(z.string(), dependencySchema).default({}),
})

export function createServiceProbe({ reader, urls, disabled, cacheMs }: ServiceProbeOptions): ServiceProbe {
  let cached: { at: number; results: Promise<ServiceProbeResult[]> } | undefined

  async function probeOne(name: BackendName): Promise<ServiceProbeResult> {
    const base = { name, url: urls[name] }
    if (disabled.includes(name)) {
      return { ...base, report: null, error: null, latency_ms: null, disabled: true }
    }
    const answer = await reader.read(name, '/ready')
    if (!answer.ok) {
      return { ...base, report: null, error: answer.detail, latency_ms: answer.latency_ms, disabled: false }
    }
    const parsed = readySchema.safeParse(answer.body)
    if (!parsed.success) {
      return {
        ...base,
        report: null,
        error: `answered HTTP ${answer.status} without a readiness report`,
        latency_ms: answer.latency_ms,
        disabled: false,
      }
    }
    return {
      ...base,
      report: parsed.data as ReadyReport,
      error: null,
      latency_ms: answer.latency_ms,
      disabled: false,
    }
  }

  return {
    probeAll() {
      const now = Date.now()
      if (!cached || now - cached.at > cacheMs) {
        cached = { at: now, results: Promise.all(BACKEND_SERVICES.map(probeOne)) }
      }
      return cached.results
    },
  }
}

export type GetStatus = (signal?: AbortSignal) => Promise<ClusterStatus>

/** The swap-controller's running job (`GET /api/swap/state`), so a planned switch is not shown as a fault. */
export type ReadSwapJob = (signal?: AbortSignal) => Promise<JobView | null>

/**
 * The status the dashboard and `/api/status` share. A caller that gives up (its signal) stops
 * waiting; the shared probe keeps running for the others.
 */
export function createStatusSource(
  probe: ServiceProbe,
  options: Omit<StatusOptions, 'now'>,
  now = () => new Date(),
  readSwap?: ReadSwapJob,
): GetStatus {
  return async (signal) => {
    // A controller that cannot say what it is doing is already reported by its own probe.
    const swap = readSwap ? readSwap(signal).catch(() => null) : null
    const results = await abortable(probe.probeAll(), signal)
    return buildClusterStatus(results, { ...options, now: now(), swap: await swap })
  }
}
