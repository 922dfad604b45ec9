/**
 * The simulated GPU's capacity: how many work requests run at once (`capacity`; the rest wait in
 * arrival order), how long each holds its slot at least (`serviceMs`), and how much later `/health`
 * answers for every request running or waiting (`healthMsPerRequest`, the "blip" a loaded Python
 * server shows). With a service time set, throughput grows with concurrency up to `capacity` and
 * then stays flat while latency grows linearly — the curve a concurrency sweep looks for.
 *
 * Options win over the environment, the environment over the defaults (the defaults are what the
 * emulators always did: four at once, no service time, no extra health delay):
 *
 *   SPARK_SIM_<NAME>_CAPACITY               work requests at once (1–64)
 *   SPARK_SIM_<NAME>_SERVICE_MS             least time each one holds its slot
 *   SPARK_SIM_<NAME>_HEALTH_MS_PER_REQUEST  extra `/health` delay per request running or waiting
 *
 * `<NAME>` is the emulator's name in capitals: `PARAKEET`, `KOKORO`, `BGE_M3`.
 */

export const DEFAULT_CAPACITY = 4
const MAX_CAPACITY = 64

export interface CapacityOptions {
  /** Work requests served at once; the rest wait in order (default 4). */
  capacity?: number
  /** Least time a work request holds its slot, in ms (default 0: as long as the work takes). */
  serviceMs?: number
  /** Extra delay of GETs per work request running or waiting, in ms (default 0). */
  healthMsPerRequest?: number
}

export type Capacity = Required<CapacityOptions>

export const envPrefix = (name: string) => `SPARK_SIM_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_`

function envNumber(env: NodeJS.ProcessEnv, key: string): number | undefined {
  const raw = env[key]?.trim()
  if (!raw) return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${key} must be a non-negative number, got '${raw}'`)
  return n
}

export function checkedCapacity(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CAPACITY)
    throw new Error(`an emulator's capacity must be a whole number from 1 to ${MAX_CAPACITY}, got ${n}`)
  return n
}

export function resolveCapacity(
  name: string,
  options: CapacityOptions,
  env: NodeJS.ProcessEnv = process.env,
): Capacity {
  const prefix = envPrefix(name)
  return {
    capacity: checkedCapacity(options.capacity ?? envNumber(env, `${prefix}CAPACITY`) ?? DEFAULT_CAPACITY),
    serviceMs: Math.max(0, options.serviceMs ?? envNumber(env, `${prefix}SERVICE_MS`) ?? 0),
    healthMsPerRequest: Math.max(
      0,
      options.healthMsPerRequest ?? envNumber(env, `${prefix}HEALTH_MS_PER_REQUEST`) ?? 0,
    ),
  }
}
