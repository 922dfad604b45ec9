/**
 * Per-node state of the simulated cluster: containers (with logs), unified memory, GPU telemetry,
 * the exact commands received, and the fault switches tests flip.
 */
import { randomBytes } from 'node:crypto'
import type { VllmEmulatorHandle } from '../vllm/index.ts'
import type { HubModel } from './hf-hub.ts'
import { LogBuffer } from './log-buffer.ts'
import { type Allocation, GpuModel, type GpuSample, KIB_PER_GIB, MemoryModel } from './resources.ts'

export interface SimNodeSpec {
  name: string
  host: string
  /** 0 picks a free port; the real one is reported by the handle. */
  sshPort: number
  role: 'head' | 'worker'
  memTotalGiB?: number
}

export type ContainerStatus = 'running' | 'exited' | 'removing' | 'restarting'

/** Docker's restart policies (`docker run/update --restart`). */
export type SimRestartPolicy = 'no' | 'on-failure' | 'unless-stopped' | 'always'

/**
 * The server process inside a service container (Parakeet, Kokoro, bge-m3): the emulator whose
 * listening socket follows the container (down while it is stopped, back when it starts).
 */
export interface ServiceProcess {
  setMode(mode: 'ok' | 'slow' | 'down', opts?: { latencyMs?: number }): Promise<void>
  mode(): string
}

/** What makes a container a service container (service-containers.ts): its process and habits. */
export interface ServiceLink {
  process: ServiceProcess
  /** Resident memory while it runs, before the cap (bytes). */
  residentBytes: number
  /** The port its server listens on inside (log lines only). */
  port: number
  /** Fault switch: the server hangs (health never answers); `persistent` survives a restart. */
  wedge: 'none' | 'once' | 'persistent'
}

/** A vLLM process started inside a container (`docker exec -d … vllm serve`). */
export interface VllmProcess {
  emulator: VllmEmulatorHandle
  model: string
  servedModelName: string
  /** The port the command asked for (what the log and the controller see). */
  nominalPort: number
  /** Unified memory it holds, per node name (head and Ray workers). */
  memory: Map<string, Allocation>
  /** Set when the process is the container's main workload (not a second exec into a reused one). */
  primary: boolean
}

export class SimContainer {
  readonly id = randomBytes(32).toString('hex')
  readonly createdAt = new Date()
  startedAt = new Date()
  finishedAt: Date | undefined
  status: ContainerStatus = 'running'
  exitCode = 0
  readonly log = new LogBuffer(5000)
  /** The launch script copied to /workspace/exec-script.sh (stale after a "reuse"). */
  execScript: string | undefined
  /** vLLM processes whose output lands in this container's log. */
  readonly processes: VllmProcess[] = []
  /** For a Ray worker container: the head's process it serves (for GPU load and engine death). */
  servedBy: VllmProcess | undefined
  /** Docker's RestartCount: only the restart policy raises it; a manual start or restart resets it. */
  restartCount = 0
  restartPolicy: SimRestartPolicy = 'no'
  /** `HostConfig.Memory` / `MemorySwap` in bytes; 0 = no limit, swap -1 = unlimited. */
  memoryLimit = 0
  memorySwap = 0
  /** Set for the always-on service containers; null for eugr's `vllm_node`. */
  service: ServiceLink | null = null

  constructor(
    readonly name: string,
    readonly image: string,
    readonly role: 'head' | 'worker' | 'solo',
    readonly command = 'sleep infinity',
    /** `docker run --rm`: removed when it stops. */
    readonly autoRemove = true,
  ) {}

  get running(): boolean {
    return this.status === 'running'
  }

  /** `Up 3 minutes` / `Exited (137) 5 seconds ago`, like `docker ps`. */
  statusText(now = Date.now()): string {
    if (this.status === 'running') return `Up ${humanDuration(now - this.startedAt.getTime())}`
    if (this.status === 'removing') return 'Removal In Progress'
    if (this.status === 'restarting')
      return `Restarting (${this.exitCode}) ${humanDuration(now - (this.finishedAt ?? new Date()).getTime())} ago`
    return `Exited (${this.exitCode}) ${humanDuration(now - (this.finishedAt ?? new Date()).getTime())} ago`
  }
}

