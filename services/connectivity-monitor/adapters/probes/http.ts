/**
 * The HTTP layers: the health route (GET, 2xx is alive; slow but 2xx is a busy GPU, not a failure)
 * and the functional check (the target's small real request). Both go through the shared kit's
 * `probeHttp`, so the monitor and the services' own readiness read an answer the same way.
 */
import type { Dispatcher } from 'undici'
import { type ProbeOutcome, probeHttp } from '../../../../shared/upstream-health.ts'
import type { FailureKind } from '../../domain/ports.ts'
import { CANCELLED, failureOf } from './failure.ts'

export interface HttpResult {
  ok: boolean
  kind?: FailureKind
  detail: string
}

export interface HttpCall {
  url: string
  method?: 'GET' | 'POST'
  json?: unknown
  timeoutMs: number
  signal: AbortSignal
  headers?: Record<string, string>
  dispatcher?: Dispatcher
}

function resultOf(outcome: ProbeOutcome, cancelled: boolean): HttpResult {
  switch (outcome.kind) {
    case 'ok':
      return { ok: true, detail: `HTTP ${outcome.status}` }
    case 'bad_status':
      return {
        ok: false,
        kind: outcome.status >= 500 ? 'http_5xx' : 'bad_status',
        detail: `answered HTTP ${outcome.status}`,
      }
    case 'timeout':
      return { ok: false, kind: 'timeout', detail: outcome.detail }
    case 'unreachable':
    case 'failed':
      if (cancelled) return { ok: false, ...CANCELLED }
      return { ok: false, ...failureOf(outcome.code, outcome.detail), detail: outcome.detail }
  }
}

export async function httpCheck(call: HttpCall): Promise<HttpResult> {
  if (call.signal.aborted) return { ok: false, ...CANCELLED }
  const outcome = await probeHttp(call.url, {
    timeoutMs: call.timeoutMs,
    signal: call.signal,
    dispatcher: call.dispatcher,
    headers: call.headers,
    method: call.method,
    json: call.json,
  })
  return resultOf(outcome, call.signal.aborted)
}
