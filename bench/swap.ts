/**
 * `npm run bench:swap`: what the swap-controller adds on top of the (simulated) vLLM it drives.
 * Issue #3's targets: readiness detected ≤ 500 ms after the simulated vLLM becomes ready; controller
 * overhead on a swap (total minus the simulator's configured load time) ≤ 3 s; telemetry
 * freshness ≤ 2 s.
 *
 * The demo stack (tools/demo-stack.ts: simulated cluster in this process, every service as a child
 * process, free ports) with a short configured load time. The simulated vLLM's own readiness is
 * read in this process from the simulator (`node(n).containers()[].vllm.state`, polled every
 * ~1 ms: the emulator flips to `ready` in the same tick its `/health` turns 200), and compared with
 * the controller's `ready` transition (its timestamp, and the receive time of the `state` event on
 * `GET /api/swap/events`). Every figure is against a reference taken in the same run: the moment
 * the simulator became ready, and the load time the simulator was configured with (and how long
 * its vLLM really took, so timer slack is not blamed on the controller). Telemetry freshness is
 * sampled every ~100 ms, first with the cluster idle, then during the swaps.
 *
 * Then the fault mix (bench/swap-faults.ts): swaps that hit a fault, with the time without a served
 * model and whether the previous model came back; `BENCH_FAULTS_ONLY=1` runs only that.
 *
 * It prints a table, writes `bench/results/swap-<timestamp>.json` (git-ignored) and never fails
 * for being slow: a missed target is printed as MISSED; the exit code is non-zero only if the
 * bench itself breaks. The demo stack and its data directory are removed at the end, also on
 * error or Ctrl-C.
 */

import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { sleep } from '../shared/abort.ts'
import { type Demo, startDemo } from '../tools/demo-stack.ts'
import { SIM_DEFAULT_RECIPE } from '../tools/spark-sim/recipes.ts'
import { atMost, type TargetCheck, table } from './report.ts'
import { writeResults } from './results.ts'
import { type Job, now, type SwapEvents, watchEvents } from './swap-events.ts'
import { renderFaults, runFaultMix } from './swap-faults.ts'

/** `BENCH_QUICK=1`: fewer swaps and a shorter telemetry phase, to try the bench itself out. */
const quick = process.env.BENCH_QUICK === '1'
/** `BENCH_FAULTS_ONLY=1`: only the fault mix (bench/swap-faults.ts), not the swap and telemetry phases. */
const FAULTS_ONLY = process.env.BENCH_FAULTS_ONLY === '1'
const CONFIG = {
  loadTimeMs: 3000,
  /**
   * Each swap's load time is 3000 ms plus an offset spread evenly over this span: the controller
   * polls `/health` every 250 ms from the launch, so a load time that is a multiple of 250 ms would
   * always hit the same phase of the poll and hide the worst case.
   */
  loadJitterMs: 250,
  swaps: quick ? 4 : 12,
  /** Alternated; the simulator preloads the first, so the first swap goes to the second. */
  recipes: [SIM_DEFAULT_RECIPE, 'gpt-oss-120b'],
  /** Pause between a swap's `ready` and the next request. */
  settleMs: 500,
  swapTimeoutMs: 60_000,
  telemetryEveryMs: 100,
  telemetryIdleMs: quick ? 5000 : 20_000,
  /** How often the simulator's vLLM state is read in-process. */
  simPollMs: 1,
}
const TARGETS = { readinessMs: 500, overheadMs: 3000, freshnessMs: 2000 }

const log = (line: string) => console.log(`bench:swap: ${line}`)

// ---------------------------------------------------------------------------------------------
// The simulator's side: when each vLLM process started and became ready (wall clock, ms).

interface SimVllm {
  container: string
  node: string
  model: string
  startedAt: number
  readyAt: number | null
}

