/**
 * Telemetry polling: one loop per node over its persistent SSH connection (nvidia-smi,
 * /proc/meminfo, df of the model cache — three short commands in parallel, each its own argv, so
 * one failing source leaves the others readable), and one loop for vLLM's `/metrics`. Each loop
 * ticks every `intervalMs` and never overlaps itself: a tick still running when the next is due is
 * skipped (and counted), so a slow node cannot pile up SSH channels. Every call has a timeout;
 * failures are recorded per source with the last good reading kept (its `at` shows its age).
 */
import { upstreamFailed } from '../../../shared/errors.ts'
import type { Logger } from '../../../shared/logger.ts'
import type { SshNode, SshNodes } from '../../../shared/ssh/types.ts'
import { type Inventory, type NodeRole, resolveDockerDir } from '../domain/inventory.ts'
import type { NodeSample, VllmSample } from '../domain/telemetry/history.ts'
import {
  NODE_SAMPLE_KEYS,
  nodeSample,
  toColumns,
  VLLM_SAMPLE_KEYS,
  vllmSample,
} from '../domain/telemetry/history.ts'
import {
  type DiskTelemetry,
  diskArgv,
  type GpuTelemetry,
  gpuTelemetryArgv,
  isUnknownFieldError,
  memoryTelemetry,
  parseDf,
  parseGpuTelemetry,
  THROTTLE_FIELDS,
} from '../domain/telemetry/node.ts'
import { createPollLoop } from '../domain/telemetry/poll-loop.ts'
import { RingBuffer } from '../domain/telemetry/ring-buffer.ts'
import type {
  NodeSource,
  NodeTelemetry,
  TelemetryHistory,
  TelemetrySnapshot,
  TelemetryUpdate,
  VllmTelemetry,
} from '../domain/telemetry/snapshot.ts'
import { summarizeVllmMetrics, type VllmScrape } from '../domain/telemetry/vllm-metrics.ts'
import { createNodeShell } from './node-shell.ts'
import type { VllmMetricsClient } from './vllm-metrics-client.ts'

export type { TelemetryHistory, TelemetrySnapshot, TelemetryUpdate }

export interface TelemetryPoller {
  readonly intervalMs: number
  readonly historySize: number
  start(): void
  /** Stops every loop and waits for running ticks to end (their calls are aborted). */
  stop(): Promise<void>
  snapshot(): TelemetrySnapshot
  /** Oldest first; `samples` keeps the newest n of each series. */
  history(samples?: number): TelemetryHistory
  subscribe(listener: (update: TelemetryUpdate) => void): () => void
  /** Runs one tick of every loop now (or joins the running one) and waits for it. */
  pollNow(): Promise<void>
}

