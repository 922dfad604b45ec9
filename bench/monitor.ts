/**
 * `npm run bench:monitor`: issue #12's figures for the connectivity monitor, on real sockets.
 *
 * 20 loopback fault servers (tests/support/fault-servers.ts) are the monitor's targets; the monitor
 * runs as a child process started by the stack launcher. Half the targets carry traffic — a
 * simulated proxy sends a few requests a second to each and reports the outcomes in batches to
 * `POST /api/monitor/outcomes`, as the services do — and half are idle. A seeded plan
 * (bench/monitor-plan.ts) takes each target down again and again for 1–5 s: most `stopped`
 * (connection refused), some `hang` (accepted, never answered). Each outage's true span is read
 * from this process's clock as it is injected.
 *
 * Reported: the share of outages caught (an outage record overlapping it), split ≥ 2 s / < 2 s;
 * detection latency (receive time of the SSE `state` event to `down` minus the true start), split
 * with traffic / idle; the error of the recorded duration; the monitor's CPU share of one core
 * over the run (`/proc/<pid>/stat`) and its probes/s. The baseline, in the same run over the same
 * outages, is the earlier version's method: a fixed 5 s poller (bench/monitor-baseline.ts).
 *
 * The run is measured after a warm-up under the same load (60 s; its own CPU share is printed
 * too): a monitor's steady cost is what an owner pays, not its first minute's compiling.
 *
 * Prints a table, writes `bench/results/monitor-<timestamp>.json` (git-ignored), never fails for
 * being slow (a missed target reads MISSED); the exit code is non-zero only if the bench breaks.
 * `BENCH_QUICK=1` runs a fifth as long. `BENCH_SEED` replays another plan.
 */
import { loadavg } from 'node:os'
import { sleep } from '../shared/abort.ts'
import type { Outage } from '../shared/contracts/connectivity-monitor.ts'
import {
  type EventWatch,
  extraTargets,
  nowMs,
  type RunningMonitor,
  servicesAt,
  startMonitor,
  watchMonitorEvents,
} from '../tests/support/fault-monitor.ts'
import { type FaultServer, startFaultServer } from '../tests/support/fault-servers.ts'
import { startTraffic, type Traffic } from '../tests/support/fault-traffic.ts'
import { provenFetch } from '../tests/support/internal-proof.ts'
import { Cleanups, cpuSecondsOf } from './children.ts'
import { type Poller, startFixedPoller } from './monitor-baseline.ts'
import {
  type Decision,
  type DetectedSpan,
  type InjectedOutage,
  type PlannedOutage,
  planOutages,
  type Scored,
  score,
  summarize,
} from './monitor-plan.ts'
import { renderMonitor } from './monitor-report.ts'
import { atLeast, atMost, type TargetCheck } from './report.ts'
import { writeResults } from './results.ts'

const quick = process.env.BENCH_QUICK === '1'
const CONFIG = {
  targets: 20,
  withTraffic: 10,
  trafficPerS: 3,
  /** A proxy waits this long for an answer before it reports a timeout (hangs are found by probes first). */
  trafficTimeoutMs: 5000,
  /** How often the simulated proxy sends its outcomes (`BENCH_OUTCOME_BATCH_MS`; default: the reporter's own). */
  outcomeBatchMs: process.env.BENCH_OUTCOME_BATCH_MS ? Number(process.env.BENCH_OUTCOME_BATCH_MS) : undefined,
  runMs: quick ? 30_000 : 120_000,
  /**
   * Before the measured run, the same load (traffic and outages of another seed) for this long,
   * not scored (`BENCH_MONITOR_WARMUP_MS`). A monitor runs for weeks; in its first minute V8 is
   * still compiling its hot paths and runs them unoptimised, at up to twice the steady CPU. Both
   * figures are reported.
   */
  warmupMs: Number(process.env.BENCH_MONITOR_WARMUP_MS ?? (quick ? 15_000 : 60_000)),
  /** After the last outage, time for the monitor to close what is open. */
  drainMs: 6000,
  seed: Number(process.env.BENCH_SEED ?? 12),
  outageMs: [1000, 5000] as [number, number],
  gapMs: [4000, 12_000] as [number, number],
  hangShare: 0.25,
}
const TARGETS = { caughtShare: 0.95, detectTrafficMs: 2000, detectIdleMs: 3000, cpuShare: 0.02 }
const LONG_MS = 2000

const log = (line: string) => console.log(`  ${line}`)
const ids = Array.from({ length: CONFIG.targets }, (_, i) => `t${String(i + 1).padStart(2, '0')}`)
const cleanups = new Cleanups()

/**
 * The monitor's own environment on top of the bench's: `BENCH_MONITOR_ENV` (JSON, e.g.
 * `{"MONITOR_HTTP_IDLE_INTERVAL_MS":"2500"}`) to weigh a setting, `BENCH_MONITOR_NODE_OPTIONS`
 * (e.g. `--import ./profiler.mjs`) for a profile.
 */
