/**
 * The handle tests hold on one simulated node: what it is, what it holds (containers, logs, memory,
 * the HF cache, images) and the fault switches that break it the way a real Spark breaks.
 */
import type { VllmState } from '../vllm/index.ts'
import { setImagePresent } from './docker-images.ts'
import { type RecipeFileState, recipeFileState, removeRecipeFile } from './node-recipes.ts'
import type { CommandRecord, ContainerStatus, SimNode, SimRestartPolicy } from './node-state.ts'
import {
  addServiceContainer,
  crashService,
  type ServiceContainerSpec,
  wedgeService,
} from './service-containers.ts'

export interface ContainerInfo {
  id: string
  name: string
  image: string
  status: ContainerStatus
  exitCode: number
  createdAt: Date
  startedAt: Date
  finishedAt?: Date
  restartCount: number
  restartPolicy: SimRestartPolicy
  /** HostConfig.Memory / MemorySwap in bytes (0: none). */
  memoryLimit: number
  memorySwap: number
  /** For a service container: its server's mode (`ok`, `slow` while wedged, `down` while stopped). */
  serviceMode?: string
  role: 'head' | 'worker' | 'solo'
  /** The container's main vLLM (if any): model, served name, the port it was asked for, its state. */
  vllm?: { model: string; servedModelName: string; nominalPort: number; state: VllmState; url: string | null }
}

export interface SimNodeHandle {
  readonly name: string
  readonly host: string
  readonly sshPort: number
  readonly role: 'head' | 'worker'
  readonly commandLog: readonly CommandRecord[]
  dropConnections(): void
  /** Refuse new SSH connections; `dropExisting` also cuts the live ones (a node that went away). */
  setUnreachable(unreachable: boolean, opts?: { dropExisting?: boolean }): void
  setStopRefusal(refuse: boolean): void
  containers(): ContainerInfo[]
  /** The log lines of a container (default `vllm_node`), [] when it does not exist. */
  logs(container?: string): string[]
  memory(): { totalKiB: number; availableKiB: number; freeKiB: number; usedKiB: number }
  activeSessions(): number
  /** Repo ids in this node's HF cache. */
  cachedModels(): string[]
  /** `network`: downloads on this node break off at 40 %; null: they succeed. */
  setDownloadFailure(kind: 'network' | null): void
  /** Deletes `recipes/<key>.yaml` from this node's checkout until something writes it again over SSH. */
  removeRecipeFile(key: string): void
  /** Whether this node's `recipes/<key>.yaml` is the simulator's, removed, or written over SSH. */
  recipeFileState(key: string): RecipeFileState
  /** true: this node's run-recipe.sh drops every argument after `--` (an older launcher). */
  setLauncherDropsExtraArgs(drop: boolean): void
  /** Adds or removes a docker image on this node (`vllm-node`, `vllm-node-mxfp4`, `repo/name:tag`). */
  setImagePresent(image: string, present: boolean): void
  /** The node's images as references (`vllm-node:latest`), sorted. */
  images(): string[]
  /** Adds an always-on service container (`--restart unless-stopped`, not removed when stopped). */
  addServiceContainer(spec: ServiceContainerSpec): void
  /**
   * Wedges a service container's server: every answer (health too) hangs. `once` is cleared by the
   * next start or restart, `persistent` comes back after each one; `none` ends it.
   */
  wedgeContainer(name: string, wedge: 'none' | 'once' | 'persistent'): Promise<void>
  /** The server in a service container dies (exit 1); its restart policy brings it back. */
  crashContainer(name: string): Promise<void>
  /** true: `docker update` prints the names and exits 0 but changes nothing. */
  setUpdateIgnored(ignored: boolean): void
}

export const nodeHandle = (node: SimNode, vllmDir: string): SimNodeHandle => ({
  name: node.name,
  host: node.host,
  get sshPort() {
    return node.sshPort
  },
  role: node.spec.role,
  commandLog: node.commandLog,
  dropConnections: () => node.dropConnections(),
  setUnreachable: (v, o) => {
    node.unreachable = v
    if (v && o?.dropExisting) node.dropConnections()
  },
  setStopRefusal: (v) => {
    node.stopRefusal = v
  },
  containers: () =>
    [...node.containers.values()].map((c) => {
      const p = c.processes.find((x) => x.primary) ?? c.processes[0]
      return {
        id: c.id,
        name: c.name,
        image: c.image,
        status: c.status,
        exitCode: c.exitCode,
        createdAt: c.createdAt,
        startedAt: c.startedAt,
        finishedAt: c.finishedAt,
        restartCount: c.restartCount,
        restartPolicy: c.restartPolicy,
        memoryLimit: c.memoryLimit,
        memorySwap: c.memorySwap,
        serviceMode: c.service?.process.mode(),
        role: c.role,
        vllm: p && {
          model: p.model,
          servedModelName: p.servedModelName,
          nominalPort: p.nominalPort,
          state: p.emulator.state(),
          url: p.emulator.url(),
        },
      }
    }),
  logs: (name = 'vllm_node') => node.containers.get(name)?.log.lines.map((l) => l.text) ?? [],
  memory: () => {
    const m = node.memory.snapshot()
    return { totalKiB: m.totalKiB, availableKiB: m.availableKiB, freeKiB: m.freeKiB, usedKiB: m.usedKiB }
  },
  activeSessions: () => node.sessions.size,
  cachedModels: () => [...node.hfCache.keys()].sort(),
  setDownloadFailure: (kind) => {
    node.downloadFailure = kind
  },
  removeRecipeFile: (key) => removeRecipeFile(node, vllmDir, key),
  recipeFileState: (key) => recipeFileState(node, vllmDir, key),
  setLauncherDropsExtraArgs: (drop) => {
    node.dropsArgsAfterSeparator = drop
  },
  setImagePresent: (image, present) => setImagePresent(node, image, present),
  images: () => [...node.images].sort(),
  addServiceContainer: (spec) => {
    addServiceContainer(node, spec)
    setImagePresent(node, spec.image, true)
  },
  wedgeContainer: (name, wedge) => wedgeService(serviceContainer(node, name), wedge),
  crashContainer: (name) => crashService(serviceContainer(node, name)),
  setUpdateIgnored: (ignored) => {
    node.updateIgnored = ignored
  },
})

function serviceContainer(node: SimNode, name: string) {
  const c = node.containers.get(name)
  if (!c?.service) throw new Error(`no service container ${name} on ${node.name}`)
  return c
}
