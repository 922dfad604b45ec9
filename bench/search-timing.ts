/** Timing for the search bench: several measured calls taken in turn, so drift lands on all alike. */

export interface Timing {
  runs: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  cpuP50Ms: number
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export const timingOf = (s: Samples): Timing => ({
  runs: s.wallMs.length,
  p50Ms: percentile(s.wallMs, 0.5),
  p90Ms: percentile(s.wallMs, 0.9),
  p99Ms: percentile(s.wallMs, 0.99),
  cpuP50Ms: percentile(s.cpuMs, 0.5),
})

export interface Samples {
  wallMs: number[]
  /** This process's CPU time (user + system) during each call: on a busy machine wall time includes waiting for a core. */
  cpuMs: number[]
}

/** Unmeasured rounds first: the JIT settles only after a few hundred calls of the route. */
const WARM_UP_ROUNDS = 2

/**
 * Runs each call once per input, in turn (the order flips every round), `rounds` times after the
 * unmeasured warm-up rounds; answers every call's latencies.
 */
export async function inTurn<I>(
  inputs: readonly I[],
  calls: Record<string, (input: I) => Promise<unknown>>,
  rounds: number,
): Promise<Record<string, Samples>> {
  const names = Object.keys(calls)
  const samples: Record<string, Samples> = Object.fromEntries(
    names.map((n) => [n, { wallMs: [], cpuMs: [] }]),
  )
  for (let round = -WARM_UP_ROUNDS; round < rounds; round++) {
    const order = Math.abs(round) % 2 === 0 ? names : [...names].reverse()
    for (const input of inputs)
      for (const name of order) {
        const cpu = process.cpuUsage()
        const started = performance.now()
        await calls[name]!(input)
        const wall = performance.now() - started
        const used = process.cpuUsage(cpu)
        if (round < 0) continue
        samples[name]!.wallMs.push(wall)
        samples[name]!.cpuMs.push((used.user + used.system) / 1000)
      }
  }
  return samples
}
