/**
 * A node's live view for the dashboard and the API: SSH state plus memory, GPU and vLLM container,
 * probed in parallel over the node's one connection. A probe that fails leaves its field null and
 * says why in `errors`; one slow node never fails the others. Views are reused for `cacheMs`, so
 * a dashboard polling every second does not multiply SSH commands.
 */
import type { SshConnectionState, SshNodes } from '../../../shared/ssh/types.ts'
import type { ContainerStatus } from '../domain/docker-ps.ts'
import type { Inventory, SparkNode } from '../domain/inventory.ts'
import type { MemorySnapshot } from '../domain/meminfo.ts'
import type { GpuSnapshot } from '../domain/nvidia-smi.ts'
import { createNodeShell } from './node-shell.ts'

export interface NodeView {
  name: string
  host: string
  role: string
  ssh: {
    state: SshConnectionState['state'] | 'not_configured'
    since: string | null
    last_error: string | null
  }
  memory: MemorySnapshot | null
  gpu: GpuSnapshot | null
  vllm_container: Pick<ContainerStatus, 'name' | 'state' | 'status' | 'running'> | null
  errors: Array<{ probe: 'memory' | 'gpu' | 'vllm_container'; message: string }>
}

export interface NodeStatusOptions {
  inventory: Inventory
  ssh: SshNodes
  timeoutMs?: number
  cacheMs?: number
}

export interface NodeStatus {
  names(): string[]
  /** Undefined for a name that is not in the inventory. */
  get(name: string): Promise<NodeView> | undefined
  all(): Promise<NodeView[]>
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

export function createNodeStatus({
  inventory,
  ssh,
  timeoutMs = 5000,
  cacheMs = 1000,
}: NodeStatusOptions): NodeStatus {
  const cache = new Map<string, { at: number; view: Promise<NodeView> }>()

  async function probe(node: SparkNode): Promise<NodeView> {
    const base = { name: node.name, host: node.host, role: node.role }
    const client = node.user ? ssh.get(node.name) : undefined
    if (!client)
      return {
        ...base,
        ssh: { state: 'not_configured', since: null, last_error: null },
        memory: null,
        gpu: null,
        vllm_container: null,
        errors: [],
      }
    const shell = createNodeShell(client, { timeoutMs })
    const errors: NodeView['errors'] = []
    const attempt = async <T>(
      name: NodeView['errors'][number]['probe'],
      fn: () => Promise<T>,
    ): Promise<T | null> => {
      try {
        return await fn()
      } catch (err) {
        errors.push({ probe: name, message: message(err) })
        return null
      }
    }
    const [memory, gpus, container] = await Promise.all([
      attempt('memory', () => shell.memory()),
      attempt('gpu', () => shell.gpus()),
      attempt('vllm_container', () => shell.container(inventory.vllm.container)),
    ])
    const state = client.state()
    return {
      ...base,
      ssh: { state: state.state, since: state.since, last_error: state.lastError },
      memory,
      gpu: gpus?.[0] ?? null,
      vllm_container: container
        ? {
            name: container.name,
            state: container.state,
            status: container.status,
            running: container.running,
          }
        : null,
      errors,
    }
  }

  function get(name: string): Promise<NodeView> | undefined {
    const node = inventory.nodes.find((n) => n.name === name)
    if (!node) return undefined
    const hit = cache.get(name)
    if (hit && Date.now() - hit.at <= cacheMs) return hit.view
    const view = probe(node)
    cache.set(name, { at: Date.now(), view })
    return view
  }

  return {
    names: () => inventory.nodes.map((n) => n.name),
    get,
    all: () => Promise.all(inventory.nodes.map((n) => get(n.name)!)),
  }
}
