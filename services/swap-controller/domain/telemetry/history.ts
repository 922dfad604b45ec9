/**
 * What one poll adds to the sparkline history, and the history as columns (`{at_ms: [...],
 * gpu_util_pct: [...]}`): a chart reads one array per series, and columns of numbers are a
 * fraction of the size of an array of objects repeating every key 300 times.
 */
import type { GpuTelemetry, MemoryTelemetry } from './node.ts'
import type { VllmModelMetrics } from './vllm-metrics.ts'

export interface NodeSample {
  at_ms: number
  gpu_util_pct: number | null
  temperature_c: number | null
  power_w: number | null
  sm_clock_mhz: number | null
  memory_available_bytes: number | null
}

export interface VllmSample {
  at_ms: number
  running: number | null
  waiting: number | null
  kv_cache_pct: number | null
  prompt_tokens_per_s: number | null
  generation_tokens_per_s: number | null
  ttft_p50_s: number | null
  itl_p50_s: number | null
}

export type Columns<T> = { [K in keyof T]: Array<T[K]> }

export function toColumns<T extends object>(samples: readonly T[], keys: ReadonlyArray<keyof T>): Columns<T> {
  const out = {} as Columns<T>
  for (const k of keys) out[k] = samples.map((s) => s[k])
  return out
}

export const NODE_SAMPLE_KEYS: ReadonlyArray<keyof NodeSample> = [
  'at_ms',
  'gpu_util_pct',
  'temperature_c',
  'power_w',
  'sm_clock_mhz',
  'memory_available_bytes',
]

export const VLLM_SAMPLE_KEYS: ReadonlyArray<keyof VllmSample> = [
  'at_ms',
  'running',
  'waiting',
  'kv_cache_pct',
  'prompt_tokens_per_s',
  'generation_tokens_per_s',
  'ttft_p50_s',
  'itl_p50_s',
]

export function nodeSample(
  atMs: number,
  gpu: GpuTelemetry | null,
  memory: MemoryTelemetry | null,
): NodeSample {
  return {
    at_ms: atMs,
    gpu_util_pct: gpu?.utilization_pct ?? null,
    temperature_c: gpu?.temperature_c ?? null,
    power_w: gpu?.power_w ?? null,
    sm_clock_mhz: gpu?.sm_clock_mhz ?? null,
    memory_available_bytes: memory?.available_bytes ?? null,
  }
}

const total = (values: Array<number | null>) => {
  const known = values.filter((v): v is number => v !== null)
  return known.length === 0 ? null : Math.round(known.reduce((a, b) => a + b, 0) * 10) / 10
}
const highest = (values: Array<number | null>) => {
  const known = values.filter((v): v is number => v !== null)
  return known.length === 0 ? null : Math.max(...known)
}

/** One point for the whole server: usually one model; with several, loads add up and latency is the worst. */
export function vllmSample(atMs: number, models: readonly VllmModelMetrics[]): VllmSample {
  return {
    at_ms: atMs,
    running: total(models.map((m) => m.running)),
    waiting: total(models.map((m) => m.waiting)),
    kv_cache_pct: highest(models.map((m) => m.kv_cache_pct)),
    prompt_tokens_per_s: total(models.map((m) => m.prompt_tokens_per_s)),
    generation_tokens_per_s: total(models.map((m) => m.generation_tokens_per_s)),
    ttft_p50_s: highest(models.map((m) => m.ttft_s.p50)),
    itl_p50_s: highest(models.map((m) => m.itl_s.p50)),
  }
}
