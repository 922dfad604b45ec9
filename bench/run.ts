/**
 * `npm run bench`: the gateway's overhead, measured in one run against baselines of the same run
 * (DESIGN 8: the machines are noisy, so every figure is a difference or a ratio).
 *
 * One upstream (bench/upstream.ts) is reached three ways — directly, through the real gateway
 * process (services/gateway/main.ts, started by the stack launcher with SWAP_CONTROLLER_URL pointing
 * at the upstream, requests to POST /v1/chat/completions), and through nginx — by one load
 * generator in its own process (bench/load.ts). Figures: added latency at a fixed open-loop rate,
 * maximum throughput in a closed loop, per-chunk SSE delay, and the idle memory of every service.
 * Paths alternate A B C … then … C B A so slow drift of the machine does not favour one of them.
 * Everything listens on 127.0.0.1; every process and temp file is removed at the end, also on
 * error or Ctrl-C. A benchmark is not a test: missed targets are reported, never an exit code.
 */
import { spawn } from 'node:child_process'
import { cpus, tmpdir } from 'node:os'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { launchStack, REPO_ROOT } from '../tools/stack/launch.ts'
import { SERVICE_NAMES } from '../shared/topology.ts'
import { Cleanups, forkReady, memoryOf, stopChild } from './children.ts'
import type { Job, Samples, Target } from './load.ts'
import { startNginx } from './nginx.ts'
import { atLeast, atMost, type Figures, lagP99Ms, render, summarize, throughputOf } from './report.ts'

/** `BENCH_QUICK=1` runs every phase at a fifth of its length, to try the bench itself out. */
const scale = process.env.BENCH_QUICK === '1' ? 0.2 : 1
const CONFIG = {
  rate: 500,
  latencyMs: 10_000 * scale,
  latencyWarmupMs: 2000 * scale,
  concurrency: 48,
  throughputMs: 5000 * scale,
  throughputWarmupMs: 1000 * scale,
  sse: { streams: 16, events: 60, intervalMs: 10 },
  idleWaitMs: 5000,
}
const TARGETS = { addedP50Ms: 1, addedP99Ms: 5, vsNginx: 0.5, sseAddedP99Ms: 2, rssMiB: 80 }

/** The gateway as main.ts runs it, plus variants measured in the same run (see README). */
const GATEWAYS: Array<{ name: string; env: Record<string, string> }> = [{ name: 'gateway', env: {} }]

