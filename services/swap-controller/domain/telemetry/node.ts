/**
 * A node's telemetry readings: GPU (nvidia-smi, GB10-safe), memory (/proc/meminfo — on GB10 the
 * only memory figure), and the disk holding the model cache (`df`). Commands are argv arrays; the
 * parsers turn every unreadable value into null, never 0.
 */
import { parseGpuNumber } from '../nvidia-smi.ts'

export interface GpuTelemetry {
  utilization_pct: number | null
  temperature_c: number | null
  power_w: number | null
  sm_clock_mhz: number | null
  /** Why clocks are held down, in nvidia-smi's own words; [] when nothing is active, null when unknown. */
  throttle_reasons: string[] | null
}

export interface MemoryTelemetry {
  total_bytes: number
  available_bytes: number
  used_bytes: number
}

export interface DiskTelemetry {
  path: string
  total_bytes: number
  used_bytes: number
  available_bytes: number
  used_pct: number
}

/**
 * The throttle bitmask field changed its name (driver 535+ says "clocks event reasons"); older
 * drivers only know the first spelling, newer ones keep both for now. Tried newest first.
 */
export const THROTTLE_FIELDS = ['clocks_event_reasons.active', 'clocks_throttle_reasons.active'] as const
export type ThrottleField = (typeof THROTTLE_FIELDS)[number]

const BASE_FIELDS = ['utilization.gpu', 'temperature.gpu', 'power.draw', 'clocks.sm']

/** `throttleField` null queries without it (a driver that knows neither name). */
export const gpuTelemetryArgv = (throttleField: ThrottleField | null): string[] => [
  'env',
  'LC_ALL=C',
  'nvidia-smi',
  `--query-gpu=${[...BASE_FIELDS, ...(throttleField ? [throttleField] : [])].join(',')}`,
  '--format=csv,noheader,nounits',
]

/** nvidia-smi refuses the whole query when one field name is unknown to the driver. */
export const isUnknownFieldError = (output: string) => /is not a valid field to query/i.test(output)

/** NVML's clock event reason bits, named as nvidia-smi's `clocks_event_reasons.*` fields. */
const THROTTLE_BITS: Array<[number, string]> = [
  [0x1, 'gpu_idle'],
  [0x2, 'applications_clocks_setting'],
  [0x4, 'sw_power_cap'],
  [0x8, 'hw_slowdown'],
  [0x10, 'sync_boost'],
  [0x20, 'sw_thermal_slowdown'],
  [0x40, 'hw_thermal_slowdown'],
  [0x80, 'hw_power_brake_slowdown'],
  [0x100, 'display_clock_setting'],
]

/** `0x0000000000000024` → ['sw_power_cap', 'sw_thermal_slowdown']; `[N/A]` and junk → null. */
export function decodeThrottleReasons(raw: string | undefined): string[] | null {
  const v = (raw ?? '').trim()
  if (!/^0x[0-9a-f]{1,16}$/i.test(v)) return null
  const mask = BigInt(v)
  const names = THROTTLE_BITS.filter(([bit]) => (mask & BigInt(bit)) !== 0n).map(([, name]) => name)
  const known = THROTTLE_BITS.reduce((m, [bit]) => m | BigInt(bit), 0n)
  const rest = mask & ~known
  return rest === 0n ? names : [...names, `unknown_0x${rest.toString(16)}`]
}

/** The first GPU line (a Spark has one GB10); null when there is none of the expected shape. */
export function parseGpuTelemetry(text: string, withThrottle: boolean): GpuTelemetry | null {
  const width = BASE_FIELDS.length + (withThrottle ? 1 : 0)
  for (const line of text.split('\n')) {
    const f = line.split(',').map((x) => x.trim())
    if (f.length !== width) continue
    return {
      utilization_pct: parseGpuNumber(f[0]),
      temperature_c: parseGpuNumber(f[1]),
      power_w: parseGpuNumber(f[2]),
      sm_clock_mhz: parseGpuNumber(f[3]),
      throttle_reasons: withThrottle ? decodeThrottleReasons(f[4]) : null,
    }
  }
  return null
}

/** POSIX format (`-P`) keeps each filesystem on one line however long its device name. */
export const diskArgv = (path: string): string[] => ['df', '-P', '-B1', path]

const DF_ROW = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(\/.*)$/

export function parseDf(text: string, path: string): DiskTelemetry | null {
  const rows = text
    .split('\n')
    .map((l) => DF_ROW.exec(l.trim()))
    .filter((m) => m !== null)
  const m = rows[rows.length - 1]
  if (!m) return null
  const [total, used, available, pct] = [m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
  ]
  return { path, total_bytes: total, used_bytes: used, available_bytes: available, used_pct: pct }
}

export const memoryTelemetry = (m: { total_bytes: number; available_bytes: number }): MemoryTelemetry => ({
  total_bytes: m.total_bytes,
  available_bytes: m.available_bytes,
  used_bytes: Math.max(0, m.total_bytes - m.available_bytes),
})
