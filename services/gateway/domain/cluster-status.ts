/**
 * The gateway's aggregated view of the whole system, built from every service's `/ready`.
 * `/api/status` returns it and the dashboard renders it.
 */
import type { DependencyReport } from '../../../shared/readiness.ts'
import type { ServiceName, UpstreamName } from '../../../shared/topology.ts'

export type ServiceState = 'up' | 'degraded' | 'down' | 'not_configured'

export interface ServiceStatus {
  name: ServiceName
  state: ServiceState
  /** Plain-language line for the dashboard ("not reachable", "Qdrant is down"). */
  detail: string
  url: string | null
  latency_ms: number | null
  dependencies: Record<string, DependencyReport & { critical: boolean }>
}

export interface UpstreamStatus {
  name: UpstreamName
  kind: string
  state: DependencyReport['state'] | 'unknown'
  ready: boolean
  disabled: boolean
  base_url: string | null
  model: string | null
  detail: string
  /** Which of our services reported it. */
  via: ServiceName
}

export interface NodeStatus {
  name: string
  host: string
  role: string
  reachable: boolean
  state: DependencyReport['state'] | 'unknown'
  detail: string
}

export interface ClusterStatus {
  /** True when the Sparks are the simulator (tools/spark-sim), so every view can say so. */
  simulated: boolean
  overall: 'ok' | 'degraded' | 'down'
  /** One sentence for the owner: "Everything is working", "Speech is unreachable". */
  summary: string
  loaded_model: string | null
  services: ServiceStatus[]
  upstreams: UpstreamStatus[]
  nodes: NodeStatus[]
  checked_at: string
}
