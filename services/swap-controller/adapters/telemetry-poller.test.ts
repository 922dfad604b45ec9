import { afterEach, describe, expect, it, vi } from 'vitest'
import { SshError } from '../../../shared/ssh/errors.ts'
import type {
  ExecOptions,
  ExecResult,
  SshConnectionState,
  SshNode,
  SshNodes,
  StreamResult,
} from '../../../shared/ssh/types.ts'
import { VllmMetrics } from '../../../tools/spark-sim/vllm/metrics.ts'
import type { Inventory, SparkNode } from '../domain/inventory.ts'
import { parsePrometheusText } from '../domain/telemetry/prometheus.ts'
import { createTelemetryPoller, type TelemetryPoller } from './telemetry-poller.ts'
import type { VllmMetricsClient } from './vllm-metrics-client.ts'

type Handler = (
  argv: readonly string[],
  signal: AbortSignal,
) => Partial<ExecResult> | Promise<Partial<ExecResult>>

/** An SSH node whose commands answer through `handler`, honouring the caller's timeout and abort like the real client. */
class ScriptedNode implements SshNode {
  readonly calls: string[][] = []
  running = 0
  maxRunning = 0
  constructor(
    readonly name: string,
    public handler: Handler,
  ) {}

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.calls.push([...argv])
    this.running++
    this.maxRunning = Math.max(this.maxRunning, this.running)
    const budget = AbortSignal.timeout(options.timeoutMs ?? 30_000)
    const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget
    try {
      const stopped = new Promise<never>((_, reject) =>
        signal.addEventListener(
          'abort',
          () => reject(new SshError(budget.aborted ? 'timeout' : 'aborted', this.name, `${argv[0]} stopped`)),
          { once: true },
        ),
      )
      const out = await Promise.race([Promise.resolve(this.handler(argv, signal)), stopped])
      return { code: 0, signal: null, stdout: '', stderr: '', durationMs: 1, ...out }
    } finally {
      this.running--
    }
  }

  stream(): Promise<StreamResult> {
    throw new Error('not used')
  }

  state(): SshConnectionState {
    return {
      state: 'connected',
      since: new Date(0).toISOString(),
      lastError: null,
      failures: 0,
      nextAttemptAt: null,
    }
  }
}

const MEMINFO = 'MemTotal:       127601952 kB\nMemFree:         2409444 kB\nMemAvailable:   31250616 kB\n'
const DF =
  'Filesystem 1-blocks Used Available Capacity Mounted on\n/dev/nvme0n1p2 4000000000000 1000000000000 3000000000000 25% /\n'

/** The poll loops tick on timers; the tests move those by hand (Date stays real for elapsed-time checks). */
const useFakeTimers = () =>
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })

/** A GB10 on a driver that knows only the names in `fields`. */
function spark(fields = ['clocks_event_reasons.active', 'clocks_throttle_reasons.active']): Handler {
  return (argv) => {
    const query = argv.find((a) => a.startsWith('--query-gpu='))
    if (query) {
      const unknown = query
        .split('=')[1]!
        .split(',')
        .find((f) => f.includes('reasons') && !fields.includes(f))
      if (unknown) return { code: 2, stdout: `Field "${unknown}" is not a valid field to query.\n` }
      return {
        stdout: query.includes('reasons')
          ? '96, 71, 48.27, 2405, 0x0000000000000020\n'
          : '96, 71, 48.27, 2405\n',
      }
    }
    if (argv.join(' ') === 'cat /proc/meminfo') return { stdout: MEMINFO }
    if (argv[0] === 'df') return { stdout: DF }
    return { code: 127 }
  }
}

function node(name: string, user: string | null, role: SparkNode['role'] = 'head'): SparkNode {
  return { name, host: '192.0.2.10', user, sshPort: 22, role, dockerDir: null }
}

function nodesOf(...list: ScriptedNode[]): SshNodes {
  return { get: (n) => list.find((x) => x.name === n), close: async () => undefined }
}

function fakeVllm(): VllmMetricsClient & {
  metrics: VllmMetrics
  down: boolean
  scrapes: number
  clockMs: number
} {
  const metrics = new VllmMetrics('Qwen/Qwen3-8B', {
    gpuMemoryUtilization: 0.7,
    blockSize: 16,
    numGpuBlocks: 100,
  })
  const fake = {
    baseUrl: 'http://192.0.2.10:8888',
    metrics,
    down: false,
    scrapes: 0,
    /** When the next scrape says it was taken; rates are per second of this clock. */
    clockMs: Date.now(),
    async scrape() {
      fake.scrapes++
      if (fake.down) throw new Error('vLLM /metrics is not reachable')
      return {
        at_ms: fake.clockMs,
        samples: parsePrometheusText(metrics.render({ running: 1, waiting: 0, kvUsage: 0.25 })),
      }
    },
  }
  return fake
}

