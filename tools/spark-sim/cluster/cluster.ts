/**
 * Cluster-wide state and the operations that span nodes: containers with a vLLM inside, Ray
 * workers, stopping, failure injection. The command handlers (docker.ts, eugr-*.ts) call these.
 */
import type { Logger } from 'pino'
import { sleep } from '../../../shared/abort.ts'
import { startVllmEmulator, type VllmFailure } from '../vllm/index.ts'
import type { RecipeTemplate } from './eugr-recipe.ts'
import { architectureOf } from './hf-hub.ts'
import { SimContainer, type SimNode, type VllmProcess } from './node-state.ts'
import { KIB_PER_GIB } from './resources.ts'
import { stopService } from './service-containers.ts'

export interface RecipeMeta {
  model: string
  /** A name written into the default command of a metadata-only recipe (see eugr-recipe.ts `templateOf`). */
  servedModelName?: string
  /** The recipe file's command template, defaults and env, as eugr's runner reads them. */
  template?: RecipeTemplate
  soloOnly?: boolean
  clusterOnly?: boolean
  /**
   * Unified memory the model takes on EACH node it runs on, in GiB (default 20). Recipe files never
   * set it (eugr's format has no size): only tests that need a footprint give one.
   */
  memGiB?: number
  /** The recipe's `defaults.port` (eugr's recipes use 8000). */
  defaultPort?: number
  /** The recipe's `container` image (default `vllm-node`). */
  container?: string
}

/** Maps the port a command asked for to the port the emulator really binds (tests map to 0). */
export type PortMap = (nominalPort: number, nodeName: string) => number

export interface ServeParams {
  model: string
  servedModelName: string
  nominalPort: number
  host: string
  maxModelLen?: number
  gpuMemoryUtilization?: number
  nonDefaultArgs: Record<string, unknown>
}

export interface ClusterSettings {
  vllmDir: string
  recipes: Record<string, RecipeMeta>
  loadTimeMs: number
  portMap: PortMap
  /** Docker's stop grace (`-t`, 10 s by default) scaled down so tests stay fast. */
  stopGraceMs: number
  /** `--rm` removal is asynchronous in Docker; a short window where the name still exists. */
  removeDelayMs: number
  tokensPerSecond?: number
  statsIntervalMs?: number
  /** How long a simulated `hf download` takes from start to the snapshot path. */
  downloadTimeMs: number
  logger?: Logger
}

const DEFAULT_MEM_GIB = 20

export class SimCluster {
  nextFailure: { kind: VllmFailure; at?: number } = { kind: 'none' }
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(
    readonly nodes: SimNode[],
    readonly settings: ClusterSettings,
  ) {}

  node(name: string): SimNode {
    const n = this.nodes.find((x) => x.name === name)
    if (!n) throw new Error(`no simulated node named ${name}`)
    return n
  }

  /** `.env`'s CLUSTER_NODES order: head-role nodes first. */
  envOrder(): SimNode[] {
    return [
      ...this.nodes.filter((n) => n.spec.role === 'head'),
      ...this.nodes.filter((n) => n.spec.role !== 'head'),
    ]
  }

  recipeForModel(model: string): RecipeMeta | undefined {
    return Object.values(this.settings.recipes).find((r) => r.model === model)
  }

  createContainer(node: SimNode, name: string, image: string, role: SimContainer['role']): SimContainer {
    const c = new SimContainer(name, image, role)
    node.containers.set(name, c)
    return c
  }

