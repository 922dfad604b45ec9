/**
 * `npm run bench:load`: the long load test on the demo stack (simulated cluster, every service).
 * 1. Warm-up at full load, then every service's RSS as the baseline.
 * 2. Mixed routes (bench/load-mixed.ts) from LOAD_CONNECTIONS (1,000) connections for LOAD_SECONDS
 *    (60): answers, error rate and p50/p95/p99 per route.
 * 3. RSS right after, and once settled (polled up to 60 s): every service back within 10 %? And
 *    each service's heap and RSS after a full GC (bench/load-heap.ts), warmed up and after the run.
 * 4. Slow clients: normal requests from 50 connections for 10 s alone, then again with
 *    LOAD_SLOW_CLIENTS (500) half-open and trickling connections hanging on; the p95 ratio.
 * Prints Markdown tables and writes bench/results/load-<timestamp>.json. Exits non-zero if a service
 * crashed or was restarted.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { startDemo } from '../tools/demo-stack.ts'
import { REPO_ROOT } from '../tools/stack/launch.ts'
import { formatMemory, INSPECT_ENV, memoryAfterGc } from './load-heap.ts'
import { formatRss, grownBeyond, rssOf, settledRss } from './load-memory.ts'
import { formatFigures, mixedRoutes, type RouteFigures, runLoad } from './load-mixed.ts'
import { openSlowClients } from './load-slow.ts'

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 1000)
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60)
const SLOW = Number(process.env.LOAD_SLOW_CLIENTS ?? 500)
const GROWTH = 0.1

const demo = await startDemo({
  dataDir: `${REPO_ROOT}.data/bench-load-${process.pid}`,
  loadTimeMs: 1500,
  env: { LOG_LEVEL: 'warn', ...INSPECT_ENV },
})
try {
  const origin = demo.gatewayUrl
  const services = Object.values(demo.stack.services)
  const pids = Object.fromEntries(services.map((s) => [s.name, s.process.pid!]))
  await waitForModel(origin)
  const status = (await (await fetch(`${origin}/api/status`)).json()) as { loaded_model: string }
  const mix = mixedRoutes(status.loaded_model)

  console.log(`warm-up: ${CONNECTIONS} connections for 10 s`)
  await runLoad({ origin, connections: CONNECTIONS, durationMs: 10_000, routes: mix })
  const baseline = await rssOf(pids)
  const warmedUp = await memoryAfterGc(services)

  console.log(`load: ${CONNECTIONS} connections for ${SECONDS} s`)
  const started = Date.now()
  const rows = await runLoad({ origin, connections: CONNECTIONS, durationMs: SECONDS * 1000, routes: mix })
  const elapsedS = (Date.now() - started) / 1000
  const peak = await rssOf(pids)
  const settled = await settledRss(pids, baseline, GROWTH, 60_000)
  console.log(`\n${formatFigures(rows)}\n\nrequests/s: ${(total(rows) / elapsedS).toFixed(0)}\n`)
  console.log(`${formatRss(baseline, peak, settled.rss)}\n(settled after ${settled.afterMs} ms)\n`)
  // RSS at a moment only says where the GC sawtooth was; after a full GC it tells a leak (bench/README.md).
  const collected = await memoryAfterGc(services)
  console.log(`${formatMemory({ 'warmed up': warmedUp, 'after the run': collected })}\n`)

  const normal = mix.filter((r) => !r.name.includes('transcriptions'))
  const alone = await runLoad({ origin, connections: 50, durationMs: 10_000, routes: normal })
  const slow = openSlowClients(new URL(origin), SLOW)
  const withSlow = await runLoad({ origin, connections: 50, durationMs: 10_000, routes: normal })
  const slowFigures = slow.stop()
  const ratio = p95(withSlow) / p95(alone)
  console.log(
    `normal requests alone:\n${formatFigures(alone)}\n\nwith ${SLOW} slow clients:\n${formatFigures(withSlow)}`,
  )
  console.log(
    `\nnormal p95 with / without slow clients: × ${ratio.toFixed(2)}; slow clients: ${JSON.stringify(slowFigures)}`,
  )

  const crashed = services.filter((s) => s.process.exitCode !== null || s.process.pid !== pids[s.name])
  const grown = grownBeyond(baseline, settled.rss, GROWTH)
  console.log(`\ncrashed or restarted: ${crashed.map((s) => s.name).join(', ') || 'none'}`)
  console.log(`RSS not back within 10 %: ${grown.join(', ') || 'none'}`)
  await mkdir(new URL('./results/', import.meta.url), { recursive: true })
  const file = new URL(
    `./results/load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  )
  const result = {
    connections: CONNECTIONS,
    seconds: SECONDS,
    rows,
    baseline,
    peak,
    settled,
    afterGc: { warmedUp, afterRun: collected },
    alone,
    withSlow,
    slowFigures,
    ratio,
  }
  await writeFile(file, JSON.stringify(result, null, 2))
  console.log(`written: ${file.pathname}`)
  process.exitCode = crashed.length > 0 ? 1 : 0
} finally {
  await demo.stop()
}

function total(rows: RouteFigures[]) {
  return rows.reduce((n, r) => n + r.ok + r.errors + r.shed, 0)
}

function p95(rows: RouteFigures[]) {
  return Math.max(...rows.map((r) => r.p95Ms))
}

async function waitForModel(origin: string) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const status = await fetch(`${origin}/api/status`).then(
      (r) => r.json() as Promise<{ overall?: string; loaded_model?: string | null }>,
      () => null,
    )
    if (status?.overall === 'ok' && status.loaded_model) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error('the demo did not come up within 60 s')
}