let poller: TelemetryPoller | undefined
afterEach(async () => {
  await poller?.stop()
  poller = undefined
  vi.useRealTimers()
})

const inventory = (...nodes: SparkNode[]): Pick<Inventory, 'nodes'> => ({ nodes })

describe('telemetry poller', () => {
  it('reads GPU, memory and the model-cache disk of each node, and vLLM metrics, into snapshot and history', async () => {
    const a = new ScriptedNode('spark-1', spark())
    const b = new ScriptedNode('spark-2', spark())
    const vllm = fakeVllm()
    poller = createTelemetryPoller({
      inventory: inventory(
        node('spark-1', 'owner'),
        node('spark-2', 'root', 'worker'),
        node('spark-3', null, 'worker'),
      ),
      ssh: nodesOf(a, b),
      cacheDir: '~/.cache/huggingface',
      vllm,
      intervalMs: 60_000,
    })
    await poller.pollNow()
    vllm.metrics.generationTokens += 100
    vllm.clockMs += 1000
    await poller.pollNow()
    const snap = poller.snapshot()
    const [one, two, three] = snap.nodes
    expect(one).toMatchObject({
      node: 'spark-1',
      configured: true,
      gpu: {
        utilization_pct: 96,
        temperature_c: 71,
        power_w: 48.27,
        sm_clock_mhz: 2405,
        throttle_reasons: ['sw_thermal_slowdown'],
      },
      memory: {
        total_bytes: 127601952 * 1024,
        available_bytes: 31250616 * 1024,
        used_bytes: (127601952 - 31250616) * 1024,
      },
      disk: { path: '/home/owner/.cache/huggingface', total_bytes: 4e12, used_pct: 25 },
      errors: [],
      polls: 2,
    })
    expect(Date.now() - Date.parse(one!.gpu!.at)).toBeLessThan(1000)
    expect(a.calls).toContainEqual(['df', '-P', '-B1', '/home/owner/.cache/huggingface'])
    expect(b.calls).toContainEqual(['df', '-P', '-B1', '/root/.cache/huggingface'])
    expect(three).toMatchObject({ node: 'spark-3', configured: false, gpu: null, polls: 0 })
    expect(two!.role).toBe('worker')
    expect(snap.vllm.models[0]).toMatchObject({ model_name: 'Qwen/Qwen3-8B', running: 1, kv_cache_pct: 25 })
    expect(snap.vllm.models[0]!.generation_tokens_per_s).toBeGreaterThan(0)
    const history = poller.history()
    expect(history.nodes['spark-1']!.gpu_util_pct).toEqual([96, 96])
    expect(history.nodes['spark-3']!.at_ms).toEqual([])
    expect(history.vllm.kv_cache_pct).toEqual([25, 25])
    expect(poller.history(1).vllm.at_ms).toHaveLength(1)
  })

  it('falls back to the old throttle field name once, and remembers it', async () => {
    const a = new ScriptedNode('spark-1', spark(['clocks_throttle_reasons.active']))
    poller = createTelemetryPoller({
      inventory: inventory(node('spark-1', 'owner')),
      ssh: nodesOf(a),
      cacheDir: '/models',
      intervalMs: 60_000,
    })
    await poller.pollNow()
    await poller.pollNow()
    const queries = a.calls.filter((c) => c.includes('nvidia-smi')).map((c) => c[3])
    expect(queries).toEqual([
      '--query-gpu=utilization.gpu,temperature.gpu,power.draw,clocks.sm,clocks_event_reasons.active',
      '--query-gpu=utilization.gpu,temperature.gpu,power.draw,clocks.sm,clocks_throttle_reasons.active',
      '--query-gpu=utilization.gpu,temperature.gpu,power.draw,clocks.sm,clocks_throttle_reasons.active',
    ])
    expect(poller.snapshot().nodes[0]!.gpu!.throttle_reasons).toEqual(['sw_thermal_slowdown'])
    const none = new ScriptedNode('spark-1', spark([]))
    const bare = createTelemetryPoller({
      inventory: inventory(node('spark-1', 'owner')),
      ssh: nodesOf(none),
      cacheDir: '/models',
      intervalMs: 60_000,
    })
    await bare.pollNow()
    expect(bare.snapshot().nodes[0]!.gpu).toMatchObject({ utilization_pct: 96, throttle_reasons: null })
  })

  it('records a failing or hanging source without losing the others, and recovers', async () => {
    let diskMissing = true
    let gpuHangs = true
    const base = spark()
    const a = new ScriptedNode('spark-1', (argv, signal) => {
      if (argv[0] === 'df' && diskMissing) {
        return { code: 1, stderr: 'df: /models: No such file or directory\n' }
      }
      if (argv.includes('nvidia-smi') && gpuHangs) return new Promise(() => void signal)
      return base(argv, signal)
    })
    poller = createTelemetryPoller({
      inventory: inventory(node('spark-1', 'owner')),
      ssh: nodesOf(a),
      cacheDir: '/models',
      intervalMs: 60_000,
      timeoutMs: 150,
    })
    const started = Date.now()
    await poller.pollNow()
    expect(Date.now() - started).toBeLessThan(1000)
    let n = poller.snapshot().nodes[0]!
    expect(n.memory).not.toBeNull()
    expect(n.gpu).toBeNull()
    expect(n.errors.map((e) => e.source).sort()).toEqual(['disk', 'gpu'])
    expect(n.errors.find((e) => e.source === 'disk')!.message).toContain(
      'the model cache /models does not exist',
    )
    expect(n.errors.find((e) => e.source === 'gpu')!.message).toMatch(/stopped|timeout/)
    diskMissing = false
    gpuHangs = false
    await poller.pollNow()
    n = poller.snapshot().nodes[0]!
    expect(n.errors).toEqual([])
    expect(n.disk!.path).toBe('/models')
    expect(poller.history().nodes['spark-1']!.gpu_util_pct).toEqual([null, 96])
  })

  it('never overlaps ticks of one node: a slow tick makes the next ones skip', async () => {
    useFakeTimers()
    const base = spark()
    let smi = 0
    let maxSmi = 0
    let answerGpu = () => {}
    const gpuAnswered = new Promise<void>((resolve) => {
      answerGpu = resolve
    })
    const a = new ScriptedNode('spark-1', async (argv, signal) => {
      if (argv.includes('nvidia-smi')) {
        maxSmi = Math.max(maxSmi, ++smi)
        await gpuAnswered.finally(() => smi--)
      }
      return base(argv, signal)
    })
    poller = createTelemetryPoller({
      inventory: inventory(node('spark-1', 'owner')),
      ssh: nodesOf(a),
      cacheDir: '/models',
      intervalMs: 40,
      timeoutMs: 1000,
    })
    poller.start()
    // Five ticks come due while the first one's nvidia-smi has not answered.
    await vi.advanceTimersByTimeAsync(200)
    expect(poller.snapshot().nodes[0]).toMatchObject({ polls: 1, skipped: 5 })
    answerGpu()
    await vi.advanceTimersByTimeAsync(80)
    await poller.stop()
    const n = poller.snapshot().nodes[0]!
    expect(a.calls.filter((c) => c.includes('nvidia-smi')).length).toBe(3)
    expect(maxSmi).toBe(1)
    expect(a.maxRunning).toBe(3)
    expect(n).toMatchObject({ polls: 3, skipped: 5 })
  })

  it('keeps polling vLLM while it is down and publishes an update per tick', async () => {
    const vllm = fakeVllm()
    vllm.down = true
    poller = createTelemetryPoller({
      inventory: inventory(),
      ssh: nodesOf(),
      cacheDir: '/models',
      vllm,
      intervalMs: 30,
    })
    useFakeTimers()
    const updates: string[] = []
    const unsubscribe = poller.subscribe((u) => updates.push(u.source))
    poller.start()
    await vi.advanceTimersByTimeAsync(90)
    expect(vllm.scrapes).toBe(4)
    expect(poller.snapshot().vllm).toMatchObject({
      models: [],
      error: { message: 'vLLM /metrics is not reachable' },
    })
    vllm.down = false
    await vi.advanceTimersByTimeAsync(30)
    expect(poller.snapshot().vllm.error).toBeNull()
    expect(poller.snapshot().vllm.models).toHaveLength(1)
    unsubscribe()
    const seen = updates.length
    await vi.advanceTimersByTimeAsync(90)
    expect(vllm.scrapes).toBe(8)
    expect(updates.length).toBe(seen)
    expect(seen).toBe(5)
    expect(new Set(updates)).toEqual(new Set(['vllm']))
  })

  it('stops on shutdown: running calls are aborted and nothing runs afterwards', async () => {
    const a = new ScriptedNode('spark-1', (_argv, signal) => new Promise(() => void signal))
    poller = createTelemetryPoller({
      inventory: inventory(node('spark-1', 'owner')),
      ssh: nodesOf(a),
      cacheDir: '/models',
      intervalMs: 50,
      timeoutMs: 5000,
    })
    useFakeTimers()
    poller.start()
    await expect.poll(() => a.running).toBe(3)
    const started = Date.now()
    await poller.stop()
    expect(Date.now() - started).toBeLessThan(500)
    const calls = a.calls.length
    await vi.advanceTimersByTimeAsync(150)
    expect(a.calls.length).toBe(calls)
    expect(a.running).toBe(0)
    // An aborted tick is not a node failure.
    expect(poller.snapshot().nodes[0]!.errors).toEqual([])
  })
})
