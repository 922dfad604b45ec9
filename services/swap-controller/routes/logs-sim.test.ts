/**
 * End to end on the simulated cluster: the real log tail and telemetry poller over real SSH,
 * served by buildApp. A model is started the way the simulator's preload does it; a client of
 * `/api/swap/logs` feeds every line to a ProgressTracker, which must walk through the phases to
 * `ready` with a percentage that only goes up. Then `/api/swap/telemetry` shows the GB10 readings
 * and the loaded model's vLLM metrics.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { generateEd25519KeyPair } from '../../../shared/ssh/keygen.ts'
import { createSshPool, type SshPool } from '../../../shared/ssh/pool.ts'
import { type SimNodesHandle, startSimNodes } from '../../../tools/spark-sim/cluster/index.ts'
import { SIM_RECIPES } from '../../../tools/spark-sim/recipes.ts'
import { freePort } from '../../../tools/stack/ports.ts'
import { sseReader } from '../../../ui/fixtures/sse.ts'
import { createLogTail, type LogLineEvent, type LogTail } from '../adapters/log-tail.ts'
import {
  createTelemetryPoller,
  type TelemetryPoller,
  type TelemetrySnapshot,
} from '../adapters/telemetry-poller.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { createVllmMetricsClient } from '../adapters/vllm-metrics-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { buildInventory } from '../domain/inventory.ts'
import { PHASES, type Phase } from '../domain/progress/phases.ts'
import { ProgressTracker } from '../domain/progress/tracker.ts'

const VLLM_DIR = '/home/sim/spark-vllm-docker'

/** `GET /api/swap/telemetry`: the snapshot with each node's sparkline history. */
type TelemetryBody = TelemetrySnapshot & {
  simulated: boolean
  nodes: Array<TelemetrySnapshot['nodes'][number] & { history: { at_ms: number[] } }>
}
let dir: string
let sim: SimNodesHandle
let pool: SshPool
let tail: LogTail
let telemetry: TelemetryPoller
let app: ReturnType<typeof buildApp>
let vllmPort: number
const shutdown = new AbortController()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logs-sim-'))
  const key = generateEd25519KeyPair()
  await writeFile(join(dir, 'id'), key.private, { mode: 0o600 })
  vllmPort = await freePort()
  sim = await startSimNodes({
    nodes: [
      { name: 'spark-1', host: '127.0.0.1', sshPort: 0, role: 'head' },
      { name: 'spark-2', host: '127.0.0.1', sshPort: 0, role: 'worker' },
    ],
    authorizedKeys: [key.public],
    vllmDir: VLLM_DIR,
    recipes: SIM_RECIPES,
    defaultLoadTimeMs: 1500,
    portMap: () => vllmPort,
  })
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '127.0.0.1',
    SPARK1_USER: 'sim',
    SPARK1_SSH_PORT: String(sim.node('spark-1').sshPort),
    SPARK2_HOST: '127.0.0.1',
    SPARK2_USER: 'sim',
    SPARK2_SSH_PORT: String(sim.node('spark-2').sshPort),
    VLLM_PORT: String(vllmPort),
    SIMULATED_CLUSTER: 'true',
  })
  const inventory = buildInventory(config)
  const targets = sim.nodes.map((n) => ({ name: n.name, host: n.host, port: n.sshPort, user: 'sim' }))
  pool = createSshPool({ targets, keyPath: join(dir, 'id'), logger: silentLogger() })
  tail = createLogTail({
    nodes: ['spark-1', 'spark-2'],
    ssh: pool,
    container: config.VLLM_CONTAINER,
    replayLines: config.LOG_REPLAY_LINES,
  })
  telemetry = createTelemetryPoller({
    inventory,
    ssh: pool,
    cacheDir: config.MODEL_CACHE_DIR,
    vllm: createVllmMetricsClient({ baseUrl: inventory.vllm.baseUrl }),
    intervalMs: 200,
  })
  const vllm = createVllmClient({ baseUrl: inventory.vllm.baseUrl })
  app = buildApp({
    config,
    inventory,
    ssh: pool,
    vllm,
    logger: silentLogger(),
    shutdown: shutdown.signal,
    telemetry,
    logTail: tail,
  })
  tail.start()
  telemetry.start()
})

