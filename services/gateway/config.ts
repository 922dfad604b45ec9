import { z } from '@hono/zod-openapi'
import { apiKeyConfig } from '../../shared/auth/config.ts'
import { loginConfig } from '../../shared/auth/session-config.ts'
import { baseConfig, type EnvSource, env, loadConfig } from '../../shared/config.ts'
import { KNOBS } from '../../shared/settings/registry.ts'
import { BACKEND_SERVICES, defaultServiceUrl, SERVICES } from '../../shared/topology.ts'
import { rateLimitConfig } from './domain/rate-limit-config.ts'
import type { BackendName } from './domain/route-table.ts'

export const DEFAULT_PORT = 9999

type UrlEnvName = (typeof SERVICES)[BackendName]['urlEnv']

const MIB = 1024 * 1024
const MINUTE_MS = 60_000
/** Control and search calls through the gateway; longer than any single call a service may make. */
export const DEFAULT_PROXY_TIMEOUT_MS = 5 * MINUTE_MS

/** `SWAP_CONTROLLER_URL`, … — one per backend, named by the shared topology table. */
const urlShape = Object.fromEntries(
  BACKEND_SERVICES.map((name) => [SERVICES[name].urlEnv, env.urlWithDefault(defaultServiceUrl(name))]),
) as Record<UrlEnvName, ReturnType<typeof env.urlWithDefault>>

const optionalPort = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.coerce.number().int().min(0).max(65535).optional(),
)

export const configShape = {
  // The earlier version listened on every interface; LAN clients reach it directly.
  ...baseConfig(DEFAULT_PORT, '0.0.0.0'),
  /** The earlier version's name for the port; used when `PORT` is unset. */
  BIND_PORT: optionalPort,
  ...urlShape,
  /** Earlier variable: upstreams (`vllm`, `kokoro`, …) or services switched off on purpose. */
  DISABLED_SERVICES: KNOBS.DISABLED_SERVICES.schema,
  /** Audio routes take long recordings; the earlier version allowed 200 MB per request. */
  AUDIO_BODY_LIMIT_BYTES: env.int(200 * MIB, 1024),
  /** Chat generations can run long; the earlier chat proxy allowed 30 minutes. */
  PROXY_CHAT_TIMEOUT_MS: env.int(30 * MINUTE_MS, 1000),
  /** Long recordings are chunked and diarized behind speech-proxy; it enforces finer limits itself. */
  PROXY_AUDIO_TIMEOUT_MS: env.int(30 * MINUTE_MS, 1000),
  /** Everything else: control and search calls, swap progress streams (idle time between events). */
  PROXY_TIMEOUT_MS: env.int(DEFAULT_PROXY_TIMEOUT_MS, 1000),
  PROXY_CONNECT_TIMEOUT_MS: env.int(3000, 100),
  /** Keep-alive connections per backend; bounded so a flood cannot exhaust sockets. */
  PROXY_CONNECTIONS: env.int(512, 1, 65_535),
  /**
   * On Node, proxied requests skip web Request/Response objects (proxy/node-front-door.ts). Off
   * serves them through the portable path Deno uses: same behaviour, more CPU per request.
   */
  PROXY_NODE_FAST_PATH: env.bool(true),
  /** What a client is told to wait when a backend is not there. */
  RETRY_AFTER_S: env.int(5, 0, 3600),
  /** Backends' `/ready` probes their upstreams with a 2 s budget, so allow a little more. */
  STATUS_PROBE_TIMEOUT_MS: env.int(3000, 100),
  STATUS_CACHE_MS: env.int(1000, 0),
  /** Opt-in API keys per route group (docs/SECURITY.md); none by default, as the apps send none. */
  ...apiKeyConfig(),
  /** Opt-in owner login for the dashboard, its sessions and lockout (shared/auth/session-config.ts). */
  ...loginConfig(),
  /** Opt-in rate limits per route group, per key and per client address (domain/rate-limit-config.ts). */
  ...rateLimitConfig(),
}

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>

export function loadGatewayConfig(source: EnvSource) {
  const config = loadConfig(configShape, source)
  const portUnset = (source.PORT ?? '').trim() === ''
  const PORT = portUnset && config.BIND_PORT !== undefined ? config.BIND_PORT : config.PORT
  return { ...config, PORT }
}

/** Where each backend listens, without a trailing slash so paths join cleanly. */
export function backendUrls(config: Record<UrlEnvName, string>): Record<BackendName, string> {
  const urls = {} as Record<BackendName, string>
  for (const name of BACKEND_SERVICES) urls[name] = config[SERVICES[name].urlEnv].replace(/\/+$/, '')
  return urls
}
