/**
 * The shapes the telemetry poller publishes: each node's latest readings (each stamped with the
 * time it was read, so its age is visible), vLLM's metrics, and the sparkline history as columns.
 */
import type { NodeRole } from '../inventory.ts'
import type { Columns, NodeSample, VllmSample } from './history.ts'
import type { DiskTelemetry, GpuTelemetry, MemoryTelemetry } from './node.ts'
import type { VllmModelMetrics } from './vllm-metrics.ts'

export type NodeSource = 'gpu' | 'memory' | 'disk'
export type Stamped<T> = (T & { at: string }) | null

export interface NodeTelemetry {
  node: string
  role: NodeRole
  /** False for a node without an SSH user: listed, never polled. */
  configured: boolean
  gpu: Stamped<GpuTelemetry>
  memory: Stamped<MemoryTelemetry>
  disk: Stamped<DiskTelemetry>
  /** The latest failure of each source since its last success. */
  errors: Array<{ source: NodeSource; message: string; at: string }>
  polls: number
  skipped: number
}

export interface VllmTelemetry {
  base_url: string | null
  /** Time of the last successful scrape. */
  at: string | null
  /** Empty while vLLM does not answer (a swap, a crash): old rates would mislead. */
  models: VllmModelMetrics[]
  error: { message: string; at: string } | null
  polls: number
  skipped: number
}

export interface TelemetrySnapshot {
  interval_ms: number
  nodes: NodeTelemetry[]
  vllm: VllmTelemetry
}

export interface TelemetryHistory {
  nodes: Record<string, Columns<NodeSample>>
  vllm: Columns<VllmSample>
}

/** One loop finished a tick: `source` is a node name or `vllm`. */
export interface TelemetryUpdate {
  source: string
  at: string
}
