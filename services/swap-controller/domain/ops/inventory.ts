/**
 * The Spark service containers as data (pure): the earlier layout's four services on the worker
 * node (Parakeet, Kokoro, bge-m3, Qdrant), placed and addressed by the same keys the speech-proxy
 * and vector-search read (`PARAKEET_URL`/`_HOST`/`_PORT`/`_CONTAINER`, `KOKORO_*`, `EMBED_URL`,
 * `QDRANT_URL`), then `SPARK_SERVICES` entries over them (same name: those fields replaced; a new
 * name: a new service), then `DISABLED_SERVICES`. A service on a node the inventory does not
 * know is kept, with a start-up warning, and shows as not configured.
 */
import type { ServiceContainerSpec, ServiceKind } from '../../../../shared/contracts/swap-controller.ts'
import { UPSTREAMS } from '../../../../shared/topology.ts'
import type { SparkNode } from '../inventory.ts'
import type { ServiceSpecInput } from './inventory-schema.ts'

export interface ServiceInventoryConfig {
  PARAKEET_URL?: string | undefined
  PARAKEET_HOST?: string | undefined
  PARAKEET_PORT: number
  PARAKEET_CONTAINER: string
  KOKORO_URL?: string | undefined
  KOKORO_HOST?: string | undefined
  KOKORO_PORT: number
  KOKORO_CONTAINER: string
  EMBED_URL?: string | undefined
  QDRANT_URL?: string | undefined
  SPARK_SERVICES?: ServiceSpecInput[] | undefined
  DISABLED_SERVICES: readonly string[]
}

export interface ServiceEntry {
  spec: ServiceContainerSpec
  /** Where its health route answers; null when it has none (or no host is known). */
  healthUrl: string | null
  /** Why it cannot be acted on (a node the inventory does not know); null when it can. */
  problem: string | null
}

export interface ServiceInventory {
  entries: ServiceEntry[]
  warnings: string[]
}

type Nodes = readonly Pick<SparkNode, 'name' | 'host' | 'role'>[]

interface Default {
  name: string
  kind: ServiceKind
  container: string
  port: number
  healthPath: string
  url?: string | undefined
  host?: string | undefined
  /** The cap the `parakeet-memory-cap` patch applies (patches/); SPARK_SERVICES can change it. */
  memoryCapBytes?: number
}

function defaults(c: ServiceInventoryConfig): Default[] {
  return [
    {
      name: 'parakeet',
      kind: 'stt',
      container: c.PARAKEET_CONTAINER,
      port: c.PARAKEET_PORT,
      healthPath: '/health',
      url: c.PARAKEET_URL,
      host: c.PARAKEET_HOST,
      // Unbounded diarization of a long file once swap-thrashed the node; 48 GiB leaves the rest room.
      memoryCapBytes: 48 * 1024 ** 3,
    },
    {
      name: 'kokoro',
      kind: 'tts',
      container: c.KOKORO_CONTAINER,
      port: c.KOKORO_PORT,
      healthPath: '/health',
      url: c.KOKORO_URL,
      host: c.KOKORO_HOST,
    },
    {
      name: 'embeddings',
      kind: 'embeddings',
      container: 'bge-m3',
      port: UPSTREAMS.embeddings.port,
      healthPath: '/health',
      url: c.EMBED_URL,
    },
    {
      name: 'qdrant',
      kind: 'vector_db',
      container: 'qdrant',
      port: UPSTREAMS.qdrant.port,
      healthPath: '/healthz',
      url: c.QDRANT_URL,
    },
  ]
}

/** The worker of the earlier layout (`spark-2`), else the first worker, else the head. */
export function defaultServiceNode(nodes: Nodes): string | null {
  return (
    nodes.find((n) => n.name === 'spark-2')?.name ??
    nodes.find((n) => n.role === 'worker')?.name ??
    nodes[0]?.name ??
    null
  )
}

