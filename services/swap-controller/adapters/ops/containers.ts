/**
 * `ServiceContainers` over the Sparks: per node one `docker inspect` for all its service
 * containers and one `docker stats --no-stream` for the running ones, plus each service's HTTP
 * health; start/stop/restart through the guard rails (domain/ops/restart-guard.ts), then a bounded
 * wait for health, every real run and every refusal in the audit log. A node that does not answer
 * makes its services `unknown` with the reason, never an error.
 */

import { sleep } from '../../../../shared/abort.ts'
import type {
  RestartAnswer,
  ServiceContainerView,
  ServiceHealth,
} from '../../../../shared/contracts/swap-controller.ts'
import { upstreamFailed } from '../../../../shared/errors.ts'
import type { AuditInput } from '../../domain/coordination/ports.ts'
import type { AutoRestartBook } from '../../domain/ops/auto-restart.ts'
import { inspectArgv, parseInspect, parseStats, statsArgv } from '../../domain/ops/docker-inspect.ts'
import type { ServiceEntry } from '../../domain/ops/inventory.ts'
import type {
  ActOptions,
  ContainerAction,
  NodeCommandRunner,
  ServiceContainers,
  SwapActivity,
} from '../../domain/ops/ports.ts'
import { AUDIT_ACTIONS, containerCommands, findService, refusalOf } from '../../domain/ops/restart-guard.ts'
import { buildView, type ContainerReading } from '../../domain/ops/view.ts'
import type { HealthProbe } from './containers-health.ts'
import { mergeLogStreams } from './containers-logs.ts'

export interface ServiceContainersDeps {
  entries: readonly ServiceEntry[]
  runner: NodeCommandRunner
  swaps: SwapActivity
  audit: (entry: AuditInput) => void
  probe: HealthProbe
  book: AutoRestartBook
  now?: () => number
  /** `docker restart/stop -t`. */
  graceS?: number
  /** How long a restart waits for the service's health to answer again. */
  healthWaitMs?: number
  healthPollMs?: number
  /** Budget of one docker inspect or stats on a node. */
  readTimeoutMs?: number
}

export interface ServiceContainersAdapter extends ServiceContainers {
  /** Only the containers' state (no stats, no health): what auto-restart checks before it counts a failure. */
  running(entries: readonly ServiceEntry[], signal?: AbortSignal): Promise<Map<string, boolean>>
}

const nodeDown = (node: string, err: unknown) =>
  `${node} did not answer (${err instanceof Error ? err.message : String(err)})`