/** Docker's go-units HumanDuration wording. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 1) return 'Less than a second'
  if (s === 1) return '1 second'
  if (s < 60) return `${s} seconds`
  const m = Math.floor(s / 60)
  if (m === 1) return 'About a minute'
  if (m < 60) return `${m} minutes`
  const h = Math.round(m / 60)
  if (h === 1) return 'About an hour'
  if (h < 48) return `${h} hours`
  return `${Math.floor(h / 24)} days`
}

export interface CommandRecord {
  at: Date
  /** The command line exactly as the exec request carried it. */
  line: string
  /** The argv of every simple command in it, after quote removal. */
  argv: string[][]
}

const COMMAND_LOG_MAX = 2000

export class SimNode {
  readonly containers = new Map<string, SimContainer>()
  readonly memory: MemoryModel
  readonly gpu = new GpuModel()
  readonly commandLog: CommandRecord[] = []
  /** Files written by redirections (`> /tmp/x`), readable back with `cat`. */
  readonly files = new Map<string, string>()
  readonly sessions = new Set<{ drop(): void }>()
  readonly bootTime = Date.now() - 3 * 24 * 3600 * 1000
  /** The node's Hugging Face cache, by repo id (what `find`, `rm` and `hf download` act on). */
  readonly hfCache = new Map<string, HubModel>()
  /** Docker images on the node, as normalised references (`vllm-node:latest`); docker-images.ts. */
  readonly images = new Set<string>()
  /** Fault switch: the next downloads on this node break off part-way (`network`). */
  downloadFailure: 'network' | null = null
  unreachable = false
  stopRefusal = false
  /** Fault switch: `docker update` answers as usual but changes nothing (a daemon that drops it). */
  updateIgnored = false
  /** Fault switch: recipe keys whose file was deleted from this node's checkout (node-recipes.ts). */
  readonly removedRecipes = new Set<string>()
  /** Fault switch: this node's run-recipe.sh drops everything after `--` (an older launcher). */
  dropsArgsAfterSeparator = false
  sshPort = 0

  constructor(readonly spec: SimNodeSpec) {
    const totalGiB = spec.memTotalGiB ?? 128
    // The kernel reports less than the DRAM size (firmware and carve-outs).
    this.memory = new MemoryModel(Math.round(totalGiB * 0.9525 * KIB_PER_GIB), Math.round(5.6 * KIB_PER_GIB))
  }

  get name(): string {
    return this.spec.name
  }

  get host(): string {
    return this.spec.host
  }

  record(line: string, argv: string[][]): void {
    this.commandLog.push({ at: new Date(), line, argv })
    if (this.commandLog.length > COMMAND_LOG_MAX)
      this.commandLog.splice(0, this.commandLog.length - COMMAND_LOG_MAX)
  }

  /** Live containers by name; `docker ps` lists these (and exited ones with `-a`). */
  find(nameOrId: string): SimContainer | undefined {
    const byName = this.containers.get(nameOrId.replace(/^\//, ''))
    if (byName) return byName
    if (nameOrId.length < 3) return undefined
    for (const c of this.containers.values()) if (c.id.startsWith(nameOrId)) return c
    return undefined
  }

  /** 0 idle … 1 saturated, from what the node's vLLM processes are doing right now. */
  gpuLoad(): number {
    let load = 0
    for (const c of this.containers.values()) {
      if (!c.running) continue
      const procs = c.servedBy ? [c.servedBy] : c.processes
      for (const p of procs) {
        const state = p.emulator.state()
        if (state === 'loading' || state === 'starting-api') load = Math.max(load, 0.42)
        else if (state === 'ready') load = Math.max(load, p.emulator.inFlight() > 0 ? 0.96 : 0.01)
      }
    }
    return load
  }

  gpuSample(): GpuSample {
    return this.gpu.sample(this.gpuLoad())
  }

  /** Kill every live SSH session (as if the network dropped). */
  dropConnections(): void {
    for (const s of [...this.sessions]) s.drop()
  }
}