const CHAT_BODY = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'Say ok.' }], max_tokens: 1 })
const chat = (origin: string): Target => ({ origin, path: '/v1/chat/completions', method: 'POST', body: CHAT_BODY })
const sseChat = (origin: string): Target => ({
  origin,
  path: `/v1/chat/completions?sse=${CONFIG.sse.events}&ms=${CONFIG.sse.intervalMs}`,
  method: 'POST',
  body: JSON.stringify({ model: 'bench', messages: [], stream: true }),
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const log = (line: string) => console.log(`bench: ${line}`)

async function main() {
  // Proxies and the upstream go first (the memory phase wants a quiet machine), the rest at the end.
  const proxies = new Cleanups()
  const cleanups = new Cleanups()
  let interrupted = false
  process.once('SIGINT', () => {
    interrupted = true
    log('interrupted, cleaning up')
    void proxies.runAll().then(() => cleanups.runAll()).finally(() => process.exit(130))
  })
  const startedAt = new Date()
  try {
    const dir = await mkdtemp(join(tmpdir(), 'spark-bench-'))
    cleanups.add('temp dir', () => rm(dir, { recursive: true, force: true }))

    const upstream = await forkReady(new URL('./upstream.ts', import.meta.url))
    proxies.add('upstream', () => upstream.stop())
    const upstreamUrl = `http://127.0.0.1:${upstream.hello.port as number}`
    const load = await forkReady(new URL('./load.ts', import.meta.url))
    proxies.add('load generator', () => load.stop())

    const origins: Record<string, string> = { direct: upstreamUrl }
    for (const gw of GATEWAYS) {
      const stack = await launchStack({
        services: ['gateway'],
        env: { LOG_LEVEL: 'warn', SWAP_CONTROLLER_URL: upstreamUrl, DATA_DIR: join(dir, gw.name), ...gw.env },
      })
      proxies.add(gw.name, () => stack.stop())
      origins[gw.name] = stack.url('gateway')
    }
    const nginx = await startNginx(dir, upstream.hello.port as number)
    proxies.add('nginx', () => nginx.stop())
    origins.nginx = nginx.url
    const paths = Object.keys(origins)
    log(`paths: ${paths.map((p) => `${p} ${origins[p]}`).join(', ')}`)

    const run = (job: Job) => load.call<Samples>(job)
    const rounds = async (phase: string, job: (path: string) => Job) => {
      const out: Record<string, Samples[]> = Object.fromEntries(paths.map((p) => [p, []]))
      for (const order of [paths, [...paths].reverse()]) {
        for (const p of order) {
          if (interrupted) throw new Error('interrupted')
          log(`${phase}: ${p}`)
          out[p]!.push(await run(job(p)))
        }
      }
      return out
    }

    const half = (ms: number) => Math.round(ms / 2)
    for (const p of paths) {
      await run({ kind: 'rate', target: chat(origins[p]!), rate: CONFIG.rate, durationMs: CONFIG.latencyWarmupMs })
    }
    const latency = await rounds('latency', (p) => ({
      kind: 'rate',
      target: chat(origins[p]!),
      rate: CONFIG.rate,
      durationMs: half(CONFIG.latencyMs),
    }))
    for (const p of paths) {
      await run({ kind: 'closed', target: chat(origins[p]!), concurrency: CONFIG.concurrency, durationMs: CONFIG.throughputWarmupMs })
    }
    const throughput = await rounds('throughput', (p) => ({
      kind: 'closed',
      target: chat(origins[p]!),
      concurrency: CONFIG.concurrency,
      durationMs: half(CONFIG.throughputMs),
    }))
    const sseTimeoutMs = CONFIG.sse.events * CONFIG.sse.intervalMs + 15_000
    const sse = await rounds('sse', (p) => ({
      kind: 'sse',
      target: sseChat(origins[p]!),
      streams: CONFIG.sse.streams,
      timeoutMs: sseTimeoutMs,
    }))

    // The proxies are done; the memory phase gets a quiet machine.
    await proxies.runAll()
    const rss = await idleMemory(dir, cleanups)

    const figures = collect(paths, latency, throughput, sse, rss)
    console.log(`\n${render(figures, CONFIG.rate, CONFIG.concurrency)}`)
    const file = await writeResults(startedAt, { nginx: nginx.version }, figures)
    log(`results written to ${file}`)
  } finally {
    await proxies.runAll()
    await cleanups.runAll()
  }
}

/** Every service started as a child process by the stack launcher, then left alone. */
async function idleMemory(dir: string, cleanups: Cleanups): Promise<Figures['rss']> {
  log('memory: starting the whole stack')
  const stack = await launchStack({
    env: { LOG_LEVEL: 'warn', DATA_DIR: join(dir, 'stack') },
    healthTimeoutMs: 90_000,
  })
  cleanups.add('stack', () => stack.stop())
  // What any process costs before it loads a line of ours: node alone, and node with tsx's loader.
  const idle = 'setInterval(() => {}, 1 << 30)'
  const baselines = [
    { name: '(baseline) node, empty', child: spawn(process.execPath, ['-e', idle], { cwd: REPO_ROOT }) },
    { name: '(baseline) node --import tsx, empty', child: spawn(process.execPath, ['--import', 'tsx', '-e', idle], { cwd: REPO_ROOT }) },
  ]
  for (const b of baselines) cleanups.add(b.name, () => stopChild(b.child))
  log(`memory: idle for ${CONFIG.idleWaitMs / 1000} s`)
  await sleep(CONFIG.idleWaitMs)
  const out: Figures['rss'] = []
  for (const name of SERVICE_NAMES) {
    const pid = stack.services[name]?.process.pid
    if (pid !== undefined) out.push({ name, ...(await memoryOf(pid)) })
  }
  for (const b of baselines) if (b.child.pid !== undefined) out.push({ name: b.name, ...(await memoryOf(b.child.pid)) })
  return out
}

function collect(
  paths: string[],
  latency: Record<string, Samples[]>,
  throughput: Record<string, Samples[]>,
  sse: Record<string, Samples[]>,
  rss: Figures['rss'],
): Figures {
  const each = <T>(fn: (p: string) => T) => Object.fromEntries(paths.map((p) => [p, fn(p)]))
  const f: Figures = {
    paths,
    latency: each((p) => summarize(latency[p]!)),
    lagP99Ms: each((p) => lagP99Ms(latency[p]!)),
    throughput: each((p) => throughputOf(throughput[p]!)),
    sse: each((p) => summarize(sse[p]!)),
    rss,
    targets: [],
  }
  const direct = f.latency.direct!
  for (const gw of GATEWAYS.map((g) => g.name)) {
    f.targets.push(
      atMost(`${gw}: added p50 @${CONFIG.rate}/s (ms)`, f.latency[gw]!.p50Ms - direct.p50Ms, TARGETS.addedP50Ms, 'ms'),
      atMost(`${gw}: added p99 @${CONFIG.rate}/s (ms)`, f.latency[gw]!.p99Ms - direct.p99Ms, TARGETS.addedP99Ms, 'ms'),
      atLeast(`${gw}: throughput / nginx`, f.throughput[gw]!.rps / f.throughput.nginx!.rps, TARGETS.vsNginx, '×'),
      atMost(`${gw}: SSE added p99 (ms)`, f.sse[gw]!.p99Ms - f.sse.direct!.p99Ms, TARGETS.sseAddedP99Ms, 'ms'),
    )
  }
  for (const r of rss) {
    if (!r.name.startsWith('(')) f.targets.push(atMost(`${r.name}: idle RSS (MiB)`, r.rssMiB, TARGETS.rssMiB, 'MiB'))
  }
  return f
}

async function writeResults(startedAt: Date, versions: Record<string, string>, figures: Figures) {
  const dir = join(REPO_ROOT, 'bench', 'results')
  await mkdir(dir, { recursive: true })
  const file = join(dir, `gateway-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  const meta = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    ...versions,
    config: CONFIG,
    targets: TARGETS,
    gateways: GATEWAYS,
  }
  await writeFile(file, `${JSON.stringify({ meta, ...figures }, null, 2)}\n`)
  return file
}

main().catch((err: Error) => {
  console.error(`bench: failed: ${err.stack ?? err.message}`)
  process.exitCode = 1
})