function watchSim(demo: Demo) {
  const seen = new Map<string, SimVllm>()
  let stopped = false
  const poll = () => {
    const t = now()
    for (const n of demo.sim.nodes.nodes) {
      for (const c of n.containers()) {
        if (!c.vllm || c.vllm.state === 'exited') continue
        const key = `${n.name}/${c.id}`
        let v = seen.get(key)
        if (!v) {
          v = { container: c.id, node: n.name, model: c.vllm.servedModelName, startedAt: t, readyAt: null }
          seen.set(key, v)
        }
        if (v.readyAt === null && c.vllm.state === 'ready') v.readyAt = t
      }
    }
  }
  const loop = async () => {
    while (!stopped) {
      poll()
      await sleep(CONFIG.simPollMs)
    }
  }
  void loop()
  return {
    /** The first vLLM serving `model` that started after `since`. */
    find: (model: string, since: number) =>
      [...seen.values()]
        .filter((v) => v.model === model && v.startedAt >= since)
        .sort((a, b) => a.startedAt - b.startedAt)[0],
    stop: () => {
      stopped = true
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Telemetry freshness: GET /api/swap/telemetry every ~100 ms; the age of its readings on receipt.

interface FreshnessSample {
  phase: 'idle' | 'swapping'
  /** Receive time minus the newest `at` in the snapshot (any node source or vLLM). */
  newestMs: number
  /** Receive time minus the oldest of the node readings (gpu, memory, disk of every node). */
  stalestNodeMs: number
}

interface TelemetrySnapshot {
  nodes: Array<{
    node: string
    gpu: { at: string } | null
    memory: { at: string } | null
    disk: { at: string } | null
  }>
  vllm: { at: string | null }
}

function sampleTelemetry(gatewayUrl: string, phase: () => FreshnessSample['phase']) {
  const samples: FreshnessSample[] = []
  const errors: string[] = []
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const started = now()
      try {
        const res = await fetch(`${gatewayUrl}/api/swap/telemetry?samples=1`)
        const body = (await res.json()) as TelemetrySnapshot
        const at = now()
        if (!res.ok) throw new Error(`status ${res.status}`)
        const nodeStamps = body.nodes
          .flatMap((n) => [n.gpu?.at, n.memory?.at, n.disk?.at])
          .map((s) => (s ? Date.parse(s) : Number.NaN))
        const all = [...nodeStamps, body.vllm.at ? Date.parse(body.vllm.at) : Number.NaN].filter(
          Number.isFinite,
        )
        if (all.length === 0) throw new Error('no readings yet')
        samples.push({
          phase: phase(),
          newestMs: at - Math.max(...all),
          // A node source never read counts as infinitely old.
          stalestNodeMs:
            at - Math.min(...nodeStamps.map((s) => (Number.isFinite(s) ? s : Number.NEGATIVE_INFINITY))),
        })
      } catch (err) {
        errors.push((err as Error).message)
      }
      await sleep(Math.max(0, CONFIG.telemetryEveryMs - (now() - started)))
    }
  })()
  return {
    samples,
    errors,
    stop: async () => {
      stopped = true
      await loop
    },
  }
}

// ---------------------------------------------------------------------------------------------

interface SwapRecord {
  index: number
  recipe: string
  /** The load time the simulator was configured with for this swap. */
  loadTimeMs: number
  jobId: string | null
  outcome: string
  error: string | null
  /** Controller's own clock: finished_at − started_at. */
  totalMs: number
  /** Client's view: POST sent → `ready` state event received. */
  clientTotalMs: number
  overheadMs: number
  /** Controller's `ready` transition − simulator's vLLM ready. */
  detectMs: number
  /** Receive time of the `ready` event − simulator's vLLM ready. */
  detectSseMs: number
  /** The simulator's vLLM: process start → ready (configured: CONFIG.loadTimeMs). */
  simLoadMs: number
  /** Controller's start → the new vLLM process started (teardown, verification, launch). */
  beforeLoadMs: number
  durationsMs: Record<string, number>
}

function stats(values: number[]) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  const q = (p: number) =>
    sorted.length
      ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
      : Number.NaN
  return {
    count: sorted.length,
    p50: q(0.5),
    p95: q(0.95),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    min: sorted[0] ?? Number.NaN,
  }
}

