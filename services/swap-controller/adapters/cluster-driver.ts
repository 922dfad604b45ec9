/**
 * Executes a swap plan on the Sparks: the plan's steps over the persistent SSH pool, each with its
 * own budget (so the command sent is the one the dry run shows), and the readiness ladder over HTTP
 * (undici, every call with a budget). Teardown is verified rather than trusted — `docker stop` can
 * return before a node really let go (docs/UPSTREAMS.md, Docker) — and a container that will not go
 * away fails the swap before anything new is launched.
 */
import { type Dispatcher, request } from 'undici'
import { sleep, withBudget } from '../../../shared/abort.ts'
import { callJson } from '../../../shared/http-client.ts'
import { isUnreachable } from '../../../shared/ssh/errors.ts'
import type { SshNodes } from '../../../shared/ssh/types.ts'
import { parseDockerPs } from '../domain/docker-ps.ts'
import { type MemorySnapshot, parseMeminfo } from '../domain/meminfo.ts'
import type { SwapPlan, TeardownPlan } from '../domain/swap/plan.ts'
import {
  type ClusterDriver,
  type ReadyWatch,
  SwapFailure,
  type TeardownReport,
} from '../domain/swap/ports.ts'
import { REACH_BUDGET_MS } from '../domain/swap/preflight-steps.ts'
import { type PlanStep, type ReadMemoryStep, readMemoryStep, stepsOfKind } from '../domain/swap/steps.ts'
import { type DownNode, describeDown, type NodeMisses, nodeMisses, nodesOf } from './node-misses.ts'
import { portOpen } from './port-open.ts'

export interface ClusterDriverOptions {
  ssh: SshNodes
  /** vLLM's host as the controller reaches it; null disables the port and HTTP checks. */
  vllmHost: string | null
  dispatcher?: Dispatcher
  /** How long teardown may take to show the container gone, the port closed and memory settled. */
  verifyTimeoutMs?: number
  /** How long a launched model may take to become ready. */
  readyTimeoutMs?: number
  pollMs?: number
  /** Lines of container log kept with a failed swap. */
  excerptLines?: number
}

/** Two MemAvailable readings closer than this count as "stopped changing". */
const MEMORY_SETTLED_BYTES = 512 * 2 ** 20
const noAnswer = () => null
const cancelled = () => new SwapFailure('cancelled', 'cancelled')
const pause = (ms: number, signal: AbortSignal) => sleep(ms, { signal, reason: cancelled })

