/**
 * Reports every request an undici dispatcher sends to a known target, as the caller's own traffic
 * sees it: `reportOutcomes(pool, reporter, {'http://<spark-2-ip>:8000': 'parakeet'})` returns the
 * same pool behind an interceptor (undici 7's `compose`, handler API `onRequestStart` …
 * `onResponseError`). Per request it costs a Map lookup, two clock reads, one small handler object
 * and a push into the reporter's ring; nothing waits on the monitor.
 *
 * - `ok` is "the target answered with a status under 500": a 4xx is the caller's problem, and the
 *   target is alive. A 5xx is reported as `http_5xx` with its status (a 503 from vLLM during a swap
 *   too — the monitor knows about maintenance, the client does not). For our own services (the
 *   gateway's backends) any answer is `ok`: see `ReportOptions.relays`.
 * - `latency_ms` runs to the response head, or to the failure.
 * - A request its caller gave up on (the client went away, the work was cancelled) says nothing
 *   about the target and is not reported; a caller's timeout (`AbortSignal.timeout`) is a `timeout`.
 * - A body that breaks after the head (a reset, a body timeout) adds a second, failed outcome: the
 *   target died mid-answer.
 * - Health checks (`GET /health`, `/healthz`, `/readyz`, `/livez`, `/ready`) are not real traffic:
 *   a busy GPU makes them slow while work succeeds, which is exactly what the monitor must not read
 *   as an outage, and probing is the monitor's own job.
 */
import type { Dispatcher } from 'undici'
import type { RequestOutcome } from '../contracts/connectivity-monitor.ts'
import { failureKind, isCallerAbort } from './failure-kind.ts'
import type { OutcomeSink } from './reporter.ts'

/** Origin (`http://host:port`) → target id. */
export type OutcomeOrigins = Record<string, string>

export interface ReportOptions {
  /**
   * The targets are our own services, which answer for their upstreams' failures with 502/503/504
   * (Parakeet down is the speech-proxy's 503): any answer means the service itself is alive, so a
   * 5xx is reported `ok` with its status, and only transport failures count against it.
   */
  relays?: boolean
}

const HEALTH_PATHS = new Set(['/health', '/healthz', '/readyz', '/livez', '/ready'])

/** The contract's ceiling for one latency figure. */
const MAX_LATENCY_MS = 86_400_000

/**
 * `dispatcher` with its requests to `origins` reported to `sink`; the dispatcher itself when there is
 * nothing to report (a no-op reporter or no origin), so a process without a monitor pays nothing.
 */
export function reportOutcomes(
  dispatcher: Dispatcher,
  sink: OutcomeSink,
  origins: OutcomeOrigins,
  { relays = false }: ReportOptions = {},
): Dispatcher {
  const targets = new Map<string, string>()
  for (const [origin, target] of Object.entries(origins))
    if (URL.canParse(origin)) targets.set(new URL(origin).origin, target)
  if (!sink.enabled || targets.size === 0) return dispatcher
  return dispatcher.compose((dispatch) => (opts, handler) => {
    const target = targetOf(opts, targets)
    if (target === undefined || isHealthCheck(opts)) return dispatch(opts, handler)
    return dispatch(opts, new OutcomeHandler(handler, sink, target, relays))
  })
}

/** The origins of configured URLs, for `reportOutcomes`; unset or unparseable URLs are left out. */
export function originsOf(urls: Record<string, string | null | undefined>): OutcomeOrigins {
  const origins: OutcomeOrigins = {}
  for (const [target, url] of Object.entries(urls))
    if (url && URL.canParse(url)) origins[new URL(url).origin] = target
  return origins
}

function targetOf(opts: Dispatcher.DispatchOptions, targets: Map<string, string>): string | undefined {
  const origin = opts.origin
  if (origin === undefined) return undefined
  return targets.get(typeof origin === 'string' ? origin : origin.origin)
}

function isHealthCheck(opts: Dispatcher.DispatchOptions): boolean {
  if (opts.method !== 'GET' && opts.method !== 'HEAD') return false
  const path = opts.path
  const query = path.indexOf('?')
  return HEALTH_PATHS.has(query < 0 ? path : path.slice(0, query))
}

class OutcomeHandler implements Dispatcher.DispatchHandler {
  private readonly at = Date.now()
  private readonly started = performance.now()
  private answered = false
  private readonly inner: Dispatcher.DispatchHandler
  private readonly sink: OutcomeSink
  private readonly target: string
  private readonly relays: boolean

  constructor(inner: Dispatcher.DispatchHandler, sink: OutcomeSink, target: string, relays: boolean) {
    this.inner = inner
    this.sink = sink
    this.target = target
    this.relays = relays
  }

  private record(ok: boolean, kind?: RequestOutcome['kind'], status?: number) {
    const latency = Math.round((performance.now() - this.started) * 10) / 10
    this.sink.record({
      target: this.target,
      at: this.at,
      ok,
      kind,
      latency_ms: Math.min(Math.max(latency, 0), MAX_LATENCY_MS),
      status,
    })
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown) {
    this.inner.onRequestStart?.(controller, context)
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[2],
    socket: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[3],
  ) {
    if (!this.answered) {
      this.answered = true
      this.record(true, undefined, statusCode)
    }
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket)
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2],
    statusMessage?: string,
  ) {
    // 1xx heads come before the real one.
    if (statusCode >= 200 && !this.answered) {
      this.answered = true
      if (statusCode > 599) this.record(false, 'bad_status')
      else if (statusCode >= 500 && !this.relays) this.record(false, 'http_5xx', statusCode)
      else this.record(true, undefined, statusCode)
    }
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage)
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer) {
    this.inner.onResponseData?.(controller, chunk)
  }

  onResponseEnd(
    controller: Dispatcher.DispatchController,
    trailers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>[1],
  ) {
    this.inner.onResponseEnd?.(controller, trailers)
  }

  onResponseError(controller: Dispatcher.DispatchController | undefined, error: Error) {
    // The caller's abort goes through the controller; the transport's own failures do not.
    const byCaller = controller?.aborted === true
    if (!(byCaller && isCallerAbort(controller.reason ?? error))) this.record(false, failureKind(error))
    this.inner.onResponseError?.(controller as Dispatcher.DispatchController, error)
  }
}
