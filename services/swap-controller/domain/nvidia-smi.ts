/**
 * `nvidia-smi --query-gpu=… --format=csv,noheader,nounits`, parsed defensively: GB10 prints
 * `[N/A]` for memory (unified memory has no framebuffer), and any field can read `[Not Supported]`,
 * `N/A`, `ERR!` or `[Unknown Error]` on some driver. Those become null, never 0 — a 0 % GPU and an
 * unknown one are different facts on a dashboard.
 */

/** The fields, in the order the query asks for them. */
export const GPU_QUERY_FIELDS = [
  'utilization.gpu',
  'temperature.gpu',
  'power.draw',
  'clocks.sm',
  'memory.used',
  'memory.total',
] as const

export interface GpuSnapshot {
  utilization_pct: number | null
  temperature_c: number | null
  power_w: number | null
  sm_clock_mhz: number | null
  /** MiB; null on GB10. */
  memory_used_mib: number | null
  memory_total_mib: number | null
}

export const gpuQueryArgv = (): string[] => [
  'env',
  // Decimal points and units must not depend on the Spark's locale.
  'LC_ALL=C',
  'nvidia-smi',
  `--query-gpu=${GPU_QUERY_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
]

const NUMBER = /^-?\d+(?:\.\d+)?$/

export function parseGpuNumber(raw: string | undefined): number | null {
  const v = (raw ?? '').trim()
  return NUMBER.test(v) ? Number(v) : null
}

/** One snapshot per GPU line; lines that do not have the six fields are skipped. */
export function parseGpuCsv(text: string): GpuSnapshot[] {
  const gpus: GpuSnapshot[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const f = line.split(',')
    if (f.length !== GPU_QUERY_FIELDS.length) continue
    gpus.push({
      utilization_pct: parseGpuNumber(f[0]),
      temperature_c: parseGpuNumber(f[1]),
      power_w: parseGpuNumber(f[2]),
      sm_clock_mhz: parseGpuNumber(f[3]),
      memory_used_mib: parseGpuNumber(f[4]),
      memory_total_mib: parseGpuNumber(f[5]),
    })
  }
  return gpus
}