const monitorEnv = (): Record<string, string> => ({
  ...(process.env.BENCH_MONITOR_ENV
    ? (JSON.parse(process.env.BENCH_MONITOR_ENV) as Record<string, string>)
    : {}),
  ...(process.env.BENCH_MONITOR_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_MONITOR_NODE_OPTIONS } : {}),
})

async function startTargets() {
  const servers = new Map<string, FaultServer>()
  for (const id of ids) servers.set(id, await startFaultServer())
  const services = await startFaultServer()
  cleanups.add('fault servers', () => Promise.all([...servers.values(), services].map((s) => s.close())))
  return { servers, services }
}

/** Runs the plan against the servers; resolves with every outage as it really happened. */
async function inject(plan: PlannedOutage[], servers: Map<string, FaultServer>, t0: number) {
  const traffic = new Set(ids.slice(0, CONFIG.withTraffic))
  return Promise.all(
    plan.map(async (p): Promise<InjectedOutage> => {
      const server = servers.get(p.target)!
      await sleep(t0 + p.offsetMs - nowMs())
      const startedAt = nowMs()
      await server.setMode(p.kind)
      await sleep(startedAt + p.durationMs - nowMs())
      await server.setMode('ok')
      return { ...p, startedAt, endedAt: nowMs(), withTraffic: traffic.has(p.target) }
    }),
  )
}

/** The monitor's outage records (API, then the SSE stream's latest copy of each) as spans. */
async function monitorSpans(monitor: RunningMonitor, watch: EventWatch): Promise<DetectedSpan[]> {
  const byId = new Map<string, Outage>()
  for (const id of ids) for (const o of await monitor.outages(id)) byId.set(o.id, o)
  for (const { event } of watch.events) if (event.type === 'outage') byId.set(event.outage.id, event.outage)
  return [...byId.values()].map((o) => ({
    target: o.target,
    startedAt: Date.parse(o.started_at),
    endedAt: o.ended_at ? Date.parse(o.ended_at) : null,
  }))
}

const monitorDecisions = (watch: EventWatch): Decision[] =>
  watch.events.flatMap(({ event, receivedAt }) =>
    // The stream opens with each target's state as from = to; only changes are decisions.
    event.type === 'state' && event.from !== event.to && (event.to === 'down' || event.to === 'degraded')
      ? [{ target: event.target, at: receivedAt }]
      : [],
  )

function figures(scored: Scored[]) {
  const long = scored.filter((s) => s.outage.durationMs >= LONG_MS)
  const short = scored.filter((s) => s.outage.durationMs < LONG_MS)
  return {
    long: summarize(long),
    short: summarize(short),
    longWithTraffic: summarize(long.filter((s) => s.outage.withTraffic)),
    longIdle: summarize(long.filter((s) => !s.outage.withTraffic)),
    longStopped: summarize(long.filter((s) => s.outage.kind === 'stopped')),
    longHang: summarize(long.filter((s) => s.outage.kind === 'hang')),
  }
}

