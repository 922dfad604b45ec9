/**
 * The earlier service tiles (`/api/services*`) over the service containers: the tiles themselves,
 * start/stop/restart through `ServiceContainers.act` (which keeps its own guard rails and audit),
 * a custom tile's Update, and the log tail. Hidden services (DISABLED_SERVICES) do not exist
 * here: absent from the list, 404 to an action. The earlier route took no body and asked for no
 * confirmation (the dashboard asked the person), so none is required here either; every change is
 * audited as `services.<action>`, and refused while a swap is using the service's node.
 */
import {
  EARLIER_SERVICE_ACTIONS,
  type EarlierServiceAction,
  type EarlierServiceActionAnswer,
  type EarlierServiceLogsAnswer,
  type EarlierServicesAnswer,
  type ServiceContainerSpec,
  type ServiceContainerView,
} from '../../../../shared/contracts/swap-controller.ts'
import { type AppError, badRequest, conflict, notFound, upstreamFailed } from '../../../../shared/errors.ts'
import type { AuditInput } from '../coordination/ports.ts'
import type {
  ActOptions as ContainerActOptions,
  NodeCommandRunner,
  ServiceContainers,
  SwapActivity,
} from './ports.ts'
import { planUpdate, tailLines, updateDirectory } from './services-earlier-update.ts'
import { earlierTile, knownModel, tileActions } from './services-earlier-view.ts'

/** Update output can be long (an image build); bounded all the same. */
const UPDATE_OUTPUT_BYTES = 8 * 1024 * 1024
const MODEL_PROBE_MS = 2000

export interface EarlierServicesDeps {
  containers: ServiceContainers
  runner: NodeCommandRunner
  swaps: SwapActivity
  audit: (entry: AuditInput) => void
  /** An inventory node's host and SSH user; undefined for a name not in the inventory. */
  node: (name: string) => { host: string; user: string | null } | undefined
  /** Where a service answers when configured by URL (`PARAKEET_URL`, …); else its node's host and port. */
  baseUrl?: (service: string) => string | null
  /** The model ids a vLLM at `baseUrl` serves (`GET /v1/models`); for a `kind: llm` tile. */
  listModels: (baseUrl: string, signal: AbortSignal) => Promise<string[]>
  clock?: () => number
}

export type ActOptions = Omit<ContainerActOptions, 'auditAction'>

export interface EarlierServices {
  tiles(signal?: AbortSignal): Promise<EarlierServicesAnswer>
  act(name: string, action: string, opts: ActOptions): Promise<EarlierServiceActionAnswer>
  logs(name: string, lines: number, signal?: AbortSignal): Promise<EarlierServiceLogsAnswer>
}

const isAction = (a: string): a is EarlierServiceAction =>
  (EARLIER_SERVICE_ACTIONS as readonly string[]).includes(a)

