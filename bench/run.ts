/**
 * `npm run bench`: the gateway's overhead, measured in one run against baselines of the same run
 * (the machines are noisy, so every figure is a difference or a ratio).
 *
 * One upstream (bench/upstream.ts) is reached directly, through the real gateway process
 * (services/gateway/main.ts, started by the stack launcher with SWAP_CONTROLLER_URL pointing at the
 * upstream, requests to POST /v1/chat/completions) on its Node fast path and on its portable path,
 * through a bare Node proxy (bench/bare-proxy.ts, the floor for a proxy built on node:http and
 * undici), and through nginx, by one load generator in its own process (bench/load.ts). Figures:
 * added latency at a fixed open-loop rate, maximum throughput in a closed loop and CPU time per
 * request, per-chunk SSE delay, and the idle memory of every service.
 * Each phase runs in rounds, paths in the order A B C … then … C B A and so on, so that drift or a
 * burst of other work on the machine is spread over all paths rather than landing on one.
 * Everything listens on 127.0.0.1; every process and temp file is removed at the end, also on
 * error or Ctrl-C. A benchmark is not a test: missed targets are reported, never an exit code.
 */

import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchStack } from '../tools/stack/launch.ts'
import { Cleanups, cpuSecondsOf, forkReady, withChildren } from './children.ts'
import type { Job, Samples, Target } from './load.ts'
import { buildCompiled, idleMemory } from './memory.ts'
import { startNginx } from './nginx.ts'
import { atLeast, atMost, type Figures, lagP99Ms, render, summarize, throughputOf } from './report.ts'
import { writeResults } from './results.ts'

/** `BENCH_QUICK=1` runs every phase at a fifth of its length, to try the bench itself out. */
const scale = process.env.BENCH_QUICK === '1' ? 0.2 : 1
const CONFIG = {
  rate: 500,
  latencyMs: 10_000 * scale,
  latencyWarmupMs: 4000 * scale,
  concurrency: 48,
  throughputMs: 5000 * scale,
  throughputWarmupMs: 1000 * scale,
  /** Each phase's time per path is split into this many rounds, in alternating order. */
  rounds: 4,
  sse: { streams: 16, events: 30, intervalMs: 10 },
  idleWaitMs: 5000,
}
const TARGETS = { addedP50Ms: 1, addedP99Ms: 5, vsNginx: 0.5, sseAddedP99Ms: 2, rssMiB: 80 }

/**
 * The gateway as main.ts runs it on Node (proxied requests on the Node fast path), and the same
 * process serving them through the portable path Deno runs (web Request/Response): the "before".
 */
const GATEWAYS: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'gateway', env: { PROXY_NODE_FAST_PATH: 'true' } },
  { name: 'gateway-portable', env: { PROXY_NODE_FAST_PATH: 'false' } },
]

const CHAT_BODY = JSON.stringify({
  model: 'bench',
  messages: [{ role: 'user', content: 'Say ok.' }],
  max_tokens: 1,
})
const chat = (origin: string): Target => ({
  origin,
  path: '/v1/chat/completions',
  method: 'POST',
  body: CHAT_BODY,
})
const sseChat = (origin: string): Target => ({
  origin,
  path: `/v1/chat/completions?sse=${CONFIG.sse.events}&ms=${CONFIG.sse.intervalMs}`,
  method: 'POST',
  body: JSON.stringify({ model: 'bench', messages: [], stream: true }),
})

const log = (line: string) => console.log(`bench: ${line}`)