async function swapOnce(
  demo: Demo,
  sim: ReturnType<typeof watchSim>,
  events: SwapEvents,
  index: number,
  recipe: string,
  loadTimeMs: number,
): Promise<SwapRecord> {
  demo.sim.nodes.setLoadTimeMs(loadTimeMs)
  const sent = now()
  const res = await fetch(`${demo.gatewayUrl}/api/swap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-actor': 'bench' },
    body: JSON.stringify({ recipe }),
  })
  const started = (await res.json()) as Job & { detail?: string }
  if (res.status !== 202)
    throw new Error(`POST /api/swap ${recipe}: ${res.status} ${JSON.stringify(started)}`)
  const { job } = await events.finished(started.job_id, CONFIG.swapTimeoutMs)
  const at = (state: string) => {
    const t = job.transitions.find((x) => x.state === state)
    return t ? Date.parse(t.at) : Number.NaN
  }
  const startedAt = Date.parse(job.started_at)
  const finishedAt = Date.parse(job.finished_at!)
  const v = sim.find(job.model, sent - 5)
  const simReady = v?.readyAt ?? Number.NaN
  const totalMs = finishedAt - startedAt
  return {
    index,
    recipe,
    loadTimeMs,
    jobId: job.job_id,
    outcome: job.outcome,
    error: job.error ? JSON.stringify(job.error) : null,
    totalMs,
    clientTotalMs: (events.readyAt.get(job.job_id) ?? Number.NaN) - sent,
    overheadMs: job.outcome === 'ready' ? totalMs - loadTimeMs : Number.NaN,
    detectMs: at('ready') - simReady,
    detectSseMs: (events.readyAt.get(job.job_id) ?? Number.NaN) - simReady,
    simLoadMs: v && v.readyAt !== null ? v.readyAt - v.startedAt : Number.NaN,
    beforeLoadMs: v ? v.startedAt - startedAt : Number.NaN,
    durationsMs: job.durations_ms,
  }
}

async function waitUntilServing(gatewayUrl: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    const status = (await fetch(`${gatewayUrl}/api/status`).then(
      (r) => r.json(),
      () => null,
    )) as { overall?: string; loaded_model?: string; summary?: string } | null
    last = status ? `${status.overall}: ${status.summary}` : 'no answer'
    if (status?.overall === 'ok' && status.loaded_model) return
    await sleep(200)
  }
  throw new Error(`the demo stack did not come up within ${timeoutMs} ms (last status: ${last})`)
}

/** The telemetry and swap phases (skipped with BENCH_FAULTS_ONLY=1): prints their tables. */
async function measureSwaps(
  demo: Demo,
  sim: ReturnType<typeof watchSim>,
  events: SwapEvents,
  cleanups: Array<[string, () => Promise<unknown> | unknown]>,
) {
  let phase: FreshnessSample['phase'] = 'idle'
  const telemetry = sampleTelemetry(demo.gatewayUrl, () => phase)
  cleanups.push(['telemetry sampler', () => telemetry.stop()])
  log(`telemetry: ${CONFIG.telemetryIdleMs / 1000} s idle`)
  await sleep(CONFIG.telemetryIdleMs)

  phase = 'swapping'
  const swaps: SwapRecord[] = []
  for (let i = 0; i < CONFIG.swaps; i++) {
    const recipe = CONFIG.recipes[(i + 1) % CONFIG.recipes.length]!
    // Offsets 0, 5/N, 10/N … of the span, taken modulo N: spread evenly, not in order.
    const offset = Math.round((((i * 5) % CONFIG.swaps) * CONFIG.loadJitterMs) / CONFIG.swaps)
    const r = await swapOnce(demo, sim, events, i + 1, recipe, CONFIG.loadTimeMs + offset)
    swaps.push(r)
    log(
      `swap ${i + 1}/${CONFIG.swaps} → ${recipe} (load ${r.loadTimeMs} ms): ${r.outcome}, total ${r.totalMs.toFixed(0)} ms, ` +
        `detect ${r.detectMs.toFixed(1)} ms (SSE ${r.detectSseMs.toFixed(1)} ms), sim load ${r.simLoadMs.toFixed(0)} ms` +
        (r.error ? `, error ${r.error}` : ''),
    )
    await sleep(CONFIG.settleMs)
  }
  await telemetry.stop()
  sim.stop()

  const ok = swaps.filter((s) => s.outcome === 'ready')
  const fresh = (p: FreshnessSample['phase'] | 'all', k: 'newestMs' | 'stalestNodeMs') =>
    stats(telemetry.samples.filter((s) => p === 'all' || s.phase === p).map((s) => s[k]))
  const figures = {
    swaps,
    failed: swaps.length - ok.length,
    detectMs: stats(ok.map((s) => s.detectMs)),
    detectSseMs: stats(ok.map((s) => s.detectSseMs)),
    totalMs: stats(ok.map((s) => s.totalMs)),
    clientTotalMs: stats(ok.map((s) => s.clientTotalMs)),
    overheadMs: stats(ok.map((s) => s.overheadMs)),
    simLoadMs: stats(ok.map((s) => s.simLoadMs)),
    simLoadOverMs: stats(ok.map((s) => s.simLoadMs - s.loadTimeMs)),
    beforeLoadMs: stats(ok.map((s) => s.beforeLoadMs)),
    phasesMs: Object.fromEntries(
      [...new Set(ok.flatMap((s) => Object.keys(s.durationsMs)))].map((k) => [
        k,
        stats(ok.map((s) => s.durationsMs[k] ?? Number.NaN)),
      ]),
    ),
    telemetry: {
      samples: telemetry.samples.length,
      errors: telemetry.errors.length,
      firstError: telemetry.errors[0] ?? null,
      newestMs: {
        idle: fresh('idle', 'newestMs'),
        swapping: fresh('swapping', 'newestMs'),
        all: fresh('all', 'newestMs'),
      },
      stalestNodeMs: {
        idle: fresh('idle', 'stalestNodeMs'),
        swapping: fresh('swapping', 'stalestNodeMs'),
        all: fresh('all', 'stalestNodeMs'),
      },
    },
  }
  const targets: TargetCheck[] = [
    atMost(
      'readiness detected after sim vLLM ready, max (ms)',
      figures.detectMs.max,
      TARGETS.readinessMs,
      'ms',
    ),
    atMost('  … seen by an SSE client, max (ms)', figures.detectSseMs.max, TARGETS.readinessMs, 'ms'),
    atMost('controller overhead per swap, max (ms)', figures.overheadMs.max, TARGETS.overheadMs, 'ms'),
    atMost(
      'telemetry freshness, newest reading, max (ms)',
      figures.telemetry.newestMs.all.max,
      TARGETS.freshnessMs,
      'ms',
    ),
    atMost(
      '  … stalest node reading, max (ms)',
      figures.telemetry.stalestNodeMs.all.max,
      TARGETS.freshnessMs,
      'ms',
    ),
  ]
  if (figures.failed > 0) log(`${figures.failed} swap(s) did not end ready: left out of the figures`)
  console.log(`\n${render(figures, targets)}`)
  return { ...figures, targets }
}

async function main() {
  const startedAt = new Date()
  const loadAtStart = loadavg()[0]!
  if (loadAtStart > 0.5 * cpus().length)
    log(`the machine is busy (load ${loadAtStart.toFixed(1)}): figures will be noisy`)
  const cleanups: Array<[string, () => Promise<unknown> | unknown]> = []
  let cleaning: Promise<void> | undefined
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const [name, fn] of cleanups.reverse()) {
        try {
          await fn()
        } catch (err) {
          log(`cleanup of ${name} failed: ${(err as Error).message}`)
        }
      }
    })())
  const onSignal = (signal: string) => {
    log(`${signal}: cleaning up`)
    void cleanup().finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'spark-bench-swap-'))
    cleanups.push(['data dir', () => rm(dataDir, { recursive: true, force: true })])
    log(`starting the demo stack (simulated load time ${CONFIG.loadTimeMs} ms)`)
    const demo = await startDemo({ loadTimeMs: CONFIG.loadTimeMs, dataDir, env: { LOG_LEVEL: 'warn' } })
    cleanups.push(['demo stack', () => demo.stop()])
    await waitUntilServing(demo.gatewayUrl)
    log(`up: gateway ${demo.gatewayUrl}`)

    const sim = watchSim(demo)
    cleanups.push(['simulator watch', () => sim.stop()])
    const events = watchEvents(demo.gatewayUrl)
    cleanups.push(['event stream', () => events.close()])
    await events.connected

    const measured = FAULTS_ONLY ? null : await measureSwaps(demo, sim, events, cleanups)
    sim.stop()
    const faults = await runFaultMix(demo, events, log)
    events.close()
    console.log(`\n${renderFaults(faults)}`)
    const loadAtEnd = loadavg()[0]!
    log(`load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${loadAtEnd.toFixed(2)}`)
    const file = await writeRun(startedAt, { loadAtStart, loadAtEnd }, { ...measured, faults })
    log(`results written to ${file}`)
  } finally {
    await cleanup()
    process.removeAllListeners('SIGINT')
    process.removeAllListeners('SIGTERM')
  }
}

const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—')

function render(
  f: {
    swaps: SwapRecord[]
    detectMs: ReturnType<typeof stats>
    detectSseMs: ReturnType<typeof stats>
    totalMs: ReturnType<typeof stats>
    clientTotalMs: ReturnType<typeof stats>
    overheadMs: ReturnType<typeof stats>
    simLoadMs: ReturnType<typeof stats>
    simLoadOverMs: ReturnType<typeof stats>
    beforeLoadMs: ReturnType<typeof stats>
    phasesMs: Record<string, ReturnType<typeof stats>>
    telemetry: {
      samples: number
      errors: number
      newestMs: Record<'idle' | 'swapping' | 'all', ReturnType<typeof stats>>
      stalestNodeMs: Record<'idle' | 'swapping' | 'all', ReturnType<typeof stats>>
    }
  },
  targets: TargetCheck[],
): string {
  const row = (name: string, s: ReturnType<typeof stats>, digits = 0) => [
    name,
    String(s.count),
    n(s.min, digits),
    n(s.p50, digits),
    n(s.p95, digits),
    n(s.max, digits),
  ]
  const swapTable = table([
    ['swap figure (ms)', 'n', 'min', 'p50', 'p95', 'max'],
    row('readiness detection (ready transition − sim ready)', f.detectMs, 1),
    row('  … ready event received − sim ready', f.detectSseMs, 1),
    row('swap total (controller: started → finished)', f.totalMs),
    row('  … client: POST sent → ready event', f.clientTotalMs),
    row('controller overhead (total − configured load time)', f.overheadMs),
    row('sim vLLM load − configured (process start → ready)', f.simLoadOverMs, 1),
    row('controller start → new sim vLLM started', f.beforeLoadMs),
    ...Object.entries(f.phasesMs).map(([k, s]) => row(`  phase ${k}`, s)),
  ])
  const t = f.telemetry
  const freshness = table([
    ['telemetry age on receipt (ms)', 'n', 'min', 'p50', 'p95', 'max'],
    row('newest reading, idle', t.newestMs.idle),
    row('newest reading, during swaps', t.newestMs.swapping),
    row('newest reading, all', t.newestMs.all),
    row('stalest node reading, idle', t.stalestNodeMs.idle),
    row('stalest node reading, during swaps', t.stalestNodeMs.swapping),
    row('stalest node reading, all', t.stalestNodeMs.all),
  ])
  const goals = table([
    ['target', 'measured', 'goal', ''],
    ...targets.map((x) => [x.figure, n(x.value, 1), x.target, x.met ? 'met' : 'MISSED']),
  ])
  const notes = `swaps: ${f.swaps.length} (${f.swaps.filter((s) => s.outcome !== 'ready').length} not ready); telemetry reads: ${t.samples}, failed ${t.errors}`
  return `${swapTable}\n\n${freshness}\n\n${notes}\n\n${goals}\n`
}

function writeRun(startedAt: Date, extra: Record<string, string | number>, figures: unknown) {
  return writeResults('swap', startedAt, { ...extra, config: CONFIG, targets: TARGETS }, figures as object)
}

main().catch((err: Error) => {
  console.error(`bench:swap: failed: ${err.stack ?? err.message}`)
  process.exitCode = 1
})
