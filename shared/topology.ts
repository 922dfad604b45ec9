/**
 * The processes that make up Spark Control, their default ports, and the environment variable
 * that tells the gateway (and the monitor) where each one listens. One table, read by every
 * service's config, the demo launcher, compose and the StartOS package.
 */
/**
 * Node flags of the backends. A young generation capped at 1 MiB per semi-space keeps about 10 MiB
 * of RSS per process off a small StartOS server (bench/README.md); these services handle tens of
 * requests a second at most, so the extra scavenges cost nothing measurable. The gateway, the one
 * hot path, keeps V8's default.
 */
const BACKEND_NODE_FLAGS = ['--max-semi-space-size=1'] as const

export const SERVICES = {
  gateway: { port: 9999, urlEnv: 'GATEWAY_URL', nodeFlags: [] },
  'swap-controller': { port: 9101, urlEnv: 'SWAP_CONTROLLER_URL', nodeFlags: BACKEND_NODE_FLAGS },
  'speech-proxy': { port: 9102, urlEnv: 'SPEECH_PROXY_URL', nodeFlags: BACKEND_NODE_FLAGS },
  'vector-search': { port: 9103, urlEnv: 'VECTOR_SEARCH_URL', nodeFlags: BACKEND_NODE_FLAGS },
  'redaction-gateway': { port: 9104, urlEnv: 'REDACTION_GATEWAY_URL', nodeFlags: BACKEND_NODE_FLAGS },
  'connectivity-monitor': { port: 9105, urlEnv: 'CONNECTIVITY_MONITOR_URL', nodeFlags: BACKEND_NODE_FLAGS },
} as const satisfies Record<string, { port: number; urlEnv: string; nodeFlags: readonly string[] }>

export type ServiceName = keyof typeof SERVICES
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[]
/** Every service except the gateway itself. */
export const BACKEND_SERVICES = SERVICE_NAMES.filter((n) => n !== 'gateway') as Exclude<
  ServiceName,
  'gateway'
>[]

export const defaultServiceUrl = (name: ServiceName, host = '127.0.0.1') =>
  `http://${host}:${SERVICES[name].port}`

/**
 * Upstreams on the Sparks, as the earlier version named them (`DISABLED_SERVICES` takes these
 * names, and `/api/endpoints` is keyed by them).
 */
export const UPSTREAMS = {
  vllm: { kind: 'llm', port: 8888, owner: 'swap-controller' },
  parakeet: { kind: 'stt', port: 8000, owner: 'speech-proxy' },
  kokoro: { kind: 'tts', port: 8880, owner: 'speech-proxy' },
  embeddings: { kind: 'embeddings', port: 8088, owner: 'vector-search' },
  qdrant: { kind: 'vector_db', port: 6333, owner: 'vector-search' },
} as const satisfies Record<string, { kind: string; port: number; owner: ServiceName }>

export type UpstreamName = keyof typeof UPSTREAMS
export const UPSTREAM_NAMES = Object.keys(UPSTREAMS) as UpstreamName[]

/**
 * What a service puts in `info` of an upstream dependency in its `/ready` report; the gateway's
 * discovery routes (`/api/endpoints`, `/api/status`) are built from it.
 */
export interface UpstreamInfo {
  kind: string
  /** Informational URL of the upstream (clients always call the gateway). */
  base_url: string | null
  /** Model served there now (the loaded LLM for vllm), if known. */
  model: string | null
  disabled: boolean
}

/** What a service puts in `info` of a Spark node dependency (`node:<name>`). */
export interface NodeInfo {
  kind: 'node'
  name: string
  host: string
  role: string
}