async function main() {
  const startedAt = new Date()
  const onSignal = () => void cleanups.runAll().then(() => process.exit(130))
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const { servers, services } = await startTargets()
    const monitor = await startMonitor({
      extra: extraTargets(ids.map((id) => ({ id, url: servers.get(id)!.url }))),
      env: { ...servicesAt(services.url), ...monitorEnv() },
    })
    cleanups.add('monitor', () => monitor.stop())
    const watch = await watchMonitorEvents(monitor.url, monitor.prove)
    cleanups.add('event watch', () => watch.close())
    log(`monitor pid ${monitor.pid} at ${monitor.url}; waiting for ${ids.length} targets to be up`)
    await waitAllUp(monitor)

    const traffic: Traffic = startTraffic({
      monitorUrl: monitor.url,
      targets: ids.slice(0, CONFIG.withTraffic).map((id) => ({ id, url: servers.get(id)!.url })),
      ratePerS: CONFIG.trafficPerS,
      timeoutMs: CONFIG.trafficTimeoutMs,
      source: 'bench-proxy',
      batchMs: CONFIG.outcomeBatchMs,
    })
    cleanups.add('traffic', () => traffic.stop())
    const warmup = await warmUp(monitor, servers)
    const poller: Poller = startFixedPoller(ids.map((id) => ({ id, url: servers.get(id)!.url })))
    cleanups.add('baseline poller', () => poller.stop())

    const plan = planFor(CONFIG.runMs, CONFIG.seed)
    log(`${plan.length} outages over ${CONFIG.runMs / 1000} s (seed ${CONFIG.seed})`)
    const load0 = loadavg()[0]!
    const t0 = nowMs() + 500
    const cpu0 = await cpuSecondsOf([monitor.pid])
    const probeRates: number[] = []
    let probeBudget = Number.NaN
    const sampler = setInterval(() => {
      void provenFetch(monitor.prove)(`${monitor.url}/api/monitor/targets`)
        .then(
          (r) => r.json() as Promise<{ monitor?: { probes_per_s?: number; probe_budget_per_s?: number } }>,
        )
        .then((a) => {
          if (a.monitor?.probes_per_s !== undefined) probeRates.push(a.monitor.probes_per_s)
          probeBudget = a.monitor?.probe_budget_per_s ?? probeBudget
        })
        .catch(() => undefined)
    }, 5000)
    cleanups.add('probe-rate sampler', () => clearInterval(sampler))
    const injected = await inject(plan, servers, t0)
    await sleep(CONFIG.drainMs)
    const cpu1 = await cpuSecondsOf([monitor.pid])
    const wallS = (nowMs() - t0) / 1000
    clearInterval(sampler)
    poller.stop()
    await traffic.stop()

    const end = nowMs()
    const spans = await monitorSpans(monitor, watch)
    const scoredMonitor = score(injected, spans, monitorDecisions(watch), end)
    const scoredBaseline = score(injected, poller.spans(), poller.decisions(), end)
    const monitorFigures = figures(scoredMonitor)
    const baselineFigures = figures(scoredBaseline)
    const cpuShare = (cpu1 - cpu0) / wallS
    const probesPerS = probeRates.length
      ? probeRates.reduce((a, b) => a + b, 0) / probeRates.length
      : Number.NaN
    const targets: TargetCheck[] = [
      atLeast(
        'outages ≥ 2 s caught (%)',
        monitorFigures.long.caughtShare * 100,
        TARGETS.caughtShare * 100,
        ' %',
      ),
      atMost(
        'detection p95 with traffic (ms)',
        monitorFigures.longWithTraffic.detectionP95Ms,
        TARGETS.detectTrafficMs,
        'ms',
      ),
      atMost('detection p95 idle (ms)', monitorFigures.longIdle.detectionP95Ms, TARGETS.detectIdleMs, 'ms'),
      atMost('monitor CPU (% of one core)', cpuShare * 100, TARGETS.cpuShare * 100, '%'),
    ]
    const run = {
      outages: injected.length,
      wallS,
      monitorCpuS: cpu1 - cpu0,
      cpuShare,
      warmup,
      probesPerS,
      probeBudget,
      baselinePolls: poller.polls(),
      trafficOutcomes: ids.slice(0, CONFIG.withTraffic).map((id) => ({ id, ...traffic.counts(id) })),
      load: [load0, loadavg()[0]!],
    }
    console.log(`\n${renderMonitor({ monitor: monitorFigures, baseline: baselineFigures, run, targets })}`)
    const file = await writeResults(
      'monitor',
      startedAt,
      { config: CONFIG, targets: TARGETS, monitorEnv: monitorEnv() },
      {
        run,
        monitor: monitorFigures,
        baseline: baselineFigures,
        targets,
        scored: scoredMonitor,
        scoredBaseline,
        monitorSpans: spans,
      },
    )
    console.log(`results: ${file}`)
  } finally {
    await cleanups.runAll()
  }
}

const planFor = (runMs: number, seed: number) =>
  planOutages({
    targets: ids,
    runMs,
    seed,
    minMs: CONFIG.outageMs[0],
    maxMs: CONFIG.outageMs[1],
    hangShare: CONFIG.hangShare,
    gapMs: CONFIG.gapMs,
  })

/** The unscored warm-up under the run's load; resolves with the monitor's CPU share over it. */
async function warmUp(monitor: RunningMonitor, servers: Map<string, FaultServer>) {
  if (CONFIG.warmupMs <= 0) return { seconds: 0, cpuShare: Number.NaN }
  const plan = planFor(CONFIG.warmupMs, CONFIG.seed + 1)
  log(`warm-up: ${plan.length} outages over ${CONFIG.warmupMs / 1000} s, not scored`)
  const t0 = nowMs() + 500
  const cpu0 = await cpuSecondsOf([monitor.pid])
  await inject(plan, servers, t0)
  const cpu1 = await cpuSecondsOf([monitor.pid])
  const seconds = (nowMs() - t0) / 1000
  await sleep(CONFIG.drainMs)
  await waitAllUp(monitor)
  return { seconds, cpuShare: (cpu1 - cpu0) / seconds }
}

async function waitAllUp(monitor: RunningMonitor, timeoutMs = 30_000) {
  const deadline = nowMs() + timeoutMs
  for (;;) {
    const views = await monitor.targets()
    const notUp = ids.filter((id) => views.find((v) => v.id === id)?.state !== 'up')
    if (notUp.length === 0) return
    if (nowMs() > deadline) throw new Error(`targets not up after ${timeoutMs} ms: ${notUp.join(', ')}`)
    await sleep(250)
  }
}

main().catch((err: Error) => {
  console.error(`bench:monitor: failed: ${err.stack ?? err.message}`)
  process.exitCode = 1
})