async function main() {
  // Proxies and the upstream go first (the memory phase wants a quiet machine), the rest at the end.
  const proxies = new Cleanups()
  const cleanups = new Cleanups()
  let interrupted = false
  const onSignal = (signal: string) => {
    if (interrupted) return
    interrupted = true
    log(`${signal}: cleaning up`)
    void proxies
      .runAll()
      .then(() => cleanups.runAll())
      .finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const startedAt = new Date()
  const loadAtStart = loadavg()[0]!
  // Other work on the machine lands in the p99 figures; say so rather than let it pass unseen.
  if (loadAtStart > 0.5 * cpus().length) {
    log(`the machine is busy (load ${loadAtStart.toFixed(1)}): p99 figures will be noisy`)
  }
  try {
    const dir = await mkdtemp(join(tmpdir(), 'spark-bench-'))
    cleanups.add('temp dir', () => rm(dir, { recursive: true, force: true }))
    // Built first: compiling while the proxies are measured would disturb them.
    const compiled = await buildCompiled(cleanups, log)

    const upstream = await forkReady(new URL('./upstream.ts', import.meta.url))
    proxies.add('upstream', () => upstream.stop())
    const upstreamUrl = `http://127.0.0.1:${upstream.hello.port as number}`
    const load = await forkReady(new URL('./load.ts', import.meta.url))
    proxies.add('load generator', () => load.stop())

    const origins: Record<string, string> = { direct: upstreamUrl }
    /** The proxy processes of each path, whose CPU time per request is measured. */
    const proxyPids: Record<string, number[]> = { direct: [] }
    for (const gw of GATEWAYS) {
      const stack = await launchStack({
        services: ['gateway'],
        env: { LOG_LEVEL: 'warn', SWAP_CONTROLLER_URL: upstreamUrl, DATA_DIR: join(dir, gw.name), ...gw.env },
      })
      proxies.add(gw.name, () => stack.stop())
      origins[gw.name] = stack.url('gateway')
      proxyPids[gw.name] = [stack.services.gateway!.process.pid!]
    }
    const bare = await forkReady(new URL('./bare-proxy.ts', import.meta.url), [upstreamUrl])
    proxies.add('bare Node proxy', () => bare.stop())
    origins['node-bare'] = `http://127.0.0.1:${bare.hello.port as number}`
    proxyPids['node-bare'] = [bare.child.pid!]
    const nginx = await startNginx(dir, upstream.hello.port as number)
    proxies.add('nginx', () => nginx.stop())
    origins.nginx = nginx.url
    proxyPids.nginx = await withChildren(nginx.pid)
    const paths = Object.keys(origins)
    log(`paths: ${paths.map((p) => `${p} ${origins[p]}`).join(', ')}`)

    const run = (job: Job) => load.call<Samples>(job)
    const cpuSeconds: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]))
    const rounds = async (phase: string, job: (path: string) => Job, countCpu = false) => {
      const out: Record<string, Samples[]> = Object.fromEntries(paths.map((p) => [p, []]))
      const reversed = [...paths].reverse()
      for (let round = 0; round < CONFIG.rounds; round++) {
        const order = round % 2 === 0 ? paths : reversed
        log(`${phase}: round ${round + 1} of ${CONFIG.rounds}`)
        for (const p of order) {
          if (interrupted) throw new Error('interrupted')
          const before = countCpu ? await cpuSecondsOf(proxyPids[p]!) : 0
          out[p]!.push(await run(job(p)))
          if (countCpu) cpuSeconds[p]! += (await cpuSecondsOf(proxyPids[p]!)) - before
        }
      }
      return out
    }

    const share = (ms: number) => Math.round(ms / CONFIG.rounds)
    for (const p of paths) {
      await run({
        kind: 'rate',
        target: chat(origins[p]!),
        rate: CONFIG.rate,
        durationMs: CONFIG.latencyWarmupMs,
      })
    }
    const latency = await rounds('latency', (p) => ({
      kind: 'rate',
      target: chat(origins[p]!),
      rate: CONFIG.rate,
      durationMs: share(CONFIG.latencyMs),
    }))
    for (const p of paths) {
      const target = chat(origins[p]!)
      await run({
        kind: 'closed',
        target,
        concurrency: CONFIG.concurrency,
        durationMs: CONFIG.throughputWarmupMs,
      })
    }
    const throughput = await rounds(
      'throughput',
      (p) => ({
        kind: 'closed',
        target: chat(origins[p]!),
        concurrency: CONFIG.concurrency,
        durationMs: share(CONFIG.throughputMs),
      }),
      true,
    )
    const sseTimeoutMs = CONFIG.sse.events * CONFIG.sse.intervalMs + 15_000
    const sse = await rounds('sse', (p) => ({
      kind: 'sse',
      target: sseChat(origins[p]!),
      streams: CONFIG.sse.streams,
      timeoutMs: sseTimeoutMs,
    }))

    // The proxies are done; the memory phase gets a quiet machine.
    await proxies.runAll()
    // A service that does not start must not cost the proxy figures already measured.
    const rss = await idleMemory(dir, compiled, cleanups, CONFIG.idleWaitMs, log).catch((err: Error) => {
      log(`memory: left out, the stack did not start: ${err.message}`)
      return []
    })

    const cpuUsPerRequest = Object.fromEntries(
      paths.map((p) => {
        const ok = throughput[p]!.reduce((n, r) => n + r.ok, 0)
        return [p, proxyPids[p]!.length === 0 || ok === 0 ? null : (cpuSeconds[p]! / ok) * 1e6]
      }),
    )
    const figures = collect(paths, latency, throughput, sse, rss, cpuUsPerRequest)
    console.log(`\n${render(figures, CONFIG.rate, CONFIG.concurrency)}`)
    const loadAtEnd = loadavg()[0]!
    log(`load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${loadAtEnd.toFixed(2)}`)
    const file = await writeRun(startedAt, { nginx: nginx.version, loadAtStart, loadAtEnd }, figures)
    log(`results written to ${file}`)
  } finally {
    await proxies.runAll()
    await cleanups.runAll()
  }
}