export function createServiceContainers(deps: ServiceContainersDeps): ServiceContainersAdapter {
  const now = deps.now ?? Date.now
  const graceS = deps.graceS ?? 20
  const readTimeoutMs = deps.readTimeoutMs ?? 8000
  const lastHealth = new Map<string, ServiceHealth>()

  /** The containers of one node, read in one inspect (and one stats for the running ones). */
  async function readNode(
    node: string,
    entries: readonly ServiceEntry[],
    withStats: boolean,
    signal?: AbortSignal,
  ) {
    const names = [...new Set(entries.map((e) => e.spec.container))]
    const readings = new Map<string, ContainerReading>()
    const all = (r: ContainerReading) => {
      for (const n of names) readings.set(n, r)
      return readings
    }
    let res: Awaited<ReturnType<NodeCommandRunner['run']>>
    try {
      res = await deps.runner.run({ node, argv: inspectArgv(names) }, { timeoutMs: readTimeoutMs, signal })
    } catch (err) {
      return all({ kind: 'unknown', reason: nodeDown(node, err) })
    }
    const inspected = parseInspect(res, names)
    if (inspected.failure) return all({ kind: 'unknown', reason: `${node}: ${inspected.failure}` })
    const running = [...inspected.found.values()].filter((c) => c.state === 'running').map((c) => c.name)
    const stats =
      withStats && running.length > 0
        ? await deps.runner
            .run({ node, argv: statsArgv(running) }, { timeoutMs: readTimeoutMs, signal })
            .then((r) => (r.code === 0 ? parseStats(r.stdout) : null))
            .catch(() => null)
        : null
    for (const n of names) {
      const container = inspected.found.get(n)
      readings.set(
        n,
        container ? { kind: 'found', container, stats: stats?.get(n) ?? null } : { kind: 'missing' },
      )
    }
    return readings
  }

  async function readAll(entries: readonly ServiceEntry[], withStats: boolean, signal?: AbortSignal) {
    const live = entries.filter((e) => !e.problem && !e.spec.disabled)
    const byNode = new Map<string, ServiceEntry[]>()
    for (const e of live) byNode.set(e.spec.node, [...(byNode.get(e.spec.node) ?? []), e])
    const perNode = await Promise.all(
      [...byNode].map(async ([node, list]) => [node, await readNode(node, list, withStats, signal)] as const),
    )
    return new Map(perNode)
  }

  function readingOf(
    entry: ServiceEntry,
    nodes: Map<string, Map<string, ContainerReading>>,
  ): ContainerReading {
    if (entry.spec.disabled) return { kind: 'not_configured', reason: 'Hidden by DISABLED_SERVICES.' }
    if (entry.problem) return { kind: 'not_configured', reason: `Not configured: ${entry.problem}.` }
    return nodes.get(entry.spec.node)?.get(entry.spec.container) ?? { kind: 'missing' }
  }

  async function views(
    entries: readonly ServiceEntry[],
    signal?: AbortSignal,
  ): Promise<ServiceContainerView[]> {
    const nodes = await readAll(entries, true, signal)
    return Promise.all(
      entries.map(async (entry) => {
        const reading = readingOf(entry, nodes)
        const up = reading.kind === 'found' && reading.container.state === 'running'
        if (up && entry.healthUrl) lastHealth.set(entry.spec.name, await checkHealth(entry, signal))
        return buildView(entry.spec, reading, lastHealth.get(entry.spec.name) ?? null, now())
      }),
    )
  }

  async function checkHealth(entry: ServiceEntry, signal?: AbortSignal): Promise<ServiceHealth> {
    const { wedgeLike: _, ...health } = await deps.probe(entry.healthUrl as string, signal)
    return health
  }

  /** Polls health after a start or restart until it answers or the wait is over; the last result. */
  async function waitForHealth(entry: ServiceEntry): Promise<ServiceHealth | null> {
    if (!entry.healthUrl) return null
    const deadline = now() + (deps.healthWaitMs ?? 120_000)
    for (;;) {
      const health = await checkHealth(entry)
      lastHealth.set(entry.spec.name, health)
      if (health.ok || now() >= deadline) return health
      await sleep(Math.min(deps.healthPollMs ?? 500, Math.max(0, deadline - now())))
    }
  }

  async function act(name: string, action: ContainerAction, opts: ActOptions): Promise<RestartAnswer> {
    const entry = findService(deps.entries, name)
    const commands = containerCommands(entry, action, graceS)
    const { node, container } = entry.spec
    const answer: RestartAnswer = {
      dry_run: opts.dryRun,
      service: name,
      node,
      container,
      commands,
      restarted: false,
      duration_ms: null,
      health_after: null,
    }
    const audit = (outcome: string, detail: string, durationMs?: number) =>
      deps.audit({
        actor: opts.actor,
        action: opts.auditAction ?? AUDIT_ACTIONS[action],
        target: name,
        dryRun: opts.dryRun,
        outcome,
        detail,
        requestId: opts.requestId ?? null,
        durationMs: durationMs === undefined ? null : { [action]: durationMs },
      })
    if (opts.dryRun) {
      audit('ok', 'dry run: the commands were shown, nothing ran')
      return answer
    }
    const refused = refusalOf(entry, action, deps.swaps.busyNodes())
    if (refused) {
      audit('refused', refused.reason)
      throw refused.error
    }
    const started = now()
    const command = commands[0] as (typeof commands)[number]
    const res = await deps.runner
      .run(command, { timeoutMs: (graceS + 30) * 1000 })
      .catch((err: Error) => ({ code: null, stdout: '', stderr: nodeDown(node, err) }))
    if (res.code !== 0) {
      const why = res.stderr.trim().split('\n')[0] || `exit ${res.code ?? 'none'}`
      audit('failed', `docker ${action} failed: ${why}`, now() - started)
      throw upstreamFailed(node, `docker ${action} ${container}: ${why}`)
    }
    const health = action === 'stop' ? null : await waitForHealth(entry)
    const durationMs = now() - started
    const healthy = health === null || health.ok
    audit(
      healthy ? 'ok' : 'failed',
      health === null
        ? `docker ${action} done`
        : healthy
          ? `healthy again after ${(durationMs / 1000).toFixed(1)} s`
          : `not healthy after ${(durationMs / 1000).toFixed(1)} s: ${health.error ?? 'no answer'}`,
      durationMs,
    )
    return { ...answer, restarted: action !== 'stop', duration_ms: durationMs, health_after: health }
  }

  return {
    specs: () => deps.entries.map((e) => e.spec),
    list: (signal) => views(deps.entries, signal),
    async get(name, signal) {
      const entry = deps.entries.find((e) => e.spec.name === name)
      return entry ? ((await views([entry], signal))[0] ?? null) : null
    },
    act,
    async logs(name, lines, signal) {
      const entry = findService(deps.entries, name)
      const n = String(Math.max(1, Math.min(5000, Math.floor(lines))))
      const res = await deps.runner.run(
        { node: entry.spec.node, argv: ['docker', 'logs', '--tail', n, '-t', entry.spec.container] },
        { timeoutMs: 10_000, signal, maxOutputBytes: 4 * 1024 * 1024 },
      )
      if (res.code !== 0)
        throw upstreamFailed(
          entry.spec.node,
          `docker logs ${entry.spec.container}: ${res.stderr.trim().split('\n')[0]}`,
        )
      return mergeLogStreams(res.stdout, res.stderr)
    },
    autoRestarts: () => deps.book.recent(),
    async running(entries, signal) {
      const nodes = await readAll(entries, false, signal)
      const out = new Map<string, boolean>()
      for (const e of entries) {
        const r = readingOf(e, nodes)
        out.set(e.spec.name, r.kind === 'found' && r.container.state === 'running')
      }
      return out
    },
  }
}