  /**
   * Execs `vllm serve` into `head.container`; Ray workers (cluster mode) get the same memory load
   * and show up in the head's log. `primary` is false for a second exec into a reused container.
   */
  startVllm(
    head: { node: SimNode; container: SimContainer },
    workers: Array<{ node: SimNode; container: SimContainer }>,
    params: ServeParams,
    primary: boolean,
  ): VllmProcess {
    const memGiB = this.recipeForModel(params.model)?.memGiB ?? DEFAULT_MEM_GIB
    let failure = primary ? this.nextFailure : { kind: 'none' as VllmFailure }
    if (primary) this.nextFailure = { kind: 'none' }
    const involved = [head.node, ...workers.map((w) => w.node)]
    const tightest = Math.min(...involved.map((n) => n.memory.snapshot().availableKiB / KIB_PER_GIB))
    if (tightest < memGiB) failure = { kind: 'no-free-memory' }
    const totalGiB = head.node.memory.totalKiB / KIB_PER_GIB
    const loadTimeMs = this.settings.loadTimeMs
    const emulator = startVllmEmulator({
      host: head.node.host,
      port: this.bindPort(head.node, params.nominalPort),
      model: params.model,
      servedModelName: params.servedModelName,
      loadTimeMs,
      failure: failure.kind,
      failAtFraction: failure.at,
      tokensPerSecond: this.settings.tokensPerSecond,
      statsIntervalMs: this.settings.statsIntervalMs,
      onLog: (line) => head.container.log.append(line),
      advertisedHost: params.host,
      advertisedPort: params.nominalPort,
      maxModelLen: params.maxModelLen,
      architecture: architectureOf(params.model),
      gpuMemoryUtilization: params.gpuMemoryUtilization,
      workers: workers.map((w) => ({ ip: w.node.host })),
      weightsGiB: memGiB * 0.62,
      kvCacheGiB: memGiB * 0.33,
      nonDefaultArgs: params.nonDefaultArgs,
      totalMemoryGiB: totalGiB,
      freeMemoryGiB: tightest,
      requiredMemoryGiB: memGiB,
    })
    // A vLLM that fails its free-memory check never allocates anything.
    const footprintGiB = failure.kind === 'no-free-memory' ? 0 : memGiB
    const memory = new Map(
      involved.map((n) => {
        const a = n.memory.allocate()
        a.rampTo(footprintGiB * KIB_PER_GIB, loadTimeMs * 0.9)
        n.memory.addCache(footprintGiB * 0.6 * KIB_PER_GIB)
        return [n.name, a] as const
      }),
    )
    const proc: VllmProcess = {
      emulator,
      model: params.model,
      servedModelName: params.servedModelName,
      nominalPort: params.nominalPort,
      memory,
      primary,
    }
    head.container.processes.push(proc)
    for (const w of workers) w.container.servedBy = proc
    this.settings.logger?.info(
      { node: head.node.name, model: params.model, port: params.nominalPort, failure: failure.kind },
      'sim: vllm starting',
    )
    void emulator.exited.then((code) => {
      for (const a of memory.values()) a.release(1000)
      if (primary && head.container.status === 'running') this.markExited(head.container, code)
      this.settings.logger?.info({ node: head.node.name, model: params.model, code }, 'sim: vllm exited')
    })
    return proc
  }

  /** Two vLLMs asking for the same port on one host must collide, whatever the port map says. */
  private bindPort(node: SimNode, nominal: number): number {
    for (const n of this.nodes) {
      if (n.host !== node.host) continue
      for (const c of n.containers.values()) {
        for (const p of c.processes) {
          if (p.nominalPort === nominal && p.emulator.state() !== 'exited' && p.emulator.url())
            return p.emulator.port
        }
      }
    }
    return this.settings.portMap(nominal, node.name)
  }

  private markExited(c: SimContainer, code: number): void {
    c.status = 'exited'
    c.exitCode = code
    c.finishedAt = new Date()
    c.log.end()
  }

  /**
   * `docker stop`: PID 1 is `sleep infinity`, which ignores SIGTERM, so Docker waits out the grace
   * and SIGKILLs; vLLM gets no drain. Returns false when the node refuses (fault injection).
   */
  async stopContainer(
    node: SimNode,
    c: SimContainer,
    opts: { graceMs?: number; kill?: boolean } = {},
  ): Promise<boolean> {
    if (node.stopRefusal) return false
    if (c.service) {
      await stopService(c, opts.kill === true)
      return true
    }
    if (c.status === 'running') {
      if (!opts.kill) await sleep(Math.min(opts.graceMs ?? 10_000, this.settings.stopGraceMs))
      await Promise.all(c.processes.map((p) => p.emulator.kill()))
      // A Ray worker going away takes the engine on the head down with it.
      if (c.servedBy && c.servedBy.emulator.state() !== 'exited') c.servedBy.emulator.engineDeath()
      if (c.status === 'running') this.markExited(c, 137)
    }
    if (c.autoRemove && c.status !== 'removing') this.scheduleRemoval(node, c)
    return true
  }

  private scheduleRemoval(node: SimNode, c: SimContainer): void {
    c.status = 'removing'
    const t = setTimeout(() => {
      this.timers.delete(t)
      if (node.containers.get(c.name) === c) node.containers.delete(c.name)
    }, this.settings.removeDelayMs)
    this.timers.add(t)
  }

  /** `docker rm [-f]`: returns an error message for a running container without force. */
  async removeContainer(node: SimNode, c: SimContainer, force: boolean): Promise<string | null> {
    if (node.stopRefusal) return null
    if (c.status === 'running') {
      if (!force) {
        return (
          `Error response from daemon: cannot remove container "/${c.name}": container is running: ` +
          'stop the container before removing or force remove'
        )
      }
      await this.stopContainer(node, c, { kill: true })
    }
    if (node.containers.get(c.name) === c) node.containers.delete(c.name)
    return null
  }

  /** The URL of the serving vLLM (the one that is ready, else any still alive), or null. */
  vllmUrl(): string | null {
    let fallback: string | null = null
    for (const n of this.nodes) {
      for (const c of n.containers.values()) {
        for (const p of c.processes) {
          const url = p.emulator.url()
          if (!url) continue
          if (p.emulator.state() === 'ready') return url
          fallback ??= url
        }
      }
    }
    return fallback
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    const kills: Promise<void>[] = []
    for (const n of this.nodes) {
      for (const c of n.containers.values()) {
        for (const p of c.processes) kills.push(p.emulator.kill())
        c.log.end()
      }
    }
    await Promise.all(kills)
  }
}
