/**
 * Health checks of HTTP upstreams on the Sparks, shared by every service that owns one.
 *
 * Two halves: `probeHttp` performs one short GET and says plainly what happened (the dashboard shows
 * "connection refused" or "host not found", which a 503 status alone cannot tell apart), and
 * `upstreamCheck` wraps a service's own assessment into the readiness contract: disabled and
 * unconfigured upstreams are reported without being contacted, and every report carries
 * `info: UpstreamInfo` for the gateway's discovery routes.
 */
import { type Dispatcher, request } from 'undici'
import type { DependencyCheck, DependencyReport } from './readiness.ts'
import { UPSTREAMS, type UpstreamInfo, type UpstreamName } from './topology.ts'

export type ProbeOutcome =
  | { kind: 'ok'; status: number }
  | { kind: 'bad_status'; status: number; detail: string }
  | { kind: 'timeout'; detail: string }
  | { kind: 'unreachable'; detail: string; code?: string }
  | { kind: 'failed'; detail: string; code?: string }

export interface ProbeOptions {
  timeoutMs: number
  /** The readiness run's signal; the probe gives up when it fires too. */
  signal?: AbortSignal
  dispatcher?: Dispatcher
  headers?: Record<string, string>
  /** GET unless told; a POST sends `json` as its body (the monitor's small real requests). */
  method?: 'GET' | 'POST'
  json?: unknown
}

/** Health bodies are tiny; anything bigger is drained up to this size and then the socket is dropped. */
const DRAIN_LIMIT_BYTES = 64 * 1024

/** Transport error codes in the words an owner reads on the dashboard. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** GETs `url` once (or POSTs `json`); never throws. Any 2xx is healthy, whatever the body says. */
export async function probeHttp(url: string, options: ProbeOptions): Promise<ProbeOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  const post = options.method === 'POST'
  try {
    const res = await request(url, {
      method: post ? 'POST' : 'GET',
      headers: {
        accept: 'application/json, text/plain',
        ...(post ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(post ? { body: JSON.stringify(options.json ?? {}) } : {}),
      signal,
      dispatcher: options.dispatcher,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    })
    await res.body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(() => undefined)
    if (res.statusCode >= 200 && res.statusCode < 300) return { kind: 'ok', status: res.statusCode }
    return {
      kind: 'bad_status',
      status: res.statusCode,
      detail: `health check answered HTTP ${res.statusCode}`,
    }
  } catch (err) {
    return describeFailure(err, options.timeoutMs, timeout.aborted)
  }
}

function describeFailure(err: unknown, timeoutMs: number, timedOut: boolean): ProbeOutcome {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } }
  const code = e.code ?? e.cause?.code ?? ''
  if (timedOut || e.name === 'TimeoutError' || TIMEOUT_CODES.has(code)) {
    return { kind: 'timeout', detail: `no answer within ${timeoutMs} ms` }
  }
  const phrase = UNREACHABLE[code]
  if (phrase) return { kind: 'unreachable', detail: phrase, code }
  if (e.name === 'AbortError') return { kind: 'failed', detail: 'check cancelled' }
  return { kind: 'failed', detail: e.message || String(err), ...(code ? { code } : {}) }
}

export type Assessment = Pick<DependencyReport, 'state' | 'detail'>

/** The plain reading of a probe: healthy is up, everything else is down. */
export function outcomeAssessment(outcome: ProbeOutcome): Assessment {
  if (outcome.kind === 'ok') return { state: 'up' }
  return { state: 'down', detail: outcome.detail }
}

export interface UpstreamTarget {
  name: UpstreamName
  /** Null when the owner has not configured it. */
  baseUrl: string | null
  disabled: boolean
  /** Shown when `baseUrl` is null: what to set, or why nothing is needed. */
  notConfiguredDetail: string
}

export function upstreamInfo(target: UpstreamTarget, model: string | null): UpstreamInfo {
  return {
    kind: UPSTREAMS[target.name].kind,
    base_url: displayUrl(target.baseUrl),
    model,
    disabled: target.disabled,
  }
}

/** A URL fit for logs and `/api/endpoints`: credentials an owner put into it are dropped. */
export function displayUrl(url: string | null): string | null {
  if (url === null || !URL.canParse(url)) return url
  const parsed = new URL(url)
  if (!parsed.username && !parsed.password) return url
  parsed.username = ''
  parsed.password = ''
  return parsed.toString().replace(/\/+$/, '')
}

export interface UpstreamCheckOptions {
  target: UpstreamTarget
  /** What `info.model` says when nothing better is known (or the upstream is off or unconfigured). */
  defaultModel: string | null
  /** Asks the upstream which model it serves, alongside the health check; null means "use the default". */
  lookupModel?: (baseUrl: string, signal: AbortSignal) => Promise<string | null>
  /** Probes the upstream and decides its state; only called when it is enabled and configured. */
  assess: (baseUrl: string, signal: AbortSignal) => Promise<Assessment>
}

/** A readiness check for one upstream. Upstreams are never critical: the service still answers. */
export function upstreamCheck({
  target,
  defaultModel,
  lookupModel,
  assess,
}: UpstreamCheckOptions): DependencyCheck {
  const report = (assessment: Assessment, model: string | null): DependencyReport => ({
    ...assessment,
    info: { ...upstreamInfo(target, model) },
  })
  return {
    name: target.name,
    critical: false,
    async check(signal) {
      // Neither case contacts the upstream: a disabled one may be switched off on purpose.
      if (target.disabled) {
        return report({ state: 'disabled', detail: 'disabled by DISABLED_SERVICES' }, defaultModel)
      }
      const baseUrl = target.baseUrl
      if (!baseUrl) {
        return report({ state: 'not_configured', detail: target.notConfiguredDetail }, defaultModel)
      }
      const [assessment, served] = await Promise.all([
        assess(baseUrl, signal),
        lookupModel ? lookupModel(baseUrl, signal).catch(() => null) : null,
      ])
      return report(assessment, served ?? defaultModel)
    },
  }
}
