/**
 * The monitor's probes, the only code of the monitor that opens sockets. Each layer answers with
 * `Evidence`: never throws, always settles within its timeout (also when the peer accepts and never
 * answers), stops when the engine's signal fires, and leaves no socket open.
 */
import { Agent, type Dispatcher } from 'undici'
import type { MonitorConfig } from '../../config.ts'
import type {
  Clock,
  Evidence,
  EvidenceLayer,
  Probe,
  ProbeOptions,
  Probes,
  Target,
} from '../../domain/ports.ts'
import { httpCheck } from './http.ts'
import { KeepAliveHealth } from './keep-alive.ts'
import { socketProbe } from './socket.ts'
import { sshBanner } from './ssh.ts'

export interface ProbeSettings {
  tcpTimeoutMs: number
  httpTimeoutMs: number
  /** A 2xx health answer slower than this is `slow` (busy), not failed. */
  httpSlowMs: number
  functionalTimeoutMs: number
  sshTimeoutMs: number
  /** Extra request headers by origin (Qdrant's `api-key`), never shown in evidence. */
  headers?: ReadonlyMap<string, Record<string, string>>
  /** The HTTP connection pool (`createProbeAgent`) of the functional checks and HTTPS health; the caller closes it. */
  dispatcher?: Dispatcher
  clock?: Clock
}

type Outcome = { ok: boolean; kind?: Evidence['kind']; detail: string }

/**
 * Probe connections are kept alive for 3 s: longer than the 1 s health interval (with its jitter),
 * so steady probing reuses one connection per target instead of a connect each time, and shorter
 * than the servers' own idle timeouts (uvicorn's and Node's are 5 s), so a probe never picks a
 * socket the server is closing at that moment and reads the race as a reset.
 */
export function createProbeAgent(settings: Pick<ProbeSettings, 'tcpTimeoutMs'>): Agent {
  return new Agent({
    connect: { timeout: settings.tcpTimeoutMs },
    keepAliveTimeout: 3000,
    keepAliveMaxTimeout: 3000,
  })
}

/** Settings from the monitor's config; Qdrant's key goes only to Qdrant's own origin. */
export function probeSettings(
  config: Pick<
    MonitorConfig,
    | 'MONITOR_TCP_TIMEOUT_MS'
    | 'MONITOR_HTTP_TIMEOUT_MS'
    | 'MONITOR_HTTP_SLOW_MS'
    | 'MONITOR_FUNCTIONAL_TIMEOUT_MS'
    | 'MONITOR_SSH_TIMEOUT_MS'
    | 'QDRANT_API_KEY'
  >,
  targets: readonly Target[],
): ProbeSettings {
  const headers = new Map<string, Record<string, string>>()
  // The first origin of the built-in `qdrant` is QDRANT_URL's (or SPARK2_HOST's), even when
  // MONITOR_TARGETS gave it other probes.
  const qdrant = targets.find((t) => t.id === 'qdrant' && t.legacySubject === 'qdrant')?.origins[0]
  if (qdrant && config.QDRANT_API_KEY) headers.set(qdrant, { 'api-key': config.QDRANT_API_KEY.reveal() })
  return {
    tcpTimeoutMs: config.MONITOR_TCP_TIMEOUT_MS,
    httpTimeoutMs: config.MONITOR_HTTP_TIMEOUT_MS,
    httpSlowMs: config.MONITOR_HTTP_SLOW_MS,
    functionalTimeoutMs: config.MONITOR_FUNCTIONAL_TIMEOUT_MS,
    sshTimeoutMs: config.MONITOR_SSH_TIMEOUT_MS,
    headers,
  }
}

const NOT_SET: Outcome = { ok: false, kind: 'other', detail: 'this layer is not set for the target' }

/** The probes, and `close()` for the health checks' kept connections. */
export type MonitorProbes = Probes & { close(): void }

export function createProbes(settings: ProbeSettings): MonitorProbes {
  const clock = settings.clock ?? { now: () => Date.now() }
  const headersFor = (url: string) =>
    URL.canParse(url) ? settings.headers?.get(new URL(url).origin) : undefined
  // One kept-alive health connection per target; HTTPS (a custom target) goes through undici.
  const kept = new Map<string, KeepAliveHealth | null>()
  const keptFor = (target: string, url: string): KeepAliveHealth | null => {
    const key = `${target} ${url}`
    let health = kept.get(key)
    if (health === undefined) {
      const parsed = URL.canParse(url) ? new URL(url) : null
      health = parsed?.protocol === 'http:' ? new KeepAliveHealth(parsed, headersFor(url)) : null
      kept.set(key, health)
    }
    return health
  }
  const healthCheck = (t: Target, url: string, signal: AbortSignal, options?: ProbeOptions) => {
    const timeoutMs = options?.timeoutMs ?? settings.httpTimeoutMs
    const health = keptFor(t.id, url)
    if (health) return health.check({ timeoutMs, signal, fresh: options?.fresh })
    return httpCheck({ url, timeoutMs, signal, headers: headersFor(url), dispatcher: settings.dispatcher })
  }

  /** Times one check and turns what it said into evidence. */
  const layer =
    (
      name: Exclude<EvidenceLayer, 'passive'>,
      check: (t: Target, signal: AbortSignal, options?: ProbeOptions) => Promise<Outcome>,
      slowMs?: number,
    ): Probe =>
    async (target, signal, options) => {
      const at = clock.now()
      const started = performance.now()
      // A probe never throws: whatever escapes a check (a port out of range) is a failed check.
      const outcome = await check(target, signal, options).catch(
        (err: unknown): Outcome => ({
          ok: false,
          kind: 'other',
          detail: (err as Error).message || String(err),
        }),
      )
      const latencyMs = Math.round((performance.now() - started) * 10) / 10
      const evidence: Evidence = {
        target: target.id,
        layer: name,
        at,
        ok: outcome.ok,
        latencyMs,
        source: 'probe',
        detail: outcome.detail,
      }
      if (!outcome.ok) evidence.kind = outcome.kind ?? 'other'
      else if (slowMs !== undefined && latencyMs > slowMs) evidence.slow = true
      return evidence
    }

  return {
    tcp: layer('tcp', async (t, signal) =>
      t.tcp ? socketProbe({ address: t.tcp, timeoutMs: settings.tcpTimeoutMs, signal }) : NOT_SET,
    ),
    http: layer(
      'http',
      async (t, signal, options) => (t.http ? healthCheck(t, t.http.url, signal, options) : NOT_SET),
      settings.httpSlowMs,
    ),
    functional: layer('functional', async (t, signal) =>
      t.functional
        ? httpCheck({
            url: t.functional.url,
            method: t.functional.method,
            json: t.functional.body,
            timeoutMs: settings.functionalTimeoutMs,
            signal,
            headers: headersFor(t.functional.url),
            dispatcher: settings.dispatcher,
          })
        : NOT_SET,
    ),
    ssh: layer('ssh', async (t, signal) =>
      t.ssh ? sshBanner(t.ssh, settings.sshTimeoutMs, signal) : NOT_SET,
    ),
    close() {
      for (const health of kept.values()) health?.close()
    },
  }
}