afterAll(async () => {
  shutdown.abort()
  await telemetry?.stop()
  await tail?.stop()
  await pool?.close()
  await sim?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('progress from live logs on the simulated cluster', () => {
  it('walks a ProgressTracker through every phase to ready, the percentage only going up', async () => {
    const res = await app.request('/api/swap/logs?tail=0')
    const events = sseReader(res.body!)
    const tracker = new ProgressTracker()
    const argv = [`${VLLM_DIR}/run-recipe.sh`, 'qwen3-coder-30b', '--solo', '-d', '--port', String(vllmPort)]
    const launched = await pool.get('spark-1')!.exec(argv, { timeoutMs: 10_000 })
    expect(launched.code, launched.stderr).toBe(0)
    tail.kick('spark-1')
    const walk: Array<{ phase: Phase; percent: number }> = []
    while (tracker.phase !== 'ready') {
      const e = await events.next(10_000)
      if (!e) throw new Error('the log stream ended before ready')
      if (e.event !== 'log') continue
      const line = JSON.parse(e.data) as LogLineEvent
      tracker.push(line.node, line.line, Date.parse(line.at))
      walk.push({ phase: tracker.phase, percent: tracker.snapshot().percent })
    }
    await events.cancel()
    const percents = walk.map((w) => w.percent)
    expect(percents).toEqual([...percents].sort((a, b) => a - b))
    expect(percents.filter((p, i) => p !== percents[i - 1]).length).toBeGreaterThan(10)
    const phases = walk.map((w) => w.phase).filter((p, i, all) => p !== all[i - 1])
    expect(phases).toEqual(PHASES.filter((p) => p !== 'container'))
    const end = tracker.snapshot()
    expect(end).toMatchObject({ phase: 'ready', percent: 100, failure: null })
    expect(tracker.durations().total_s).toBeGreaterThan(1)
  })

  it('serves the GB10 readings and the loaded model’s metrics from /api/swap/telemetry', async () => {
    // The first polls after the load: wait until every reading is there.
    const body = await vi.waitFor(
      async () => {
        const b = (await (await app.request('/api/swap/telemetry')).json()) as TelemetryBody
        expect(b.vllm.models.length).toBeGreaterThan(0)
        for (const n of b.nodes) expect(n.gpu && n.memory && n.disk, n.node).toBeTruthy()
        return b
      },
      { timeout: 5000, interval: 100 },
    )
    expect(body.simulated).toBe(true)
    const head = body.nodes[0]!
    const worker = body.nodes[1]!
    expect(head.gpu!.temperature_c).toBeGreaterThan(0)
    expect(Array.isArray(head.gpu!.throttle_reasons)).toBe(true)
    expect(head.memory!.available_bytes).toBeLessThan(worker.memory!.available_bytes)
    expect(head.disk).toMatchObject({ path: '/home/sim/.cache/huggingface' })
    expect(head.disk!.total_bytes).toBeGreaterThan(head.disk!.available_bytes)
    expect(head.errors).toEqual([])
    expect(body.vllm.models[0]).toMatchObject({
      model_name: SIM_RECIPES['qwen3-coder-30b']!.model,
      running: 0,
    })
    expect(head.history.at_ms.length).toBeGreaterThan(1)
    // Polled every 200 ms here: no reading may be older than a few intervals.
    const stamps = [head.gpu!.at, head.memory!.at, worker.gpu!.at, body.vllm.at ?? '']
    const age = Date.now() - Math.min(...stamps.map(Date.parse))
    expect(age).toBeLessThan(1000)
  })
})