export interface TelemetryPollerOptions {
  inventory: Pick<Inventory, 'nodes'>
  ssh: SshNodes
  /** The model cache: `~/…` (resolved per SSH user) or absolute. */
  cacheDir: string
  vllm?: VllmMetricsClient | null
  intervalMs?: number
  /** Budget of each command and scrape; default the interval, within 1–5 s. */
  timeoutMs?: number
  historySize?: number
  logger?: Logger
  now?: () => number
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

export function createTelemetryPoller(options: TelemetryPollerOptions): TelemetryPoller {
  const intervalMs = options.intervalMs ?? 1500
  const timeoutMs = options.timeoutMs ?? Math.min(5000, Math.max(1000, intervalMs))
  const historySize = options.historySize ?? 300
  const now = options.now ?? Date.now
  const iso = () => new Date(now()).toISOString()
  const listeners = new Set<(u: TelemetryUpdate) => void>()
  const notify = (source: string) => {
    const update = { source, at: iso() }
    for (const l of listeners) {
      try {
        l(update)
      } catch (err) {
        options.logger?.warn({ err: message(err) }, 'telemetry listener failed')
      }
    }
  }

  const nodes = options.inventory.nodes.map((node) => {
    const client = node.user ? options.ssh.get(node.name) : undefined
    const cachePath = resolveDockerDir(options.cacheDir, node.user)
    const state = createNodeState(node.name, node.role, !!client)
    const ring = new RingBuffer<NodeSample>(historySize)
    const loop =
      client && cachePath ? createPollLoop(intervalMs, nodeTick(client, cachePath, state, ring)) : null
    return { state, ring, loop }
  })

  function nodeTick(client: SshNode, cachePath: string, state: NodeTelemetry, ring: RingBuffer<NodeSample>) {
    const shell = createNodeShell(client, { timeoutMs })
    const gpu = gpuReader(client, timeoutMs)
    return async (signal: AbortSignal) => {
      const ctx = { signal, logger: options.logger, iso }
      const [g, m] = await Promise.all([
        record(
          state,
          'gpu',
          () => gpu(signal),
          (v) => (state.gpu = { ...v, at: iso() }),
          ctx,
        ),
        record(
          state,
          'memory',
          async () => memoryTelemetry(await shell.memory(signal)),
          (v) => (state.memory = { ...v, at: iso() }),
          ctx,
        ),
        record(
          state,
          'disk',
          () => readDisk(client, cachePath, timeoutMs, signal),
          (v) => (state.disk = { ...v, at: iso() }),
          ctx,
        ),
      ])
      if (signal.aborted) return
      ring.push(nodeSample(now(), g, m))
      notify(state.node)
    }
  }

  const vllmState: VllmTelemetry = {
    base_url: options.vllm?.baseUrl ?? null,
    at: null,
    models: [],
    error: null,
    polls: 0,
    skipped: 0,
  }
  const vllmRing = new RingBuffer<VllmSample>(historySize)
  let previous: VllmScrape | undefined
  const vllmLoop = options.vllm?.baseUrl
    ? createPollLoop(intervalMs, async (signal) => {
        try {
          const scrape = await options.vllm!.scrape(signal)
          vllmState.models = summarizeVllmMetrics(scrape, previous)
          previous = scrape
          vllmState.at = new Date(scrape.at_ms).toISOString()
          if (vllmState.error) options.logger?.info('telemetry: vLLM metrics are back')
          vllmState.error = null
        } catch (err) {
          if (signal.aborted) return
          if (!vllmState.error) {
            options.logger?.warn({ reason: message(err) }, 'telemetry: vLLM metrics unavailable')
          }
          vllmState.models = []
          previous = undefined
          vllmState.error = { message: message(err), at: iso() }
        }
        vllmRing.push(vllmSample(now(), vllmState.models))
        notify('vllm')
      })
    : null

  const loops = [...nodes.flatMap((n) => (n.loop ? [n.loop] : [])), ...(vllmLoop ? [vllmLoop] : [])]
  return {
    intervalMs,
    historySize,
    start: () => {
      for (const l of loops) l.start()
    },
    stop: async () => {
      await Promise.all(loops.map((l) => l.stop()))
    },
    snapshot: () => ({
      interval_ms: intervalMs,
      nodes: nodes.map(({ state, loop }) => ({
        ...state,
        errors: [...state.errors],
        polls: loop?.runs ?? 0,
        skipped: loop?.skipped ?? 0,
      })),
      vllm: { ...vllmState, polls: vllmLoop?.runs ?? 0, skipped: vllmLoop?.skipped ?? 0 },
    }),
    history: (samples = historySize) => ({
      nodes: Object.fromEntries(
        nodes.map(({ state, ring }) => [state.node, toColumns(ring.toArray(samples), NODE_SAMPLE_KEYS)]),
      ),
      vllm: toColumns(vllmRing.toArray(samples), VLLM_SAMPLE_KEYS),
    }),
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    pollNow: async () => {
      await Promise.all(loops.map((l) => l.runNow()))
    },
  }
}

function createNodeState(node: string, role: NodeRole, configured: boolean): NodeTelemetry {
  return { node, role, configured, gpu: null, memory: null, disk: null, errors: [], polls: 0, skipped: 0 }
}

/** Runs one source; on success stores the stamped reading and clears its error, on failure records it. */
async function record<T extends object>(
  state: NodeTelemetry,
  source: NodeSource,
  read: () => Promise<T>,
  store: (value: T) => void,
  ctx: { signal: AbortSignal; logger?: Logger; iso: () => string },
): Promise<T | null> {
  const had = state.errors.some((e) => e.source === source)
  try {
    const value = await read()
    store(value)
    if (had) ctx.logger?.info({ node: state.node, source }, 'telemetry: source is back')
    state.errors = state.errors.filter((e) => e.source !== source)
    return value
  } catch (err) {
    // A tick cut short by shutdown is not a failure of the node.
    if (ctx.signal.aborted) return null
    if (!had) ctx.logger?.warn({ node: state.node, source, reason: message(err) }, 'telemetry: source failed')
    const at = ctx.iso()
    state.errors = [...state.errors.filter((e) => e.source !== source), { source, message: message(err), at }]
    return null
  }
}

/**
 * nvidia-smi with the throttle field under the newest name the driver knows: an unknown field
 * fails the whole query, so the first tick steps down the names and the choice is kept.
 */
function gpuReader(client: SshNode, timeoutMs: number) {
  let choice = 0
  return async (signal: AbortSignal): Promise<GpuTelemetry> => {
    for (;;) {
      const field = THROTTLE_FIELDS[choice] ?? null
      const res = await client.exec(gpuTelemetryArgv(field), { timeoutMs, signal, maxOutputBytes: 64 * 1024 })
      if (field && res.code !== 0 && isUnknownFieldError(`${res.stdout}\n${res.stderr}`)) {
        choice++
        continue
      }
      if (res.code === 127) throw upstreamFailed(client.name, 'nvidia-smi is not installed on this node')
      if (res.code !== 0) {
        throw upstreamFailed(client.name, `nvidia-smi exited with ${res.code ?? res.signal ?? 'no status'}`)
      }
      const gpu = parseGpuTelemetry(res.stdout, field !== null)
      if (!gpu) throw upstreamFailed(client.name, 'nvidia-smi listed no GPU')
      return gpu
    }
  }
}

async function readDisk(
  client: SshNode,
  path: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<DiskTelemetry> {
  const res = await client.exec(diskArgv(path), { timeoutMs, signal, maxOutputBytes: 64 * 1024 })
  if (res.code !== 0 && /no such file/i.test(res.stderr)) {
    throw upstreamFailed(client.name, `the model cache ${path} does not exist`)
  }
  if (res.code !== 0) {
    throw upstreamFailed(client.name, `df exited with ${res.code ?? res.signal ?? 'no status'}`)
  }
  const disk = parseDf(res.stdout, path)
  if (!disk) throw upstreamFailed(client.name, 'df printed no filesystem line')
  return disk
}
