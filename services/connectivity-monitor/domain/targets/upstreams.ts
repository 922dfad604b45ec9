/**
 * The upstreams on the Sparks, found where the services that call them look: vLLM where the
 * swap-controller looks (`VLLM_HOST`, else the head node), the speech servers as the speech-proxy
 * does (`*_URL`, `*_HOST` + `*_PORT`, else `SPARK2_HOST`), bge-m3 and Qdrant as vector-search does.
 *
 * Each gets a TCP check and its health route, and a functional check only where every real server
 * of its kind serves the route: vLLM's `/v1/models`, Kokoro-FastAPI's `/v1/audio/voices`, Qdrant's
 * `/collections`. Parakeet wrappers and bge-m3 servers differ (some have no `/v1/models`), so those
 * two get none; an owner who knows theirs can add one with `MONITOR_TARGETS`.
 */
import { resolveUpstreamUrl } from '../../../../shared/config.ts'
import { UPSTREAMS, type UpstreamName } from '../../../../shared/topology.ts'
import type { MonitorConfig } from '../../config.ts'
import type { FunctionalCheck, Target } from '../ports.ts'
import { httpUrl, trimSlashes, urlHostPort } from './address.ts'
import { nodeFor, type WatchedNode } from './nodes.ts'

export type UpstreamsConfig = Pick<
  MonitorConfig,
  | 'SPARK2_HOST'
  | 'VLLM_HOST'
  | 'VLLM_PORT'
  | 'PARAKEET_URL'
  | 'PARAKEET_HOST'
  | 'PARAKEET_PORT'
  | 'KOKORO_URL'
  | 'KOKORO_HOST'
  | 'KOKORO_PORT'
  | 'EMBED_URL'
  | 'QDRANT_URL'
  | 'VECTOR_STORE'
  | 'DISABLED_SERVICES'
>

interface UpstreamShape {
  title: string
  health: string
  functional?: string
  /** Runs on the head node (vLLM) rather than the speech/embeddings node. */
  onHead: boolean
}

const SHAPES: Record<UpstreamName, UpstreamShape> = {
  vllm: { title: 'vLLM', health: '/health', functional: '/v1/models', onHead: true },
  parakeet: { title: 'Parakeet (speech-to-text)', health: '/health', onHead: false },
  kokoro: {
    title: 'Kokoro (text-to-speech)',
    health: '/health',
    functional: '/v1/audio/voices',
    onHead: false,
  },
  embeddings: { title: 'bge-m3 embeddings server', health: '/health', onHead: false },
  // `/readyz` rather than `/healthz`: it also waits for shards to load after a restart.
  qdrant: { title: 'Qdrant (vector database)', health: '/readyz', functional: '/collections', onHead: false },
}

/** Where each upstream is, or why it is not watched. */
type Located = { url: string } | { url: null; missing: string | null }

function locate(name: UpstreamName, c: UpstreamsConfig, head: WatchedNode | undefined): Located {
  const spark2 = { fallbackHostKey: 'SPARK2_HOST', fallbackHost: c.SPARK2_HOST }
  const found = (url: string | null, missing: string | null): Located =>
    url ? { url } : { url: null, missing }
  switch (name) {
    case 'vllm':
      return found(
        resolveUpstreamUrl({
          hostKey: 'VLLM_HOST',
          host: c.VLLM_HOST,
          port: c.VLLM_PORT,
          fallbackHostKey: 'SPARK1_HOST',
          fallbackHost: head?.host,
        }),
        'set VLLM_HOST, or SPARK1_HOST (or a head node in SPARK_NODES)',
      )
    case 'parakeet':
      return found(
        resolveUpstreamUrl({
          url: c.PARAKEET_URL,
          hostKey: 'PARAKEET_HOST',
          host: c.PARAKEET_HOST,
          port: c.PARAKEET_PORT,
          ...spark2,
        }),
        'set PARAKEET_URL, PARAKEET_HOST or SPARK2_HOST',
      )
    case 'kokoro':
      return found(
        resolveUpstreamUrl({
          url: c.KOKORO_URL,
          hostKey: 'KOKORO_HOST',
          host: c.KOKORO_HOST,
          port: c.KOKORO_PORT,
          ...spark2,
        }),
        'set KOKORO_URL, KOKORO_HOST or SPARK2_HOST',
      )
    case 'embeddings':
      return found(
        resolveUpstreamUrl({ url: c.EMBED_URL, port: UPSTREAMS.embeddings.port, ...spark2 }),
        'set EMBED_URL or SPARK2_HOST',
      )
    case 'qdrant':
      // Without an address (or with VECTOR_STORE=embedded) vector-search keeps its vectors itself:
      // nothing is missing, so nothing is said.
      if (c.VECTOR_STORE === 'embedded') return { url: null, missing: null }
      return found(
        resolveUpstreamUrl({ url: c.QDRANT_URL, port: UPSTREAMS.qdrant.port, ...spark2 }),
        c.VECTOR_STORE === 'qdrant' ? 'set QDRANT_URL or SPARK2_HOST' : null,
      )
  }
}

function upstreamTarget(
  name: UpstreamName,
  base: string,
  c: UpstreamsConfig,
  nodes: readonly WatchedNode[],
): Target {
  const shape = SHAPES[name]
  const url = httpUrl(base)!
  const tcp = urlHostPort(url)
  const host = nodeFor(nodes, tcp.host, shape.onHead)
  const functional: FunctionalCheck | undefined = shape.functional
    ? { method: 'GET', url: `${trimSlashes(base)}${shape.functional}` }
    : undefined
  return {
    id: name,
    kind: 'upstream',
    title: name === 'vllm' ? `${shape.title} ${host ? `on ${host}` : `at ${tcp.host}`}` : shape.title,
    host,
    legacySubject: name,
    origins: [url.origin],
    tcp,
    http: { url: `${trimSlashes(base)}${shape.health}` },
    ...(functional ? { functional } : {}),
    disabled: c.DISABLED_SERVICES.has(name),
  }
}

export function upstreamTargets(
  c: UpstreamsConfig,
  nodes: readonly WatchedNode[],
): { targets: Target[]; warnings: string[] } {
  const head = nodes.find((n) => n.role === 'head')
  const targets: Target[] = []
  const warnings: string[] = []
  for (const name of Object.keys(SHAPES) as UpstreamName[]) {
    const where = locate(name, c, head)
    if (where.url !== null) targets.push(upstreamTarget(name, where.url, c, nodes))
    else if (where.missing)
      warnings.push(`${name} is not watched: its address is not configured (${where.missing})`)
  }
  return { targets, warnings }
}
