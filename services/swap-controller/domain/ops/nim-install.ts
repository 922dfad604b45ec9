/**
 * `POST /api/nim/install`: log in to NVIDIA's registry, pull the NIM and run it on a Spark, with
 * the guard rails of every cluster change — `dry_run` shows the commands, a real install needs
 * `confirm: true`, it is refused while a swap touches the node, and every outcome (refusals too)
 * is audited as `nim.install`. The NGC key is read from configuration at the moment of use and
 * only ever written to a command's stdin.
 */
import type {
  NimInstallAnswer,
  NimInstallRequest,
  ServiceContainerSpec,
} from '../../../../shared/contracts/swap-controller.ts'
import {
  type AppError,
  confirmationRequired,
  conflict,
  notFound,
  upstreamFailed,
} from '../../../../shared/errors.ts'
import type { AuditInput } from '../coordination/ports.ts'
import {
  defaultNimName,
  keyEnvFile,
  NIM_TIMEOUTS,
  type NimStep,
  type NimTimeouts,
  planNimInstall,
} from './nim-plan.ts'
import type { NodeCommandRunner, OpsActor, SwapActivity } from './ports.ts'

export const NIM_DEFAULT_PORT = 8000
const AUDIT_ACTION = 'nim.install'

export interface NimInstallerDeps {
  runner: NodeCommandRunner
  /** Inventory nodes by name, with their host (for the answer's url). */
  nodes: () => ReadonlyArray<{ name: string; host: string; role: 'head' | 'worker' }>
  /** The configured service containers: a NIM may not take one's port on the same node. */
  specs: () => readonly ServiceContainerSpec[]
  swaps: SwapActivity
  audit: (entry: AuditInput) => void
  /** `NGC_API_KEY`, read when needed (settings may change it); undefined when not configured. */
  ngcKey: () => string | undefined
  timeouts?: NimTimeouts
  clock?: () => number
}

export interface NimInstaller {
  install(request: NimInstallRequest, actor: OpsActor, signal?: AbortSignal): Promise<NimInstallAnswer>
}

/** The first line of a command's error output, short: enough to say why, never a wall of text. */
const firstLine = (text: string) => (text.trim().split('\n')[0] ?? '').slice(0, 240)

export function createNimInstaller(deps: NimInstallerDeps): NimInstaller {
  const clock = deps.clock ?? Date.now
  const timeouts = deps.timeouts ?? NIM_TIMEOUTS

  function chooseNode(wanted: string | undefined) {
    const nodes = deps.nodes()
    const node = wanted
      ? nodes.find((n) => n.name === wanted)
      : (nodes.find((n) => n.role === 'worker') ?? nodes[0])
    if (!node)
      throw notFound(wanted ? `No node named ${wanted} in the inventory.` : 'No Spark is configured.')
    return node
  }

  function guard(node: string, port: number): void {
    if (deps.swaps.busyNodes().includes(node))
      throw conflict(`A model swap is using ${node}; install the NIM when it has finished.`)
    const taken = deps.specs().find((s) => s.node === node && s.port === port)
    if (taken)
      throw conflict(`Port ${port} on ${node} belongs to the ${taken.name} service; choose another port.`)
  }

  async function runStep(step: NimStep, key: string, signal?: AbortSignal) {
    const stdin = step.stdin === 'key' ? key : step.stdin === 'key_env_file' ? keyEnvFile(key) : undefined
    const res = await deps.runner.run(step.command, { timeoutMs: step.timeoutMs, signal, stdin })
    if (res.code === 0) return res.stdout.trim()
    const why = firstLine(res.stderr) || `exit ${res.code ?? 'by signal'}`
    const node = step.command.node
    if (step.kind === 'run' && /already in use|already allocated/.test(res.stderr))
      throw conflict(`docker run on ${node} refused: ${why}`)
    throw upstreamFailed(node, `docker ${step.kind} failed: ${why}`)
  }

  return {
    async install(request, actor, signal) {
      const dryRun = request.dry_run === true
      const name = request.name ?? defaultNimName(request.image)
      const audit = (outcome: string, detail: string, durationMs?: number) =>
        deps.audit({
          actor: actor.actor,
          requestId: actor.requestId ?? null,
          action: AUDIT_ACTION,
          target: name,
          dryRun,
          outcome,
          detail,
          durationMs: durationMs === undefined ? null : { install: durationMs },
        })
      const refuse = (err: AppError) => {
        audit('refused', err.message)
        return err
      }
      if (!dryRun && request.confirm !== true) throw refuse(confirmationRequired('Installing a NIM'))
      const node = chooseNode(request.node)
      const port = request.port ?? NIM_DEFAULT_PORT
      const steps = planNimInstall(
        { node: node.name, image: request.image, name, port, env: request.env ?? {} },
        timeouts,
      )
      const answer: NimInstallAnswer = {
        dry_run: dryRun,
        installed: false,
        node: node.name,
        name,
        image: request.image,
        port,
        url: `http://${node.host}:${port}`,
        commands: steps.map((s) => s.command),
        container_id: null,
        duration_s: null,
      }
      if (dryRun) {
        audit('ok', `dry run: ${request.image} as ${name} on ${node.name}:${port}`)
        return answer
      }
      try {
        guard(node.name, port)
      } catch (err) {
        throw refuse(err as AppError)
      }
      const key = deps.ngcKey()
      if (!key) throw refuse(conflict('NGC_API_KEY is not configured: set it to install a NIM from nvcr.io.'))
      const started = clock()
      let id = ''
      try {
        for (const step of steps) id = await runStep(step, key, signal)
      } catch (err) {
        audit('failed', (err as Error).message, clock() - started)
        throw err
      }
      const ms = clock() - started
      audit('ok', `${request.image} running as ${name} on ${node.name}:${port}`, ms)
      return { ...answer, installed: true, container_id: id.split('\n').pop() || null, duration_s: ms / 1000 }
    },
  }
}