export function createEarlierServices(deps: EarlierServicesDeps): EarlierServices {
  const clock = deps.clock ?? Date.now

  function visible(name: string): ServiceContainerSpec {
    const spec = deps.containers.specs().find((s) => s.name === name && !s.disabled)
    if (!spec) throw notFound(`Unknown service ${name}.`)
    return spec
  }

  async function modelOf(view: ServiceContainerView, url: string | null, signal?: AbortSignal) {
    if (view.kind !== 'llm') return knownModel(view.kind)
    if (!url || view.state !== 'running') return null
    const budget = AbortSignal.timeout(MODEL_PROBE_MS)
    const ids = await deps
      .listModels(url, signal ? AbortSignal.any([signal, budget]) : budget)
      .catch(() => [] as string[])
    return ids[0] ?? null
  }

  async function tile(view: ServiceContainerView, signal?: AbortSignal) {
    const configured = deps.baseUrl?.(view.name) ?? null
    const host = configured
      ? new URL(configured).hostname.replace(/^\[|\]$/g, '')
      : (deps.node(view.node)?.host ?? null)
    const base = earlierTile(view, { host, model: null })
    const url = configured ?? base.url
    return { ...base, url, model: await modelOf(view, url, signal) }
  }

  async function update(spec: ServiceContainerSpec, opts: ActOptions) {
    if (!spec.custom || !spec.update_dir)
      throw badRequest(`${spec.name} has no update: only custom services with an update_dir do.`)
    const dir = updateDirectory(spec.name, spec.update_dir, deps.node(spec.node)?.user ?? null)
    const steps = planUpdate(spec.node, dir)
    const answer = answerFor(
      spec,
      'update',
      opts.dryRun,
      steps.map((s) => s.command),
    )
    if (opts.dryRun) return { ...answer, detail: `Would update ${spec.name} in ${dir}.` }
    const started = clock()
    const output: string[] = []
    for (const step of steps) {
      const res = await deps.runner.run(step.command, {
        timeoutMs: step.timeoutMs,
        maxOutputBytes: UPDATE_OUTPUT_BYTES,
      })
      output.push(...tailLines(`${res.stdout}\n${res.stderr}`))
      if (res.code !== 0)
        throw upstreamFailed(spec.node, `${step.purpose} in ${dir} exited with ${res.code ?? 'a signal'}`)
    }
    const s = (clock() - started) / 1000
    return { ...answer, duration_s: s, output: output.slice(-40), detail: `Updated ${spec.name}.` }
  }

  async function container(
    spec: ServiceContainerSpec,
    action: 'start' | 'stop' | 'restart',
    opts: ActOptions,
  ) {
    // The containers' own guard rails apply (refused during a swap of the node) and they write the
    // audit row, under the earlier route's action name.
    const done = await deps.containers.act(spec.name, action, { ...opts, auditAction: `services.${action}` })
    const answer = answerFor(spec, action, opts.dryRun, done.commands)
    const ok = opts.dryRun || done.restarted
    const past = { start: 'started', stop: 'stopped', restart: 'restarted' }[action]
    const detail = opts.dryRun
      ? `Would ${action} ${spec.name}.`
      : ok
        ? `${spec.name} ${past}.`
        : `${spec.name} was not ${past}.`
    const duration = done.duration_ms === null ? null : done.duration_ms / 1000
    return { ...answer, ok, duration_s: duration, detail }
  }

  return {
    async tiles(signal) {
      const views = (await deps.containers.list(signal)).filter((v) => !v.disabled)
      const tiles = await Promise.all(views.map((v) => tile(v, signal)))
      return Object.fromEntries(tiles.map((t) => [t.name, t]))
    },

    async act(name, action, opts) {
      const spec = visible(name)
      if (!isAction(action) || action === 'logs')
        throw badRequest(
          `Unknown action ${action}: one of ${tileActions(spec)
            .filter((a) => a !== 'logs')
            .join(', ')}.`,
        )
      if (action !== 'update') return container(spec, action, opts)
      const record = (outcome: string, detail: string, durationS?: number | null) =>
        deps.audit({
          actor: opts.actor,
          requestId: opts.requestId ?? null,
          action: 'services.update',
          target: name,
          dryRun: opts.dryRun,
          outcome,
          detail,
          durationMs: durationS == null ? null : { update: Math.round(durationS * 1000) },
        })
      if (!opts.dryRun && deps.swaps.busyNodes().includes(spec.node)) {
        const err = conflict(`A model swap is using ${spec.node}; update ${name} when it has finished.`)
        record('refused', err.message)
        throw err
      }
      try {
        const answer = await update(spec, opts)
        record('ok', answer.detail, answer.duration_s)
        return answer
      } catch (err) {
        record((err as AppError).status === 409 ? 'refused' : 'failed', (err as Error).message)
        throw err
      }
    },

    async logs(name, lines, signal) {
      const spec = visible(name)
      return {
        name,
        container: spec.container,
        node: spec.node,
        lines: await deps.containers.logs(name, lines, signal),
      }
    },
  }
}

function answerFor(
  spec: ServiceContainerSpec,
  action: EarlierServiceAction,
  dryRun: boolean,
  commands: EarlierServiceActionAnswer['commands'],
): EarlierServiceActionAnswer {
  return {
    ok: true,
    name: spec.name,
    action,
    dry_run: dryRun,
    node: spec.node,
    container: spec.container,
    commands,
    duration_s: null,
    detail: '',
  }
}