const hostOf = (url: string | undefined) => (url && URL.canParse(url) ? new URL(url).hostname : undefined)
const portOf = (url: string | undefined) => {
  if (!url || !URL.canParse(url)) return undefined
  const u = new URL(url)
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80
}

/** A URL's or host key's host places the service on the node with that host, unless the default node has it too. */
function placeOf(host: string | undefined, nodes: Nodes, fallback: string | null): string | null {
  const bare = host?.replace(/^\[|\]$/g, '')
  if (!bare) return fallback
  const fallbackHost = nodes.find((n) => n.name === fallback)?.host
  if (fallbackHost === bare) return fallback
  return nodes.find((n) => n.host === bare)?.name ?? fallback
}

function healthUrlOf(
  spec: ServiceContainerSpec,
  url: string | undefined,
  host: string | undefined,
): string | null {
  if (!spec.health_path) return null
  if (url) return `${url.replace(/\/+$/, '')}${spec.health_path}`
  if (!host || spec.port === null) return null
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  return `http://${h}:${spec.port}${spec.health_path}`
}

interface Draft {
  spec: Omit<ServiceContainerSpec, 'disabled'>
  url: string | undefined
  host: string | undefined
}

function defaultDraft(d: Default, nodes: Nodes, worker: string | null): Draft {
  const host = d.host ?? hostOf(d.url)
  return {
    spec: {
      name: d.name,
      kind: d.kind,
      node: placeOf(host, nodes, worker) ?? 'spark-2',
      container: d.container,
      port: portOf(d.url) ?? d.port,
      health_path: d.healthPath,
      restart_policy: 'unless-stopped',
      memory_cap_bytes: d.memoryCapBytes ?? null,
      auto_restart: true,
      custom: false,
      update_dir: null,
    },
    url: d.url,
    host: d.host,
  }
}

function overlay(base: Draft | undefined, input: ServiceSpecInput, worker: string | null): Draft {
  const from = base?.spec
  const { url, ...fields } = input
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
  return {
    spec: {
      name: input.name,
      kind: from?.kind ?? 'custom',
      node: from?.node ?? worker ?? 'spark-2',
      container: from?.container ?? input.name,
      port: from?.port ?? null,
      health_path: from?.health_path ?? null,
      restart_policy: from?.restart_policy ?? 'unless-stopped',
      memory_cap_bytes: from?.memory_cap_bytes ?? null,
      auto_restart: from?.auto_restart ?? false,
      custom: from?.custom ?? true,
      update_dir: from?.update_dir ?? null,
      ...defined,
    },
    // A port or node given for a default service means its own address, not the default URL's.
    url: url ?? (input.port !== undefined || input.node !== undefined ? undefined : base?.url),
    host: input.node !== undefined ? undefined : base?.host,
  }
}

export function buildServiceInventory(config: ServiceInventoryConfig, nodes: Nodes): ServiceInventory {
  const worker = defaultServiceNode(nodes)
  const drafts = new Map<string, Draft>()
  for (const d of defaults(config)) drafts.set(d.name, defaultDraft(d, nodes, worker))
  for (const input of config.SPARK_SERVICES ?? [])
    drafts.set(input.name, overlay(drafts.get(input.name), input, worker))
  const hidden = new Set(config.DISABLED_SERVICES.map((s) => s.toLowerCase()))
  const warnings: string[] = []
  const entries = [...drafts.values()].map(({ spec: s, url, host }) => {
    const node = nodes.find((n) => n.name === s.node)
    const disabled = hidden.has(s.name.toLowerCase()) || hidden.has(s.container.toLowerCase())
    const spec: ServiceContainerSpec = { ...s, disabled }
    let problem: string | null = null
    if (!node) {
      const known = nodes.map((n) => n.name).join(', ') || 'none'
      problem = `node ${s.node} is not in the inventory (known: ${known})`
      if (!disabled) warnings.push(`Service ${s.name}: ${problem}; it shows as not configured.`)
    }
    return { spec, healthUrl: healthUrlOf(spec, url, host ?? node?.host), problem }
  })
  return { entries, warnings }
}