function collect(
  paths: string[],
  latency: Record<string, Samples[]>,
  throughput: Record<string, Samples[]>,
  sse: Record<string, Samples[]>,
  rss: Figures['rss'],
  cpuUsPerRequest: Figures['cpuUsPerRequest'],
): Figures {
  const each = <T>(fn: (p: string) => T) => Object.fromEntries(paths.map((p) => [p, fn(p)]))
  const f: Figures = {
    paths,
    latency: each((p) => summarize(latency[p]!)),
    lagP99Ms: each((p) => lagP99Ms(latency[p]!)),
    throughput: each((p) => throughputOf(throughput[p]!)),
    sse: each((p) => summarize(sse[p]!)),
    cpuUsPerRequest,
    rss,
    targets: [],
  }
  const direct = f.latency.direct!
  for (const gw of GATEWAYS.map((g) => g.name)) {
    f.targets.push(
      atMost(
        `${gw}: added p50 @${CONFIG.rate}/s (ms)`,
        f.latency[gw]!.p50Ms - direct.p50Ms,
        TARGETS.addedP50Ms,
        'ms',
      ),
      atMost(
        `${gw}: added p99 @${CONFIG.rate}/s (ms)`,
        f.latency[gw]!.p99Ms - direct.p99Ms,
        TARGETS.addedP99Ms,
        'ms',
      ),
      atLeast(
        `${gw}: throughput / nginx`,
        f.throughput[gw]!.rps / f.throughput.nginx!.rps,
        TARGETS.vsNginx,
        '×',
      ),
      // The same ratio if each proxy had a core of its own (README: why the two differ).
      atLeast(
        `${gw}: throughput / nginx, per core`,
        cpuUsPerRequest.nginx! / cpuUsPerRequest[gw]!,
        TARGETS.vsNginx,
        '×',
      ),
      atMost(
        `${gw}: SSE added p99 (ms)`,
        f.sse[gw]!.p99Ms - f.sse.direct!.p99Ms,
        TARGETS.sseAddedP99Ms,
        'ms',
      ),
    )
  }
  for (const r of rss) {
    if (r.how === 'baseline') continue
    f.targets.push(atMost(`${r.name} (${r.how}): idle RSS (MiB)`, r.rssMiB, TARGETS.rssMiB, 'MiB'))
  }
  return f
}

function writeRun(startedAt: Date, extra: Record<string, string | number>, figures: Figures) {
  return writeResults(
    'gateway',
    startedAt,
    { ...extra, config: CONFIG, targets: TARGETS, gateways: GATEWAYS },
    figures as object,
  )
}

main().catch((err: Error) => {
  console.error(`bench: failed: ${err.stack ?? err.message}`)
  process.exitCode = 1
})