export function createClusterDriver(options: ClusterDriverOptions): ClusterDriver {
  const { ssh, vllmHost, dispatcher } = options
  const pollMs = options.pollMs ?? 250
  const readyMs = options.readyTimeoutMs ?? 30 * 60_000
  const node = (name: string) => {
    const n = ssh.get(name)
    if (!n) throw new SwapFailure('teardown', `node ${name} is not in the SSH inventory`)
    return n
  }
  // The remote deadline is asked for explicitly: the dry run renders every step with it.
  const exec = (step: PlanStep, signal?: AbortSignal) =>
    node(step.node).exec(step.argv, {
      timeoutMs: step.deadlineMs,
      signal,
      maxOutputBytes: 256 * 1024,
      remoteDeadline: true,
    })
  const urlHost = vllmHost?.includes(':') ? `[${vllmHost}]` : vllmHost
  const baseUrl = (plan: SwapPlan) => (urlHost ? `http://${urlHost}:${plan.port}` : null)

  /** Runs read-memory steps; a node that could not be read is left out. */
  async function readMemory(
    steps: readonly ReadMemoryStep[],
    signal?: AbortSignal,
  ): Promise<Record<string, MemorySnapshot>> {
    const read = async (step: ReadMemoryStep) => {
      const res = await exec(step, signal)
      const mem = res.code === 0 ? parseMeminfo(res.stdout) : null
      return mem ? ([step.node, mem] as const) : null
    }
    const pairs = await Promise.all(steps.map((s) => read(s).catch(() => null)))
    return Object.fromEntries(pairs.filter((p) => p !== null))
  }

  const available = (snaps: Record<string, MemorySnapshot>) =>
    Object.fromEntries(Object.entries(snaps).map(([n, m]) => [n, m.available_bytes]))
  const meminfo = (nodes: readonly string[], signal?: AbortSignal) =>
    readMemory(nodes.map(readMemoryStep), signal)

  /**
   * Nodes where the container still exists, with docker's status; a probe that ran and failed counts
   * as present. A node that does not answer is counted in `misses` instead (see verifyStopped).
   */
  async function leftovers(plan: TeardownPlan, signal: AbortSignal, misses: NodeMisses): Promise<string[]> {
    const found = await Promise.all(
      stepsOfKind(plan.verify, 'check-absent')
        .filter((step) => !misses.passedOver.has(step.node))
        .map(async (step) => {
          const res = await misses.run(step, signal)
          if (!res) return null
          const why = res.stderr.trim().slice(0, 200) || `exit ${res.code}`
          if (res.code !== 0) return `${step.node} (docker ps failed: ${why})`
          const c = parseDockerPs(res.stdout, step.container)
          return c ? `${step.node} (${c.status || c.state})` : null
        }),
    )
    return found.filter((f): f is string => f !== null)
  }

  async function verifyStopped(plan: TeardownPlan, signal: AbortSignal): Promise<TeardownReport> {
    const deadline = Date.now() + (options.verifyTimeoutMs ?? 60_000)
    const misses = nodeMisses(exec, plan.required)
    let problem = ''
    let previous: Record<string, number> | null = null
    while (Date.now() < deadline) {
      const left = await leftovers(plan, signal, misses)
      const down = misses.failed()
      if (down.length > 0)
        throw new SwapFailure(
          'teardown',
          `${describeDown(down)}; the new model was not started`,
          nodesOf(down),
        )
      const open = vllmHost ? await portOpen(vllmHost, plan.port) : false
      // UMA pages come back with a lag; "near baseline" = MemAvailable stopped rising between polls.
      const reads = stepsOfKind(plan.verify, 'read-memory').filter((s) => !misses.passedOver.has(s.node))
      const mem = available(await readMemory(reads, signal))
      const before = previous
      const settled =
        before !== null &&
        reads.every((s) => Math.abs((mem[s.node] ?? 0) - (before[s.node] ?? 0)) < MEMORY_SETTLED_BYTES)
      if (left.length === 0 && !open && settled && misses.pending().length === 0) return misses.report()
      if (left.length > 0) problem = `container ${plan.container} still present on ${left.join(', ')}`
      else if (misses.pending().length > 0) problem = describeDown(misses.pending())
      else problem = open ? `port ${plan.port} still open` : 'memory still being released'
      previous = mem
      await pause(Math.max(pollMs, 500), signal)
    }
    throw new SwapFailure('teardown', `teardown not verified: ${problem}; the new model was not started`)
  }

  async function health(url: string, signal: AbortSignal) {
    const res = await callJson(`${url}/health`, {
      service: 'vLLM',
      timeoutMs: 2000,
      signal,
      dispatcher,
    }).catch(noAnswer)
    return res?.status === 200
  }

  /**
   * Whether `/v1/models` lists `id`. A list of other names will not change while this vLLM runs (its
   * served name is fixed at start-up), so it fails the swap at once instead of at the timeout.
   */
  async function lists(url: string, id: string, signal: AbortSignal) {
    const options = { service: 'vLLM', timeoutMs: 3000, signal, dispatcher }
    const res = await callJson<{ data?: { id?: unknown }[] }>(`${url}/v1/models`, options).catch(noAnswer)
    if (res?.status !== 200 || !Array.isArray(res.body?.data)) return false
    const ids = res.body.data.map((m) => m.id).filter((m): m is string => typeof m === 'string')
    if (ids.includes(id)) return true
    if (ids.length === 0) return false
    const serving = ids.map((m) => `'${m}'`).join(', ')
    throw new SwapFailure(
      'readiness',
      `vLLM is serving ${serving}, not the expected '${id}' — is the served-name alias passed?`,
    )
  }

  /** One token, streamed: proves the engine generates, not just that the HTTP server is up. */
  async function firstToken(url: string, model: string, signal: AbortSignal) {
    const res = await request(`${url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, prompt: 'ping', max_tokens: 1, stream: true }),
      signal: withBudget(signal, 30_000),
      dispatcher,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    }).catch(() => null)
    if (!res) return false
    if (res.statusCode !== 200) {
      await res.body.dump()
      return false
    }
    let seen = ''
    for await (const chunk of res.body) {
      seen += chunk.toString()
      if (/data: *\{/.test(seen)) break
      if (seen.length > 64 * 1024) break
    }
    res.body.destroy()
    return /data: *\{/.test(seen)
  }

  /**
   * Why the load cannot succeed any more, or null: the head's container exited or disappeared, or a
   * node the model runs on stopped answering (a worker's container is not judged: eugr may still be
   * starting it).
   */
  async function loadBroken(plan: SwapPlan, misses: NodeMisses, signal: AbortSignal) {
    const probes = stepsOfKind(plan.verify, 'check-absent').filter((s) => plan.required.includes(s.node))
    const results = await Promise.all(probes.map(async (s) => [s, await misses.run(s, signal)] as const))
    const down = misses.failed()
    if (down.length > 0)
      return new SwapFailure('load', `${describeDown(down)} during the load`, nodesOf(down))
    for (const [step, res] of results) {
      if (step.node !== plan.head || res?.code !== 0) continue
      const c = parseDockerPs(res.stdout, step.container)
      if (!c) return new SwapFailure('load', `container ${plan.container} disappeared on ${plan.head}`)
      if (!c.running)
        return new SwapFailure('load', `container ${plan.container} on ${plan.head} exited: ${c.status}`)
    }
    return null
  }

  async function awaitReady(plan: SwapPlan, watch: ReadyWatch) {
    const url = baseUrl(plan)
    if (!url) throw new SwapFailure('readiness', 'no vLLM host is configured; readiness cannot be checked')
    const deadline = Date.now() + readyMs
    let healthy = false
    let lastContainerCheck = 0
    const misses = nodeMisses(exec, plan.required)
    while (Date.now() < deadline) {
      const failure = watch.logFailure()
      if (failure)
        throw new SwapFailure('load', `vLLM failed on ${failure.node} (${failure.kind}): ${failure.detail}`)
      if (Date.now() - lastContainerCheck > 1000) {
        lastContainerCheck = Date.now()
        const broken = await loadBroken(plan, misses, watch.signal)
        if (broken) throw broken
      }
      if (!healthy && (await portOpen(vllmHost!, plan.port)) && (await health(url, watch.signal))) {
        healthy = true
        watch.onHealthy()
      }
      const id = plan.servedModelName
      if (healthy && (await lists(url, id, watch.signal)) && (await firstToken(url, id, watch.signal))) return
      await pause(pollMs, watch.signal)
    }
    throw new SwapFailure('readiness', `not ready within ${Math.round(readyMs / 1000)} s`)
  }

  /** The nodes of `names` that do not answer `true` within the reach budget, with why. */
  async function unanswered(names: readonly string[]): Promise<DownNode[]> {
    const asked = await Promise.all(
      names.map((name) =>
        node(name)
          .exec(['true'], { timeoutMs: REACH_BUDGET_MS, remoteDeadline: false })
          .then(
            () => null,
            (err: unknown) => (isUnreachable(err) ? { node: name, reason: err.reason } : null),
          ),
      ),
    )
    return asked.filter((d) => d !== null)
  }

  return {
    memory: async (nodes, signal) => available(await meminfo(nodes, signal)),
    meminfo,
    async stop(plan, signal) {
      // Nodes in parallel, each node's steps in order (stop, then remove).
      await Promise.all(
        plan.nodes.map(async (n) => {
          for (const step of plan.teardown.filter((t) => t.node === n))
            await exec(step, signal).catch(() => undefined)
        }),
      )
    },
    verifyStopped,
    async launch(plan, signal) {
      const res = await exec(plan.launch, signal).catch((err: unknown) => {
        if (!isUnreachable(err)) throw err
        const why = `${plan.head} is unreachable (${err.reason}); run-recipe.sh was not started`
        throw new SwapFailure('launch', why, [plan.head])
      })
      if (res.code !== 0) {
        const why = (res.stderr.trim() || res.stdout.trim()).split('\n').slice(-5).join(' | ').slice(0, 1000)
        const exited = `run-recipe.sh exited with ${res.code ?? res.signal}: ${why}`
        // eugr reaches the workers itself and names them by IP: ask each needed worker directly,
        // so a lost one is named (and decides the rollback) rather than hidden in eugr's words.
        const down = await unanswered(plan.required.filter((n) => n !== plan.head))
        if (down.length > 0)
          throw new SwapFailure('launch', `${describeDown(down)} — ${exited}`, nodesOf(down))
        throw new SwapFailure('launch', exited)
      }
    },
    awaitReady,
    async logExcerpt(plan) {
      const lines = options.excerptLines ?? 60
      const argv = ['docker', 'logs', '--tail', String(lines), plan.container]
      const res = await node(plan.head)
        .exec(argv, { timeoutMs: 10_000, maxOutputBytes: 256 * 1024 })
        .catch(noAnswer)
      if (res?.code !== 0) return null
      return `${res.stdout}${res.stderr}`.trim() || null
    },
  }
}
