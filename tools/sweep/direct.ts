/**
 * A sweep run from this machine straight against a backend, with the same domain code the
 * swap-controller runs (runner, knee) and the same HTTP requests. A backend that is neither on this
 * machine (loopback) nor a simulated one (its answers carry `X-Spark-Sim`) is refused unless the
 * operator said `--yes-live`: the sweep loads a real GPU for minutes.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createSweepHttpBackend } from '../../services/swap-controller/adapters/ops/sweep-http.ts'
import { systemClock } from '../../services/swap-controller/domain/ops/sweep/clock.ts'
import { recommend } from '../../services/swap-controller/domain/ops/sweep/knee.ts'
import { runSweep } from '../../services/swap-controller/domain/ops/sweep/runner.ts'
import type { SweepResult } from '../../shared/contracts/swap-controller.ts'
import type { SweepCliOptions } from './args.ts'

export class RefusedLive extends Error {}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i

export const isLoopback = (url: string) => LOOPBACK.test(new URL(url).hostname)

/** Whether the backend says it is simulated; null when its /health did not answer. */
async function simulatedBackend(url: string): Promise<boolean | null> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) })
    await res.arrayBuffer()
    return res.headers.has('x-spark-sim')
  } catch {
    return null
  }
}

export async function checkLive(
  url: string,
  yesLive: boolean,
  probe: (url: string) => Promise<boolean | null> = simulatedBackend,
): Promise<{ simulated: boolean }> {
  const simulated = (await probe(url)) === true
  if (simulated || yesLive || isLoopback(url)) return { simulated }
  throw new RefusedLive(
    `${url} is not on this machine and not a simulated backend: a sweep loads its GPU for minutes and ` +
      'slows everyone using it. Run it when nobody needs the service, and add --yes-live to go ahead.',
  )
}

export async function sweepDirect(
  options: SweepCliOptions & { url: string },
  onLevel: (line: string) => void,
  signal?: AbortSignal,
): Promise<{ result: SweepResult; file: string }> {
  const { simulated } = await checkLive(options.url, options.yesLive)
  const startedAt = new Date()
  const outcome = await runSweep({
    levels: options.levels,
    warmupMs: options.warmupS * 1000,
    cellMs: options.cellS * 1000,
    backend: createSweepHttpBackend({ target: options.target, url: options.url }),
    clock: systemClock,
    signal,
    onCell: (cells) => {
      const c = cells[cells.length - 1]!
      onLevel(
        `  concurrency ${c.concurrency}: ${c.throughput_rps.toFixed(2)} req/s, p95 ${c.p95_ms ?? '—'} ms, ` +
          `${c.errors} errors`,
      )
    },
  })
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  const result: SweepResult = {
    id: `sweep-${options.target}-${stamp}`,
    target: options.target,
    url: options.url,
    simulated,
    status: outcome.cancelled ? 'cancelled' : 'done',
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    cells: outcome.cells,
    stopped_early: outcome.cancelled ? 'cancelled (interrupted)' : outcome.stoppedEarly,
    ...recommend(options.target, outcome.cells, outcome.stoppedEarly),
  }
  await mkdir(options.outDir, { recursive: true })
  const file = resolve(join(options.outDir, `${result.id}.json`))
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`)
  return { result, file }
}
