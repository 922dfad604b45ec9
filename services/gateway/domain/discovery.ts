/**
 * The earlier discovery contracts, derived from the cluster status: `/api/endpoints` (which
 * upstream is ready and which model to ask for), the top-level `model` of `/api/status`, and the
 * LLM entry added to `/v1/models`. Shapes are recorded in docs/COMPATIBILITY.md. Pure.
 */
import type { UpstreamName } from '../../../shared/topology.ts'
import type { ClusterStatus } from './cluster-status.ts'

export interface EndpointEntry {
  name: UpstreamName
  kind: string
  /** Informational: clients always call the gateway. Filled when configured, even while down. */
  base_url: string | null
  ready: boolean
  status: 'ready' | 'not_ready' | 'disabled'
  model: string | null
  disabled: boolean
}

/** Keyed by upstream name; nothing else sits at the top level (clients iterate it). */
export type Endpoints = Record<string, EndpointEntry>

export function buildEndpoints(status: ClusterStatus): Endpoints {
  const endpoints: Endpoints = {}
  for (const u of status.upstreams) {
    const ready = u.ready && !u.disabled
    endpoints[u.name] = {
      name: u.name,
      kind: u.kind,
      base_url: u.base_url,
      ready,
      status: u.disabled ? 'disabled' : ready ? 'ready' : 'not_ready',
      // The loaded LLM is only worth naming while it can answer; other models are what is configured.
      model: u.name === 'vllm' ? status.loaded_model : u.model,
      disabled: u.disabled,
    }
  }
  return endpoints
}

/** `/api/status`: the aggregated view plus the earlier clients' `model` field. */
export const statusBody = (status: ClusterStatus) => ({ ...status, model: status.loaded_model })

export interface ModelEntry {
  id: string
  object: 'model'
  created: number
  owned_by: string
  [key: string]: unknown
}

export interface ModelList {
  object: 'list'
  data: ModelEntry[]
}

/**
 * Speech-proxy's list (audio models and TTS voices, as the earlier version listed them) plus the
 * loaded LLM as an addition. Entries that are not model objects are dropped rather than passed on.
 */
export function mergeModelLists(speech: unknown, loadedModel: string | null, now: Date): ModelList {
  const data: ModelEntry[] = []
  const items = (speech as { data?: unknown } | null)?.data
  if (Array.isArray(items)) {
    for (const item of items) {
      const entry = item as Partial<ModelEntry> | null
      if (!entry || typeof entry !== 'object' || typeof entry.id !== 'string' || entry.id === '') continue
      data.push({
        ...entry,
        id: entry.id,
        object: 'model',
        created: typeof entry.created === 'number' ? entry.created : 0,
        owned_by: typeof entry.owned_by === 'string' ? entry.owned_by : 'speech-proxy',
      })
    }
  }
  if (loadedModel && !data.some((m) => m.id === loadedModel)) {
    data.push({
      id: loadedModel,
      object: 'model',
      created: Math.floor(now.getTime() / 1000),
      owned_by: 'vllm',
    })
  }
  return { object: 'list', data }
}
