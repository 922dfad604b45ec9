/**
 * The earlier discovery contracts, derived from the cluster status: `/api/endpoints` (which
 * upstream is ready and which model to ask for), the top-level `model` of `/api/status`, and the
 * LLM entry added to `/v1/models`. Shapes are recorded in docs/COMPATIBILITY.md. Pure.
 *
 * "Ready" means an app can use it now: an upstream counts only while a built capability that needs
 * it is up, and a listed model only while the capability that asks for it is — an upstream's
 * health check alone never makes anything ready.
 */
import type { UpstreamName } from '../../../shared/topology.ts'
import { type CapabilityStatus, capabilitiesNeeding } from './capability-status.ts'
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
  /** Additive: the capabilities that use this upstream and their state (`transcription: "not_built"`). */
  capabilities: Record<string, CapabilityStatus['state']>
}

/** Keyed by upstream name; nothing else sits at the top level (clients iterate it). */
export type Endpoints = Record<string, EndpointEntry>

export function buildEndpoints(status: ClusterStatus): Endpoints {
  const endpoints: Endpoints = {}
  for (const u of status.upstreams) {
    const users = capabilitiesNeeding(status.capabilities, u.name)
    const ready = u.ready && !u.disabled && users.some((c) => c.ready)
    endpoints[u.name] = {
      name: u.name,
      kind: u.kind,
      base_url: u.base_url,
      ready,
      status: u.disabled ? 'disabled' : ready ? 'ready' : 'not_ready',
      // The loaded LLM is only worth naming while it can answer; other models are what is configured.
      model: u.name === 'vllm' ? status.loaded_model : u.model,
      disabled: u.disabled,
      capabilities: Object.fromEntries(users.map((c) => [c.name, c.state])),
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
  /** Additive: usable now, i.e. the capability that asks for it works (see `usability`). */
  ready: boolean
  capability: string | null
  capability_state: CapabilityStatus['state']
  [key: string]: unknown
}

export interface ModelList {
  object: 'list'
  data: ModelEntry[]
}

/**
 * Which capability asks for the models each owner lists: the STT model is for transcription, a
 * voice for text to speech (the voice list alone does not make a voice usable), the LLM for chat.
 */
const MODEL_USERS: Record<string, { service: string; capability: string }> = {
  parakeet: { service: 'speech-proxy', capability: 'transcription' },
  kokoro: { service: 'speech-proxy', capability: 'tts' },
  vllm: { service: 'swap-controller', capability: 'chat' },
}

/** Additive fields of every `/v1/models` entry: is it usable now, and for which capability. */
function usability(ownedBy: string, capabilities: readonly CapabilityStatus[]) {
  const user = MODEL_USERS[ownedBy]
  const found = user && capabilities.find((c) => c.service === user.service && c.name === user.capability)
  return {
    ready: found?.ready ?? false,
    capability: user?.capability ?? null,
    capability_state: found?.state ?? 'unknown',
  }
}

/**
 * Speech-proxy's list (audio models and TTS voices, as the earlier version listed them) after the
 * loaded LLM, an addition listed first, each entry marked `ready` only while the capability that asks for it
 * works. Entries that are not model objects are dropped rather than passed on.
 */
export function mergeModelLists(
  speech: unknown,
  loadedModel: string | null,
  now: Date,
  capabilities: readonly CapabilityStatus[],
): ModelList {
  const data: ModelEntry[] = []
  const items = (speech as { data?: unknown } | null)?.data
  if (Array.isArray(items)) {
    for (const item of items) {
      const entry = item as Partial<ModelEntry> | null
      if (!entry || typeof entry !== 'object' || typeof entry.id !== 'string' || entry.id === '') continue
      const owner = typeof entry.owned_by === 'string' ? entry.owned_by : 'speech-proxy'
      data.push({
        ...entry,
        id: entry.id,
        object: 'model',
        created: typeof entry.created === 'number' ? entry.created : 0,
        owned_by: owner,
        ...usability(owner, capabilities),
      })
    }
  }
  if (!loadedModel) return { object: 'list', data }
  const listed = data.find((m) => m.id === loadedModel)
  const chat: ModelEntry = listed ?? {
    id: loadedModel,
    object: 'model',
    created: Math.floor(now.getTime() / 1000),
    owned_by: 'vllm',
    ...usability('vllm', capabilities),
  }
  // Generic OpenAI tools chat with the first id: the loaded chat model leads, the speech models follow.
  return { object: 'list', data: [chat, ...data.filter((m) => m !== chat)] }
}
